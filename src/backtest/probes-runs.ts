/**
 * The probe comparisons (probes.ts) on traces whose times are views of one clock array (the fast
 * path writes them so: fast-path.ts `writeTrace`) and whose keys are runs: decision i of one trace
 * is decision i − shift of the other, so the traces are compared run by run, not decision by
 * decision. Each function gives what the decision-by-decision walk in probes.ts gives on the same
 * traces (test/backtest/probes-runs.test.ts checks that on random traces).
 */
import type { KeyRuns } from './probes.js';

/** Walks a trace's keys a run at a time: after `seek(i)`, `key` holds for decisions i … end − 1. */
export class KeyCursor {
  key = '';
  end = 0;
  private run = 0;

  constructor(private readonly keys: string[] | KeyRuns) {}

  seek(i: number): void {
    const k = this.keys;
    if (Array.isArray(k)) {
      const key = k[i]!;
      let end = i + 1;
      while (end < k.length && k[end] === key) end++;
      this.key = key;
      this.end = end;
      return;
    }
    const runs = k as KeyRuns;
    if (this.run > 0 && i < runs.end(this.run - 1)) this.run = 0;
    const last = runs.count - 1;
    let r = this.run;
    if (r < last && runs.end(r) <= i) {
      // the first run from r + 1 on ending after i (ends ascend): the next run for a walk that reads
      // every run, else galloping then bisection (a seek far ahead, past runs known to agree)
      let lo = r + 1;
      let step = 1;
      while (lo < last && runs.end(lo) <= i) {
        const ahead = Math.min(last, lo + step);
        if (runs.end(ahead) <= i) {
          lo = ahead + 1;
          step *= 2;
        } else {
          let hi = ahead;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (runs.end(mid) <= i) lo = mid + 1;
            else hi = mid;
          }
          break;
        }
      }
      r = Math.min(lo, last);
    }
    this.run = r;
    this.key = runs.key(r);
    this.end = runs.end(r);
  }
}

/**
 * The decision of `a` from which `a` and `b` (b's decision j is a's j + shift) are known to agree
 * (`KeyRuns.agreeFrom`), or null.
 */
function agreeFrom(a: string[] | KeyRuns, b: string[] | KeyRuns, shift: number): number | null {
  if (Array.isArray(a) || Array.isArray(b)) return null;
  const ka = a as KeyRuns;
  return ka.agreeFrom !== undefined ? ka.agreeFrom(b as KeyRuns, shift) : null;
}

/**
 * `shift` such that b[j] is a[j + shift] for every j both hold: when both are views of one
 * Float64Array buffer (the clock's close times, as the fast path writes them), or when both are
 * strictly ascending Float64Arrays whose times are equal wherever they overlap (the times the probe
 * runs record, probes.ts TraceRecorder: each run's own array of the same clock's closes); else null.
 */
export function alignment(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array)) return null;
  if (a.buffer === b.buffer) return (b.byteOffset - a.byteOffset) / Float64Array.BYTES_PER_ELEMENT;
  return sameTimes(a, b);
}

/** `alignment` of two arrays in different buffers: the shift at which their times agree, checked time by time. */
function sameTimes(a: Float64Array, b: Float64Array): number | null {
  if (a.length === 0 || b.length === 0 || !strictlyAscending(a) || !strictlyAscending(b)) return null;
  let shift: number;
  if (b[0]! >= a[0]!) {
    const i = countAtOrBefore(a, b[0]!) - 1;
    if (a[i] !== b[0]) return null;
    shift = i;
  } else {
    const j = countAtOrBefore(b, a[0]!) - 1;
    if (j < 0 || b[j] !== a[0]) return null;
    shift = -j;
  }
  const hi = Math.min(b.length, a.length - shift);
  for (let j = Math.max(0, -shift); j < hi; j++) if (b[j] !== a[j + shift]) return null;
  return shift;
}

function strictlyAscending(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (!(x[i]! > x[i - 1]!)) return false;
  return true;
}

/** Decisions at or before `cut` in ascending times. */
function countAtOrBefore(t: ArrayLike<number>, cut: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= cut) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Difference {
  readonly t: number;
  readonly full: string;
  readonly truncated: string;
}

/**
 * The look-ahead comparison of one model up to `cut` for traces on the same clock from the same
 * first decision (shift 0): the decisions compared and the first difference, if any.
 */
export function lookAheadOnRuns(
  full: { t: ArrayLike<number>; k: string[] | KeyRuns },
  truncated: { t: ArrayLike<number>; k: string[] | KeyRuns },
  cut: number,
): { compared: number; difference: Difference | null } {
  const n = countAtOrBefore(full.t, cut);
  const m = countAtOrBefore(truncated.t, cut);
  const both = Math.min(n, m);
  const a = new KeyCursor(full.k);
  const b = new KeyCursor(truncated.k);
  // decisions from `agree` on are known equal (the same signal's windows): compared, not read
  const agree = agreeFrom(full.k, truncated.k, 0);
  const read = agree === null ? both : Math.min(both, Math.max(0, agree));
  for (let i = 0; i < read; ) {
    a.seek(i);
    b.seek(i);
    if (a.key !== b.key) return { compared: i + 1, difference: { t: full.t[i]!, full: a.key, truncated: b.key } };
    i = Math.min(a.end, b.end);
  }
  if (n === m) return { compared: n, difference: null };
  if (n > m) {
    a.seek(both);
    return { compared: both + 1, difference: { t: full.t[both]!, full: a.key, truncated: '(no decision)' } };
  }
  b.seek(both);
  return { compared: both + 1, difference: { t: truncated.t[both]!, full: '(no decision)', truncated: b.key } };
}

export interface WarmupTally {
  readonly shared: number;
  readonly settled: boolean;
  readonly settle: number;
  readonly after: number;
  readonly firstDifference?: number;
}

/**
 * The warm-up comparison of one model where `other`'s decision j is `base`'s decision j + shift:
 * on the shared decisions, how many differ before the first agreement and how many after it.
 */
export function warmupOnRuns(
  base: { t: ArrayLike<number>; k: string[] | KeyRuns },
  other: { t: ArrayLike<number>; k: string[] | KeyRuns },
  shift: number,
): WarmupTally {
  const lo = Math.max(0, shift);
  const hi = Math.min(base.t.length, other.t.length + shift);
  if (hi <= lo) return { shared: 0, settled: false, settle: 0, after: 0 };
  const a = new KeyCursor(base.k);
  const b = new KeyCursor(other.k);
  let settled = false;
  let settle = 0;
  let after = 0;
  let firstDifference: number | undefined;
  // decisions from `agree` on are known equal (the same signal's windows): read up to there only
  const agree = agreeFrom(base.k, other.k, shift);
  const read = agree === null ? hi : Math.min(hi, Math.max(lo, agree));
  for (let i = lo; i < read; ) {
    a.seek(i);
    b.seek(i - shift);
    const end = Math.min(a.end, b.end + shift, read);
    if (a.key === b.key) settled = true;
    else if (!settled) settle += end - i;
    else {
      after += end - i;
      firstDifference ??= base.t[i]!;
    }
    i = end;
  }
  if (read < hi) settled = true; // the rest agree
  return { shared: hi - lo, settled, settle, after, ...(firstDifference !== undefined ? { firstDifference } : {}) };
}
