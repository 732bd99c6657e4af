/**
 * Checking an order against the venue's rules before it is sent (docs/brokers.md "Order checks"):
 * quantity a multiple of the lot and at least the minimum, value at least the minimum notional,
 * limit and stop prices on the tick, no short sale where the venue has none, and for US equities
 * the regular session. Each refusal is one line naming the order, the rule and the venue's number.
 */
import type { OrderRequest } from '../broker.js';
import type { MarketClock, SymbolRules, VenueName } from './types.js';

/** True when `x` is a whole multiple of `step` (within binary noise: 0.3 is a multiple of 0.1). */
export function onStep(x: number, step: number): boolean {
  if (!(step > 0)) return true;
  return Math.abs(Math.round(x / step) * step - x) <= step * 1e-7;
}

export interface CheckContext {
  readonly venue: VenueName;
  readonly rules: SymbolRules | undefined;
  readonly tradable: readonly string[];
  /** Latest known price of the symbol (NaN when none yet). */
  readonly mark: number;
  /** Position the account would hold before this order (for the no-short check). */
  readonly position: number;
  readonly clock: MarketClock | undefined;
  readonly now: number;
}

/** Why the venue would refuse `r`, or null when it passes every rule we know. */
export function orderRefusal(r: OrderRequest, c: CheckContext): string | null {
  const id = `order ${r.clientId}`;
  const rules = c.rules;
  if (!rules) return `unknown symbol '${r.symbol}' (this ${c.venue} broker trades ${c.tradable.join(', ')})`;
  if (!(typeof r.qty === 'number' && Number.isFinite(r.qty) && r.qty !== 0)) return `${id}: quantity ${String(r.qty)} must be a nonzero finite number`;
  if (r.type !== 'market' && !(typeof r.price === 'number' && r.price > 0 && r.price < Infinity)) {
    return `${id}: a ${r.type} order needs a positive price, got ${String(r.price)}`;
  }
  if (r.type === 'stop') return `${id}: stop orders are not sent to ${c.venue} (the paper loop keeps stops in its own book)`;
  const abs = Math.abs(r.qty);
  if (!onStep(abs, rules.qtyStep)) return `${id}: quantity ${abs} of ${r.symbol} is not a multiple of ${c.venue}'s lot ${rules.qtyStep}`;
  if (abs < rules.minQty) return `${id}: quantity ${abs} of ${r.symbol} is below ${c.venue}'s minimum ${rules.minQty}`;
  if (r.type !== 'market' && !onStep(r.price!, rules.priceStep)) {
    return `${id}: price ${r.price} of ${r.symbol} is not on ${c.venue}'s tick ${rules.priceStep}`;
  }
  const ref = r.type === 'market' ? c.mark : r.price!;
  if (rules.minNotional > 0 && ref > 0 && abs * ref < rules.minNotional) {
    return `${id}: value ${(abs * ref).toFixed(2)} of ${r.symbol} is below ${c.venue}'s minimum order value ${rules.minNotional}`;
  }
  if (!rules.shortable && r.qty < 0 && c.position + r.qty < -rules.qtyStep * 1e-6) {
    return `${id}: selling ${abs} ${r.symbol} would leave a short position (${c.position} held); ${c.venue} spot does not lend`;
  }
  if (rules.sessionHours && c.clock) {
    const open = c.clock.isOpen ? c.now < c.clock.nextClose : c.now >= c.clock.nextOpen && c.now < c.clock.nextClose;
    if (!open) {
      return `${id}: the market for ${r.symbol} is closed (regular session opens ${new Date(c.clock.nextOpen).toISOString()}); not sent`;
    }
  }
  return null;
}
