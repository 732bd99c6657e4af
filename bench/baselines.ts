/**
 * Plain typed-array baselines that benchmarks put beside the engine in the same run, so every
 * engine figure is read against a reference measured under the same conditions.
 */
import type { BacktestResult } from '../src/backtest/types.js';

/**
 * A 10/30 SMA crossover with running sums over one Float64Array: the signal only, no accounting.
 * Returns the number of direction changes so the work cannot be optimised away.
 */
export function plainCross(c: Float64Array): number {
  let sf = 0;
  let ss = 0;
  let pos = 0;
  let flips = 0;
  for (let i = 0; i < c.length; i++) {
    sf += c[i]!;
    ss += c[i]!;
    if (i >= 10) sf -= c[i - 10]!;
    if (i >= 30) ss -= c[i - 30]!;
    if (i >= 29) {
      const d = sf / 10 > ss / 30 ? 1 : 0;
      if (d !== pos) {
        pos = d;
        flips++;
      }
    }
  }
  return flips;
}

/** The backtest a lean loop runs: long-only crossover sized at a fraction of NAV, next-open fills. */
export interface CrossSpec {
  readonly fast: number;
  readonly slow: number;
  readonly capital: number;
  /** Target weight while long (sizing fraction × budget), e.g. 0.95. */
  readonly fraction: number;
  /** Taker fee as a fraction of notional (no slippage, no impact). */
  readonly feeRate: number;
  /** Lot size as 10^−decimals (quantities are multiples of it), minimum quantity and notional. */
  readonly lotDecimals: number;
  readonly minQty: number;
  readonly minNotional: number;
  /** Rebalance band on the weight while the target is unchanged (Infinity: none). */
  readonly band: number;
}

/** What the lean loop produces: its fills and the NAV at every bar close. */
export interface CrossBacktest {
  readonly fillTs: number[];
  readonly fillQty: number[];
  readonly fillPrice: number[];
  readonly fillFee: number[];
  readonly nav: Float64Array;
}

/**
 * The same crossover as a complete backtest, hand-written in one loop over the columns with the
 * engine's execution rules (what `sma_cross` on the fast path does for this configuration):
 * running-sum SMAs; at a change of direction the target weight becomes `fraction` (long) or 0; an
 * order for target × NAV / close − position, rounded toward zero to the lot (and dropped below the
 * minimums), fills at the next bar's open with a taker fee; with an unchanged target, a drift of the
 * weight beyond the band re-sends the order. Records the fills and the NAV at every close — what
 * any metric needs — and nothing else.
 */
export function plainCrossBacktest(open: Float64Array, close: Float64Array, barTs: Float64Array, s: CrossSpec): CrossBacktest {
  const n = close.length;
  const nav = new Float64Array(n);
  const fillTs: number[] = [];
  const fillQty: number[] = [];
  const fillPrice: number[] = [];
  const fillFee: number[] = [];
  const { fast, slow, fraction, feeRate, minQty, minNotional, band } = s;
  const f = 10 ** s.lotDecimals;
  const lot = 1 / f;
  let sf = 0;
  let ss = 0;
  let dir = -1;
  let tgt = 0;
  let changed = false;
  let cash = s.capital;
  let q = 0;
  let order = 0;
  for (let i = 0; i < n; i++) {
    if (order !== 0) {
      const px = open[i]!;
      const fee = Math.abs(order) * px * feeRate;
      q = Math.round((q + order) * f) / f;
      cash -= order * px + fee;
      fillTs.push(barTs[i]!);
      fillQty.push(order);
      fillPrice.push(px);
      fillFee.push(fee);
      order = 0;
    }
    const px = close[i]!;
    sf += px;
    ss += px;
    if (i >= fast) sf -= close[i - fast]!;
    if (i >= slow) ss -= close[i - slow]!;
    const v = cash + q * px;
    if (i >= slow - 1) {
      const d = sf / fast > ss / slow ? 1 : 0;
      if (d !== dir) {
        dir = d;
        const next = d * fraction;
        if (next !== tgt) changed = true;
        tgt = next;
      }
    }
    if ((tgt !== 0 || q !== 0) && v > 0) {
      let send = changed;
      if (!changed) {
        const dv = tgt - (q * px) / v;
        send = !(dv <= band && dv >= -band);
      }
      if (send) {
        changed = false;
        const want = (tgt * v) / px - q;
        const steps = Math.floor(Math.abs(want) / lot + 1e-9);
        const abs = Math.round(steps * lot * f) / f;
        if (steps > 0 && abs >= minQty && abs * px >= minNotional) order = want > 0 ? abs : -abs;
      }
    }
    nav[i] = v;
  }
  return { fillTs, fillQty, fillPrice, fillFee, nav };
}

/**
 * The lean loop ran the same backtest as the engine, or the comparison means nothing: the same
 * fills (count, times, quantities, prices, fees), the same NAV at every close to the cent, the same
 * final NAV. Throws on the first difference.
 */
export function checkSameBacktest(lean: CrossBacktest, r: BacktestResult): void {
  const fills = r.fills;
  if (fills.length !== lean.fillPrice.length) throw new Error(`the lean loop has ${lean.fillPrice.length} fills, the engine ${fills.length}`);
  for (let i = 0; i < fills.length; i++) {
    const f = fills[i]!;
    if (f.ts !== lean.fillTs[i] || f.qty !== lean.fillQty[i] || f.price !== lean.fillPrice[i] || Math.abs(f.fee - lean.fillFee[i]!) > 1e-9) {
      throw new Error(`fill ${i} differs: engine ${f.qty} @ ${f.price} (fee ${f.fee}) at ${f.ts}, lean loop ${lean.fillQty[i]} @ ${lean.fillPrice[i]} (fee ${lean.fillFee[i]}) at ${lean.fillTs[i]}`);
    }
  }
  const nav = r.nav;
  if (nav.length !== lean.nav.length) throw new Error(`NAV curves of ${lean.nav.length} and ${nav.length} points`);
  for (let i = 0; i < nav.length; i++) {
    if (!(Math.abs(nav[i]! - lean.nav[i]!) < 0.005)) throw new Error(`NAV at bar ${i} differs: engine ${nav[i]}, lean loop ${lean.nav[i]}`);
  }
}
