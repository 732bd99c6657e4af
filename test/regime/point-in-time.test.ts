/**
 * Must-show 2: changing every bar after t leaves every regime value at or before t unchanged, for
 * the rule regimes and for the HMM filter (fixed parameters, and the walk-forward 'expanding' fit).
 * "After t" means every bar that had not closed by t and every series value published after t.
 * Controls show the checks can fail.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DAY } from '../../src/core/time.js';
import { computeRuleRegimes, ruleInputsFrom } from '../../src/regime/compute.js';
import { regimeCodesOnBars, type RegimeTimeline } from '../../src/regime/timeline.js';
import { DIMENSIONS } from '../../src/regime/codes.js';
import { forwardFilter } from '../../src/regime/hmm/forward.js';
import { dailySeries } from '../../src/regime/daily.js';
import { hmmObservations } from '../../src/regime/hmm/observations.js';
import { runHmm } from '../../src/regime/hmm/walk-forward.js';
import { regimeSection } from '../../src/config/sections/regime.js';
import { FOUR_STATE, simulateHmm } from './hmm/simulate.js';
import { shortConfig, T0 } from './fixtures.js';
import { perturbAfter, smallMarket } from './market.js';

const DAYS = 90;
const market = smallMarket(DAYS, 5);
const cfg = shortConfig();
const timeline = (m: typeof market): RegimeTimeline => computeRuleRegimes(ruleInputsFrom(m, cfg), cfg);
const btcTs = market.get('BTCUSDT:15m')!.table.columns['ts'] as Float64Array;

/** First query time ≤ cut where the two timelines disagree, as text. */
function firstDifference(a: RegimeTimeline, b: RegimeTimeline, cut: number): string | undefined {
  const times = new Set<number>([cut, T0 - 1]);
  for (const t of a.ts) if (t <= cut) times.add(t);
  for (const t of b.ts) if (t <= cut) times.add(t);
  for (const t of [...times].sort((x, y) => x - y)) {
    const x = a.lookup(t);
    const y = b.lookup(t);
    if (JSON.stringify(x) !== JSON.stringify(y)) return `t=${t}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`;
  }
  const bars = btcTs.filter((t) => t <= cut);
  const ca = regimeCodesOnBars(a, bars);
  const cb = regimeCodesOnBars(b, bars);
  for (const d of DIMENSIONS) for (let i = 0; i < bars.length; i++) if (ca[d][i] !== cb[d][i]) return `bar ${i} ${d}`;
  return undefined;
}

describe('point in time: regimes at or before t ignore everything after t', () => {
  it('rule regimes (equity, vol, crypto, macro) and their per-bar codes, random t and perturbations', () => {
    const base = timeline(market);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAYS * 96 - 1 }), fc.integer({ min: 1, max: 1_000_000 }), (k, seed) => {
        const cut = T0 + k * 15 * 60_000;
        const diff = firstDifference(base, timeline(perturbAfter(market, cut, seed)), cut);
        if (diff) throw new Error(`cut=${cut}: ${diff}`);
      }),
      { numRuns: 60, seed: 20240311 },
    );
  });

  it('the rule check is not vacuous: every dimension warms up and changes value in the fixture', () => {
    const tl = timeline(market);
    for (const d of DIMENSIONS) {
      expect(tl.dimensions[d].status, d).toBe('ok');
      expect(new Set(tl.codes[d]).size, d).toBeGreaterThan(1);
    }
  });

  it('the rule check can fail: perturbing a bar that closed exactly at t changes the snapshot at t', () => {
    const base = timeline(market);
    // SPY day 40 closes at 21:00; the cut sits exactly at that close, so the bar is known at the cut.
    const cut = T0 + 40 * DAY + 21 * 3600_000;
    const spy = market.get('SPY:1d')!;
    const changed = perturbAfter(market, cut - 1, 9); // "after cut − 1" includes the bar closing at cut
    expect(changed.get('SPY:1d')!.table.columns['close']).not.toEqual(spy.table.columns['close']);
    const diff = firstDifference(base, timeline(changed), cut);
    expect(diff).toBeDefined();
    expect(diff).toMatch(/^(t=\d+: |bar \d+ \w+$)/);
  });

  it('HMM forward filter with fixed parameters: rows ≤ t are bit-identical when rows after t change', () => {
    const n = 400;
    const { x } = simulateHmm(FOUR_STATE, n, 3);
    const base = forwardFilter(x, n, FOUR_STATE).alpha;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: n - 2 }), fc.integer({ min: 1, max: 1_000_000 }), (t, seed) => {
        const y = x.slice();
        let s = seed;
        for (let i = (t + 1) * 2; i < y.length; i++) {
          s = (s * 1103515245 + 12345) % 2147483648;
          y[i] = y[i]! + (s / 2147483648 - 0.5);
        }
        const a = forwardFilter(y, n, FOUR_STATE).alpha;
        for (let i = 0; i < (t + 1) * 4; i++) if (!Object.is(a[i], base[i])) throw new Error(`t=${t}: alpha[${i}] changed`);
        // and the future did change: the check is live
        let changed = false;
        for (let i = (t + 1) * 4; i < n * 4; i++) if (a[i] !== base[i]) changed = true;
        if (!changed) throw new Error('perturbation did not reach the rows after t');
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  const hmmCfg = (fit: 'expanding' | 'full') =>
    regimeSection.parse({
      hmm: { fit_window: fit, min_train_days: 40, refit_every_days: 15, max_iterations: 15, restarts: 1, screen_iterations: 3, stickiness: 10 },
    }).hmm;
  const hmmLookup = (m: typeof market, fit: 'expanding' | 'full') => {
    const c = hmmCfg(fit);
    return runHmm(hmmObservations(dailySeries(m.get('BTCUSDT:15m')!), c), c, { seed: 1 });
  };

  it("HMM walk-forward ('expanding'): filtered probabilities known at or before t are unchanged", () => {
    const base = hmmLookup(market, 'expanding');
    expect(base.fits.length).toBeGreaterThan(2);
    fc.assert(
      fc.property(fc.integer({ min: 35, max: DAYS - 1 }), fc.integer({ min: 1, max: 1_000_000 }), (day, seed) => {
        const cut = T0 + day * DAY + 6 * 3600_000; // mid-morning: the day's bars are partly closed
        const after = hmmLookup(perturbAfter(market, cut, seed), 'expanding');
        for (let i = 0; i < base.obs.n && base.obs.knownAt[i]! <= cut; i++) {
          const t = base.obs.knownAt[i]!;
          if (JSON.stringify(base.lookup(t)) !== JSON.stringify(after.lookup(t))) throw new Error(`cut day ${day}: row ${i} changed`);
        }
        if (JSON.stringify(base.lookup(cut)) !== JSON.stringify(after.lookup(cut))) throw new Error('lookup(cut) changed');
      }),
      { numRuns: 12, seed: 99 },
    );
  });

  it("the HMM check can fail: with fit_window 'full' the parameters see the future, and earlier probabilities move", () => {
    const cut = T0 + 60 * DAY;
    const base = hmmLookup(market, 'full');
    const after = hmmLookup(perturbAfter(market, cut, 4), 'full');
    let moved = false;
    for (let i = 0; i < base.obs.n && base.obs.knownAt[i]! <= cut; i++) {
      if (JSON.stringify(base.lookup(base.obs.knownAt[i]!)) !== JSON.stringify(after.lookup(base.obs.knownAt[i]!))) moved = true;
    }
    expect(moved).toBe(true);
    expect(base.inSample).toBe(true);
    expect(base.lookup(cut)?.inSample).toBe(true);
  });
});
