/**
 * The fast path's book: one asset, one model. It keeps the same ledgers as the event engine's
 * Book (engine-state.ts) in the same layout, so `assemble` reads it unchanged, and its fills,
 * funding and attribution repeat the event engine's arithmetic operation for operation
 * (engine-fills.ts `execute` / `onFunding`, engine-book.ts `recompute` / `refreshAsset` /
 * `generateOrders`) for S = M = 1, reusing the same execution functions. Objects are allocated only
 * when an order or a fill happens.
 */
import { InvariantError } from '../core/errors.js';
import type { AssetClass } from '../core/table.js';
import { isoUtc } from '../core/time.js';
import { averageDailyVolume } from '../execution/adv.js';
import { fillCost, newFillCost } from '../execution/costs.js';
import { fundingPayment } from '../execution/funding.js';
import { cleanQty, lotDecimals } from '../execution/lots.js';
import type { CostRates, FillRecord, LotRule, OrderRecord } from '../execution/types.js';
import { attributeAsset } from '../portfolio/attribution.js';
import type { RiskBreach } from '../risk/types.js';
import type { SymbolData } from './engine-data.js';
import { TradeTracker } from './engine-trades.js';

export class FastBook {
  cash: number;
  readonly q = new Float64Array(1);
  readonly mark = new Float64Array(1).fill(NaN);
  readonly cashA = new Float64Array(1);
  readonly feesA = new Float64Array(1);
  readonly slipA = new Float64Array(1);
  readonly impA = new Float64Array(1);
  readonly fundA = new Float64Array(1);
  readonly tradedA = new Float64Array(1);
  readonly feesM = new Float64Array(1);
  readonly slipM = new Float64Array(1);
  readonly impM = new Float64Array(1);
  readonly fundM = new Float64Array(1);
  readonly decisionsM = new Float64Array(1);
  /** Target quantity and attributed quantity of the model (Book.tq / Book.qm). */
  readonly tq = new Float64Array(1);
  readonly qm = new Float64Array(1);
  private readonly eligible = new Uint8Array([1]);
  private readonly delta = new Float64Array(1);
  fees = 0;
  slippage = 0;
  impact = 0;
  fundingPaid = 0;
  traded = 0;
  readonly orders: OrderRecord[] = [];
  readonly fills: FillRecord[] = [];
  readonly breaches: RiskBreach[] = [];
  readonly trades: TradeTracker;
  /** The working rebalance order (next-open fills), or null. */
  pending: OrderRecord | null = null;
  pendingQty = 0;
  pendingPlaced = NaN;
  private adv: Float64Array | null = null;
  private readonly cost = newFillCost();
  private readonly qDecimals: number;

  constructor(
    private readonly d: SymbolData,
    private readonly assetClass: AssetClass,
    private readonly rates: CostRates,
    readonly lot: LotRule,
    private readonly advDays: number,
    initialCapital: number,
  ) {
    this.cash = initialCapital;
    this.trades = new TradeTracker([d.symbol]);
    this.qDecimals = lotDecimals(lot.lotSize);
  }

  /** Book.refreshAsset: target quantity at the mark, then re-attribute the position. */
  refresh(cs: number, nav: number, p: number): void {
    this.tq[0] = cs === 0 || !(p > 0) ? 0 : (cs * nav) / p;
    attributeAsset(0, 1, 1, this.q[0]!, this.tq, this.qm, this.eligible, this.delta);
  }

  /** A new rebalance market order (Book.newOrder). */
  order(qty: number, t: number): OrderRecord {
    const o: OrderRecord = { id: this.orders.length + 1, symbol: this.d.symbol, qty, type: 'market', price: null, placedAt: t, model: null, reason: 'rebalance', status: 'open', closedAt: null };
    this.orders.push(o);
    return o;
  }

  /** Book.cancelPending. */
  cancelPending(t: number): void {
    const o = this.pending;
    if (o && o.status === 'open') {
      o.status = 'cancelled';
      o.closedAt = t;
    }
    this.pending = null;
  }

  /** BookFills.execute for a taker fill of a rebalance order (stopModel −1). */
  execute(o: OrderRecord, qty: number, ref: number, ts: number, j: number): void {
    if (!(ref > 0 && ref < Infinity) || !(qty === qty)) {
      throw new InvariantError(`fill of order #${o.id} ${o.symbol} at ${isoUtc(ts)} has price ${ref} and quantity ${qty}`);
    }
    const rates = this.rates;
    let adv = NaN;
    if (rates.impactCoef > 0) {
      this.adv ??= averageDailyVolume(this.d.ts, this.d.volume, this.advDays);
      adv = this.adv[j]!;
    }
    const c = fillCost(qty, ref, 'taker', rates, adv, this.cost);
    const qBefore = this.q[0]!;
    this.q[0] = cleanQty(qBefore + qty, this.qDecimals);
    const flow = qty * c.price;
    this.cash -= flow + c.fee;
    this.fees += c.fee;
    this.slippage += c.slippage;
    this.impact += c.impact;
    const notional = Math.abs(flow);
    this.traded += notional;
    this.cashA[0]! -= flow + c.fee;
    this.feesA[0]! += c.fee;
    this.slipA[0]! += c.slippage;
    this.impA[0]! += c.impact;
    this.tradedA[0]! += notional;
    this.trades.onFill(0, qBefore, qty, c.price, c.fee, ts);
    attributeAsset(0, 1, 1, this.q[0]!, this.tq, this.qm, this.eligible, this.delta);
    const dm = this.delta[0]!;
    const sumAbs = Math.abs(dm);
    const share = sumAbs > 0 ? Math.abs(dm) / sumAbs : 1;
    this.feesM[0]! += c.fee * share;
    this.slipM[0]! += c.slippage * share;
    this.impM[0]! += c.impact * share;
    o.status = 'filled';
    o.closedAt = ts;
    this.fills.push({
      orderId: o.id, symbol: o.symbol, assetClass: this.assetClass, ts, qty, refPrice: ref, price: c.price, notional,
      fee: c.fee, slippage: c.slippage, impact: c.impact, liquidity: 'taker', gap: false, type: o.type, reason: o.reason,
    });
  }

  /** BookFills.onFunding: the rate settled at the close of bar j (before the mark moves there). */
  onFunding(rate: number, px: number): void {
    const q = this.q[0]!;
    if (rate === 0 || q === 0 || rate !== rate) return;
    const pay = fundingPayment(q, px, rate);
    this.cash += pay;
    this.fundingPaid -= pay;
    this.cashA[0]! += pay;
    this.fundA[0]! -= pay;
    const pm = fundingPayment(this.qm[0]!, px, rate);
    this.fundM[0]! -= pm;
    this.trades.onFunding(0, pay);
  }
}
