/**
 * Performance split by regime (seed 003 §9.3 "regime alignment metrics", e.g. BULL vs BEAR): each
 * return is assigned to the regime known at the START of its period (the regime a decision at the
 * previous observation could see), then per regime value: periods, share of time, compounded
 * return, annualised return and volatility, and Sharpe over those periods. The returns are those
 * the metrics read (bar returns on a regular daily clock, daily returns at UTC day closes
 * otherwise; see metrics/annualisation.ts), annualised the same way. Where a dimension's inputs do
 * not cover a period (regime/coverage.ts) its value is "no data", not the neutral default.
 */
import type { Cell } from '../core/result.js';
import type { RegimeLookup, RegimeSnapshot } from '../regime/types.js';
import { NO_DATA } from '../regime/coverage.js';

export type RegimeDimensionName = Exclude<keyof RegimeSnapshot, 'noData'>;

export interface RegimeSplitRow {
  readonly dimension: RegimeDimensionName;
  /** The regime value, or "no data" where the dimension's inputs do not cover the period. */
  readonly value: string;
  readonly bars: number;
  /** Share of all return bars. */
  readonly share: number;
  /** Π(1 + r) − 1 over the regime's bars. */
  readonly totalReturn: number;
  /** (1 + totalReturn)^(P / bars) − 1; NaN for no bars. */
  readonly annualReturn: number;
  readonly annualVol: number;
  readonly sharpe: number;
}

/**
 * @param ts observation times of the NAV the returns come from, length n
 * @param returns returns, length n − 1: returns[i] runs from ts[i] to ts[i+1]
 * @param lookup point-in-time regime lookup; the regime of returns[i] is lookup(ts[i])
 * @param periodsPerYear return observations per year (the metrics' annualisation basis)
 */
export function regimeSplit(
  ts: Float64Array,
  returns: Float64Array,
  lookup: RegimeLookup,
  periodsPerYear: number,
  dimensions: readonly RegimeDimensionName[] = ['equity', 'vol', 'crypto', 'macro'],
): RegimeSplitRow[] {
  const n = returns.length;
  type Acc = { dim: RegimeDimensionName; value: string; k: number; logG: number; s: number; s2: number };
  const acc = new Map<string, Acc>();
  // Lookups return interned snapshot objects that change rarely: resolve the accumulators only when
  // the snapshot object changes (a different object with equal values resolves to the same ones).
  let lastSnap: RegimeSnapshot | null = null;
  let cur: Acc[] = [];
  for (let i = 0; i < n; i++) {
    const snap = lookup(ts[i]!);
    if (snap !== lastSnap) {
      lastSnap = snap;
      const noData = snap.noData;
      cur = dimensions.map((dim) => {
        const value = noData !== undefined && noData.includes(dim) ? NO_DATA : snap[dim];
        const key = `${dim}\u0000${value}`;
        let a = acc.get(key);
        if (!a) acc.set(key, (a = { dim, value, k: 0, logG: 0, s: 0, s2: 0 }));
        return a;
      });
    }
    const r = returns[i]!;
    const lg = Math.log1p(r);
    const r2 = r * r;
    for (let d = 0; d < cur.length; d++) {
      const a = cur[d]!;
      a.k++;
      a.logG += lg;
      a.s += r;
      a.s2 += r2;
    }
  }
  const rows: RegimeSplitRow[] = [];
  for (const a of acc.values()) {
    const mean = a.s / a.k;
    const variance = a.k > 1 ? Math.max(0, (a.s2 - a.k * mean * mean) / (a.k - 1)) : NaN;
    const sd = Math.sqrt(variance);
    rows.push({
      dimension: a.dim,
      value: a.value,
      bars: a.k,
      share: n > 0 ? a.k / n : NaN,
      totalReturn: Math.expm1(a.logG),
      annualReturn: Math.expm1((a.logG * periodsPerYear) / a.k),
      annualVol: sd * Math.sqrt(periodsPerYear),
      sharpe: sd > 0 ? (mean / sd) * Math.sqrt(periodsPerYear) : NaN,
    });
  }
  const dimOrder = (d: RegimeDimensionName) => dimensions.indexOf(d);
  rows.sort((x, y) => dimOrder(x.dimension) - dimOrder(y.dimension) || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
  return rows;
}

const pct = (v: number, digits = 2): Cell => (Number.isFinite(v) ? Number((v * 100).toFixed(digits)) : null);
const num = (v: number, digits = 2): Cell => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export const REGIME_SPLIT_COLUMNS = ['dimension', 'regime', 'bars', 'time %', 'return %', 'ann. return %', 'ann. vol %', 'Sharpe'] as const;

export const regimeSplitRows = (rows: readonly RegimeSplitRow[]): Cell[][] =>
  rows.map((r) => [r.dimension, r.value, r.bars, pct(r.share, 1), pct(r.totalReturn), pct(r.annualReturn), pct(r.annualVol), num(r.sharpe)]);

/**
 * What each configured regime budget could act on: for every budget key, the share of the run its
 * dimension had data (from the split's "no data" rows), e.g. "equity_bear (equity: no data for 100 %
 * of the run, base budgets)". Keys whose dimension had data throughout are named plainly.
 */
export function regimeBudgetNotes(keys: readonly string[], split: readonly RegimeSplitRow[]): string[] {
  return [...keys].sort().map((key) => {
    const dim = key.slice(0, key.indexOf('_')) as RegimeDimensionName;
    const missing = split.find((r) => r.dimension === dim && r.value === NO_DATA);
    if (!missing) return key;
    const share = missing.share;
    return share >= 1
      ? `${key} (${dim}: no data for the whole run, base budgets)`
      : `${key} (${dim}: no data for ${(share * 100).toFixed(1)} % of the run, base budgets there)`;
  });
}
