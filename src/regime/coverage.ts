/**
 * Regime coverage: when a dimension's value comes from data, and when it is only the neutral
 * default. A dimension has data at time t when its input has a warmed-up value known at t, and that
 * value is fresh: it became known less than `STALE_AFTER_MS[dimension]` before t. Before the input
 * starts, during its warm-up, across a hole in it longer than that, and after it ends, the dimension
 * has no data. A backtest of ORCL 1995–2014 with the demo's 2021 BTC bars loaded has no crypto
 * regime, not a crypto regime that is RISK_OFF throughout.
 *
 * Both ends are point-in-time: coverage at t reads only values known at or before t (the staleness
 * limit is a fixed span per dimension, not one derived from the whole input).
 */
import { DAY } from '../core/time.js';
import { lastAtOrBefore } from '../core/sorted.js';
import { DIMENSIONS, NEUTRAL_CODES, type RegimeDimension } from './codes.js';
import type { DimensionSeries } from './rules/series.js';
import type { RegimeTimeline } from './timeline.js';
import { NEUTRAL_SNAPSHOT, type RegimeLookup, type RegimeSnapshot } from './types.js';

/**
 * How long a value stays fresh. Daily inputs (equity, vol, crypto): 10 days, longer than any market
 * closure of the last decades (a weekend plus holidays, 2001-09-11 to 09-17). Macro inputs (monthly
 * PMI releases, daily curve): 100 days, a quarter plus a late release.
 */
export const STALE_AFTER_MS: { readonly [D in RegimeDimension]: number } = {
  equity: 10 * DAY,
  vol: 10 * DAY,
  crypto: 10 * DAY,
  macro: 100 * DAY,
};

/** Half-open intervals [from[i], to[i]) during which a dimension has data, ascending and disjoint. */
export interface Coverage {
  readonly from: Float64Array;
  readonly to: Float64Array;
}

export const NO_COVERAGE: Coverage = { from: new Float64Array(0), to: new Float64Array(0) };

/** The value shown for a dimension without data (in the regime split and the budget notes). */
export const NO_DATA = 'no data';

/**
 * Coverage of one dimension series: each warmed-up row (finite code) covers from its knownAt to the
 * next row's knownAt or `staleAfterMs` later, whichever is first; touching spans merge.
 */
export function coverageOf(series: DimensionSeries, staleAfterMs: number): Coverage {
  const { knownAt, code } = series;
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < knownAt.length; i++) {
    if (!Number.isFinite(code[i]!)) continue;
    const start = knownAt[i]!;
    const end = Math.min(i + 1 < knownAt.length ? knownAt[i + 1]! : Infinity, start + staleAfterMs);
    if (!(end > start)) continue;
    const last = to.length - 1;
    if (last >= 0 && to[last]! >= start) to[last] = Math.max(to[last]!, end);
    else {
      from.push(start);
      to.push(end);
    }
  }
  return { from: Float64Array.from(from), to: Float64Array.from(to) };
}

/** True when `t` falls in one of the coverage intervals. */
export function covers(c: Coverage, t: number): boolean {
  const i = lastAtOrBefore(c.from, t);
  return i >= 0 && t < c.to[i]!;
}

/** Share of the times in `ts` that a coverage covers (NaN for none). */
export function coveredShare(c: Coverage, ts: Float64Array): number {
  if (ts.length === 0) return NaN;
  let k = 0;
  for (let i = 0; i < ts.length; i++) if (covers(c, ts[i]!)) k++;
  return k / ts.length;
}

const ALL_MISSING: readonly RegimeDimension[] = DIMENSIONS;

/** Before any input is known: the neutral values, and no dimension has data. */
export const NO_DATA_SNAPSHOT: RegimeSnapshot = Object.freeze({ ...NEUTRAL_SNAPSHOT, noData: ALL_MISSING });

/** The dimensions of a snapshot that have no data (none when the snapshot does not say). */
export const noDataOf = (s: RegimeSnapshot): readonly RegimeDimension[] => s.noData ?? [];

/**
 * A point-in-time lookup over the timeline that marks uncovered dimensions: its snapshot carries
 * `noData` (the dimensions without data at t) beside the neutral values the models see. Built once:
 * the breakpoints are the timeline's rows and every coverage boundary, each with its interned
 * snapshot (one per combination of the timeline's codes and the dimensions without data, told by
 * numbers: no text per breakpoint), so a lookup is one binary search and never allocates.
 */
export function coveredLookup(tl: RegimeTimeline): RegimeLookup {
  const times = breakpoints(tl);
  const interned = new Map<number, RegimeSnapshot>();
  const snapshots: RegimeSnapshot[] = new Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const base = tl.lookup(t);
    const row = lastAtOrBefore(tl.ts, t);
    let codes = 0; // the timeline's codes at t as one number (3 levels at most per dimension)
    let missing = 0; // bit k: DIMENSIONS[k] has no data at t
    for (let k = 0; k < DIMENSIONS.length; k++) {
      const d = DIMENSIONS[k]!;
      codes = codes * 3 + (row < 0 ? NEUTRAL_CODES[d] : tl.codes[d][row]!);
      if (!covers(tl.coverage[d], t)) missing |= 1 << k;
    }
    if (missing === 0) {
      snapshots[i] = base;
      continue;
    }
    const key = codes * (1 << DIMENSIONS.length) + missing;
    let snap = interned.get(key);
    if (snap === undefined) {
      const noData = DIMENSIONS.filter((_, k) => (missing & (1 << k)) !== 0);
      snap = Object.freeze({ equity: base.equity, vol: base.vol, crypto: base.crypto, macro: base.macro, noData });
      interned.set(key, snap);
    }
    snapshots[i] = snap;
  }
  return (t: number) => {
    const i = lastAtOrBefore(times, t);
    return i < 0 ? NO_DATA_SNAPSHOT : snapshots[i]!;
  };
}

/** The timeline's times and every finite coverage boundary, ascending (a time given twice has one snapshot). */
function breakpoints(tl: RegimeTimeline): Float64Array {
  let size = tl.ts.length;
  for (const d of DIMENSIONS) size += 2 * tl.coverage[d].from.length;
  const all = new Float64Array(size);
  all.set(tl.ts);
  let n = tl.ts.length;
  for (const d of DIMENSIONS) {
    const c = tl.coverage[d];
    for (let i = 0; i < c.from.length; i++) {
      all[n++] = c.from[i]!;
      if (Number.isFinite(c.to[i]!)) all[n++] = c.to[i]!;
    }
  }
  return all.subarray(0, n).sort();
}
