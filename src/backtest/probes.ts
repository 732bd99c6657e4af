/**
 * Bias probes, run on every backtest and shown as gates.
 *
 * - Look-ahead: re-run the whole pipeline (resampling, daily features, regimes, engine) on the
 *   input datasets truncated at several cut times (only rows with ts < cut kept). Every signal a
 *   model emitted at a decision time ≤ cut must be identical in the truncated run: if removing the
 *   future changes a past decision, something read the future.
 * - Warm-up: re-run with every model's warm-up shortened (×0.5) and lengthened (×1.5 + 10 bars).
 *   On the decision times both runs share, the signals must agree from the first time they agree
 *   ("settled": a stateful model may legitimately differ while a trade begun under the other
 *   warm-up runs out) to the end; a model that never agrees again, or drifts apart after agreeing,
 *   fails. For models whose weights scale with NAV (unit sizing) only the direction of each weight
 *   is compared, since the NAV path legitimately differs.
 *
 * A signal is a model's effective target weights after a decision (a `null` decision keeps the
 * previous targets), recorded by wrapping the model (`traceModel`), so the probes see exactly what
 * the engine saw.
 */
import type { Gate } from '../core/result.js';
import { isoUtc } from '../core/time.js';
import { firstAtOrAfter } from '../core/sorted.js';
import type { Dataset, ColumnTable } from '../core/table.js';
import type { Model, ModelContext, ModelDecision } from '../models/types.js';
import { alignment, lookAheadOnRuns, warmupOnRuns } from './probes-runs.js';
import { withTableDigest } from './run-backtest-data.js';

/**
 * Signal keys as runs of decisions: run r holds `key(r)` for the decisions from `end(r − 1)` (0 for
 * the first run) up to `end(r)` (exclusive); the last run ends at the trace's length. A key changes
 * only at a decision, so a 1M-step run with a few thousand decisions is a few thousand runs, not 1M
 * strings. Read through accessors: the fast path's probe traces are windows over one table per
 * signal (fast-path-signal.ts `SignalRuns`) rather than arrays of their own.
 */
export interface KeyRuns {
  readonly count: number;
  key(run: number): string;
  end(run: number): number;
  /**
   * The first decision (in this trace's numbering) from which this trace and `other`, whose decision
   * j is this trace's decision j + shift, hold the same key at every decision both have, when their
   * construction says so without reading the keys; null when it does not (then compare them).
   */
  agreeFrom?(other: KeyRuns, shift: number): number | null;
}

/** Runs held in two arrays: `keys[r]` up to `ends[r]`. */
export class ArrayRuns implements KeyRuns {
  constructor(
    private readonly keys: readonly string[],
    private readonly ends: ArrayLike<number>,
  ) {}

  get count(): number {
    return this.keys.length;
  }

  key(run: number): string {
    return this.keys[run]!;
  }

  end(run: number): number {
    return this.ends[run]!;
  }
}

/**
 * Decision times and signal keys of one model, in call order. The wrapper (`traceModel`) pushes one
 * entry per decide call; the fast path sets the times to a view of the clock's close times and the
 * keys as runs (fast-path.ts).
 */
export interface SignalTrace {
  t: number[] | Float64Array;
  /** Exact effective weights, e.g. '0.95,0'. */
  k: string[] | KeyRuns;
  /** Directions only, e.g. '1,0' (for NAV-scaled sizing in the warm-up probe). */
  s?: string[] | KeyRuns;
}

/** The key of decision i (i mostly ascending: runs are followed with a cursor). */
export function keyReader(k: string[] | KeyRuns): (i: number) => string {
  if (Array.isArray(k)) return (i) => k[i]!;
  const runs = k as KeyRuns;
  let run = 0;
  return (i) => {
    if (run > 0 && i < runs.end(run - 1)) run = 0;
    while (run < runs.count - 1 && runs.end(run) <= i) run++;
    return runs.key(run);
  };
}

export type SignalTraces = ReadonlyMap<string, SignalTrace>;

export interface TraceOptions {
  /** Override the model's warm-up (bars). */
  readonly warmupBars?: number;
  /** Record only the sign of each weight in `k` (for NAV-scaled sizing). */
  readonly signsOnly?: boolean;
}

const keyOf = (w: Readonly<Record<string, number>>, universe: readonly string[], signs: boolean): string => {
  let s = '';
  for (let i = 0; i < universe.length; i++) {
    const v = w[universe[i]!] ?? 0;
    s += (i ? ',' : '') + numberText(signs ? Math.sign(v) + 0 : v + 0);
  }
  return s;
};

/**
 * `String(v)`, remembered for the last few hundred values: a portfolio's models emit the same few
 * weights again and again (quantised splits, 0, ±1), and formatting a double is the dearest part of
 * a key. Any value not remembered is formatted, so the text is always String(v).
 */
function numberText(v: number): string {
  let text = numberTexts.get(v);
  if (text === undefined) {
    if (numberTexts.size >= 512) numberTexts.clear();
    text = String(v);
    numberTexts.set(v, text);
  }
  return text;
}
const numberTexts = new Map<number, string>();

/** Wrap a model so every decide call appends (t, effective targets) to `trace`. */
export function traceModel(model: Model, trace: SignalTrace, o: TraceOptions = {}): Model {
  return tracingWrapper(model, new ArrayTraceSink(trace), trace.s !== undefined, o);
}

/**
 * Wrap a model so every decide call goes into `recorder` (see TraceRecorder): the wrapper the
 * backtest's probes use (run-backtest.ts), where recording is a sizeable part of a probe run.
 */
export function recordModel(model: Model, recorder: TraceRecorder, o: TraceOptions = {}): Model {
  return tracingWrapper(model, recorder, recorder.withSigns, o);
}

/** Where a traced model's decisions go, one `add` per decide call. */
interface TraceSink {
  add(t: number, key: string, dir: string): void;
}

/** Appends to the trace's own arrays (emptyTrace), one entry per decision. */
class ArrayTraceSink implements TraceSink {
  private readonly t: number[];
  private readonly k: string[];
  private readonly s: string[] | undefined;

  constructor(trace: SignalTrace) {
    this.t = trace.t as number[];
    this.k = trace.k as string[];
    this.s = trace.s as string[] | undefined;
  }

  add(t: number, key: string, dir: string): void {
    this.t.push(t);
    this.k.push(key);
    if (this.s) this.s.push(dir);
  }
}

/**
 * Records a model's decisions as the trace's readers take them (KeyRuns): the times in a typed array
 * grown by doubling, the keys as runs (a key is stored when it changes, not at every decision), and
 * writes them into the trace at `finish`, after the run. Appending every key and time to arrays
 * cost about a quarter of a portfolio probe run (10 ms of 40 per run at the bench's 3 models × 21 915
 * steps); the readers give the same answers on runs as on arrays (probes-runs.ts, probes.test.ts).
 */
export class TraceRecorder implements TraceSink {
  private times = new Float64Array(1024);
  private n = 0;
  private readonly keys: string[] = [];
  private readonly keyStarts: number[] = [];
  private readonly dirs: string[] = [];
  private readonly dirStarts: number[] = [];
  readonly withSigns: boolean;

  constructor(private readonly trace: SignalTrace) {
    this.withSigns = trace.s !== undefined;
  }

  add(t: number, key: string, dir: string): void {
    const n = this.n;
    if (n === this.times.length) {
      const grown = new Float64Array(2 * n);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[n] = t;
    this.n = n + 1;
    const r = this.keys.length;
    if (r === 0 || this.keys[r - 1] !== key) {
      this.keys.push(key);
      this.keyStarts.push(n);
    }
    if (this.withSigns) {
      const q = this.dirs.length;
      if (q === 0 || this.dirs[q - 1] !== dir) {
        this.dirs.push(dir);
        this.dirStarts.push(n);
      }
    }
  }

  /** Put what was recorded into the trace (nothing when the model never decided: the trace stays empty). */
  finish(): void {
    if (this.n === 0) return;
    const trace = this.trace;
    trace.t = this.times.subarray(0, this.n);
    trace.k = new ArrayRuns(this.keys, runEnds(this.keyStarts, this.n));
    if (this.withSigns) trace.s = new ArrayRuns(this.dirs, runEnds(this.dirStarts, this.n));
  }
}

/** The end of each run, given where each starts and the count of decisions. */
function runEnds(starts: readonly number[], n: number): Float64Array {
  const ends = new Float64Array(starts.length);
  for (let r = 0; r + 1 < starts.length; r++) ends[r] = starts[r + 1]!;
  ends[starts.length - 1] = n;
  return ends;
}

/**
 * The keys of one traced model's decisions, remembered by the weights they spell: `text(w)` is
 * `keyOf(w, universe, signs)`, looked up by the key's numbers (`w[symbol] + 0`, or its sign) instead
 * of formatted each time. A model decides among a few weight vectors again and again (a portfolio's
 * probe pass formats ~10 000 keys of five numbers each), and a key found here is the very string
 * given before, so the recorder's "same key as the last run?" is one comparison of references.
 * Two numbers give one text exactly when they are the same double (String is exact and `+ 0` folds
 * −0 into 0; every NaN reads 'NaN', and `Object.is` takes NaN as itself), so a key is reused only
 * for numbers that would format to it.
 */
class KeyTexts {
  private readonly values: Float64Array;
  private readonly words: Int32Array;
  private readonly known = new Map<number, { readonly values: Float64Array; readonly text: string }[]>();
  private count = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly universe: readonly string[],
    private readonly signs: boolean,
  ) {
    this.values = new Float64Array(universe.length);
    this.words = new Int32Array(this.values.buffer);
  }

  text(w: Readonly<Record<string, number>>): string {
    const { universe, values, words } = this;
    // weights that seldom come again (sized by NAV, say): format each, as looking up costs more
    if (this.misses > 1024 && this.misses > this.hits) return keyOf(w, universe, this.signs);
    for (let i = 0; i < universe.length; i++) {
      const v = w[universe[i]!] ?? 0;
      // not a number (a faulty model; the decision fails its check after this): formatted as is
      if (typeof v !== 'number') return keyOf(w, universe, this.signs);
      values[i] = this.signs ? Math.sign(v) + 0 : v + 0;
    }
    let hash = 0;
    for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i]!, 0x9e3779b1);
    const bucket = this.known.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (sameNumbers(entry.values, values)) {
          this.hits++;
          return entry.text;
        }
      }
    }
    this.misses++;
    return this.remember(hash, keyOf(w, universe, this.signs));
  }

  /** Store the current numbers' text (the table starts again at 4 096 keys). */
  private remember(hash: number, text: string): string {
    if (this.count >= 4096) {
      this.known.clear();
      this.count = 0;
    }
    this.count++;
    const entry = { values: this.values.slice(), text };
    const bucket = this.known.get(hash);
    if (bucket !== undefined) bucket.push(entry);
    else this.known.set(hash, [entry]);
    return text;
  }
}

function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function tracingWrapper(model: Model, sink: TraceSink, withSigns: boolean, o: TraceOptions): Model {
  const universe = model.universe;
  const signs = o.signsOnly ?? false;
  const effTexts = new KeyTexts(universe, signs);
  const dirTexts = withSigns ? new KeyTexts(universe, true) : null;
  let eff = keyOf({}, universe, signs);
  let dir = keyOf({}, universe, true);
  return {
    name: model.name,
    version: model.version,
    universe,
    warmupBars: o.warmupBars ?? model.warmupBars,
    ...(model.parameters ? { parameters: model.parameters } : {}),
    decide(ctx: ModelContext): ModelDecision | null {
      const d = model.decide(ctx);
      if (d) {
        eff = effTexts.text(d.weights);
        if (dirTexts !== null) dir = dirTexts.text(d.weights);
      }
      sink.add(ctx.t, eff, dir);
      return d;
    },
  };
}

export const emptyTrace = (withSigns = false): SignalTrace => (withSigns ? { t: [], k: [], s: [] } : { t: [], k: [] });

/** A trace with its times and keys as plain arrays, one entry per decision (for tests and reading by eye). */
export function traceArrays(trace: SignalTrace): { t: number[]; k: string[]; s?: string[] } {
  const n = trace.t.length;
  const keys = (k: string[] | KeyRuns): string[] => {
    const at = keyReader(k);
    return Array.from({ length: n }, (_, i) => at(i));
  };
  return { t: Array.from(trace.t), k: keys(trace.k), ...(trace.s ? { s: keys(trace.s) } : {}) };
}

/** True when nothing was recorded into `trace` yet. */
export const isEmptyTrace = (trace: SignalTrace): boolean => trace.t.length === 0 && Array.isArray(trace.k) && trace.k.length === 0;

/**
 * The first `n` rows of a table: numeric columns as prefix views (`subarray`, no copy; bars are
 * facts and never written, and engine-data.ts recognises a view of columns it has checked), other
 * columns copied.
 */
function prefixTable(t: ColumnTable, n: number): ColumnTable {
  const columns: Record<string, ColumnTable['columns'][string]> = {};
  for (const [k, c] of Object.entries(t.columns)) columns[k] = c instanceof Float64Array ? c.subarray(0, n) : c.slice(0, n);
  return { length: n, columns };
}

/**
 * The rows before the first whose time is not below `cut` (all when there is none). On a column
 * known to be ascending (no NaN, each time at least the one before) those rows are the ones below
 * `cut`, found by bisection; each column is checked once (`ascendingColumns`; datasets are never
 * written after they are made), where the three cuts of every probed run scanned ~1.5 columns.
 */
function rowsBefore(ts: Float64Array, cut: number): number {
  let ascending = ascendingColumns.get(ts);
  if (ascending === undefined) {
    ascending = true;
    // (a NaN fails the comparison with its neighbour; a lone NaN is below no cut either way)
    for (let i = 1; i < ts.length && ascending; i++) if (!(ts[i]! >= ts[i - 1]!)) ascending = false;
    ascendingColumns.set(ts, ascending);
  }
  if (!ascending) {
    let n = 0;
    while (n < ts.length && ts[n]! < cut) n++;
    return n;
  }
  return firstAtOrAfter(ts, cut);
}
const ascendingColumns = new WeakMap<Float64Array, boolean>();

/** Keep only rows with ts < cut in every dataset that has a numeric ts column (prefix views of its columns; the content digest computed when first read). */
export function truncateDatasets(datasets: ReadonlyMap<string, Dataset>, cut: number): Map<string, Dataset> {
  const out = new Map<string, Dataset>();
  for (const [name, ds] of datasets) {
    const ts = ds.table.columns['ts'];
    if (!(ts instanceof Float64Array)) {
      out.set(name, ds);
      continue;
    }
    const n = rowsBefore(ts, cut);
    if (n === ts.length) {
      out.set(name, ds);
      continue;
    }
    const { digest: _whole, ...fields } = ds;
    out.set(name, withTableDigest({ ...fields, table: prefixTable(ds.table, n) }));
  }
  return out;
}

/**
 * Cut times at the given fractions of the decision span of the full run (distinct, ascending). The
 * span starts when the last model to warm up made its first decision, so every cut tests every
 * model (and no symbol is cut away entirely).
 */
export function cutTimes(full: SignalTraces, fractions: readonly number[]): number[] {
  let from = -Infinity;
  let total = 0;
  for (const tr of full.values()) {
    if (tr.t.length > 0 && tr.t[0]! > from) from = tr.t[0]!;
    total += tr.t.length;
  }
  const distinct = full.size === 1 ? distinctAscendingFrom([...full.values()][0]!.t, from) : oneClockFrom(full, from);
  if (distinct !== null) return pickCuts(distinct, distinct.length, fractions);
  // The decision times from `from` on, ascending and distinct. One model's trace is already
  // ascending (one decision per step), so the sort only runs for several models.
  const all = new Float64Array(total);
  let m = 0;
  let ascending = true;
  for (const tr of full.values()) {
    const ts = tr.t;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (t >= from) {
        if (m > 0 && t < all[m - 1]!) ascending = false;
        all[m++] = t;
      }
    }
  }
  const sorted = all.subarray(0, m);
  if (!ascending) sorted.sort();
  let w = 0;
  for (let i = 0; i < m; i++) if (w === 0 || sorted[i] !== sorted[w - 1]) sorted[w++] = sorted[i]!;
  return pickCuts(sorted, w, fractions);
}

/**
 * Several models' distinct times from `from` on, when every trace lies on the longest one's times
 * (probes-runs.ts `alignment`: the same times wherever they overlap) and ends within it: then they
 * are the longest trace's times from `from` on (times before its first are before `from`). Else null.
 */
function oneClockFrom(full: SignalTraces, from: number): ArrayLike<number> | null {
  let longest: SignalTrace | null = null;
  for (const tr of full.values()) if (longest === null || tr.t.length > longest.t.length) longest = tr;
  if (longest === null) return null;
  for (const tr of full.values()) {
    if (tr === longest || tr.t.length === 0) continue;
    const shift = alignment(longest.t, tr.t);
    if (shift === null || tr.t.length + shift > longest.t.length) return null;
  }
  return distinctAscendingFrom(longest.t, from);
}

/** One model's times from `from` on when they are strictly ascending (they are: one decision per step), without a copy; else null. */
function distinctAscendingFrom(ts: ArrayLike<number>, from: number): ArrayLike<number> | null {
  if (ts instanceof Float64Array) return distinctAscendingTyped(ts, from);
  let start = 0;
  while (start < ts.length && ts[start]! < from) start++;
  for (let i = start + 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return null;
  return start === 0 ? ts : (ts as number[]).slice(start);
}

/** `distinctAscendingFrom` on a typed array (one loop over one array type: no boxed number per read). */
function distinctAscendingTyped(ts: Float64Array, from: number): Float64Array | null {
  let start = 0;
  while (start < ts.length && ts[start]! < from) start++;
  for (let i = start + 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return null;
  return ts.subarray(start);
}

/** The cut times at `fractions` of `n` distinct ascending decision times. */
function pickCuts(sorted: ArrayLike<number>, n: number, fractions: readonly number[]): number[] {
  if (n < 2) return [];
  const cuts = fractions.map((f) => sorted[Math.min(n - 1, Math.max(0, Math.floor(f * (n - 1))))]!);
  return [...new Set(cuts)].sort((a, b) => a - b);
}

export interface LookAheadResult {
  readonly gate: Gate;
  readonly cuts: readonly number[];
  /** First differing decision per failing cut. */
  readonly differences: readonly { readonly cut: number; readonly model: string; readonly t: number; readonly full: string; readonly truncated: string }[];
}

/** Compare the truncated runs' traces with the full run's up to each cut. */
export function compareLookAhead(full: SignalTraces, truncated: readonly { cut: number; traces: SignalTraces }[]): LookAheadResult {
  const differences: { cut: number; model: string; t: number; full: string; truncated: string }[] = [];
  let compared = 0;
  for (const { cut, traces } of truncated) {
    for (const [model, f] of [...full].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const tr = traces.get(model) ?? emptyTrace();
      if (alignment(f.t, tr.t) === 0) {
        // both on one clock from the same first decision (the fast path's traces): run by run
        const r = lookAheadOnRuns(f, tr, cut);
        compared += r.compared;
        if (r.difference) differences.push({ cut, model, ...r.difference });
        continue;
      }
      const fk = keyReader(f.k);
      const tk = keyReader(tr.k);
      // Both traces are in ascending time (one decision per model and step): merge them.
      let i = 0;
      let j = 0;
      while ((i < f.t.length && f.t[i]! <= cut) || (j < tr.t.length && tr.t[j]! <= cut)) {
        const ti = i < f.t.length && f.t[i]! <= cut ? f.t[i]! : Infinity;
        const tj = j < tr.t.length && tr.t[j]! <= cut ? tr.t[j]! : Infinity;
        const t = ti < tj ? ti : tj;
        const a = ti === t ? fk(i++) : '(no decision)';
        const b = tj === t ? tk(j++) : '(no decision)';
        compared++;
        if (a !== b) {
          differences.push({ cut, model, t, full: a, truncated: b });
          break;
        }
      }
    }
  }
  const pass = differences.length === 0;
  const first = differences[0];
  const gate: Gate = {
    name: 'look-ahead',
    value: differences.length,
    threshold: `0 changed signals before ${truncated.length} cuts`,
    pass,
    reason: pass
      ? `${compared} decisions before cuts at ${truncated.map((c) => isoUtc(c.cut)).join(', ')} unchanged by truncation`
      : `${first!.model} at ${isoUtc(first!.t)} changed when data after ${isoUtc(first!.cut)} was removed (full: ${first!.full}; truncated: ${first!.truncated})`,
  };
  return { gate, cuts: truncated.map((c) => c.cut), differences };
}

export interface WarmupComparison {
  readonly variant: string;
  readonly model: string;
  /** Shared decisions before the signals first agreed. */
  readonly settleDecisions: number;
  /** Shared decisions that differ after the first agreement (must be 0). */
  readonly afterSettle: number;
  readonly firstDifference?: number;
  readonly neverSettled: boolean;
}

/**
 * Compare one variant's traces with the baseline's on shared decision times (see the module doc).
 * Models named in `directionsOnly` are compared on their sign keys (`s`) when both traces have them.
 */
export function compareWarmup(variant: string, base: SignalTraces, other: SignalTraces, directionsOnly: ReadonlySet<string> = new Set()): WarmupComparison[] {
  const out: WarmupComparison[] = [];
  for (const [model, bt] of [...base].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const ot = other.get(model) ?? emptyTrace();
    const useSigns = directionsOnly.has(model) && bt.s !== undefined && ot.s !== undefined;
    const shift = alignment(bt.t, ot.t);
    if (shift !== null && Number.isInteger(shift)) {
      // both on one clock (the fast path's traces): run by run
      const r = warmupOnRuns({ t: bt.t, k: useSigns ? bt.s! : bt.k }, { t: ot.t, k: useSigns ? ot.s! : ot.k }, shift);
      out.push({
        variant,
        model,
        settleDecisions: r.settle,
        afterSettle: r.after,
        ...(r.firstDifference !== undefined ? { firstDifference: r.firstDifference } : {}),
        neverSettled: r.shared > 0 && !r.settled,
      });
      continue;
    }
    const b = { t: bt.t, k: keyReader(useSigns ? bt.s! : bt.k) };
    const o = { t: ot.t, k: keyReader(useSigns ? ot.s! : ot.k) };
    let settled = false;
    let settle = 0;
    let after = 0;
    let firstDiff: number | undefined;
    let shared = 0;
    // Ascending times on both sides: walk them together, comparing where both decided.
    let j = 0;
    for (let i = 0; i < b.t.length; i++) {
      const t = b.t[i]!;
      while (j < o.t.length && o.t[j]! < t) j++;
      if (j >= o.t.length || o.t[j] !== t) continue;
      shared++;
      const same = o.k(j) === b.k(i);
      if (!settled) {
        if (same) settled = true;
        else settle++;
      } else if (!same) {
        after++;
        firstDiff ??= t;
      }
    }
    out.push({
      variant,
      model,
      settleDecisions: settle,
      afterSettle: after,
      ...(firstDiff !== undefined ? { firstDifference: firstDiff } : {}),
      neverSettled: shared > 0 && !settled,
    });
  }
  return out;
}

export function warmupGate(rows: readonly WarmupComparison[]): Gate {
  const bad = rows.filter((r) => r.afterSettle > 0 || r.neverSettled);
  const pass = bad.length === 0;
  const worst = bad[0];
  const settleText = rows.map((r) => `${r.model} ${r.variant}: settled after ${r.settleDecisions}`).join('; ');
  return {
    name: 'warm-up',
    value: bad.reduce((s, r) => s + r.afterSettle, 0),
    threshold: '0 changed signals after settling (warm-up ×0.5 and ×1.5)',
    pass,
    reason: pass
      ? settleText || 'no decisions to compare'
      : worst!.neverSettled
        ? `${worst!.model} never agreed with the ${worst!.variant} warm-up run`
        : `${worst!.model} with the ${worst!.variant} warm-up differs ${worst!.afterSettle} times after settling, first at ${isoUtc(worst!.firstDifference!)}`,
  };
}

/** The warm-up variants: shorter (×0.5, at least 1 bar) and longer (×1.5 + 10 bars). */
export const WARMUP_VARIANTS: readonly { readonly name: string; readonly bars: (w: number) => number }[] = [
  { name: 'shorter', bars: (w) => Math.max(1, Math.floor(w / 2)) },
  { name: 'longer', bars: (w) => Math.ceil(w * 1.5) + 10 },
];

/** Default cut points as fractions of the decision span. */
export const LOOKAHEAD_FRACTIONS: readonly number[] = [0.25, 0.5, 0.75];
