/**
 * Order quantity rounding (seed 003 §7.3): quantities are rounded toward zero to a multiple of the
 * lot size (whole shares for equities, e.g. 0.0001 for crypto), so an order never overshoots its
 * target; orders below the minimum quantity or notional are not sent (0 is returned).
 */
import type { LotRule } from './types.js';

/** Decimal places of a lot size such as 0.0001 (→ 4) or 0.25 (→ 2), used to print clean quantities. */
export function lotDecimals(lot: number): number {
  const s = String(lot);
  const e = s.indexOf('e-');
  if (e >= 0) {
    const mant = s.slice(0, e);
    const dot = mant.indexOf('.');
    return Math.min(20, Number(s.slice(e + 2)) + (dot >= 0 ? mant.length - dot - 1 : 0));
  }
  const dot = s.indexOf('.');
  return dot >= 0 ? s.length - dot - 1 : 0;
}

const POW10 = Array.from({ length: 21 }, (_, i) => 10 ** i);

/** Round a quantity to `dec` decimals (removes binary noise such as 0.30000000000000004). */
export function cleanQty(x: number, dec: number): number {
  if (dec === 0) return Math.round(x);
  const f = POW10[dec]!;
  return Math.round(x * f) / f;
}

let lastLot = NaN;
let lastDec = 0;

export function roundToLot(qty: number, price: number, rule: LotRule): number {
  if (!Number.isFinite(qty) || qty === 0) return 0;
  const steps = Math.floor(Math.abs(qty) / rule.lotSize + 1e-9);
  if (steps === 0) return 0;
  if (rule.lotSize !== lastLot) {
    lastLot = rule.lotSize;
    lastDec = lotDecimals(rule.lotSize);
  }
  const abs = cleanQty(steps * rule.lotSize, lastDec);
  if (abs < rule.minQty) return 0;
  if (abs * price < rule.minNotional) return 0;
  return qty > 0 ? abs : -abs;
}
