import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import {
  REGIME_NAMES,
  simulateRegimeChain,
  stationaryDistribution,
  syntheticParams,
  truthOf,
  expandRuns,
  toDatasets,
} from '../../../src/data/synthetic/index.js';
import { byName, col, logReturns, market } from './fixtures.js';

const P = syntheticParams.TRANSITION;

/** Transition counts and visits of a path (visits exclude the last day, which has no successor). */
function counts(path: Uint8Array): { trans: number[][]; visits: number[]; freq: number[] } {
  const trans = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const visits = [0, 0, 0, 0];
  const occ = [0, 0, 0, 0];
  for (let d = 0; d < path.length; d++) {
    occ[path[d]!]!++;
    if (d + 1 < path.length) {
      trans[path[d]!]![path[d + 1]!]!++;
      visits[path[d]!]!++;
    }
  }
  return { trans, visits, freq: occ.map((x) => x / path.length) };
}

describe('regime chain', () => {
  it('stationary distribution: hand-worked two-state chain and π P = π for the market chain', () => {
    // π = (0.2, 0.1) / 0.3 for P = [[0.9, 0.1], [0.2, 0.8]]
    const two = stationaryDistribution([
      [0.9, 0.1],
      [0.2, 0.8],
    ]);
    expect(two[0]).toBeCloseTo(2 / 3, 12);
    expect(two[1]).toBeCloseTo(1 / 3, 12);
    const pi = stationaryDistribution(P);
    expect(pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let i = 0; i < 4; i++) s += pi[i]! * P[i]![j]!;
      expect(s).toBeCloseTo(pi[j]!, 12);
    }
    // crash is rare and short; bull is the most common state
    expect(pi[3]!).toBeLessThan(0.03);
    expect(pi[0]!).toBeGreaterThan(pi[1]!);
    expect(1 / (1 - P[3]![3]!)).toBeLessThan(10);
    expect(() => stationaryDistribution([[0.5, 0.4], [0.5, 0.5]])).toThrow(/sum/);
  });

  it('a long simulated path matches the stationary shares and the persistence of every state', () => {
    const path = simulateRegimeChain(createRng(3, 'chain-test'), 1_000_000, P);
    const pi = stationaryDistribution(P);
    const c = counts(path);
    for (let i = 0; i < 4; i++) {
      // shares within 0.02 (the path's autocorrelation leaves a few thousand effective draws)
      expect(Math.abs(c.freq[i]! - pi[i]!), REGIME_NAMES[i]).toBeLessThan(0.02);
      // every transition probability within 5 binomial standard errors
      for (let j = 0; j < 4; j++) {
        const p = P[i]![j]!;
        const phat = c.trans[i]![j]! / c.visits[i]!;
        const se = Math.sqrt((p * (1 - p)) / c.visits[i]!);
        expect(Math.abs(phat - p), `${REGIME_NAMES[i]}→${REGIME_NAMES[j]}`).toBeLessThan(5 * se + 1e-12);
      }
    }
    // mean crash spell ≈ 1 / (1 − P_crash,crash) ≈ 5.9 days
    let spells = 0;
    let days = 0;
    for (let d = 0; d < path.length; d++) {
      if (path[d] === 3) {
        days++;
        if (d === 0 || path[d - 1] !== 3) spells++;
      }
    }
    expect(days / spells).toBeGreaterThan(5.3);
    expect(days / spells).toBeLessThan(6.5);
  });

  it('empty and one-day paths', () => {
    expect(simulateRegimeChain(createRng(1, 'x'), 0, P).length).toBe(0);
    expect(simulateRegimeChain(createRng(1, 'x'), 1, P).length).toBe(1);
  });
});

describe('the market regime path (default span) and what it drives', () => {
  const m = market(42);
  const all = toDatasets(m);

  it('the daily path covers 2010-01-01 … 2021-12-31 and its persistence matches the chain', () => {
    expect(m.regimeStartMs).toBe(Date.UTC(2010, 0, 1));
    expect(m.dailyStates.length).toBe(4383);
    const c = counts(m.dailyStates);
    for (let i = 0; i < 4; i++) {
      if (c.visits[i]! < 30) continue;
      const p = P[i]![i]!;
      const phat = c.trans[i]![i]! / c.visits[i]!;
      expect(Math.abs(phat - p), REGIME_NAMES[i]).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / c.visits[i]!));
    }
    expect(c.freq[3]!).toBeLessThan(0.05);
  });

  it('volatility and drift follow the regime: crypto realised vol in crash ≫ bull, choppy the calmest', () => {
    const d = byName(all, 'BTCUSDT:15m');
    const r = logReturns(col(d, 'close'));
    const codes = expandRuns(truthOf(d)!.regimeRuns, d.table.length);
    const ss = [0, 0, 0, 0];
    const n = [0, 0, 0, 0];
    for (let i = 0; i < r.length; i++) {
      ss[codes[i + 1]!]! += r[i]! * r[i]!;
      n[codes[i + 1]!]!++;
    }
    const vol = ss.map((s, i) => Math.sqrt(s / n[i]!));
    expect(n.every((x) => x > 0)).toBe(true);
    expect(vol[3]! / vol[0]!).toBeGreaterThan(1.8);
    expect(vol[2]!).toBeLessThan(vol[0]!);
    expect(vol[1]!).toBeGreaterThan(vol[0]!);
  });

  it('macro series lean with the regime: PMI lower and the curve more often inverted in bear and crash', () => {
    const pmi = byName(all, 'MACRO:pmi');
    const pc = expandRuns(truthOf(pmi)!.regimeRuns, pmi.table.length);
    const pv = col(pmi, 'value');
    const mean = (pred: (c: number) => boolean): number => {
      let s = 0;
      let k = 0;
      for (let i = 0; i < pv.length; i++) {
        if (!pred(pc[i]!)) continue;
        s += pv[i]!;
        k++;
      }
      return s / k;
    };
    expect(mean((c) => c === 0) - mean((c) => c === 1 || c === 3)).toBeGreaterThan(3);
    expect(mean((c) => c === 0)).toBeGreaterThan(50);
    expect(mean((c) => c === 1 || c === 3)).toBeLessThan(50);

    const cs = byName(all, 'MACRO:curve_slope');
    const cc = expandRuns(truthOf(cs)!.regimeRuns, cs.table.length);
    const cv = col(cs, 'value');
    const inverted = (pred: (c: number) => boolean): number => {
      let k = 0;
      let inv = 0;
      for (let i = 0; i < cv.length; i++) {
        if (!pred(cc[i]!)) continue;
        k++;
        if (cv[i]! < 0) inv++;
      }
      return inv / k;
    };
    expect(inverted((c) => c === 1 || c === 3)).toBeGreaterThan(inverted((c) => c === 0) + 0.1);
  });
});
