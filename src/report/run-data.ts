/**
 * The content of a finished backtest run that leaves the shell: the equity curve, orders, fills,
 * trades, marks, per-model P&L, the benchmark and the run's record. It is built once at run time
 * (run-data-build.ts, from the engine result and the bars) and stored (src/store/run-extras.ts);
 * exports, `runs show` and the HTML tear sheet all read this one shape, so an export written at
 * run time and one written from the store in a later session are the same bytes (docs/reports.md).
 */
import type { Gate } from '../core/result.js';
import type { MetricValue } from '../store/record.js';

export interface RunEquity {
  readonly ts: Float64Array;
  readonly nav: Float64Array;
  readonly cash: Float64Array;
  readonly gross: Float64Array;
  readonly net: Float64Array;
  readonly drawdown: Float64Array;
  readonly mode: readonly string[];
}

export interface RunOrder {
  readonly id: number;
  readonly symbol: string;
  /** Signed quantity at placement. */
  readonly qty: number;
  readonly type: string;
  /** Stop or limit level; null for market orders. */
  readonly price: number | null;
  readonly placedAt: number;
  readonly model: string | null;
  readonly reason: string;
  readonly status: string;
  readonly closedAt: number | null;
  /** Signed quantity filled. */
  readonly filled: number;
}

export interface RunFill {
  readonly orderId: number;
  readonly symbol: string;
  /** Fill time: the open of the bar it filled in (same_close: the decision close). */
  readonly ts: number;
  /** The clock step at which the fill entered cash and positions (the close of its bar). */
  readonly bookedTs: number;
  /** Signed quantity. */
  readonly qty: number;
  readonly refPrice: number;
  readonly price: number;
  readonly notional: number;
  readonly fee: number;
  readonly slippage: number;
  readonly impact: number;
  readonly liquidity: string;
  readonly gap: boolean;
  readonly type: string;
  readonly reason: string;
}

export interface RunTrade {
  readonly symbol: string;
  readonly side: string;
  readonly entryTs: number;
  readonly exitTs: number | null;
  readonly maxQty: number;
  readonly entryPrice: number;
  readonly exitPrice: number | null;
  readonly pnl: number;
  readonly fees: number;
  readonly funding: number;
  readonly borrow: number;
}

/** One model's share of the run: cumulative attributed P&L per step and its cost columns. */
export interface RunModel {
  readonly name: string;
  readonly version: string;
  readonly budget: number;
  readonly pnl: Float64Array;
  readonly total: number;
  readonly fees: number;
  readonly slippage: number;
  readonly impact: number;
  readonly funding: number;
  readonly borrow: number;
  readonly decisions: number;
}

export interface RunBenchmark {
  /** 'buy & hold SPY', 'buy & hold BTCUSDT,ETHUSDT,QQQ,SPY (equal weight)', … */
  readonly name: string;
  /** Value of one unit invested at the first step, per step (NaN before it has a price). */
  readonly value: Float64Array;
}

/** Facts from the report layer that the tear sheet shows (kept as plain JSON in the store). */
export interface RunFacts {
  readonly gates: readonly Gate[];
  /** Cost decomposition: gross, fees, slippage, impact, funding, borrow, net (account currency). */
  readonly costs: Readonly<Record<string, number>>;
  /** Performance by regime rows: dimension, regime, bars, time share, return, ann. return, ann. vol, Sharpe. */
  readonly regimes: readonly (readonly (string | number | null)[])[];
  /** Risk-mode changes: time, from, to, drawdown, reason. */
  readonly modeChanges: readonly (readonly (string | number | null)[])[];
}

export interface RunData {
  /** Stored run id (null when the run was not stored). */
  readonly id: string | null;
  readonly label: string;
  readonly kind: string;
  readonly seed: number;
  readonly configDigest: string;
  readonly codeRevision: string;
  readonly dataDigests: Readonly<Record<string, string>>;
  /** The run's result digest (the digest the `backtest` summary prints). */
  readonly resultDigest: string;
  /** The effective configuration of the run (canonical JSON form). */
  readonly config: unknown;
  readonly profile: unknown;
  readonly initialCapital: number;
  readonly interval: string;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  readonly symbols: readonly string[];
  readonly equity: RunEquity;
  /** Per symbol (in `symbols` order): the close the book marked it at, per step (NaN before its first bar). */
  readonly marks: readonly Float64Array[];
  readonly orders: readonly RunOrder[];
  readonly fills: readonly RunFill[];
  readonly trades: readonly RunTrade[];
  readonly models: readonly RunModel[];
  readonly benchmark: RunBenchmark;
  readonly facts: RunFacts;
}
