/**
 * The fast path's book: one asset, one model. Its fills, funding, decisions and attribution repeat
 * the event engine's arithmetic operation for operation (execution/simulated-broker.ts `execute` /
 * `onFunding` with execution/account.ts, engine/targets.ts `recompute` / `refreshAsset` /
 * `sendOrders`, engine/trader.ts's decision step) for
 * S = M = 1, reusing the same execution, risk and attribution functions; its ledgers are the event
 * engine's Account and sleeve ledgers as scalars. What the event engine keeps as objects (orders, fills, the
 * trade tracker's input, the cash and position after every change) it keeps in columnar logs
 * (fast-path-log.ts): no object per order or fill. fast-path-result.ts turns the logs into the
 * BacktestResult's records and series when they are read.
 *
 * Called only at events (a fill, a funding payment, a decision, an order): the per-bar loop lives in
 * fast-path.ts and keeps `cash` and `q` in locals, re-read from here after each call.
 */
import { InvariantError } from '../core/errors.js';
import type { AssetClass } from '../core/table.js';
import { isoUtc } from '../core/time.js';
import { averageDailyVolume } from '../execution/adv.js';
import { fillCost, newFillCost, type FillCost } from '../execution/costs.js';
import { fundingPayment } from '../execution/funding.js';
import { Account } from '../execution/account.js';
import { roundToLot } from '../execution/lots.js';
import type { CostRates, LotRule } from '../execution/types.js';
import { sizeWeight, type Sizing } from '../models/lib/sizing.js';
import { attributeAsset } from '../portfolio/attribution.js';
import { applyRiskLimits, type LimitContext } from '../risk/limits.js';
import { limitFreeUpTo } from './fast-path-thresholds.js';
import { MODE_NORMAL, type RiskBreach } from '../risk/types.js';
import type { SymbolData } from './engine-data.js';
import { ColumnLog } from './fast-path-log.js';

/** Order status codes in the order log. */
export const ORDER_OPEN = 0;
export const ORDER_CANCELLED = 1;
export const ORDER_FILLED = 2;

/** Order log columns: signed quantity, decision time, status code, time of the last status change (NaN while open). */
export const O_QTY = 0;
export const O_PLACED = 1;
export const O_STATUS = 2;
export const O_CLOSED = 3;
/** Fill log columns: order index, fill time, quantity, reference price, bar (for the ADV). */
export const F_ORDER = 0;
export const F_TS = 1;
export const F_QTY = 2;
export const F_REF = 3;
export const F_BAR = 4;
/**
 * Event log columns: step, fill index (−1: a funding payment), the payment, cash and position after,
 * and for a same-close fill the NAV marked before it (NaN else).
 */
export const E_STEP = 0;
export const E_FILL = 1;
export const E_PAY = 2;
export const E_CASH = 3;
export const E_Q = 4;
export const E_NAV_PRE = 5;

/** Decisions recorded for the probes' trace (written into the trace after the loop). */
export interface DecisionTrace {
  readonly k: number[];
  readonly key: string[];
  readonly dir: string[];
  readonly signs: boolean;
}

/**
 * A one-asset weight as probes.ts `traceModel` writes it (its sign only with `signs`). A signal
 * sized as a fraction of equity emits a handful of distinct weights over a run, so the last texts
 * are remembered (formatting a double is the dearest part of tracing 40 000 decisions).
 */
export function traceKey(w: number, signs: boolean): string {
  const v = (signs ? Math.sign(w) : w) + 0;
  let text = keyTexts.get(v);
  if (text === undefined) {
    if (keyTexts.size >= 64) keyTexts.clear();
    text = String(v);
    keyTexts.set(v, text);
  }
  return text;
}
const keyTexts = new Map<number, string>();

export class FastBook {
  /**
   * Cash, position and the cost ledger: the event engine's Account for one asset (execution/account.ts,
   * the one copy of the fill, funding and borrow arithmetic), without its trade tracking (the fast path
   * derives its trades from the logs when they are read).
   */
  readonly account: Account;
  get cash(): number {
    return this.account.cash;
  }
  get q(): number {
    return this.account.position[0]!;
  }
  get fees(): number {
    return this.account.fees;
  }
  get slippage(): number {
    return this.account.slippage;
  }
  get impact(): number {
    return this.account.impact;
  }
  get fundingPaid(): number {
    return this.account.fundingPaid;
  }
  get traded(): number {
    return this.account.traded;
  }
  get cashA(): number {
    return this.account.cashByAsset[0]!;
  }
  get feesA(): number {
    return this.account.feesByAsset[0]!;
  }
  get slipA(): number {
    return this.account.slippageByAsset[0]!;
  }
  get impA(): number {
    return this.account.impactByAsset[0]!;
  }
  get fundA(): number {
    return this.account.fundingByAsset[0]!;
  }
  get tradedA(): number {
    return this.account.tradedByAsset[0]!;
  }
  // the sleeve ledgers for M = 1 (ModelSleeves.fees[0] …)
  feesM = 0;
  slipM = 0;
  impM = 0;
  fundM = 0;
  decisions = 0;
  /** Orders (columns O_*). */
  readonly orders = new ColumnLog(4);
  /**
   * Fills: order index, fill time, quantity, reference price, bar (for the ADV). The executed price
   * and the costs are a function of these (`costOf`), recomputed when the records are read.
   */
  readonly fills = new ColumnLog(5);
  /**
   * Cash and position changes in time order: the step, the fill index (−1: a funding payment of
   * `pay`), cash and position after, and for a same-close fill the NAV marked before it (NaN else).
   */
  readonly events = new ColumnLog(6);
  readonly breaches: RiskBreach[] = [];
  /** The working rebalance order (next-open fills): its index, or −1. */
  pending = -1;
  pendingQty = 0;
  pendingPlaced = NaN;
  /** The risk-limited target weight, the model's contribution behind it, the last target. */
  tgt = 0;
  private cs = 0;
  private prevTarget = 0;
  /** Why the last `decide` refused (it returned −1). */
  why = '';
  /** The bar's side, NAV, close and decision time, set by the loop before it calls decide / send / refresh / fund. */
  sd = NaN;
  nav = NaN;
  mark = NaN;
  t = NaN;
  private readonly tq = new Float64Array(1);
  private readonly qm = new Float64Array(1);
  private readonly eligible = new Uint8Array([1]);
  private readonly delta = new Float64Array(1);
  private readonly raw = new Float64Array(1);
  private readonly current = new Float64Array(1);
  private readonly target = new Float64Array(1);
  private adv: Float64Array | null = null;
  private readonly cost = newFillCost();
  /** |target| up to which no risk limit binds in NORMAL mode (`limitFreeUpTo`). */
  private readonly free: number;

  constructor(
    private readonly d: SymbolData,
    readonly assetClass: AssetClass,
    private readonly rates: CostRates,
    private readonly lot: LotRule,
    private readonly advDays: number,
    initialCapital: number,
    private readonly lc: LimitContext,
    private readonly budget: number,
    private readonly sizing: Sizing,
    private readonly trace: DecisionTrace | null,
  ) {
    this.account = new Account([d.symbol], [lot], initialCapital, false);
    this.free = limitFreeUpTo(lc);
  }

  /** PortfolioTargets.refreshAsset: target quantity at the mark, then re-attribute the position. */
  refresh(): void {
    const cs = this.cs;
    const p = this.mark;
    this.tq[0] = cs === 0 || !(p > 0) ? 0 : (cs * this.nav) / p;
    attributeAsset(0, 1, 1, this.q, this.tq, this.qm, this.eligible, this.delta);
  }

  /**
   * The model's decision at a new side (engine.ts: decide → weights → aggregate → risk limits →
   * refresh). Returns 1 when the target moved, 0 when not, −1 when the fast path must stop (`why`).
   */
  decide(k: number, r: number): number {
    const { sd, nav, mark, t } = this;
    const B = this.budget;
    const w = sd === 0 ? 0 : sd * sizeWeight(this.sizing, mark, B * nav);
    if (!Number.isFinite(w)) {
      this.why = `weight ${w} at ${isoUtc(t)}`;
      return -1;
    }
    this.decisions++;
    const tr = this.trace;
    if (tr !== null) {
      tr.k.push(k);
      tr.key.push(traceKey(w, tr.signs));
      tr.dir.push(traceKey(w, true));
    }
    const c = B * w;
    // the aggregated weight (engine.ts: 0 + Σ_m B_m·w_m), then the risk limits
    const rw = 0 + c;
    let tgt = rw;
    if (!(Math.abs(rw) <= this.free)) {
      const raw = this.raw;
      raw[0] = rw;
      this.current[0] = nav > 0 && this.q !== 0 ? (this.q * mark) / nav : 0;
      applyRiskLimits(this.lc, raw, this.current, MODE_NORMAL, false, t, r, this.target, this.breaches);
      if (this.breaches.length > 0) {
        this.why = `risk limit ${this.breaches[0]!.kind} binds at ${isoUtc(t)}`;
        return -1;
      }
      tgt = this.target[0]!;
    }
    const f = rw !== 0 ? tgt / rw : 1;
    const moved = Math.abs(tgt - this.prevTarget) > 1e-12 ? 1 : 0;
    this.prevTarget = tgt;
    this.tgt = tgt;
    this.cs = c * f;
    this.refresh();
    return moved;
  }

  /**
   * Send the order to target (PortfolioTargets.sendOrders for one asset): cancel the working one, round to
   * the lot; fill at once at the close (`sameClose`, `navPre` = NAV marked before it) or leave it
   * working for the next open. Returns whether an order is working.
   */
  send(k: number, r: number, sameClose: boolean): boolean {
    const { nav, mark, t } = this;
    const qty = roundToLot((this.tgt * nav) / mark - this.q, mark, this.lot);
    this.cancelPending(t);
    if (qty === 0) return false;
    const o = this.orders.add();
    const oc = this.orders.cur;
    const a = this.orders.at;
    oc[O_QTY]![a] = qty;
    oc[O_PLACED]![a] = t;
    oc[O_STATUS]![a] = ORDER_OPEN;
    oc[O_CLOSED]![a] = NaN;
    if (sameClose) {
      this.execute(o, qty, mark, t, k, r, nav);
      return false;
    }
    this.pending = o;
    this.pendingQty = qty;
    this.pendingPlaced = t;
    return true;
  }

  /** The working order fills at the open of bar j (step r). */
  fillPending(j: number, r: number): void {
    const o = this.pending;
    this.pending = -1;
    this.execute(o, this.pendingQty, this.d.open[j]!, this.d.ts[j]!, j, r, NaN);
  }

  /** SimulatedBroker.cancelWorking. */
  private cancelPending(t: number): void {
    const o = this.pending;
    if (o >= 0) {
      const oc = this.lastOrder(o);
      const a = this.orders.at;
      if (oc[O_STATUS]![a] === ORDER_OPEN) {
        oc[O_STATUS]![a] = ORDER_CANCELLED;
        oc[O_CLOSED]![a] = t;
      }
    }
    this.pending = -1;
  }

  /** The order log's chunk holding order o, which is always the last order (one working order at a time). */
  private lastOrder(o: number): Float64Array[] {
    if (o !== this.orders.length - 1) throw new InvariantError(`fast path: order #${o + 1} is not the last of ${this.orders.length}`);
    return this.orders.cur;
  }

  /** The executed price and costs of a taker fill of qty at ref in bar j (what `execute` charged). */
  costOf(qty: number, ref: number, j: number, out: FillCost): FillCost {
    let adv = NaN;
    if (this.rates.impactCoef > 0) {
      this.adv ??= averageDailyVolume(this.d.ts, this.d.volume, this.advDays);
      adv = this.adv[j]!;
    }
    return fillCost(qty, ref, 'taker', this.rates, adv, out);
  }

  /** BookFills.execute for a taker fill of a rebalance order (stopModel −1). */
  private execute(o: number, qty: number, ref: number, ts: number, j: number, r: number, navPre: number): void {
    if (!(ref > 0 && ref < Infinity) || !(qty === qty)) {
      throw new InvariantError(`fill of order #${o + 1} ${this.d.symbol} at ${isoUtc(ts)} has price ${ref} and quantity ${qty}`);
    }
    const c = this.costOf(qty, ref, j, this.cost);
    this.account.applyFill(0, qty, c.price, c.fee, c.slippage, c.impact, ts);
    attributeAsset(0, 1, 1, this.q, this.tq, this.qm, this.eligible, this.delta);
    const dm = this.delta[0]!;
    const sumAbs = Math.abs(dm);
    const share = sumAbs > 0 ? Math.abs(dm) / sumAbs : 1;
    this.feesM += c.fee * share;
    this.slipM += c.slippage * share;
    this.impM += c.impact * share;
    const oc = this.lastOrder(o);
    oc[O_STATUS]![this.orders.at] = ORDER_FILLED;
    oc[O_CLOSED]![this.orders.at] = ts;
    const f = this.fills.add();
    const fc = this.fills.cur;
    const a = this.fills.at;
    fc[F_ORDER]![a] = o;
    fc[F_TS]![a] = ts;
    fc[F_QTY]![a] = qty;
    fc[F_REF]![a] = ref;
    fc[F_BAR]![a] = j;
    this.event(r, f, 0, navPre);
  }

  /** BookFills.onFunding: the rate settled at the close of the bar at step r (before the mark moves there). */
  fund(rate: number, r: number): void {
    const q = this.q;
    const px = this.mark;
    if (rate === 0 || q === 0 || rate !== rate) return;
    const pay = fundingPayment(q, px, rate);
    this.account.applyFunding(0, pay);
    const pm = fundingPayment(this.qm[0]!, px, rate);
    this.fundM -= pm;
    this.event(r, -1, pay, NaN);
  }

  private event(r: number, fill: number, pay: number, navPre: number): void {
    this.events.add();
    const ec = this.events.cur;
    const e = this.events.at;
    ec[E_STEP]![e] = r;
    ec[E_FILL]![e] = fill;
    ec[E_PAY]![e] = pay;
    ec[E_CASH]![e] = this.cash;
    ec[E_Q]![e] = this.q;
    ec[E_NAV_PRE]![e] = navPre;
  }
}
