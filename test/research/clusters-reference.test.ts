/**
 * The cluster adjustment's statistics against values worked by hand or published:
 * Benjamini–Yekutieli's c(m) = Σ 1/i, BY on the Benjamini–Hochberg (1995) example, Simes' test,
 * and the cluster-adjusted q of src/research/clusters.ts on a small ledger worked out below.
 */
import { describe, expect, it } from 'vitest';
import { benjaminiYekutieli, byFactor, simes } from '../../src/research/stats/index.js';
import { clusteredQ, splitKey, type LedgerEntry } from '../../src/research/clusters.js';

describe('Benjamini–Yekutieli', () => {
  it('c(m) = Σ_{i ≤ m} 1/i: 1, 3/2, 11/6, 25/12 and c(10) = 7381/2520', () => {
    expect(byFactor(1)).toBe(1);
    expect(byFactor(2)).toBeCloseTo(1.5, 15);
    expect(byFactor(3)).toBeCloseTo(11 / 6, 15);
    expect(byFactor(4)).toBeCloseTo(25 / 12, 15);
    expect(byFactor(10)).toBeCloseTo(7381 / 2520, 14); // 2.928968…
  });

  it('the BH 1995 example under BY: thresholds k·0.05/(15·c(15)) reject three, not four', () => {
    const P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];
    const c15 = 1195757 / 360360; // Σ_{i ≤ 15} 1/i = 3.318229…
    // by hand: k·0.05/(15 c15) = k · 0.0010045: .0001 ≤ .0010, .0004 ≤ .0020, .0019 ≤ .0030, .0095 > .0040
    const q = benjaminiYekutieli(P);
    expect([...q].filter((x) => x <= 0.05)).toHaveLength(3);
    // q_(1) = c15 · 15 · .0001 / 1 (BH q .0015, no smaller ratio after it)
    expect(q[0]).toBeCloseTo(c15 * 0.0015, 12);
    expect(q[3]).toBeCloseTo(c15 * 0.035625, 12);
    expect(q[14]).toBe(1);
  });
});

describe('Simes', () => {
  it('min_i k p_(i)/i: (.02, .03, .04) → .04 where Bonferroni gives .06; (.01, .02, .03, .5) → .04', () => {
    expect(simes([0.03, 0.02, 0.04])).toBeCloseTo(0.04, 15);
    expect(simes([0.5, 0.01, 0.02, 0.03])).toBeCloseTo(0.04, 15);
    expect(simes([0.9])).toBeCloseTo(0.9, 15);
  });
});

describe('cluster-adjusted q (hand-worked ledger)', () => {
  // cluster A (run D1, family f on g[X]): pairs (all, h1) p .001 / .999 and (all, h4) p .02 / .98;
  // cluster B (run D1, family b): one pair p .3 / .7
  const A = (cond: string, action: string, h: number, p: number): LedgerEntry => ({ run: 'D1', key: `f{"z":2}|g[X:15m,Y:15m]|${cond}|${action}|h${h}`, p });
  const B = (run: string, action: string, p: number): LedgerEntry => ({ run, key: `b{}|g[X:15m,Y:15m]|all|${action}|h1`, p });
  const ledger = [A('all', 'with', 1, 0.001), A('all', 'against', 1, 0.999), A('all', 'with', 4, 0.02), A('all', 'against', 4, 0.98), B('D1', 'with', 0.3), B('D1', 'against', 0.7)];

  it('splits a hypothesis key into its cluster and the rest', () => {
    expect(splitKey(ledger[0]!.key)).toEqual({ cluster: 'f{"z":2}|g[X:15m,Y:15m]', condition: 'all', action: 'with', horizon: 'h1' });
  });

  it('within: two-sided p .002, .04 → BH .004, .04; Simes p_A = .004, p_B = .6; BY over M = 2 (c = 1.5)', () => {
    const r = clusteredQ(ledger);
    expect(r.clusters).toBe(2);
    expect(r.factor).toBeCloseTo(1.5, 15);
    expect([...r.withinQ].map((x) => Number(x.toFixed(10)))).toEqual([0.004, 1, 0.04, 1, 0.6, 1]);
    expect(r.clusterP[0]).toBeCloseTo(0.004, 12);
    expect(r.clusterP[4]).toBeCloseTo(0.6, 12);
    expect([...r.clusterRank]).toEqual([1, 1, 1, 1, 2, 2]);
    expect([...r.clusterSize]).toEqual([4, 4, 4, 4, 2, 2]);
    // q_h = min(1, c M min_j max(p_c(j), v) / j), sorted cluster p's (.004, .6):
    // A h1 with, v = .004: min(.004/1, .6/2) = .004 → 3 × .004 = .012 (cluster A's BY q)
    expect(r.q[0]).toBeCloseTo(0.012, 12);
    // A h4 with, v = .04: min(.04, .3) → .12
    expect(r.q[2]).toBeCloseTo(0.12, 12);
    // B with, v = .6: min(.6, .3) → .9; the against sides (v = 1): min(1, 3 × .5) = 1
    expect(r.q[4]).toBeCloseTo(0.9, 12);
    expect(r.q[1]).toBe(1);
    expect(r.q[5]).toBe(1);
  });

  it('the definition: h is selected at α iff BY over clusters selects R ≥ 1 and its within q ≤ α R / (M c(M))', () => {
    const r = clusteredQ(ledger);
    const selected = (alpha: number, i: number): boolean => {
      const ps = [0.004, 0.6];
      const cut = (j: number): number => (j * alpha) / (2 * 1.5);
      let R = 0;
      for (let j = 2; j >= 1; j--) if (ps[j - 1]! <= cut(j)) { R = j; break; }
      return R > 0 && r.withinQ[i]! <= cut(R);
    };
    for (const i of [0, 2, 4]) {
      expect(selected(r.q[i]! * (1 + 1e-9), i)).toBe(true);
      expect(selected(r.q[i]! * (1 - 1e-6), i)).toBe(false);
    }
  });

  it('a cluster tested again in a later run keeps its p only at its latest entry; M counts both', () => {
    const r = clusteredQ([...ledger, B('D2', 'with', 0.3), B('D2', 'against', 0.7)]);
    expect(r.clusters).toBe(3);
    expect(r.clusterP[4]).toBe(1); // D1's B superseded
    expect(r.clusterP[6]).toBeCloseTo(0.6, 12);
    // c(3) = 11/6, sorted (.004, .6, 1): A h1 with: 11/6 · 3 · min(.004, .6/2, 1/3) = 5.5 × .004
    expect(r.q[0]).toBeCloseTo(5.5 * 0.004, 12);
  });
});
