/**
 * Checking an order against the venue's rules before it is sent (docs/brokers.md "Order checks"):
 * quantity a multiple of the lot and at least the minimum, value at least the minimum notional,
 * limit and stop prices on the tick, stop and stop-limit orders only where the venue takes them,
 * no short sale where the venue has none, and for US equities the regular session. Each refusal is one line naming the order, the rule and the venue's number.
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
  const stopRefusal = refuseStop(r, rules, c.venue);
  if (stopRefusal !== null) return `${id}: ${stopRefusal}`;
  const abs = Math.abs(r.qty);
  if (!onStep(abs, rules.qtyStep)) return `${id}: quantity ${abs} of ${r.symbol} is not a multiple of ${c.venue}'s lot ${rules.qtyStep}`;
  if (abs < rules.minQty) return `${id}: quantity ${abs} of ${r.symbol} is below ${c.venue}'s minimum ${rules.minQty}`;
  for (const [what, level] of [['price', r.price], ['limit price', r.limitPrice]] as const) {
    if (r.type !== 'market' && level !== undefined && !onStep(level, rules.priceStep)) {
      return `${id}: ${what} ${level} of ${r.symbol} is not on ${c.venue}'s tick ${rules.priceStep}`;
    }
  }
  // the value an order trades at: the limit, a stop-limit's limit, a stop's trigger, or the last price
  const ref = r.type === 'market' ? c.mark : (r.limitPrice ?? r.price!);
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

/** Why a stop (or a limit price on anything but a stop) cannot go to this venue, or null. */
function refuseStop(r: OrderRequest, rules: SymbolRules, venue: VenueName): string | null {
  if (r.limitPrice !== undefined && r.type !== 'stop') return `a limit price goes with a stop order only (this is a ${r.type} order)`;
  if (r.type !== 'stop') return null;
  const kind = r.limitPrice === undefined ? 'stop' : 'stop-limit';
  if (r.limitPrice !== undefined && !(typeof r.limitPrice === 'number' && r.limitPrice > 0 && r.limitPrice < Infinity)) {
    return `a stop-limit order needs a positive limit price, got ${String(r.limitPrice)}`;
  }
  const ok = kind === 'stop' ? rules.stops.stop : rules.stops.stopLimit;
  if (ok) return null;
  const other = kind === 'stop' ? (rules.stops.stopLimit ? '; send a stop-limit (limitPrice) instead' : '') : rules.stops.stop ? '; send a plain stop instead' : '';
  return `${venue} does not take ${kind} orders for ${r.symbol}${rules.stops.refusal ? ` (${rules.stops.refusal})` : ''}${other}`;
}
