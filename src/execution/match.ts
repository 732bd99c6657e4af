/**
 * Where an order meets one bar (seed 003 §7.3, bar-based intrabar simulation over OHLC).
 *
 * - market: fills at the bar's open (taker).
 * - stop (buy above / sell below): if the open is already through the level the stop was gapped
 *   and fills at the open; otherwise it triggers when the high (buy) / low (sell) reaches the level
 *   and fills at the level (taker).
 * - limit buy at L: an open at or below L is marketable and fills at the open (taker, gap); otherwise
 *   it fills at L (maker) when low ≤ L ('touch') or low < L ('through'). Sell limits mirror this.
 *
 * The result goes into a caller-owned `MatchResult` (no allocation). `price` is NaN when the order
 * does not trigger in this bar.
 */
import type { OrderType, Liquidity } from './types.js';

export interface MatchResult {
  price: number;
  liquidity: Liquidity;
  gap: boolean;
  /** Position along the O→(L,H)→C path where the fill happens (0 = open); orders several triggered in one bar fill in this order. */
  pathRank: number;
}

export const newMatchResult = (): MatchResult => ({ price: NaN, liquidity: 'taker', gap: false, pathRank: 0 });

/**
 * @param side +1 buy, -1 sell
 * @param level stop or limit price (ignored for market)
 * @param limitFill 'touch' (low ≤ L fills) or 'through' (low < L fills)
 */
export function matchOrder(
  type: OrderType,
  side: number,
  level: number,
  open: number,
  high: number,
  low: number,
  close: number,
  limitFill: 'touch' | 'through',
  out: MatchResult,
): MatchResult {
  out.price = NaN;
  out.liquidity = 'taker';
  out.gap = false;
  out.pathRank = 0;
  if (type === 'market') {
    out.price = open;
    return out;
  }
  // OHLC path rule: a bar that closes at or above its open went open → low → high → close,
  // one that closes below went open → high → low → close. Rank 1 = first extreme, 2 = second.
  const lowFirst = close >= open;
  const rankLow = lowFirst ? 1 : 2;
  const rankHigh = lowFirst ? 2 : 1;
  if (type === 'stop') {
    if (side > 0) {
      if (open >= level) return gapFill(out, open);
      if (high >= level) return levelFill(out, level, 'taker', rankHigh);
    } else {
      if (open <= level) return gapFill(out, open);
      if (low <= level) return levelFill(out, level, 'taker', rankLow);
    }
    return out;
  }
  // limit
  if (side > 0) {
    if (open <= level) return gapFill(out, open);
    if (limitFill === 'touch' ? low <= level : low < level) return levelFill(out, level, 'maker', rankLow);
  } else {
    if (open >= level) return gapFill(out, open);
    if (limitFill === 'touch' ? high >= level : high > level) return levelFill(out, level, 'maker', rankHigh);
  }
  return out;
}

function gapFill(out: MatchResult, open: number): MatchResult {
  out.price = open;
  out.gap = true;
  out.liquidity = 'taker';
  out.pathRank = 0;
  return out;
}

function levelFill(out: MatchResult, level: number, liquidity: Liquidity, rank: number): MatchResult {
  out.price = level;
  out.liquidity = liquidity;
  out.pathRank = rank;
  return out;
}
