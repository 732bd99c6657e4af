/**
 * Orders, fills and the execution profile of the simulated broker (seed 003 §7.3). Orders and
 * fills are immutable facts once created (STYLE.md "treat results as facts"); the engine allocates
 * them only when something is actually ordered or filled.
 */
import type { AssetClass } from '../core/table.js';

export type OrderType = 'market' | 'stop' | 'limit';

/** Why an order exists: a portfolio rebalance toward targets, a model's protective stop, or a risk action. */
export type OrderReason = 'rebalance' | 'stop' | 'risk_flatten' | 'kill_switch' | 'liquidation';

export type OrderStatus = 'filled' | 'cancelled' | 'expired' | 'open';

export type Liquidity = 'maker' | 'taker';

export interface OrderRecord {
  /** Sequential id within the run (1-based). */
  readonly id: number;
  readonly symbol: string;
  /** Signed quantity: positive buys, negative sells (for stops: the quantity at placement). */
  readonly qty: number;
  readonly type: OrderType;
  /** Stop trigger or limit price; null for market orders. */
  readonly price: number | null;
  /** Decision time (epoch ms UTC) the order was created at. */
  readonly placedAt: number;
  /** Model the order belongs to (stops), or null for net portfolio orders. */
  readonly model: string | null;
  readonly reason: OrderReason;
  /** Final status at the end of the run. */
  status: OrderStatus;
  /** Time the status last changed (fill or cancel), null while open. */
  closedAt: number | null;
  /**
   * Quantity filled so far (signed like `qty`). Kept only when `execution.max_participation` is set,
   * where an order can fill in parts; without a cap an order fills whole or not at all.
   */
  filled?: number;
}

export interface FillRecord {
  readonly orderId: number;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Time of the fill: the open time of the bar it filled in (same_close: the decision close). */
  readonly ts: number;
  /** Signed quantity filled. */
  readonly qty: number;
  /** Price before slippage and impact (the open, the stop/limit level, or the close). */
  readonly refPrice: number;
  /** Executed price after slippage and impact. */
  readonly price: number;
  /** |qty| × price. */
  readonly notional: number;
  readonly fee: number;
  /** |qty| × refPrice × slippage fraction. */
  readonly slippage: number;
  /** |qty| × refPrice × impact fraction. */
  readonly impact: number;
  readonly liquidity: Liquidity;
  /** True when a stop or limit was gapped through and filled at the open. */
  readonly gap: boolean;
  readonly type: OrderType;
  readonly reason: OrderReason;
}

/** Costs of one asset-class key, as fractions (config values are bps). */
export interface CostRates {
  readonly maker: number;
  readonly taker: number;
  readonly slippage: number;
  readonly impactCoef: number;
  /** Borrow fee on short positions, fraction per year (0: none; always 0 for perpetuals). */
  readonly borrow: number;
}

export interface LotRule {
  readonly lotSize: number;
  readonly minQty: number;
  readonly minNotional: number;
}

/**
 * The declared fill assumptions. Every backtest result starts with it and it is part of the run
 * record and digest, so two runs with different assumptions can be told apart and diffed.
 */
export interface ExecutionProfile {
  /** When models decide. */
  readonly decisionTime: 'bar_close';
  /** Where market orders fill. */
  readonly fillPrice: 'next_open' | 'same_close';
  /** How stops and limits meet a bar. */
  readonly intrabar: {
    readonly path: 'ohlc';
    readonly stops: 'trigger inside next bar high/low; gap through the level fills at the open';
    readonly limits: 'touch' | 'through';
  };
  /** Cost model per asset-class key (bps as configured). */
  readonly costs: Readonly<
    Record<string, { maker_bps: number; taker_bps: number; slippage_bps: number; impact_coef: number; borrow_bps_year?: number }>
  >;
  readonly impact: { readonly formula: 'coef * sqrt(|qty| / ADV)'; readonly advDays: number; readonly appliesTo: 'taker fills' };
  readonly slippageAppliesTo: 'taker fills (market, stop, marketable limit)';
  readonly lots: Readonly<Record<string, { lot_size: number; min_qty: number; min_notional: number }>>;
  readonly funding: 'bars funding_rate × position notional at the close; longs pay positive rates' | 'off';
  readonly rebalanceBand: number;
  readonly shorts: 'allowed when a model asks for negative weights';
  /**
   * How short positions are charged for borrowing, declared only when some cost key sets a nonzero
   * `borrow_bps_year` (a profile without it is the profile of every run before borrow fees existed).
   */
  readonly borrow?: '|qty| × close × borrow_bps_year/1e4 × bar length / 365 d at each close of a short position; not on crypto_perp';
  /** The volume participation cap, declared only when `execution.max_participation` is set. */
  readonly participation?: {
    readonly maxParticipation: number;
    readonly rule: 'an order fills at most cap × bar volume per bar (rounded down to the lot); the rest works on later bars; zero volume fills nothing';
  };
}
