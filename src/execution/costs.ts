/**
 * Fill costs (seed 002 §7 cost decomposition, seed 003 §7.3):
 *
 *   taker fill: price = ref × (1 + side × (slippage + impact)),  impact = coef × sqrt(|qty| / ADV)
 *   maker fill: price = ref (no slippage, no impact)
 *   fee = |qty| × price × (maker | taker rate)
 *
 * Square-root impact follows the "square-root law" of market impact (Almgren et al. 2005,
 * "Direct estimation of equity market impact"; Tóth et al. 2011). ADV is the average daily volume
 * in units over the previous days (see `averageDailyVolume`); when ADV is unknown or 0 the impact
 * is 0 (declared in the execution profile). The ledger keeps slippage and impact in currency at the
 * reference price, so (price − ref) × |qty| = slippage + impact exactly.
 */
import type { CostRates, Liquidity } from './types.js';

export interface FillCost {
  price: number;
  fee: number;
  slippage: number;
  impact: number;
}

/**
 * An output object for `fillCost`, which writes all four fields before any is read. NaN in every field
 * so V8 gives them double representation from the start: zeros made small-integer fields, and the sweep
 * kernel's compiled loop was thrown away for that field-type change at its first fill (docs/optimize.md).
 */
export const newFillCost = (): FillCost => ({ price: NaN, fee: NaN, slippage: NaN, impact: NaN });

/** Impact as a fraction of price for an order of |qty| units against an ADV in units per day. */
export function impactFraction(absQty: number, adv: number, coef: number): number {
  if (!(adv > 0) || coef === 0) return 0;
  return coef * Math.sqrt(absQty / adv);
}

export function fillCost(
  qty: number,
  refPrice: number,
  liquidity: Liquidity,
  rates: CostRates,
  adv: number,
  out: FillCost,
): FillCost {
  const absQty = Math.abs(qty);
  const side = qty > 0 ? 1 : -1;
  if (liquidity === 'maker') {
    out.price = refPrice;
    out.slippage = 0;
    out.impact = 0;
    out.fee = absQty * refPrice * rates.maker;
    return out;
  }
  const imp = impactFraction(absQty, adv, rates.impactCoef);
  out.price = refPrice * (1 + side * (rates.slippage + imp));
  out.slippage = absQty * refPrice * rates.slippage;
  out.impact = absQty * refPrice * imp;
  out.fee = absQty * out.price * rates.taker;
  return out;
}
