/**
 * Volume participation cap (`execution.max_participation`): an order may take at most
 * `cap × volume` of one bar, rounded down to the lot. The rest of a market order keeps working on
 * later bars under the same rule; a bar with zero (or missing) volume fills nothing.
 *
 *   limit(bar) = floor(cap × volume / lot) × lot        (0 when volume ≤ 0 or NaN)
 *   fill       = sign(remaining) × min(|remaining|, limit(bar))
 */
import { cleanQty, lotDecimals } from './lots.js';

/** Largest absolute quantity one order may fill in a bar of `volume` (rounded down to the lot). */
export function participationLimit(volume: number, cap: number, lotSize: number): number {
  if (!(volume > 0) || !(cap > 0)) return 0;
  const steps = Math.floor((cap * volume) / lotSize + 1e-9);
  return steps > 0 ? cleanQty(steps * lotSize, lotDecimals(lotSize)) : 0;
}

/** The signed part of `qty` that fills under an absolute `limit` (Infinity = no cap). */
export function cappedQty(qty: number, limit: number): number {
  if (qty >= 0) return qty <= limit ? qty : limit;
  return -qty <= limit ? qty : -limit;
}
