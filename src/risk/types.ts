/**
 * Risk engine vocabulary (seed 003 §5): risk modes, breaches and the limits in fraction units.
 */

export type RiskMode = 'NORMAL' | 'REDUCED' | 'HALT';

/** Mode codes stored per bar in a Uint8Array (index into RISK_MODES). */
export const RISK_MODES: readonly RiskMode[] = ['NORMAL', 'REDUCED', 'HALT'];
export const MODE_NORMAL = 0;
export const MODE_REDUCED = 1;
export const MODE_HALT = 2;

export type BreachKind =
  | 'per_trade_risk'
  | 'per_asset_cap'
  | 'class_cap'
  | 'max_gross'
  | 'drawdown_reduce'
  | 'drawdown_halt'
  | 'drawdown_recovered'
  | 'halt_no_new_entries'
  | 'kill_switch'
  | 'liquidation';

/** One binding limit or mode change at one decision time. A fact: never mutated. */
export interface RiskBreach {
  /** Decision time (epoch ms UTC). */
  readonly ts: number;
  /** Step on the common clock. */
  readonly step: number;
  readonly kind: BreachKind;
  /** Symbol, asset-class key, or null for portfolio-wide limits. */
  readonly subject: string | null;
  /** Model, for per-trade risk caps. */
  readonly model: string | null;
  /** The value that crossed the limit (weight, gross, drawdown…). */
  readonly value: number;
  readonly limit: number;
  /** What the engine did, e.g. 'scaled 0.5 → 0.4', 'mode REDUCED: targets × 0.5'. */
  readonly action: string;
}

export interface RiskLimits {
  readonly perTradeRisk: number;
  readonly perAssetCap: number;
  /** Class-cap keys in sorted order with their caps. */
  readonly classCaps: readonly { readonly key: string; readonly cap: number }[];
  readonly maxGross: number;
  readonly reduceAt: number;
  /** REDUCED returns to NORMAL only below this drawdown (hysteresis; ≤ reduceAt). */
  readonly recoverAt: number;
  readonly reduceScale: number;
  readonly haltAt: number;
  readonly haltAction: 'no_new_entries' | 'flatten';
  /** Kill switch time (epoch ms), +Infinity when off, -Infinity when on from the start. */
  readonly killAt: number;
}
