/**
 * The fast path's model signals (`Model.targetsVector`) and where they make the model decide, for
 * the main run and for the bias probes' runs (docs/backtest-engine.md "Fast path", "Speed").
 *
 * - `signalOf`: the signal of a run, remembered per column set (the warm-up probes run the same
 *   model on the same bars again).
 * - `probeSignalOf`: the signal of a probe run. A look-ahead probe's columns are a prefix of the
 *   main run's (probes.ts `truncateDatasets` makes prefix views). The model's signal is computed on
 *   the truncated columns, as the probe demands, into one reused scratch buffer; when its bytes
 *   equal the main signal's first rows (a causal model), the main signal stands for it: every
 *   decision and key up to the cut is a function of those rows alone. A signal that differs in any
 *   bit (a model that reads the future) is used as computed, so the probe finds the difference.
 * - `decisionBars`: the bars at which the model decides on a signal, remembered per signal, so each
 *   probe run reads its decisions from the list instead of scanning the signal again.
 */
import { canonicalJson } from '../core/canonical.js';
import type { BarFrame } from '../core/table.js';
import type { Model, TargetVector } from '../models/types.js';
import { sizeWeight } from '../models/lib/sizing.js';
import { traceKey } from './fast-path-book.js';
import type { KeyRuns } from './probes.js';

interface KnownSignal {
  readonly key: string;
  readonly signal: TargetVector;
  /** The columns' close, to recognise a prefix view of them (same buffer, same start). */
  readonly close: Float64Array;
}

/** The last signal computed per column set, keyed by model, version and parameters. */
const lastSignal = new WeakMap<object, KnownSignal>();
/** The same signals, found from the buffer of their closes (a prefix view shares it). */
const byCloseBuffer = new WeakMap<ArrayBufferLike, KnownSignal>();
const signalKey = (model: Model, params: object): string => `${model.name}@${model.version}:${canonicalJson(params)}`;

/**
 * The model's vectorised signal on these columns. The last one computed per column set is
 * remembered, keyed by the model's name, version and parameters: the warm-up probes run the same
 * model on the same bars again (only the warm-up differs), and a signal is a function of the bars
 * and the parameters. One per column set, so a parameter sweep does not pile them up.
 */
export function signalOf(model: Model, columns: BarFrame['columns']): TargetVector {
  const params = model.parameters;
  if (params === undefined) return model.targetsVector!(columns);
  const key = signalKey(model, params);
  const known = lastSignal.get(columns);
  if (known !== undefined && known.key === key) return known.signal;
  const signal = model.targetsVector!(columns);
  const entry: KnownSignal = { key, signal, close: columns.close };
  lastSignal.set(columns, entry);
  byCloseBuffer.set(columns.close.buffer, entry);
  rememberedSides.add(signal.side);
  return signal;
}

/**
 * The signal of a probe run, read once and dropped: the remembered one when these columns have it;
 * else the model's signal on these columns, computed into a scratch buffer reused by every probe
 * run (`Model.targetsVector`'s `into`: a truncated copy of 1M bars would otherwise write 8 MB of
 * fresh memory per cut). When the columns are a prefix view of columns whose signal is remembered
 * and the computed signal equals that signal's first rows byte for byte, with the same sizing, the
 * remembered signal is returned instead (same values on every row the run reads; its decision list
 * is already known). Valid until the next call.
 */
export function probeSignalOf(model: Model, columns: BarFrame['columns']): TargetVector {
  const params = model.parameters;
  const key = params !== undefined ? signalKey(model, params) : null;
  if (key !== null) {
    const known = lastSignal.get(columns);
    if (known !== undefined && known.key === key) return known.signal;
  }
  const close = columns.close;
  const n = close.length;
  if (probeScratch.length < n) probeScratch = new Float64Array(n);
  const computed = model.targetsVector!(columns, probeScratch);
  if (key === null) return computed;
  const whole = byCloseBuffer.get(close.buffer);
  if (whole === undefined || whole.key !== key || whole.close.byteOffset !== close.byteOffset || whole.close.length < n) return computed;
  return samePrefix(computed, whole.signal, n) ? whole.signal : computed;
}
let probeScratch = new Float64Array(0);

/** True when `a`'s first n sides are `b`'s byte for byte and both size alike. */
function samePrefix(a: TargetVector, b: TargetVector, n: number): boolean {
  if (a.sizing.mode !== b.sizing.mode || !Object.is(a.sizing.value, b.sizing.value)) return false;
  if (a.side.length < n || b.side.length < n) return false;
  const bytes = (x: Float64Array): Buffer => Buffer.from(x.buffer, x.byteOffset, n * 8);
  return bytes(a.side).equals(bytes(b.side));
}

/**
 * The bars at which a model with this signal decides when it may decide from bar 0 on: the first
 * bar whose side is a number, then each bar whose side is a number other than the last number seen
 * (fast-path-loop.ts decides there). A run whose warm-up ends at k0 decides at the first bar ≥ k0
 * whose side is a number, then at the bars of this list after it: past that bar the last number
 * seen is the same whichever bar the run started at. Remembered for the signals `signalOf`
 * remembers (never for a probe's scratch buffer, which the next probe run overwrites).
 */
export function decisionBars(side: Float64Array): Int32Array {
  if (!rememberedSides.has(side)) return scanDecisions(side);
  let bars = decisionMemo.get(side);
  if (bars === undefined) {
    bars = scanDecisions(side);
    decisionMemo.set(side, bars);
  }
  return bars;
}
const decisionMemo = new WeakMap<Float64Array, Int32Array>();
/** Signal arrays that `signalOf` remembers and nothing writes again. */
const rememberedSides = new WeakSet<Float64Array>();

function scanDecisions(side: Float64Array): Int32Array {
  let out = new Int32Array(1024);
  let count = 0;
  let last = NaN;
  const n = side.length;
  for (let k = 0; k < n; k++) {
    const sd = side[k]!;
    if (sd === sd && sd !== last) {
      last = sd;
      if (count === out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[count++] = k;
    }
  }
  return out.slice(0, count);
}

/** The first index i ≥ from with list[i] > value (list ascending). */
export function firstAbove(list: Int32Array, value: number, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A signal's decisions with their trace keys, for a model sized as a fraction of equity (every
 * weight is side × fraction, so a decision's key is a function of its side alone): global run 0
 * holds the key '0' (probes.ts keyOf({}) before any decision), global run j ≥ 1 the key of
 * decision j − 1 and ends at decision j (the last one never ends). `exact` keys for `traceKey(w,
 * false)`, `signs` for `traceKey(w, true)`. `bad` lists the decisions whose weight is not finite.
 */
interface DecisionTable {
  readonly bars: Int32Array;
  readonly exact: readonly string[];
  readonly signs: readonly string[];
  readonly bad: Int32Array;
}

function decisionTable(tv: TargetVector): DecisionTable {
  let table = tableMemo.get(tv);
  if (table !== undefined) return table;
  const bars = decisionBars(tv.side);
  const n = bars.length;
  const exact: string[] = new Array(n + 1);
  const signs: string[] = new Array(n + 1);
  exact[0] = '0';
  signs[0] = '0';
  const bad: number[] = [];
  // the keys of the sides −1, 0 and 1 are worked out once (slot side + 1); any other side each time
  const slotExact: (string | undefined)[] = [undefined, undefined, undefined];
  const slotSigns: string[] = ['', '', ''];
  for (let j = 0; j < n; j++) {
    const sd = tv.side[bars[j]!]!;
    const slot = sd === -1 || sd === 0 || sd === 1 ? sd + 1 : -1;
    let key = slot >= 0 ? slotExact[slot] : undefined;
    let dir = slot >= 0 ? slotSigns[slot]! : '';
    if (key === undefined) {
      // equity sizing: the weight does not depend on the price (sizing.ts sizeWeight)
      const w = sd === 0 ? 0 : sd * sizeWeight(tv.sizing, NaN, NaN);
      if (!Number.isFinite(w)) bad.push(j);
      key = traceKey(w, false);
      dir = traceKey(w, true);
      if (slot >= 0 && Number.isFinite(w)) [slotExact[slot], slotSigns[slot]] = [key, dir];
    }
    exact[j + 1] = key;
    signs[j + 1] = dir;
  }
  table = { bars, exact, signs, bad: Int32Array.from(bad) };
  if (rememberedSides.has(tv.side)) tableMemo.set(tv, table);
  return table;
}
const tableMemo = new WeakMap<TargetVector, DecisionTable>();

/**
 * The runs of a trace over bars k0 … kEnd as a window over a signal's decision table: run 0 holds
 * '0' up to the first decision `head` (the first bar ≥ k0 whose side is a number), run r ≥ 1 the
 * table's global run lo + r − 1, ended at the next decision or at kEnd + 1, every end counted from
 * k0 (decision index = bar − k0). Nothing is copied.
 */
export class SignalRuns implements KeyRuns {
  readonly count: number;

  constructor(
    private readonly keys: readonly string[],
    private readonly bars: Int32Array,
    private readonly lo: number,
    hi: number,
    private readonly head: number,
    private readonly base: number,
    private readonly stop: number,
  ) {
    this.count = head < stop ? hi - lo + 2 : 1;
  }

  key(run: number): string {
    return run === 0 ? '0' : this.keys[this.lo + run - 1]!;
  }

  end(run: number): number {
    if (run === 0) return (this.head < this.stop ? this.head : this.stop) - this.base;
    const j = this.lo + run - 1;
    const e = j < this.bars.length ? this.bars[j]! : this.stop;
    return (e < this.stop ? e : this.stop) - this.base;
  }

  /**
   * Two windows over one decision table (the same keys and bars: the same signal, as the look-ahead
   * runs that reuse the main signal and the warm-up runs have) hold, at every bar from their own
   * first decision `head` on, the table's key there: the key of the last decision at or before the
   * bar, whatever bar the window starts at. So they agree from the later of their heads on. Their
   * times must be one clock's (`other`'s decision j at bar other.base + j is this one's j + shift).
   */
  agreeFrom(other: KeyRuns, shift: number): number | null {
    if (!(other instanceof SignalRuns) || other.keys !== this.keys || other.bars !== this.bars || other.base !== this.base + shift) return null;
    return Math.max(this.head, other.head) - this.base;
  }
}

/**
 * The probes' trace keys of a run over bars k0 … kEnd (k0 ≤ kEnd) of a model sized as a fraction
 * of equity, where the model decides at the first bar from k0 whose side is a number and then
 * wherever the side changes (fast-path-loop.ts): `k` exact (or signs when `signsOnly`), `s` signs.
 * Null when the sizing is not a fraction of equity, or a weight in the run is not finite.
 */
export function signalTraceRuns(tv: TargetVector, k0: number, kEnd: number, signsOnly: boolean): { k: KeyRuns; s: KeyRuns } | null {
  if (tv.sizing.mode !== 'equity') return null;
  const side = tv.side;
  let head = k0;
  while (head <= kEnd && side[head]! !== side[head]!) head++;
  const table = decisionTable(tv);
  // the first decision takes the key of the last global decision at or before it (its side, or an equal one)
  const lo = head <= kEnd ? firstAbove(table.bars, head) : 0;
  const hi = head <= kEnd ? firstAbove(table.bars, kEnd, lo) : 0;
  if (head <= kEnd && table.bad.length > 0) {
    const b = firstAbove(table.bad, lo - 2);
    if (b < table.bad.length && table.bad[b]! < hi) return null;
  }
  const runs = (keys: readonly string[]): SignalRuns => new SignalRuns(keys, table.bars, lo, hi, head, k0, kEnd + 1);
  const s = runs(table.signs);
  return { k: signsOnly ? s : runs(table.exact), s };
}
