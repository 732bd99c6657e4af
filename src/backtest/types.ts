/**
 * Inputs and results of the backtest engine (seed 003 §7, §9.1, §9.3; seed 002 cost decomposition
 * and reproducibility). A result is a fact: plain typed arrays and records, never mutated after the
 * engine returns it.
 */
import type { BarFrame, AssetClass } from '../core/table.js';
import type { Interval } from '../core/time.js';
import type { RegimeLookup } from '../regime/types.js';
import type { BacktestConfig } from '../config/sections/backtest.js';
import type { DailyFeatures, Model } from '../models/types.js';
import type { ExecutionProfile, FillRecord, OrderRecord } from '../execution/types.js';
import type { RiskBreach, RiskMode } from '../risk/types.js';

export interface EngineSymbol {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Nominal bar interval; a bar closes at ts + interval unless the frame has a `close_ts` column. */
  readonly interval: Interval;
  readonly bars: BarFrame;
  /** Dataset name the bars came from (recorded with its digest). */
  readonly dataset: string;
  /** Content digest of the dataset (tableDigest). */
  readonly digest: string;
}

export interface EngineModel {
  readonly model: Model;
  /** Base budget B_m (fraction of NAV). */
  readonly budget: number;
}

export interface BacktestProgress {
  readonly step: number;
  readonly steps: number;
  /** Decision time reached (epoch ms UTC). */
  readonly t: number;
}

export interface BacktestInput {
  /** Every symbol that may be traded, in a fixed order (the engine keeps it). */
  readonly symbols: readonly EngineSymbol[];
  /** Models in a fixed order (decisions run in this order). */
  readonly models: readonly EngineModel[];
  /** The parsed `backtest` config section (costs, risk, execution, capital, regime budgets). */
  readonly config: BacktestConfig;
  /** Point-in-time regime lookup (src/regime getRegimeLookup, or a constant in tests). */
  readonly regimeAt: RegimeLookup;
  /** Daily features for `ctx.daily` (symbol → feature → series by known-at time). */
  readonly daily?: DailyFeatures;
  /** First decision time / last bar close (epoch ms UTC); defaults from config start/end, else all bars. */
  readonly start?: number;
  readonly end?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BacktestProgress) => void;
  /** Steps between abort checks and progress calls. @default 65536 */
  readonly checkEvery?: number;
}

/** Cost decomposition in account currency (seed 002 §7 R4). */
export interface CostLedger {
  /** P&L before fees, slippage, impact, funding and borrow: net + fees + slippage + impact + funding + borrow. */
  readonly gross: number;
  readonly fees: number;
  readonly slippage: number;
  readonly impact: number;
  /** Net funding paid (positive = paid, negative = received). */
  readonly funding: number;
  /** Borrow fees paid on short positions (≥ 0). Left out of the result digest when 0. */
  readonly borrow: number;
  /** NAV end − initial capital. */
  readonly net: number;
  /** Σ |qty × price| over fills. */
  readonly tradedNotional: number;
}

export interface AttributionCosts {
  readonly fees: number;
  readonly slippage: number;
  readonly impact: number;
  /** Net funding paid. */
  readonly funding: number;
  /** Borrow fees paid on shorts (booked to the models holding the short, pro rata to their short quantity). */
  readonly borrow: number;
}

export interface ModelAttribution extends AttributionCosts {
  readonly name: string;
  readonly version: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly budget: number;
  /** Cumulative attributed P&L at each step (account currency). */
  readonly pnl: Float64Array;
  /** Final attributed P&L. */
  readonly total: number;
  /** Decisions that changed targets. */
  readonly decisions: number;
}

export interface AssetAttribution extends AttributionCosts {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Final P&L of the asset (fills, costs, funding, marked at the last close). */
  readonly total: number;
  readonly tradedNotional: number;
  readonly finalQty: number;
  readonly finalWeight: number;
}

/** A round trip: from flat to flat (a flip closes one trade and opens the next). */
export interface TradeRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly entryTs: number;
  /** null while the trade is still open at the end of the run. */
  readonly exitTs: number | null;
  /** Largest absolute quantity held during the trade. */
  readonly maxQty: number;
  /** Volume-weighted entry and exit prices (exit null while open). */
  readonly entryPrice: number;
  readonly exitPrice: number | null;
  /** Net P&L: fills, fees, funding and borrow (open trades: marked at the last close). */
  readonly pnl: number;
  readonly fees: number;
  readonly funding: number;
  /** Borrow fees the trade paid while open; present only when nonzero (so results without borrow keep their digests). */
  readonly borrow?: number;
}

export interface BacktestResult {
  /** The declared fill assumptions, first thing in every result. */
  readonly profile: ExecutionProfile;
  readonly initialCapital: number;
  /** Finest bar interval among the symbols (for annualisation). */
  readonly interval: Interval;
  readonly symbols: readonly { readonly symbol: string; readonly assetClass: AssetClass; readonly dataset: string; readonly digest: string }[];
  /** Per step of the common clock (decision times = bar closes). */
  readonly ts: Float64Array;
  readonly nav: Float64Array;
  readonly cash: Float64Array;
  /** Σ|position value| / NAV. */
  readonly gross: Float64Array;
  /** Σ position value / NAV. */
  readonly net: Float64Array;
  /** 1 − NAV / running peak. */
  readonly drawdown: Float64Array;
  /** Risk mode code per step (index into RISK_MODES). */
  readonly mode: Uint8Array;
  /** Breaches recorded at each step. */
  readonly breachCount: Uint32Array;
  readonly breaches: readonly RiskBreach[];
  readonly orders: readonly OrderRecord[];
  readonly fills: readonly FillRecord[];
  readonly trades: readonly TradeRecord[];
  readonly costs: CostLedger;
  readonly models: readonly ModelAttribution[];
  readonly assets: readonly AssetAttribution[];
  readonly finalMode: RiskMode;
}
