/**
 * Bars, fills and funding for the simulated book. Event order inside one bar of one symbol: the
 * pending rebalance order and resting stops are matched against the bar (OHLC path rule, see
 * execution/match.ts) and executed in path order, funding settles at the bar's close, then the
 * engine marks the symbol at the close.
 */
import { InvariantError } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import { matchOrder } from '../execution/match.js';
import { fillCost } from '../execution/costs.js';
import { fundingPayment } from '../execution/funding.js';
import { borrowFee } from '../execution/borrow.js';
import { roundToLot, cleanQty } from '../execution/lots.js';
import { averageDailyVolume } from '../execution/adv.js';
import { cappedQty, participationLimit } from '../execution/participation.js';
import type { Liquidity, OrderRecord, OrderType } from '../execution/types.js';
import { attributeAsset } from '../portfolio/attribution.js';
import { BookState, LIMIT, NONE } from './engine-state.js';

export class BookFills extends BookState {
  // ---------------------------------------------------------------- bars
  /** Match the pending order and resting stops of symbol s against its bar j (bar opens at ts[j]). */
  onBar(s: number, j: number): void {
    this.version++;
    const d = this.k.data[s]!;
    const barTs = d.ts[j]!;
    const open = d.open[j]!;
    const high = d.high[j]!;
    const low = d.low[j]!;
    const close = d.close[j]!;
    const lf = this.k.limitFill;
    const S = this.S;
    // A market order (or a limit/stop gapped at the open) fills first, at the open; resting stops
    // are then matched with the positions that fill produced. Whatever triggers later in the bar
    // is executed in OHLC path order.
    const cands: { rank: number; m: number; price: number; liq: Liquidity; gap: boolean }[] = [];
    // With a participation cap, each order fills at most this much of the bar (execution/participation.ts).
    const cap = this.k.cap > 0 ? participationLimit(d.volume[j]!, this.k.cap, this.k.lots[s]!.lotSize) : Infinity;
    if (this.pType[s] !== NONE && this.pPlaced[s]! <= barTs) {
      const type: OrderType = this.pType[s] === LIMIT ? 'limit' : 'market';
      const o = this.pOrder[s]!;
      const r = matchOrder(type, this.pQty[s]! > 0 ? 1 : -1, this.pLevel[s]!, open, high, low, close, lf, this.match);
      if (r.price !== r.price) {
        o.status = 'expired';
        o.closedAt = barTs;
        this.pOrder[s] = null;
        this.pType[s] = NONE;
      } else if (r.pathRank === 0) {
        this.fillPending(s, o, r.price, r.liquidity, r.gap, barTs, j, cap);
      } else cands.push({ rank: r.pathRank, m: -1, price: r.price, liq: r.liquidity, gap: r.gap });
    }
    for (let m = 0; m < this.M; m++) {
      const i = m * S + s;
      if (!this.stopOrder[i] || this.stopPlaced[i]! > barTs || this.qm[i] === 0) continue;
      const side = this.qm[i]! > 0 ? -1 : 1;
      const r = matchOrder('stop', side, this.stopLevel[i]!, open, high, low, close, lf, this.match);
      if (r.price === r.price) cands.push({ rank: r.pathRank, m, price: r.price, liq: r.liquidity, gap: r.gap });
    }
    if (cands.length > 1) cands.sort((a, b) => a.rank - b.rank || a.m - b.m);
    for (const c of cands) {
      if (c.m < 0) {
        this.fillPending(s, this.pOrder[s]!, c.price, c.liq, c.gap, barTs, j, cap);
      } else {
        const i = c.m * S + s;
        const o = this.stopOrder[i]!;
        const qty = cappedQty(roundToLot(-this.qm[i]!, c.price, { lotSize: this.k.lots[s]!.lotSize, minQty: 0, minNotional: 0 }), cap);
        // Capped at zero (a zero-volume bar): the stop keeps resting and meets the next bar.
        if (qty === 0 && cap === 0) continue;
        this.stopOrder[i] = null;
        this.stopLevel[i] = NaN;
        if (qty === 0) {
          o.status = 'cancelled';
          o.closedAt = barTs;
          continue;
        }
        this.execute(s, o, qty, c.price, c.liq, c.gap, barTs, j, c.m);
      }
    }
    this.updateHasOrders(s);
  }

  /**
   * Fill the pending rebalance order of symbol s at `price`, at most `cap` of it (Infinity: all).
   * A market order's unfilled rest keeps working on later bars; a limit's rest expires with it at
   * the end of this bar (limits are good for one bar). Without a cap this is one whole fill.
   */
  private fillPending(s: number, o: OrderRecord, price: number, liq: Liquidity, gap: boolean, barTs: number, j: number, cap: number): void {
    const want = this.pQty[s]!;
    const qty = cappedQty(want, cap);
    const rest = qty === want ? 0 : cleanQty(want - qty, this.qDecimals[s]!);
    if (rest === 0 || this.pType[s] === LIMIT) {
      this.pOrder[s] = null;
      this.pType[s] = NONE;
    } else this.pQty[s] = rest;
    if (qty !== 0) this.execute(s, o, qty, price, liq, gap, barTs, j, -1);
    if (rest === 0) return;
    if (this.pType[s] === NONE) {
      o.status = 'expired';
      o.closedAt = barTs;
    } else {
      o.status = 'open';
      o.closedAt = null;
    }
  }

  /** Funding settles at the close of bar j of a perpetual (before the mark moves to that close). */
  onFunding(s: number, j: number): void {
    const d = this.k.data[s]!;
    const rate = d.funding![j]!;
    if (rate === 0 || this.q[s] === 0 || rate !== rate) return;
    const px = d.close[j]!;
    const pay = fundingPayment(this.q[s]!, px, rate);
    this.cash += pay;
    this.fundingPaid -= pay;
    this.cashA[s]! += pay;
    this.fundA[s]! -= pay;
    for (let m = 0; m < this.M; m++) {
      const pm = fundingPayment(this.qm[m * this.S + s]!, px, rate);
      this.cashM[m]! += pm;
      this.fundM[m]! -= pm;
    }
    this.trades.onFunding(s, pay);
  }

  /**
   * Borrow fee at the close of bar j while symbol s is short (execution/borrow.ts): the bar length is
   * the time since the symbol's previous bar close (the first bar: its own open → close). Booked like
   * funding: cash, the ledger, the asset, the open trade, and the models holding the short, pro rata to
   * their short quantity (a model that is long on a net-short asset pays nothing), so sums match.
   */
  onBorrow(s: number, j: number): void {
    const q = this.q[s]!;
    if (!(q < 0)) return;
    const d = this.k.data[s]!;
    const cts = d.closeTs;
    const closeJ = cts !== null ? cts[j]! : d.ts[j]! + d.step;
    const barMs = closeJ - (j === 0 ? d.ts[0]! : cts !== null ? cts[j - 1]! : d.ts[j - 1]! + d.step);
    const fee = borrowFee(q, d.close[j]!, this.k.rates[s]!.borrow, barMs);
    if (fee === 0) return;
    this.cash -= fee;
    this.borrowPaid += fee;
    this.cashA[s]! -= fee;
    this.borA[s]! += fee;
    const { S, M } = this;
    let shortSum = 0;
    for (let m = 0; m < M; m++) {
      const qm = this.qm[m * S + s]!;
      if (qm < 0) shortSum -= qm;
    }
    for (let m = 0; m < M; m++) {
      const qm = this.qm[m * S + s]!;
      const share = shortSum > 0 ? (qm < 0 ? -qm / shortSum : 0) : m === 0 ? 1 : 0;
      if (share === 0) continue;
      this.cashM[m]! -= fee * share;
      this.borM[m]! += fee * share;
    }
    this.trades.onBorrow(s, fee);
  }

  // ---------------------------------------------------------------- fills
  protected advOf(s: number): Float64Array {
    let a = this.adv[s];
    if (!a) {
      const d = this.k.data[s]!;
      a = averageDailyVolume(d.ts, d.volume, this.k.advDays);
      this.adv[s] = a;
    }
    return a;
  }

  /**
   * Execute a fill of `qty` at reference price `ref` (the open, a level, or the close), with costs.
   * @param stopModel the model whose stop this is, or -1 for a net rebalance order
   */
  execute(s: number, o: OrderRecord, qty: number, ref: number, liq: Liquidity, gap: boolean, ts: number, j: number, stopModel: number): void {
    if (!(ref > 0 && ref < Infinity) || !(qty === qty)) {
      throw new InvariantError(`fill of order #${o.id} ${o.symbol} at ${isoUtc(ts)} has price ${ref} and quantity ${qty}`);
    }
    this.version++;
    const rates = this.k.rates[s]!;
    const adv = liq === 'taker' && rates.impactCoef > 0 ? this.advOf(s)[j]! : NaN;
    const c = fillCost(qty, ref, liq, rates, adv, this.cost);
    const qBefore = this.q[s]!;
    const dec = this.qDecimals[s]!;
    this.q[s] = cleanQty(qBefore + qty, dec);
    const flow = qty * c.price;
    this.cash -= flow + c.fee;
    this.fees += c.fee;
    this.slippage += c.slippage;
    this.impact += c.impact;
    const notional = Math.abs(flow);
    this.traded += notional;
    this.cashA[s]! -= flow + c.fee;
    this.feesA[s]! += c.fee;
    this.slipA[s]! += c.slippage;
    this.impA[s]! += c.impact;
    this.tradedA[s]! += notional;
    this.trades.onFill(s, qBefore, qty, c.price, c.fee, ts);
    const { S, M } = this;
    if (stopModel >= 0) {
      const i = stopModel * S + s;
      this.qm[i]! += qty;
      this.w[i] = 0;
      this.cs[i] = 0;
      this.tq[i] = 0;
      this.cashM[stopModel]! -= flow + c.fee;
      this.feesM[stopModel]! += c.fee;
      this.slipM[stopModel]! += c.slippage;
      this.impM[stopModel]! += c.impact;
      this.stopFired = true;
    } else {
      attributeAsset(s, S, M, this.q[s]!, this.tq, this.qm, this.eligible, this.delta);
      let sumAbs = 0;
      for (let m = 0; m < M; m++) sumAbs += Math.abs(this.delta[m]!);
      for (let m = 0; m < M; m++) {
        const dm = this.delta[m]!;
        const share = sumAbs > 0 ? Math.abs(dm) / sumAbs : m === 0 ? 1 : 0;
        this.cashM[m]! -= dm * c.price + c.fee * share;
        this.feesM[m]! += c.fee * share;
        this.slipM[m]! += c.slippage * share;
        this.impM[m]! += c.impact * share;
      }
    }
    o.status = 'filled';
    o.closedAt = ts;
    if (o.filled !== undefined) o.filled = cleanQty(o.filled + qty, dec);
    this.fills.push({
      orderId: o.id, symbol: o.symbol, assetClass: this.k.assetClass[s]!, ts, qty, refPrice: ref, price: c.price, notional,
      fee: c.fee, slippage: c.slippage, impact: c.impact, liquidity: liq, gap, type: o.type, reason: o.reason,
    });
  }
}
