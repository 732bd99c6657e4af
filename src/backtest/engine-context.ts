/**
 * The ModelContext the engine hands to models. One context object per model for the whole run,
 * updated in place (no allocation per bar). Price views end at each symbol's current bar: a model
 * cannot reach a bar that closes after `t` through this object (point-in-time by construction).
 */
import { UserError } from '../core/errors.js';
import type { AssetClass } from '../core/table.js';
import type { Interval } from '../core/time.js';
import type { RegimeSnapshot } from '../regime/types.js';
import { NEUTRAL_SNAPSHOT } from '../regime/types.js';
import type { AlignedSeries, BarField, DailyFeatures, ModelBudget, ModelContext, SymbolBar } from '../models/types.js';
import { closeOf, type SymbolData } from './engine-data.js';

/**
 * Engine state the views read: current bar index per symbol, the current decision time and the NAV
 * it was decided at. A class, not an object literal, so its number fields keep a number
 * representation of their own: literals with the same leading keys share V8's hidden classes, and a
 * non-number stored under `t` in any of them (a signal trace's `{ t: [], k: [] }`) would make every
 * per-step store here allocate a box.
 */
export class ClockState {
  // Initialised here, not declared bare: a bare field starts out undefined (ES2022 class fields),
  // which gives it a representation in which every number stored is boxed.
  t = NaN;
  step = -1;
  nav = NaN;

  constructor(
    nav: number,
    readonly cur: Int32Array,
    readonly mark: Float64Array,
  ) {
    this.nav = nav;
  }
}

const EMPTY = new Float64Array(0);

/** A live view of one symbol's latest closed bar (getters over the engine's arrays). */
export class SymbolBarView implements SymbolBar {
  /** The engine's bar cursors (`clock.cur`), held here: one load less in each getter a model calls at every bar. */
  private readonly cur: Int32Array;

  constructor(
    readonly symbol: string,
    readonly assetClass: AssetClass,
    readonly interval: Interval,
    private readonly s: number,
    private readonly d: SymbolData,
    private readonly clock: ClockState,
  ) {
    this.cur = clock.cur;
  }
  get index(): number {
    return this.cur[this.s]!;
  }
  /**
   * The current bar's value in `col` (NaN before the first bar). Written as an `if`, not as
   * `i >= 0 ? col[i] : NaN`: V8 (Node 20) boxes the conditional expression's value on the heap, one
   * allocation per read of `close` (measured: ~16 MB of garbage per 1M bars of sma_cross).
   */
  private at(col: Float64Array): number {
    const i = this.cur[this.s]!;
    let v = NaN;
    if (i >= 0) v = col[i]!;
    return v;
  }
  get ts(): number {
    return this.at(this.d.ts);
  }
  get open(): number {
    return this.at(this.d.open);
  }
  get high(): number {
    return this.at(this.d.high);
  }
  get low(): number {
    return this.at(this.d.low);
  }
  get close(): number {
    return this.at(this.d.close);
  }
  get volume(): number {
    return this.at(this.d.volume);
  }
  get fresh(): boolean {
    const i = this.cur[this.s]!;
    return i >= 0 && closeOf(this.d, i) === this.clock.t;
  }
  /** The value k bars back (k = 0: current bar), NaN when out of range. */
  lag(field: BarField, k: number): number {
    // one return of one variable, as in `at` (a second `return NaN` made V8 box the result)
    const cur = this.cur[this.s]!;
    const i = cur - k;
    let v = NaN;
    if (i >= 0 && k >= 0 && i <= cur) {
      const col = field === 'close' ? this.d.close : this.d.columns[field];
      if (!(col instanceof Float64Array)) {
        throw new UserError(`no numeric column '${field}' in the bars of ${this.symbol}`, this.symbol);
      }
      v = col[i]!;
    }
    return v;
  }
  /** View of a column up to and including the current bar. */
  column(field: BarField, n: number): Float64Array {
    const i = this.cur[this.s]!;
    if (i < 0 || n <= 0) return EMPTY;
    const col = field === 'close' ? this.d.close : this.d.columns[field];
    if (!(col instanceof Float64Array)) {
      throw new UserError(`no numeric column '${field}' in the bars of ${this.symbol}`, this.symbol);
    }
    const from = i + 1 - n;
    return col.subarray(from > 0 ? from : 0, i + 1);
  }
}

interface DailyCursor {
  readonly symbol: string;
  readonly feature: string;
  readonly series: AlignedSeries;
  pos: number;
}

export class EngineContext implements ModelContext {
  t = NaN;
  barIndex = -1;
  regime: RegimeSnapshot = NEUTRAL_SNAPSHOT;
  readonly budget: { fraction: number; value: number } & ModelBudget;
  readonly exposures: Record<string, number> = {};
  readonly state: Record<string, unknown> = {};
  private readonly index = new Map<string, number>();
  private readonly cursors = new Map<string, Map<string, DailyCursor | null>>();
  /**
   * The cursors of this decision's daily lookups in call order, and the next call's place in it: a
   * model asks for the same (symbol, feature) pairs in the same order at every step, so the cursor
   * at its place is checked by the identity of the two names (no map lookup); any other pair takes
   * the maps and takes that place.
   */
  private readonly calls: (DailyCursor | null)[] = [];
  private callAt = 0;
  private callsT = NaN;

  constructor(
    readonly model: string,
    readonly universe: readonly string[],
    readonly bars: readonly SymbolBarView[],
    private readonly dailyData: DailyFeatures | undefined,
    exposureOf: (symbolIndexInUniverse: number) => number,
    budget: { fraction: number; value: number } = { fraction: 0, value: 0 },
  ) {
    this.budget = budget;
    universe.forEach((sym, i) => {
      this.index.set(sym, i);
      Object.defineProperty(this.exposures, sym, { enumerable: true, get: () => exposureOf(i) });
    });
    Object.freeze(this.exposures);
  }

  private view(symbol: string): SymbolBarView {
    // A model names its symbols with its universe's own strings, so comparing them in order finds
    // one sooner than a map lookup does (a universe holds a few symbols); any other name takes the map.
    const universe = this.universe;
    for (let u = 0; u < universe.length; u++) if (universe[u] === symbol) return this.bars[u]!;
    const i = this.index.get(symbol);
    if (i === undefined) {
      throw new UserError(`model '${this.model}' asked for '${symbol}', which is not in its universe (${this.universe.join(', ')})`, this.model);
    }
    return this.bars[i]!;
  }

  bar(symbol: string): SymbolBar {
    return this.view(symbol);
  }

  history(symbol: string, n: number, field: BarField = 'close'): Float64Array {
    return this.view(symbol).column(field, n);
  }

  lag(symbol: string, k: number, field: BarField = 'close'): number {
    return this.view(symbol).lag(field, k);
  }

  private cursor(symbol: string, feature: string): DailyCursor | null {
    if (this.callsT !== this.t) {
      this.callsT = this.t;
      this.callAt = 0;
    }
    const at = this.callAt++;
    let c: DailyCursor | null = at < this.calls.length ? this.calls[at]! : null;
    if (c === null || c.symbol !== symbol || c.feature !== feature) {
      c = this.findCursor(symbol, feature);
      if (at < this.calls.length) this.calls[at] = c;
      else this.calls.push(c);
      if (c === null) return null;
    }
    const ts = c.series.ts;
    // Decision times only move forward, so the cursor only moves forward: amortised O(1).
    while (c.pos + 1 < ts.length && ts[c.pos + 1]! <= this.t) c.pos++;
    return c;
  }

  /** The cursor of one daily feature of one symbol (null when the input has no such series). */
  private findCursor(symbol: string, feature: string): DailyCursor | null {
    let bySym = this.cursors.get(symbol);
    // a symbol has cursors only once `view` accepted it (checked on the first lookup)
    if (!bySym) {
      this.view(symbol);
      bySym = new Map();
      this.cursors.set(symbol, bySym);
    }
    let c = bySym.get(feature);
    if (c === undefined) {
      const series = this.dailyData?.get(symbol)?.get(feature);
      c = series ? { symbol, feature, series, pos: -1 } : null;
      bySym.set(feature, c);
    }
    return c;
  }

  daily(symbol: string, feature: string): number {
    const c = this.cursor(symbol, feature);
    return c !== null && c.pos >= 0 ? c.series.values[c.pos]! : NaN;
  }

  dailyHistory(symbol: string, feature: string, n: number): Float64Array {
    const c = this.cursor(symbol, feature);
    if (!c || c.pos < 0 || n <= 0) return EMPTY;
    const from = c.pos + 1 - n;
    return c.series.values.subarray(from > 0 ? from : 0, c.pos + 1);
  }
}
