/**
 * Perturb the future (point-in-time), for what the Trader reads beside the models' own views: the
 * broker's ADV (impact) and the regime inputs. Everything after a cut time is changed — bar prices and
 * volumes of bars closing after it, macro series values published after it — and everything the run
 * produced up to the cut must not move: the regime lookup at every time ≤ cut, and the demo
 * portfolio's NAV, cash, exposure, risk mode and orders up to the cut. A second check pins the ADV:
 * changing the volume of a fill's own bar and later bars leaves that fill's impact as it was, and the
 * impact equals coef × √(|qty| / ADV) with ADV the mean of the previous days' volumes, by hand.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { intervalMs, parseUtc } from '../../src/core/time.js';
import type { Dataset } from '../../src/core/table.js';
import { portfolioPlan } from '../../src/backtest/run-backtest-plan.js';
import { regimeLookupFor, runBacktestReport } from '../../src/backtest/run-backtest.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { bars, cfg, neutral, scripted, withBudget, type Row } from '../backtest/engine-helpers.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));
const CUT = parseUtc('2021-09-01T00:00:00Z');

/** The dataset with every row known only after `cut` changed (bars: by close time; series: by ts). */
function perturbAfter(ds: Dataset, cut: number): Dataset {
  const c = ds.table.columns as Record<string, Float64Array>;
  const ts = c['ts']!;
  const known = (i: number): number => (ds.kind === 'bars' ? (c['close_ts'] ? c['close_ts'][i]! : ts[i]! + intervalMs(ds.interval!)) : ts[i]!);
  const columns: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(c)) {
    const out = Float64Array.from(col);
    if (name !== 'ts' && name !== 'close_ts') {
      const factor = name === 'volume' ? 9 : name === 'value' ? -3 : name === 'rate' || name === 'funding_rate' ? 5 : 1.25;
      for (let i = 0; i < out.length; i++) if (known(i) > cut) out[i] = out[i]! * factor + (name === 'value' ? 1 : 0);
    }
    columns[name] = out;
  }
  return { ...ds, table: { length: ds.table.length, columns }, digest: `${ds.digest}-perturbed` };
}

describe('perturb the future: regime inputs and the broker', () => {
  const perturbed = new Map([...data].map(([k, d]) => [k, perturbAfter(d, CUT)] as const));

  it('the regime lookup at every 4h step up to the cut is unchanged (and it does change after)', () => {
    const a = regimeLookupFor(data, config.regime).lookup;
    const b = regimeLookupFor(perturbed, config.regime).lookup;
    const start = parseUtc('2021-01-01T00:00:00Z');
    let checked = 0;
    for (let t = start; t <= CUT; t += 4 * 3_600_000, checked++) expect(b(t)).toEqual(a(t));
    expect(checked).toBeGreaterThan(1400);
    let differs = 0;
    for (let t = CUT + 86_400_000; t < parseUtc('2022-03-01T00:00:00Z'); t += 86_400_000) if (JSON.stringify(a(t)) !== JSON.stringify(b(t))) differs++;
    expect(differs).toBeGreaterThan(0);
  });

  it('the demo portfolio up to the cut: same NAV, cash, exposure, mode, orders (and a different run after it)', async () => {
    const plan = portfolioPlan(config);
    const [ra, rb] = [await runBacktestReport(plan, data, { probes: false }), await runBacktestReport(plan, perturbed, { probes: false })];
    const a = ra.result;
    const b = rb.result;
    const upTo = a.ts.findIndex((t) => t > CUT);
    expect(upTo).toBeGreaterThan(500);
    expect(Array.from(b.ts.subarray(0, upTo))).toEqual(Array.from(a.ts.subarray(0, upTo)));
    for (const key of ['nav', 'cash', 'gross', 'net', 'drawdown', 'mode'] as const) {
      expect(Array.from(b[key].subarray(0, upTo)), key).toEqual(Array.from(a[key].subarray(0, upTo)));
    }
    const before = (o: { placedAt: number }) => o.placedAt <= CUT;
    expect(b.orders.filter(before).map(({ status: _s, closedAt: _c, ...o }) => o)).toEqual(a.orders.filter(before).map(({ status: _s, closedAt: _c, ...o }) => o));
    expect(a.orders.filter(before).length).toBeGreaterThan(10);
    // impact was paid (the ADV is read), and the future did change the run
    expect(a.costs.impact).toBeGreaterThan(0);
    expect(b.nav[b.nav.length - 1]).not.toBe(a.nav[a.nav.length - 1]);
  }, 120_000);

  it("the broker's ADV: a fill's impact uses the previous days' volumes only (hand-worked), not its own bar's or later", () => {
    // daily bars, volumes 1000, 2000, 3000, 4000, 5000, …; a buy of 40 decided at bar 3's close fills at bar 4's open
    const rows = (future: number): Row[] => Array.from({ length: 8 }, (_, i) => [100, 100, 100, 100, i >= 4 ? future * (i + 1) : 1000 * (i + 1)] as const);
    const model = scripted('buyer', ['X'], { 3: { weights: { X: 0.4 } } });
    const run = (future: number) =>
      runBacktest({
        symbols: [bars('X', rows(future))],
        models: [withBudget(model, 1)],
        config: cfg({ costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0.1 } }, execution: { adv_days: 3, rebalance_band: 1 } }),
        regimeAt: neutral,
      });
    const a = run(1000);
    const b = run(1e9);
    expect(a.fills).toHaveLength(1);
    const f = a.fills[0]!;
    expect(f.qty).toBe(40);
    // ADV at bar 4 = mean(2000, 3000, 4000) = 3000 (the last 3 days before bar 4's day)
    const impact = 0.1 * Math.sqrt(40 / 3000);
    expect(f.price).toBeCloseTo(100 * (1 + impact), 12);
    expect(f.impact).toBeCloseTo(40 * 100 * impact, 9);
    expect(b.fills).toEqual(a.fills);
  });
});
