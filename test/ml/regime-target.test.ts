/**
 * The regime target of the state forecasts (src/ml/state-features.ts): the label of bar t at horizon
 * h is the regime engine's HMM state known at bar t + h's close, from a walk-forward ('expanding')
 * fit. Perturb-the-future: changing every bar after a cut leaves every row whose label window
 * (t, t + h] closed by the cut unchanged — features and label — so purging folds by h is enough.
 * A control with the 'full' fit (parameters fitted on later data) shows the check can fail.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { intervalMs } from '../../src/core/time.js';
import { dailySeries } from '../../src/regime/daily.js';
import { hmmObservations } from '../../src/regime/hmm/observations.js';
import { runHmm } from '../../src/regime/hmm/walk-forward.js';
import { HMM_LABELS } from '../../src/regime/hmm/labels.js';
import { regimeSection } from '../../src/config/sections/regime.js';
import { buildStateDesign, regimeClassAtClose } from '../../src/ml/state-features.js';
import type { Panel } from '../../src/alpha/panel.js';
import type { Dataset } from '../../src/core/table.js';
import { T0 } from '../regime/fixtures.js';
import { perturbAfter, smallMarket } from '../regime/market.js';

const DAYS = 150, H = 96; // one day of 15m bars
const market = smallMarket(DAYS, 5);
const step = intervalMs('15m');

const hmmOf = (m: Map<string, Dataset>, fit: 'expanding' | 'full') => {
  const cfg = regimeSection.parse({ hmm: { fit_window: fit, min_train_days: 40, refit_every_days: 15, max_iterations: 15, restarts: 1, screen_iterations: 3, stickiness: 10 } }).hmm;
  return runHmm(hmmObservations(dailySeries(m.get('BTCUSDT:15m')!), cfg), cfg, { seed: 1 });
};

function panelOf(m: Map<string, Dataset>): Panel {
  const c = m.get('BTCUSDT:15m')!.table.columns;
  const ts = c['ts'] as Float64Array, close = c['close'] as Float64Array;
  const nan = new Float64Array(ts.length).fill(NaN);
  return { interval: '15m', ts, symbols: ['BTCUSDT'], close, volume: nan, takerBuy: nan, funding: nan, extra: new Map() };
}

function design(m: Map<string, Dataset>, fit: 'expanding' | 'full') {
  const panel = panelOf(m);
  const labels = regimeClassAtClose(panel, hmmOf(m, fit).lookup);
  return { panel, labels, d: buildStateDesign(panel, H, 20, 0.5, labels) };
}

/** Rows whose label window (t, t + H] has closed by `cut`, as text (bar, features, label). */
function rowsKnownBy(x: ReturnType<typeof design>, cut: number): string[] {
  const out: string[] = [];
  for (let r = 0; r < x.d.rows; r++) {
    const t = x.d.bar[r]!;
    if (x.panel.ts[t + H]! + step > cut) break;
    out.push(`${t}:${[...x.d.x.subarray(r * x.d.features, (r + 1) * x.d.features)].join(',')}:${x.d.y[r]}`);
  }
  return out;
}

describe('state forecasts with the regime target: labels are the HMM state at t + h, point in time', () => {
  const base = design(market, 'expanding');

  it('labels are regime classes (bull, choppy, bear, crash) read at bar t + h’s close', () => {
    expect(base.d.rows).toBeGreaterThan(1000);
    const lookup = hmmOf(market, 'expanding').lookup;
    for (let r = 0; r < base.d.rows; r += 97) {
      const t = base.d.bar[r]!;
      expect(HMM_LABELS[base.d.y[r]!]).toBe(lookup(base.panel.ts[t + H]! + step)!.label);
    }
    expect(new Set(base.d.y).size).toBeGreaterThan(1);
  });

  it('perturbing every bar after a cut leaves every row whose label window closed by the cut unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 45, max: DAYS - 5 }), fc.integer({ min: 1, max: 1_000_000 }), (day, seed) => {
        const cut = T0 + day * 86_400_000 + 6 * 3_600_000;
        const before = rowsKnownBy(base, cut);
        const after = rowsKnownBy(design(perturbAfter(market, cut, seed), 'expanding'), cut);
        if (before.length === 0) throw new Error('no labelled rows before the cut: the check would be vacuous');
        expect(after).toEqual(before);
      }),
      { numRuns: 6, seed: 18 },
    );
  });

  it("control: with the 'full' fit the parameters see the future and earlier labels move", () => {
    const cut = T0 + 60 * 86_400_000;
    const full = design(market, 'full');
    let moved = false;
    for (const seed of [4, 5, 6]) {
      const after = design(perturbAfter(market, cut, seed), 'full');
      if (JSON.stringify(rowsKnownBy(after, cut)) !== JSON.stringify(rowsKnownBy(full, cut))) moved = true;
    }
    expect(moved).toBe(true);
  });
});
