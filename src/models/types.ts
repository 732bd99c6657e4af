/**
 * The model contract (seed 003 §3.2). A model is a pure "trading brain": at every decision time
 * (a bar close on the backtest's common clock) it receives a `ModelContext` and answers with target
 * weights *relative to its own budget*. It never reads files, never sees a broker, never sees other
 * models, and never sees a bar that closes after `ctx.t`: every price view the context hands out
 * ends at the current bar (structural point-in-time guarantee; the engine owns the arrays).
 *
 * The same model object runs in the backtest engine and in paper trading; only the clock and the
 * broker behind the portfolio differ.
 *
 * Performance contract: the engine reuses ONE context object per model for the whole run and
 * mutates it in place, so a model must not keep references to `ctx` fields across calls (copy the
 * numbers it needs into `ctx.state`). A model that has nothing new to say returns `null`, which keeps
 * its previous targets and costs the engine nothing.
 */
import type { AssetClass, BarFrame } from '../core/table.js';
import type { Interval } from '../core/time.js';
import type { RegimeSnapshot } from '../regime/types.js';
import type { Sizing } from './lib/sizing.js';

/** A numeric bar column a model may read: OHLCV plus optional extras ('funding_rate', 'open_interest', …). */
export type BarField = 'open' | 'high' | 'low' | 'close' | 'volume' | (string & {});

/**
 * One symbol's latest *closed* bar at the decision time. Values are read through getters from the
 * engine's typed arrays (nothing is copied per bar). Before a symbol's first bar closes, `index`
 * is -1 and every price is NaN.
 */
export interface SymbolBar {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly interval: Interval;
  /** Index of the latest closed bar in this symbol's own arrays (-1 when none has closed yet). */
  readonly index: number;
  /** Open time of that bar (epoch ms UTC). */
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /**
   * True when this bar closed exactly at `ctx.t`. False when the symbol's latest bar is older
   * (an equity overnight or at a weekend on a 24/7 crypto clock, or a gap in the data).
   */
  readonly fresh: boolean;
}

/** The budget the portfolio engine gives the model at this decision (after regime budgets). */
export interface ModelBudget {
  /** Fraction of NAV, B_m in [0, 1]. */
  readonly fraction: number;
  /** fraction × NAV marked at the previous close, in account currency. */
  readonly value: number;
}

export interface ModelContext {
  /** Decision time: the bar close on the common clock (epoch ms UTC). */
  readonly t: number;
  /** Step index on the common clock (0-based). */
  readonly barIndex: number;
  /** The model's universe, in the model's own order (same order as `bars`). */
  readonly universe: readonly string[];
  /** Latest closed bar per symbol, in `universe` order (no lookup cost: index it). */
  readonly bars: readonly SymbolBar[];
  /** Latest closed bar of one symbol of the model's universe (UserError for a symbol outside it). */
  bar(symbol: string): SymbolBar;
  /**
   * The last `n` values of `field` up to and including the current bar, oldest first: a subarray view
   * of the engine's column (no copy). Shorter than `n` when fewer bars have closed; empty before the
   * first. It never extends past the current bar.
   * @default field 'close'
   */
  history(symbol: string, n: number, field?: BarField): Float64Array;
  /**
   * One value `k` bars back from the current bar (k = 0: the current bar), NaN when that bar does not
   * exist. Allocation-free: the fast path for models that keep running sums in `state`.
   * @default field 'close'
   */
  lag(symbol: string, k: number, field?: BarField): number;
  /**
   * A daily feature aligned to the decision time: the latest value whose known-at time is ≤ t
   * (NaN when none is known yet or the feature was not supplied). Feature names are whatever the
   * backtest input supplied for this symbol (e.g. 'sma_200', 'mom_60').
   */
  daily(symbol: string, feature: string): number;
  /** The last `n` known values of a daily feature (view, oldest first), like `history`. */
  dailyHistory(symbol: string, feature: string, n: number): Float64Array;
  /** Point-in-time regime snapshot at `t`. */
  readonly regime: RegimeSnapshot;
  readonly budget: ModelBudget;
  /**
   * The model's current attributed exposure per universe symbol, as a weight *relative to its
   * budget* (position value attributed to this model ÷ budget value; 0 when flat or when the budget
   * is 0). Same object every call, updated in place; keys are the universe symbols.
   */
  readonly exposures: Readonly<Record<string, number>>;
  /** Per-model scratch space that persists across calls (running sums, last signal…). */
  readonly state: Record<string, unknown>;
}

/** Optional order hints for one symbol. Prices in the symbol's quote currency. */
export interface OrderHint {
  /**
   * Protective stop for the position this decision leads to: a sell stop below a long, a buy stop
   * above a short. It rests until it triggers (inside a later bar's high/low; a gap through it fills
   * at the open), the position is closed, or the model sends a new hint. Also used by the risk
   * engine's per-trade risk cap (risk = |entry − stop| / entry × weight).
   */
  readonly stop?: number;
  /**
   * Work the order that moves toward the target as a limit at this price instead of a market order.
   * Good for one bar: unfilled limits are cancelled and re-issued at the next decision.
   */
  readonly limit?: number;
}

export interface ModelDecision {
  /**
   * Target weights relative to the model's budget: 1.0 = the whole budget long, -0.5 = half the
   * budget short. Symbols not named are 0. Every value must be finite (NaN is rejected with the
   * model, symbol and time in the message); symbols must be in the model's universe.
   */
  readonly weights: Readonly<Record<string, number>>;
  /** Confidence in [0, 1], overall or per symbol (recorded; not used for sizing in v1). */
  readonly confidence?: number | Readonly<Record<string, number>>;
  /** Expected holding horizon in bars of the common clock (recorded; not used for sizing in v1). */
  readonly horizonBars?: number;
  /** Stop and limit hints per symbol. */
  readonly stops?: Readonly<Record<string, OrderHint>>;
}

export interface Model {
  /** Registry name, e.g. 'sma_cross', 'equity_trend' (the key under backtest.models in the config). */
  readonly name: string;
  /** Semantic version of the model's logic, recorded in the run record. */
  readonly version: string;
  /** Symbols the model trades and reads (every one must have data in the backtest). */
  readonly universe: readonly string[];
  /**
   * Bars the model needs before its first decision: `decide` is not called until every universe
   * symbol has at least this many closed bars (targets stay 0 until then).
   */
  readonly warmupBars: number;
  /** Parameters as validated by the model (recorded in the run record and the config digest). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * Called once per decision time after warm-up. Return new targets, or `null` to keep the previous
   * targets unchanged (cheap: no aggregation or risk work is redone for this model).
   */
  decide(ctx: ModelContext): ModelDecision | null;
  /**
   * Optional vectorised form of `decide` for a single-symbol model without stop or limit hints (the
   * backtest's fast path, docs/backtest-engine.md "Fast path"): the model's side at every bar of its
   * symbol, computed in one pass over the columns. It must describe exactly what `decide` does:
   * `decide` at bar t answers `{ [symbol]: side[t] === 0 ? 0 : side[t] × sizeWeight(sizing, close[t],
   * budget value) }` when side[t] is a number different from the side it last answered (the first
   * number always counts), and `null` otherwise. side[t] may read rows ≤ t only and must not depend
   * on the bar at which `decide` was first called. A wrapper that changes `decide` must not carry
   * this method over (spreading a model copies it).
   *
   * `into`, when given, is scratch memory of at least the columns' length that the caller reads
   * only until its next call: the model may write the side there and return a view of it instead
   * of a fresh array (the bias probes compute a signal per truncated copy of the bars, and fresh
   * memory costs page faults). A model or wrapper may ignore it.
   */
  targetsVector?(columns: BarFrame['columns'], into?: Float64Array): TargetVector;
}

/** A single-symbol model's signal as a column (see `Model.targetsVector`). */
export interface TargetVector {
  /** Per bar: +1 long, −1 short, 0 flat (or any signed multiple of the sizing); NaN: no opinion (warm-up, NaN inputs). */
  readonly side: Float64Array;
  /** How a side becomes a weight relative to the budget at the decision (units sizing reads NAV then). */
  readonly sizing: Sizing;
}

/**
 * A daily (or any slower) feature series supplied to the engine for `ctx.daily`: `ts[i]` is the time
 * the value becomes known (for a daily bar: its close), ascending; `values[i]` the value.
 */
export interface AlignedSeries {
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** Daily features: symbol → feature name → series. */
export type DailyFeatures = ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>;
