/**
 * Maintenance margin and liquidation (docs/backtest-engine.md "Margin and liquidation").
 *
 * The account must keep its equity E = cash + Σ q·p at or above the maintenance requirement
 * MM = Σ m_class · |q| · p, with m_class the maintenance margin of the asset's class
 * (`backtest.risk.maintenance_margin`, by class / group / default; built-in defaults below). When a
 * bar of asset s takes E below MM, the position in s is liquidated at the price where E = MM,
 * holding the other assets at their marks:
 *
 *   E(p) − MM(p) = K + q·p − m·|q|·p,   K = cash + Σ_{other} q'·p' − Σ_{other} m'·|q'|·p'
 *   short (q < 0): breached once p ≥ P* = K / (|q| · (1 + m))      — met by the bar's high
 *   long  (q > 0): breached once p ≤ P* = −K / (q · (1 − m))       — met by the bar's low
 *
 * A bar that opens beyond P* (a gap) liquidates at the open. The liquidation is a taker fill with the
 * usual costs. If, after it, equity is still below 0 (a gap, or costs above the margin), the shortfall
 * is written off so NAV stays ≥ 0 — the venue's loss, as an exchange's insurance fund takes it —
 * unless `risk.allow_negative_equity` is true.
 */
import type { AssetClass } from '../core/table.js';
import { byClass } from './classes.js';

/** Built-in maintenance margins: equities 25 % (FINRA Rule 4210 minimum for long equity), crypto 5 %, others 25 %. */
export const DEFAULT_MAINTENANCE_MARGIN: Readonly<Record<string, number>> = { equities: 0.25, crypto: 0.05, default: 0.25 };

/** Maintenance margin per symbol from the config record (keys by class, group or default) over the built-in defaults. */
export function maintenanceRates(classes: readonly AssetClass[], configured: Readonly<Record<string, number>> | undefined): Float64Array {
  const record = { ...DEFAULT_MAINTENANCE_MARGIN, ...(configured ?? {}) };
  return Float64Array.from(classes, (c) => byClass(record, c, 'risk.maintenance_margin'));
}

/**
 * The price of the asset at which equity meets the maintenance requirement (see the file comment),
 * or NaN when the position is flat or no price can breach (a long whose K ≥ 0, m ≥ 1 on a long).
 * @param rest K: cash + value of the other positions − their requirement
 */
export function liquidationPrice(q: number, m: number, rest: number): number {
  if (q < 0) return rest > 0 ? rest / (-q * (1 + m)) : 0;
  if (q > 0 && m < 1) return rest < 0 ? -rest / (q * (1 - m)) : NaN;
  return NaN;
}

/**
 * Whether no bar can liquidate a long position of this book, whatever its prices: true when the
 * cash is ≥ 0, no position is short and every maintenance margin is ≤ 1 (`marginsAtMostOne`). Then
 * for a long q > 0 in s, K = cash + Σ_{other} (v' − m'·|v'|) with v' = q'·p' ≥ 0 (q' ≥ 0, prices
 * positive) and m'·v' ≤ v' (m' ≤ 1, and rounding is monotone, so the float product is ≤ v' too):
 * K is a sum of terms ≥ 0, so K ≥ 0 (or NaN), and `liquidationPrice(q, m, K)` is NaN — no level, no
 * liquidation. The Trader tests this before its margin check at every bar of a held long.
 */
export function longBookCannotBreach(cash: number, position: Float64Array, marginsAtMostOne: boolean): boolean {
  if (!marginsAtMostOne || !(cash >= 0)) return false;
  for (let s = 0; s < position.length; s++) if (position[s]! < 0) return false;
  return true;
}

/**
 * Where a bar meets the liquidation price: the open when the bar opens beyond it (gap), else the
 * level when the high (short) or low (long) reaches it, else NaN.
 */
export function liquidationFill(q: number, level: number, open: number, high: number, low: number): { price: number; gap: boolean } | null {
  if (!(level === level)) return null;
  if (q < 0) {
    if (open >= level) return { price: open, gap: true };
    return high >= level ? { price: level, gap: false } : null;
  }
  if (open <= level) return { price: open, gap: true };
  return low <= level ? { price: level, gap: false } : null;
}
