/**
 * Borrow fee on short positions (stock-loan fee, quoted per year on the value borrowed). At each
 * bar close where the position is short, cash pays
 *
 *   fee = |q| × close × rate_per_year × (bar length / 365 days)
 *
 * where the bar length is the time from the symbol's previous bar close to this close (weekends and
 * overnight gaps accrue too, as stock loans do; the first bar of a symbol counts its own open → close).
 * Long and flat positions pay nothing. Perpetual swaps pay funding instead and never borrow: the
 * engine sets their rate to 0 whatever the config says (`borrowRate`). Returns the fee as a
 * non-negative amount (0 when nothing is owed).
 */
import type { AssetClass } from '../core/table.js';

export const YEAR_MS = 365 * 86_400_000;

export function borrowFee(qty: number, close: number, ratePerYear: number, barMs: number): number {
  if (!(qty < 0) || ratePerYear === 0 || !(barMs > 0)) return 0;
  return ((-qty * close * ratePerYear) * barMs) / YEAR_MS;
}

/** Borrow rate as a fraction per year for an asset class, from the configured bps (0 for perpetuals). */
export function borrowRate(assetClass: AssetClass, bpsPerYear: number | undefined): number {
  if (assetClass === 'crypto_perp' || bpsPerYear === undefined) return 0;
  return bpsPerYear / 1e4;
}
