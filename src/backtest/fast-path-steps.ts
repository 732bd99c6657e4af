/**
 * Everything the `backtest` report reads from a fast-path result's per-step series, in one pass
 * over its steps (docs/backtest-engine.md "Speed"): the steps held (gross > 0, the exposure
 * metric), the NAV's sum (turnover) and maximum drawdown (metrics/max-drawdown.ts), the last gross
 * and drawdown (the risk status), and the equity and drawdown charts (report-series.ts
 * `downsampleMinMax`, `downsampleMaxOf`). Each figure was a pass of its own over 1M steps (seven in
 * all, some replaying the cash/position log into buffers); here the NAV is read once, the close
 * only while a position is held, and the derived series are never written.
 *
 * Every figure is the one its own function gives, operation for operation: the drawdown from the
 * running peak of the NAV and of the NAV marked before a same-close fill, starting at the initial
 * capital (fast-path-result.ts `replaySteps`); the gross as |q · close| / NAV; the metric's drawdown
 * from the peak of the NAV alone; the charts' buckets with the same boundaries and the same first
 * extreme. test/backtest/fast-path-steps.test.ts checks each against its function.
 */
import type { Downsampled } from './report-series.js';
import { fastRunOf } from './fast-path-result.js';
import type { BacktestResult } from './types.js';

export interface StepSummary {
  /** Steps with gross exposure > 0. */
  readonly held: number;
  /** The NAV summed in step order (metrics/turnover.ts `turnoverOfSum`). */
  readonly navSum: number;
  /** `maxDrawdown(nav)`. */
  readonly maxDrawdown: number;
  readonly lastGross: number;
  readonly lastDrawdown: number;
  /** `downsampleMinMax(ts, nav, maxPoints)`. */
  readonly equityChart: Downsampled;
  /** `downsampleMax(ts, drawdown, maxPoints)`. */
  readonly drawdownChart: Downsampled;
}

const summaries = new WeakMap<BacktestResult, Map<number, StepSummary>>();

/**
 * The step summary of a fast-path result with more steps than `maxPoints` (≥ 3), remembered per
 * result and `maxPoints`; null for any other result (then read its series).
 */
export function fastStepSummary(result: BacktestResult, maxPoints = 400): StepSummary | null {
  const known = summaries.get(result)?.get(maxPoints);
  if (known !== undefined) return known;
  const source = fastRunOf(result);
  const steps = result.nav.length;
  if (source === null || !(maxPoints >= 3) || steps <= maxPoints) return null;
  const { run, initialCapital, events } = source;
  const eq = new Buckets(steps, Math.max(1, Math.floor((maxPoints - 2) / 2)));
  const dd = new Buckets(steps, maxPoints - 2);
  const pass = stepPass(run.nav, run.close, run.kStart, initialCapital, events.step, events.q, events.navPre, eq, dd);
  const ts = result.ts;
  const nav = run.nav;
  const eqIdx = eq.indices;
  const summary: StepSummary = {
    held: pass.held,
    navSum: pass.navSum,
    maxDrawdown: pass.maxDrawdown,
    lastGross: pass.lastGross,
    lastDrawdown: pass.lastDrawdown,
    equityChart: { x: eqIdx.map((i) => ts[i]!), y: eqIdx.map((i) => cell(nav[i]!)) },
    drawdownChart: { x: dd.indices.map((i) => ts[i]!), y: dd.values.map(cell) },
  };
  let byPoints = summaries.get(result);
  if (byPoints === undefined) summaries.set(result, (byPoints = new Map()));
  byPoints.set(maxPoints, summary);
  return summary;
}

const cell = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** 2^−1000: a quotient a / v with a ≥ v · TINY > 0 is far above the smallest double. */
const TINY = 2 ** -1000;

/**
 * One chart's buckets: `count` equal slices [lo, hi) of the steps 1 … n − 2 (report-series.ts
 * `downsampleBuckets`, the same arithmetic), walked in order; the chart's points (step 0, the picks,
 * step n − 1) collect in `indices` (and `values`, for the drawdown chart).
 */
class Buckets {
  readonly indices: number[] = [0];
  readonly values: number[] = [NaN];
  private b = -1;
  lo = 0;
  hi = 0;
  private readonly size: number;

  constructor(
    private readonly n: number,
    private readonly count: number,
  ) {
    this.size = (n - 2) / count;
    this.next();
  }

  /** Move to the next nonempty bucket (lo = hi = n when there is none). */
  next(): void {
    do {
      this.b++;
      if (this.b >= this.count) {
        this.lo = this.n;
        this.hi = this.n;
        return;
      }
      this.lo = 1 + Math.floor(this.b * this.size);
      this.hi = Math.min(this.n - 1, 1 + Math.floor((this.b + 1) * this.size));
    } while (this.hi <= this.lo);
  }
}

interface PassFigures {
  held: number;
  navSum: number;
  maxDrawdown: number;
  lastGross: number;
  lastDrawdown: number;
}

/**
 * The pass's running state, in one typed array: the hot loop (`between`) is a function called once
 * per stretch between events and bucket edges (~40 000 calls in a 1M-bar 10/30 run), so V8 compiles
 * it as a whole function within the first run, and no double lives in a loop variable of a loop
 * that V8 may compile on stack replacement (OSR). An OSR-compiled loop that carries doubles in
 * variables can box them: the former single-function pass made ~2 heap numbers a step in its OSR
 * code (33 MB of garbage per 1M-step pass, and ~2× its time).
 */
const enum PassSlot {
  NavSum = 0,
  MetricPeak,
  Worst,
  WorstFrom,
  Peak,
  DdFrom,
  VMin,
  VMax,
  DVal,
  IMin,
  IMax,
  DMax,
  Held,
  SawNaN,
  Q,
  DdFirst,
  DdLast,
  GrossLast,
  Size,
}

/**
 * The pass over the steps. Events at step r set the cash and position from r on and move the
 * drawdown's peak by the NAV marked before them; then step r's NAV feeds each figure.
 */
function stepPass(
  nav: Float64Array, close: Float64Array, kStart: number, initialCapital: number,
  evStep: Float64Array, evQ: Float64Array, evNavPre: Float64Array, eq: Buckets, dd: Buckets,
): PassFigures {
  const n = nav.length;
  const ne = evStep.length;
  const st = new Float64Array(PassSlot.Size);
  let e = 0;
  st[PassSlot.Q] = 0;
  st[PassSlot.Peak] = initialCapital; // the drawdown series' peak
  const first = nav[0]!;
  st[PassSlot.MetricPeak] = first; // maxDrawdown's peak: the NAV alone
  st[PassSlot.Worst] = 0;
  // The drawdown 1 − v / peak never rises with v at one peak (a rounded division and subtraction
  // are monotonic): a step whose NAV is at least one already computed at the same peak cannot beat
  // that one's drawdown, and is skipped without the division. `WorstFrom`: the least such NAV for
  // the metric since its peak last moved; `DdFrom`: the same for the chart's bucket.
  st[PassSlot.WorstFrom] = Infinity;
  st[PassSlot.DdFrom] = Infinity;
  st[PassSlot.SawNaN] = 0;
  st[PassSlot.NavSum] = 0;
  st[PassSlot.Held] = 0;
  // the equity chart's bucket: first minimum and first maximum; the drawdown chart's: first maximum
  st[PassSlot.IMin] = -1;
  st[PassSlot.VMin] = NaN;
  st[PassSlot.IMax] = -1;
  st[PassSlot.VMax] = NaN;
  st[PassSlot.DMax] = -1;
  st[PassSlot.DVal] = NaN;
  st[PassSlot.DdFirst] = NaN;
  st[PassSlot.DdLast] = NaN;
  st[PassSlot.GrossLast] = NaN;
  let r = 0;
  while (r < n) {
    // (step numbers as small integers: a double here would be boxed to pass `stop` to `between`)
    const nextEvent = e < ne ? evStep[e]! | 0 : n;
    // Steps strictly inside both charts' buckets, before the next event and the last step: the
    // step below with its event, bucket-edge and end branches known not to apply, in a function of
    // its own (the same operations in the same order on each step).
    const stop = Math.min(nextEvent, eq.hi - 1, dd.hi - 1, n - 1);
    if (r > eq.lo && r > dd.lo && r < stop) {
      between(nav, close, kStart, r, stop, st);
      r = stop;
      continue;
    }
    if (r === nextEvent) {
      do {
        st[PassSlot.Q] = evQ[e]!;
        const pre = evNavPre[e]!;
        if (pre > st[PassSlot.Peak]!) {
          st[PassSlot.Peak] = pre;
          st[PassSlot.DdFrom] = Infinity;
        }
        e++;
      } while (e < ne && evStep[e] === r);
    }
    const v = nav[r]!;
    const q = st[PassSlot.Q]!;
    st[PassSlot.NavSum] += v;
    // metrics/max-drawdown.ts
    if (v > st[PassSlot.MetricPeak]!) {
      st[PassSlot.MetricPeak] = v;
      st[PassSlot.WorstFrom] = Infinity;
    }
    if (!(v >= st[PassSlot.WorstFrom]!)) {
      if (v !== v) st[PassSlot.SawNaN] = 1;
      else {
        const m = 1 - v / st[PassSlot.MetricPeak]!;
        if (m > st[PassSlot.Worst]!) st[PassSlot.Worst] = m;
        if (v < st[PassSlot.WorstFrom]!) st[PassSlot.WorstFrom] = v;
      }
    }
    // the drawdown series (replaySteps)
    if (v > st[PassSlot.Peak]!) {
      st[PassSlot.Peak] = v;
      st[PassSlot.DdFrom] = Infinity;
    }
    const peak = st[PassSlot.Peak]!;
    // the gross exposure > 0 (replaySteps' gross, |q · close| / v; exposure counts it): for a > 0
    // and a finite v, a ≥ v · 2^−1000 makes the quotient positive (v ≥ 1: exactly scaled; v < 1:
    // a / v ≥ a), else the division decides
    if (q !== 0 && v > 0) {
      const pos = q * close[kStart + r]!;
      const a = pos < 0 ? -pos : pos;
      if ((a > 0 && v < Infinity && a >= v * TINY) || a / v > 0) st[PassSlot.Held]++;
    }
    // the charts' buckets
    if (r >= eq.lo) {
      if (r === eq.lo) {
        st[PassSlot.IMin] = r;
        st[PassSlot.VMin] = v;
        st[PassSlot.IMax] = r;
        st[PassSlot.VMax] = v;
      } else {
        if (v < st[PassSlot.VMin]!) {
          st[PassSlot.IMin] = r;
          st[PassSlot.VMin] = v;
        }
        if (v > st[PassSlot.VMax]!) {
          st[PassSlot.IMax] = r;
          st[PassSlot.VMax] = v;
        }
      }
      if (r === eq.hi - 1) {
        const iMin = st[PassSlot.IMin]!;
        const iMax = st[PassSlot.IMax]!;
        if (iMin === iMax) eq.indices.push(iMin);
        else eq.indices.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
        eq.next();
      }
    }
    if (r >= dd.lo) {
      if (r === dd.lo) {
        st[PassSlot.DMax] = r;
        st[PassSlot.DVal] = peak > 0 ? 1 - v / peak : 0;
        st[PassSlot.DdFrom] = v === v ? v : Infinity;
      } else if (!(v >= st[PassSlot.DdFrom]!)) {
        const d = peak > 0 ? 1 - v / peak : 0;
        if (d > st[PassSlot.DVal]!) {
          st[PassSlot.DMax] = r;
          st[PassSlot.DVal] = d;
        }
        if (v < st[PassSlot.DdFrom]!) st[PassSlot.DdFrom] = v;
      }
      if (r === dd.hi - 1) {
        dd.indices.push(st[PassSlot.DMax]!);
        dd.values.push(st[PassSlot.DVal]!);
        dd.next();
      }
    }
    if (r === 0) st[PassSlot.DdFirst] = peak > 0 ? 1 - v / peak : 0;
    if (r === n - 1) {
      st[PassSlot.DdLast] = peak > 0 ? 1 - v / peak : 0;
      const pos = q !== 0 ? q * close[kStart + r]! : 0;
      st[PassSlot.GrossLast] = v > 0 ? (pos < 0 ? -pos : pos) / v : 0;
    }
    r++;
  }
  eq.indices.push(n - 1);
  dd.values[0] = st[PassSlot.DdFirst]!;
  dd.indices.push(n - 1);
  dd.values.push(st[PassSlot.DdLast]!);
  const maxDrawdown = n === 0 || !(first > 0) || st[PassSlot.SawNaN] !== 0 ? NaN : st[PassSlot.Worst]!;
  return { held: st[PassSlot.Held]!, navSum: st[PassSlot.NavSum]!, maxDrawdown, lastGross: st[PassSlot.GrossLast]!, lastDrawdown: st[PassSlot.DdLast]! };
}

/**
 * Steps `from` … `to − 1`, all strictly inside both charts' current buckets, with no event among
 * them and none the last step: `stepPass`'s step without those branches, on the state in `st`
 * (read into locals and written back).
 */
function between(nav: Float64Array, close: Float64Array, kStart: number, from: number, to: number, st: Float64Array): void {
  let navSum = st[PassSlot.NavSum]!;
  let metricPeak = st[PassSlot.MetricPeak]!;
  let worst = st[PassSlot.Worst]!;
  let worstFrom = st[PassSlot.WorstFrom]!;
  let peak = st[PassSlot.Peak]!;
  let ddFrom = st[PassSlot.DdFrom]!;
  let vMin = st[PassSlot.VMin]!;
  let vMax = st[PassSlot.VMax]!;
  let dVal = st[PassSlot.DVal]!;
  let iMin = st[PassSlot.IMin]!;
  let iMax = st[PassSlot.IMax]!;
  let dMax = st[PassSlot.DMax]!;
  let held = st[PassSlot.Held]!;
  let sawNaN = st[PassSlot.SawNaN]!;
  const q = st[PassSlot.Q]!;
  for (let r = from; r < to; r++) {
    const v = nav[r]!;
    navSum += v;
    if (v > metricPeak) {
      metricPeak = v;
      worstFrom = Infinity;
    }
    if (!(v >= worstFrom)) {
      if (v !== v) sawNaN = 1;
      else {
        const m = 1 - v / metricPeak;
        if (m > worst) worst = m;
        if (v < worstFrom) worstFrom = v;
      }
    }
    if (v > peak) {
      peak = v;
      ddFrom = Infinity;
    }
    if (q !== 0 && v > 0) {
      const pos = q * close[kStart + r]!;
      const a = pos < 0 ? -pos : pos;
      if ((a > 0 && v < Infinity && a >= v * TINY) || a / v > 0) held++;
    }
    if (v < vMin) {
      iMin = r;
      vMin = v;
    }
    if (v > vMax) {
      iMax = r;
      vMax = v;
    }
    if (!(v >= ddFrom)) {
      const d = peak > 0 ? 1 - v / peak : 0;
      if (d > dVal) {
        dMax = r;
        dVal = d;
      }
      if (v < ddFrom) ddFrom = v;
    }
  }
  st[PassSlot.NavSum] = navSum;
  st[PassSlot.MetricPeak] = metricPeak;
  st[PassSlot.Worst] = worst;
  st[PassSlot.WorstFrom] = worstFrom;
  st[PassSlot.Peak] = peak;
  st[PassSlot.DdFrom] = ddFrom;
  st[PassSlot.VMin] = vMin;
  st[PassSlot.VMax] = vMax;
  st[PassSlot.DVal] = dVal;
  st[PassSlot.IMin] = iMin;
  st[PassSlot.IMax] = iMax;
  st[PassSlot.DMax] = dMax;
  st[PassSlot.Held] = held;
  st[PassSlot.SawNaN] = sawNaN;
}
