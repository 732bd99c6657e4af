/**
 * The rule-regime timeline: the union of the times at which any dimension's value becomes known,
 * with every dimension carried forward as of each time (neutral before its warm-up, and throughout
 * when its input is missing), and a point-in-time lookup over it.
 */
import { InvariantError } from '../core/errors.js';
import { DIMENSIONS, LEVELS, NEUTRAL_CODES, type RegimeDimension } from './codes.js';
import { coverageOf, NO_COVERAGE, STALE_AFTER_MS, type Coverage } from './coverage.js';
import type { DimensionSeries } from './rules/series.js';
import { lastAtOrBefore } from '../core/sorted.js';
import { NEUTRAL_SNAPSHOT, type RegimeLookup, type RegimeSnapshot } from './types.js';

export type DimensionStatus = 'ok' | 'missing';

export interface DimensionInfo {
  readonly status: DimensionStatus;
  readonly sources: readonly string[];
  readonly method: string;
  /** First time a warmed-up value is known (null: never within the data). */
  readonly firstKnown: number | null;
  /** Why a dimension is missing, e.g. "no dataset or symbol 'SPY'". */
  readonly note?: string;
}

export interface RegimeTimeline {
  /** Times (epoch ms) at which each snapshot becomes known, strictly increasing. */
  readonly ts: Float64Array;
  /** Codes per dimension (index into LEVELS[dimension]); neutral before warm-up or when missing. */
  readonly codes: { readonly [D in RegimeDimension]: Int8Array };
  readonly dimensions: { readonly [D in RegimeDimension]: DimensionInfo };
  /** When each dimension's value comes from data (coverage.ts); empty for a missing input. */
  readonly coverage: { readonly [D in RegimeDimension]: Coverage };
  /** Snapshot known at time t (NEUTRAL_SNAPSHOT before the first row). */
  readonly lookup: RegimeLookup;
}

function checkSorted(name: string, t: Float64Array): void {
  for (let i = 1; i < t.length; i++) {
    if (!(t[i]! >= t[i - 1]!)) throw new InvariantError(`regime ${name}: knownAt not sorted at row ${i}`);
  }
}

export function mergeTimeline(
  series: { readonly [D in RegimeDimension]?: DimensionSeries },
  notes: { readonly [D in RegimeDimension]?: string } = {},
): RegimeTimeline {
  const all: number[] = [];
  for (const d of DIMENSIONS) {
    const s = series[d];
    if (!s) continue;
    checkSorted(d, s.knownAt);
    for (let i = 0; i < s.knownAt.length; i++) all.push(s.knownAt[i]!);
  }
  all.sort((a, b) => a - b);
  const times: number[] = [];
  for (const t of all) if (times.length === 0 || t !== times[times.length - 1]) times.push(t);
  const ts = Float64Array.from(times);
  const n = ts.length;
  const codes = {} as { [D in RegimeDimension]: Int8Array };
  const dimensions = {} as { [D in RegimeDimension]: DimensionInfo };
  const coverage = {} as { [D in RegimeDimension]: Coverage };
  for (const d of DIMENSIONS) {
    const out = new Int8Array(n).fill(NEUTRAL_CODES[d]);
    const s = series[d];
    let firstKnown: number | null = null;
    if (s) {
      let j = -1;
      const m = s.knownAt.length;
      for (let i = 0; i < n; i++) {
        while (j + 1 < m && s.knownAt[j + 1]! <= ts[i]!) j++;
        const c = j >= 0 ? s.code[j]! : NaN;
        if (Number.isFinite(c)) {
          out[i] = c;
          if (firstKnown === null) firstKnown = ts[i]!;
        }
      }
    }
    codes[d] = out;
    coverage[d] = s ? coverageOf(s, STALE_AFTER_MS[d]) : NO_COVERAGE;
    const note = notes[d];
    dimensions[d] = s
      ? { status: 'ok', sources: s.sources, method: s.method, firstKnown, ...(note ? { note } : {}) }
      : { status: 'missing', sources: [], method: 'neutral (input missing)', firstKnown: null, ...(note ? { note } : {}) };
  }
  // One frozen snapshot object per code combination, so lookups never allocate.
  const cache = new Map<number, RegimeSnapshot>();
  const snapshotAt = (i: number): RegimeSnapshot => {
    const key = codes.equity[i]! * 27 + codes.vol[i]! * 9 + codes.crypto[i]! * 3 + codes.macro[i]!;
    let snap = cache.get(key);
    if (!snap) {
      snap = Object.freeze({
        equity: LEVELS.equity[codes.equity[i]!]!,
        vol: LEVELS.vol[codes.vol[i]!]!,
        crypto: LEVELS.crypto[codes.crypto[i]!]!,
        macro: LEVELS.macro[codes.macro[i]!]!,
      });
      cache.set(key, snap);
    }
    return snap;
  };
  const lookup: RegimeLookup = (t: number) => {
    const i = lastAtOrBefore(ts, t);
    return i < 0 ? NEUTRAL_SNAPSHOT : snapshotAt(i);
  };
  return { ts, codes, dimensions, coverage, lookup };
}

/**
 * Regime codes on a bar clock: bar k (opening at `barOpenTs[k]`) sees the snapshot known at its open
 * (the same rule as features/align's alignAsOf), so it is fixed before the bar's own values exist.
 */
export function regimeCodesOnBars(tl: RegimeTimeline, barOpenTs: Float64Array): { readonly [D in RegimeDimension]: Int8Array } {
  const n = barOpenTs.length;
  const out = {} as { [D in RegimeDimension]: Int8Array };
  for (const d of DIMENSIONS) out[d] = new Int8Array(n).fill(NEUTRAL_CODES[d]);
  let j = -1;
  for (let k = 0; k < n; k++) {
    if (k > 0 && !(barOpenTs[k]! >= barOpenTs[k - 1]!)) throw new InvariantError(`regime: bar times not sorted at row ${k}`);
    while (j + 1 < tl.ts.length && tl.ts[j + 1]! <= barOpenTs[k]!) j++;
    if (j >= 0) for (const d of DIMENSIONS) out[d][k] = tl.codes[d][j]!;
  }
  return out;
}
