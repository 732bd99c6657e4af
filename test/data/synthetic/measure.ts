/**
 * Event-study measurements written for the tests, independently of the generator: forward log
 * returns after trigger rows, adjusted for the regime's own mean forward return (the truth labels
 * say which regime a row is in), restricted to "clean" events whose window overlaps no other
 * edge's window.
 */
import type { SyntheticTruth, EdgeId } from '../../../src/data/synthetic/index.js';
import { expandRuns } from '../../../src/data/synthetic/index.js';

export interface EdgeMeasure {
  readonly n: number;
  /** Mean of sign × (forward return − regime mean), in bps. */
  readonly meanBps: number;
  readonly seBps: number;
}

/** log(close[t+H] / close[t]); NaN where t + H is past the end. */
export function forwardReturns(close: Float64Array, h: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  for (let t = 0; t + h < close.length; t++) out[t] = Math.log(close[t + h]! / close[t]!);
  return out;
}

/** Mean forward return of all rows in each regime (codes 0..3). */
export function regimeMeans(fwd: Float64Array, codes: Uint8Array): number[] {
  const sum = [0, 0, 0, 0];
  const cnt = [0, 0, 0, 0];
  for (let t = 0; t < fwd.length; t++) {
    if (Number.isNaN(fwd[t]!)) continue;
    sum[codes[t]!]! += fwd[t]!;
    cnt[codes[t]!]!++;
  }
  return sum.map((s, i) => (cnt[i]! > 0 ? s / cnt[i]! : 0));
}

/** Signed events decoded: [row, sign]. */
export const decode = (events: readonly number[]): [number, number][] => events.map((e) => [Math.abs(e) - 1, Math.sign(e)]);

/** Events of `id` whose window (row, row + H] overlaps no window of another edge. */
export function cleanEvents(truth: SyntheticTruth, id: EdgeId): number[] {
  const horizon = (e: EdgeId): number => truth.edges.find((x) => x.id === e)!.horizonBars;
  const others: [number, number][] = [];
  for (const [other, evs] of Object.entries(truth.events) as [EdgeId, number[]][]) {
    if (other === id) continue;
    const h = horizon(other);
    for (const [row] of decode(evs)) others.push([row + 1, row + h]);
  }
  others.sort((a, b) => a[0] - b[0]);
  const h = horizon(id);
  return (truth.events[id] ?? []).filter((e) => {
    const from = Math.abs(e);
    const to = Math.abs(e) - 1 + h;
    // binary search is not needed at these sizes: scan the windows that start before `to`
    let lo = 0;
    let hi = others.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (others[mid]![0] <= to) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && k >= lo - 64; k--) if (others[k]![1] >= from) return false;
    return true;
  });
}

/** One event's regime-adjusted, signed forward return and the UTC day it belongs to (the cluster). */
export interface EventObs {
  readonly x: number;
  readonly day: number;
}

export function eventObservations(
  ts: Float64Array,
  close: Float64Array,
  truth: SyntheticTruth,
  events: readonly number[],
  h: number,
): EventObs[] {
  const fwd = forwardReturns(close, h);
  const codes = expandRuns(truth.regimeRuns, close.length);
  const means = regimeMeans(fwd, codes);
  const out: EventObs[] = [];
  for (const [row, sign] of decode(events)) {
    if (Number.isNaN(fwd[row]!)) continue;
    out.push({ x: sign * (fwd[row]! - means[codes[row]!]!), day: Math.floor(ts[row]! / 86_400_000) });
  }
  return out;
}

/**
 * Mean with a standard error clustered by UTC day (events of one day — often of several assets
 * moved by the same factor shock — are not independent): se² = Σ_days (Σ_events (x − mean))² / n².
 */
export function clusteredMean(obs: readonly EventObs[]): EdgeMeasure {
  const n = obs.length;
  const mean = obs.reduce((a, o) => a + o.x, 0) / n;
  const byDay = new Map<number, number>();
  for (const o of obs) byDay.set(o.day, (byDay.get(o.day) ?? 0) + (o.x - mean));
  let ss = 0;
  for (const v of byDay.values()) ss += v * v;
  return { n, meanBps: mean * 1e4, seBps: (Math.sqrt(ss) / n) * 1e4 };
}
