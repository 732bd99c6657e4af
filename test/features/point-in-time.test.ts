/**
 * Point-in-time property (must-show 2): changing every bar after t leaves every feature value at
 * or before t unchanged, for every indicator in the registry, the daily (multi-timeframe) join and
 * the funding joins. "After t" for the other timeframes means: every daily bar that had not
 * closed by bar t's open, and every funding event settled after it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeFeatures } from '../../src/features/compute.js';
import { INDICATORS } from '../../src/features/registry.js';
import { alignAsOf, availableAt } from '../../src/features/align.js';
import { DAY } from '../../src/core/time.js';
import type { ColumnTable } from '../../src/core/table.js';
import { makeMarket, perturbRows } from './fixtures.js';

const market = makeMarket(40, 3);
const ts = market.h4.table.columns['ts'] as Float64Array;
const dailyClose = availableAt(market.d1);
const fundingTs = market.funding.table.columns['ts'] as Float64Array;

/** Every indicator at the given period (clamped to its minimum), on the bars and (where allowed) daily. */
function allSpecs(period: number): string[] {
  const specs: string[] = [];
  for (const def of INDICATORS.values()) {
    const params = def.params.map((p, i) => (p.kind === 'number' ? p.default : Math.max(p.min, period + i * 3)));
    const text = `${def.name}${params.length ? `:${params.join(',')}` : ''}`;
    specs.push(text);
    if (def.input !== 'funding') specs.push(`daily:${def.params.length ? text.replace(/:\d+/, ':' + Math.max(def.params[0]!.min, Math.min(period, 5))) : text}`);
    if (def.input === 'series') specs.push(`${text}@volume`);
  }
  return specs;
}

function firstDifference(a: ColumnTable, b: ColumnTable, upTo: number): string | undefined {
  for (const name of Object.keys(a.columns)) {
    const x = a.columns[name] as Float64Array;
    const y = b.columns[name] as Float64Array;
    for (let i = 0; i <= upTo; i++) if (!Object.is(x[i], y[i])) return `${name}[${i}]: ${x[i]} → ${y[i]}`;
  }
  return undefined;
}

describe('point in time: the future cannot change the past', () => {
  it('all indicators, bar-level, daily join and funding (per-bar column and events), random t and perturbations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ts.length - 2 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        (t, period, seed, useEvents) => {
          const specs = allSpecs(period);
          const cut = ts[t]!; // bar t's open: what the joins may see
          const sources = (d: typeof market) => ({ daily: d.d1, ...(useEvents ? { funding: d.funding } : {}) });
          const before = computeFeatures(market.h4, specs, sources(market));
          const changed = {
            h4: perturbRows(market.h4, (i) => i > t, seed),
            d1: perturbRows(market.d1, (k) => dailyClose[k]! > cut, seed + 1),
            funding: perturbRows(market.funding, (k) => fundingTs[k]! > cut, seed + 2),
          };
          const after = computeFeatures(changed.h4, specs, sources(changed));
          const diff = firstDifference(before, after, t);
          if (diff) throw new Error(`t=${t} period=${period}: ${diff}`);
        },
      ),
      { numRuns: 60, seed: 20240311 },
    );
  });

  it('the property is not vacuous: every feature column has finite values on this fixture', () => {
    for (const useEvents of [false, true]) {
      const f = computeFeatures(market.h4, allSpecs(5), { daily: market.d1, ...(useEvents ? { funding: market.funding } : {}) });
      const names = Object.keys(f.columns);
      expect(names.length).toBeGreaterThan(60);
      for (const name of names) expect((f.columns[name] as Float64Array).some(Number.isFinite), name).toBe(true);
    }
  });

  it('the check can fail: a daily bar visible at t (closed exactly at bar t\'s open) does change row t', () => {
    const t = 6 * 10; // a 4h bar opening at midnight: day 9's daily bar closed exactly then
    const cut = ts[t]!;
    const before = computeFeatures(market.h4, ['daily:sma:1'], { daily: market.d1 });
    const d1 = perturbRows(market.d1, (k) => dailyClose[k]! >= cut, 9);
    const after = computeFeatures(market.h4, ['daily:sma:1'], { daily: d1 });
    expect(firstDifference(before, after, t)).toMatch(/^daily_sma_1\[60\]/);
  });

  it('the check catches look-ahead: joining daily bars by their open time leaks the unfinished day', () => {
    const dOpen = market.d1.table.columns['ts'] as Float64Array;
    const close = market.d1.table.columns['close'] as Float64Array;
    const t = 6 * 10 + 2; // 08:00 of day 10
    const leaky = (c: Float64Array) => ({ length: ts.length, columns: { x: alignAsOf(dOpen, c, ts) } });
    const d1 = perturbRows(market.d1, (k) => dOpen[k]! + DAY > ts[t]!, 4);
    const diff = firstDifference(leaky(close), leaky(d1.table.columns['close'] as Float64Array), t);
    expect(diff).toBeDefined();
    // The leak shows at or before bar t, in the joined column.
    expect(Number(/^x\[(\d+)\]/.exec(diff!)?.[1])).toBeLessThanOrEqual(t);
  });
});
