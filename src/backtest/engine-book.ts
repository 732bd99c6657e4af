/**
 * The simulated book behind the backtest loop: positions, cash, pending orders, resting stops, the
 * cost ledger and the per-model / per-asset attribution. State lives in preallocated typed arrays
 * (model-major, index m × S + s); objects are allocated only when an order, fill or breach happens.
 *
 * Event order inside one bar of one symbol: the pending rebalance order and resting stops are
 * matched against the bar (OHLC path rule, see execution/match.ts), executed in path order, then
 * funding settles at the bar's close, then the symbol is marked at the close.
 */
import { InvariantError, UserError } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { AssetClass } from '../core/table.js';
import type { ModelDecision } from '../models/types.js';
import { matchOrder, newMatchResult } from '../execution/match.js';
import { fillCost, newFillCost } from '../execution/costs.js';
import { fundingPayment } from '../execution/funding.js';
import { roundToLot, lotDecimals, cleanQty } from '../execution/lots.js';
import { averageDailyVolume } from '../execution/adv.js';
import type { CostRates, FillRecord, LotRule, OrderRecord, OrderType, OrderReason, Liquidity } from '../execution/types.js';
import { applyRiskLimits, capPerTradeRisk, type LimitContext } from '../risk/limits.js';
import { MODE_HALT, type RiskBreach } from '../risk/types.js';
import { attributeAsset } from '../portfolio/attribution.js';
import type { SymbolData } from './engine-data.js';
import { TradeTracker } from './engine-trades.js';

const NONE = 0;
const MARKET = 1;
const LIMIT = 2;

export interface BookSetup {
  readonly data: readonly SymbolData[];
  readonly assetClass: readonly AssetClass[];
  readonly rates: readonly CostRates[];
  readonly lots: readonly LotRule[];
  readonly modelNames: readonly string[];
  /** Per model: its universe as symbol indices. */
  readonly universes: readonly (readonly number[])[];
  readonly initialCapital: number;
  readonly limitFill: 'touch' | 'through';
  readonly sameClose: boolean;
  readonly band: number;
  readonly advDays: number;
  readonly fundingOn: boolean;
  readonly limitContext: LimitContext;
}

export class Book {
  readonly S: number;
  readonly M: number;
  cash: number;
  readonly q: Float64Array;
  readonly mark: Float64Array;
  // per asset
  readonly cashA: Float64Array;
  readonly feesA: Float64Array;
  readonly slipA: Float64Array;
  readonly impA: Float64Array;
  readonly fundA: Float64Array;
  readonly tradedA: Float64Array;
  // per model
  readonly B: Float64Array;
  readonly cashM: Float64Array;
  readonly feesM: Float64Array;
  readonly slipM: Float64Array;
  readonly impM: Float64Array;
  readonly fundM: Float64Array;
  readonly decisionsM: Float64Array;
  // model × symbol
  readonly w: Float64Array;
  readonly contrib: Float64Array;
  readonly cs: Float64Array;
  readonly tq: Float64Array;
  readonly qm: Float64Array;
  readonly eligible: Uint8Array;
  readonly stopLevel: Float64Array;
  readonly stopPlaced: Float64Array;
  readonly stopOrder: (OrderRecord | null)[];
  readonly limitHint: Float64Array;
  // pending rebalance order per symbol
  readonly pType: Uint8Array;
  readonly pQty: Float64Array;
  readonly pLevel: Float64Array;
  readonly pPlaced: Float64Array;
  readonly pOrder: (OrderRecord | null)[];
  /** 1 when symbol s has a pending order or a resting stop (checked on every bar). */
  readonly hasOrders: Uint8Array;
  // targets
  readonly raw: Float64Array;
  readonly current: Float64Array;
  readonly target: Float64Array;
  readonly prevTarget: Float64Array;
  readonly changed: Uint8Array;
  private readonly delta: Float64Array;
  /** Bumped on every change of targets, positions or orders (lets the loop skip idle work). */
  version = 0;
  /** A stop fired since the last recompute: targets must be recomputed. */
  stopFired = false;
  // ledgers
  fees = 0;
  slippage = 0;
  impact = 0;
  fundingPaid = 0;
  traded = 0;
  readonly orders: OrderRecord[] = [];
  readonly fills: FillRecord[] = [];
  readonly breaches: RiskBreach[] = [];
  readonly trades: TradeTracker;
  private readonly adv: (Float64Array | null)[];
  private readonly qDecimals: Int32Array;
  private readonly match = newMatchResult();
  private readonly cost = newFillCost();

  constructor(private readonly k: BookSetup) {
    const S = (this.S = k.data.length);
    const M = (this.M = k.modelNames.length);
    this.cash = k.initialCapital;
    const f = (n: number): Float64Array => new Float64Array(n);
    this.q = f(S);
    this.mark = f(S).fill(NaN);
    this.cashA = f(S);
    this.feesA = f(S);
    this.slipA = f(S);
    this.impA = f(S);
    this.fundA = f(S);
    this.tradedA = f(S);
    this.B = f(M);
    this.cashM = f(M);
    this.feesM = f(M);
    this.slipM = f(M);
    this.impM = f(M);
    this.fundM = f(M);
    this.decisionsM = f(M);
    this.w = f(M * S);
    this.contrib = f(M * S);
    this.cs = f(M * S);
    this.tq = f(M * S);
    this.qm = f(M * S);
    this.eligible = new Uint8Array(M * S);
    k.universes.forEach((u, m) => u.forEach((s) => (this.eligible[m * S + s] = 1)));
    this.stopLevel = f(M * S).fill(NaN);
    this.stopPlaced = f(M * S);
    this.stopOrder = new Array<OrderRecord | null>(M * S).fill(null);
    this.limitHint = f(M * S).fill(NaN);
    this.pType = new Uint8Array(S);
    this.pQty = f(S);
    this.pLevel = f(S);
    this.pPlaced = f(S);
    this.pOrder = new Array<OrderRecord | null>(S).fill(null);
    this.hasOrders = new Uint8Array(S);
    this.raw = f(S);
    this.current = f(S);
    this.target = f(S);
    this.prevTarget = f(S);
    this.changed = new Uint8Array(S);
    this.delta = f(M);
    this.trades = new TradeTracker(k.data.map((d) => d.symbol));
    this.adv = k.data.map(() => null);
    this.qDecimals = Int32Array.from(k.lots, (l) => lotDecimals(l.lotSize));
  }

  // ---------------------------------------------------------------- decisions
  /** Store a model's decision (validated) and replace its stop and limit hints. */
  applyDecision(m: number, name: string, dec: ModelDecision, uniIndex: ReadonlyMap<string, number>, t: number): void {
    const S = this.S;
    const row = m * S;
    const weights = dec.weights;
    if (weights === null || typeof weights !== 'object') {
      throw new UserError(`model '${name}' returned a decision without a weights object at ${isoUtc(t)}`, name);
    }
    const keys = Object.keys(weights);
    for (const sym of keys) {
      const v = weights[sym];
      if (!uniIndex.has(sym)) {
        throw new UserError(`model '${name}' returned a weight for '${sym}' at ${isoUtc(t)}, which is not in its universe (${[...uniIndex.keys()].join(', ')})`, name);
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new UserError(`model '${name}' returned ${String(v)} weight for ${sym} at ${isoUtc(t)}; weights must be finite numbers`, name);
      }
    }
    for (let s = 0; s < S; s++) {
      this.w[row + s] = 0;
      this.limitHint[row + s] = NaN;
      const so = this.stopOrder[row + s];
      if (so && so.status === 'open') {
        so.status = 'cancelled';
        so.closedAt = t;
      }
      this.stopOrder[row + s] = null;
      this.stopLevel[row + s] = NaN;
    }
    for (const sym of keys) this.w[row + uniIndex.get(sym)!] = weights[sym]!;
    const stops = dec.stops;
    if (stops) {
      for (const sym of Object.keys(stops)) {
        const s = uniIndex.get(sym);
        if (s === undefined) {
          throw new UserError(`model '${name}' gave a stop for '${sym}' at ${isoUtc(t)}, which is not in its universe`, name);
        }
        const h = stops[sym]!;
        for (const [kind, level] of [['stop', h.stop], ['limit', h.limit]] as const) {
          if (level !== undefined && !(typeof level === 'number' && level > 0 && level < Infinity)) {
            throw new UserError(`model '${name}' gave ${kind} ${String(level)} for ${sym} at ${isoUtc(t)}; prices must be positive numbers`, name);
          }
        }
        if (h.limit !== undefined) this.limitHint[row + s] = h.limit;
        if (h.stop !== undefined) {
          this.stopLevel[row + s] = h.stop;
          this.stopPlaced[row + s] = t;
          const o = this.newOrder(this.k.data[s]!.symbol, 0, 'stop', h.stop, t, name, 'stop');
          this.stopOrder[row + s] = o;
          this.hasOrders[s] = 1;
        }
      }
    }
    this.decisionsM[m]!++;
  }

  // ---------------------------------------------------------------- targets
  /** Budgets → NAV contributions → risk limits → scaled contributions → target quantities. */
  recompute(t: number, step: number, nav: number, mode: number, killed: boolean): void {
    const { S, M } = this;
    const lc = this.k.limitContext;
    this.raw.fill(0);
    for (let m = 0; m < M; m++) {
      const b = this.B[m]!;
      for (let s = 0; s < S; s++) {
        const i = m * S + s;
        let c = b * this.w[i]!;
        const stop = this.stopLevel[i]!;
        if (c !== 0 && stop === stop) {
          const capped = capPerTradeRisk(c, this.mark[s]!, stop, lc.limits.perTradeRisk);
          if (capped !== c) {
            this.breaches.push({
              ts: t, step, kind: 'per_trade_risk', subject: lc.symbols[s]!, model: this.k.modelNames[m]!, value: c, limit: capped,
              action: `weight ${c} → ${capped} (stop ${stop}, risk ≤ ${lc.limits.perTradeRisk} of NAV)`,
            });
            c = capped;
          }
        }
        this.contrib[i] = c;
        this.raw[s]! += c;
      }
    }
    for (let s = 0; s < S; s++) this.current[s] = nav > 0 && this.q[s] !== 0 ? (this.q[s]! * this.mark[s]!) / nav : 0;
    applyRiskLimits(lc, this.raw, this.current, mode, killed, t, step, this.target, this.breaches);
    const zeroNetted = mode === MODE_HALT && (killed || lc.limits.haltAction === 'flatten');
    for (let s = 0; s < S; s++) {
      const r = this.raw[s]!;
      const f = r !== 0 ? this.target[s]! / r : zeroNetted ? 0 : 1;
      if (Math.abs(this.target[s]! - this.prevTarget[s]!) > 1e-12) this.changed[s] = 1;
      this.prevTarget[s] = this.target[s]!;
      for (let m = 0; m < M; m++) this.cs[m * S + s] = this.contrib[m * S + s]! * f;
      this.refreshAsset(s, nav);
    }
    this.stopFired = false;
    this.version++;
  }

  /** Target quantities of asset s at the current mark, then re-attribute the position at the mark. */
  private refreshAsset(s: number, nav: number): void {
    const { S, M } = this;
    const p = this.mark[s]!;
    for (let m = 0; m < M; m++) {
      const i = m * S + s;
      const c = this.cs[i]!;
      this.tq[i] = c === 0 || !(p > 0) ? 0 : (c * nav) / p;
    }
    attributeAsset(s, S, M, this.q[s]!, this.tq, this.qm, this.eligible, this.delta);
    if (p > 0) for (let m = 0; m < M; m++) this.cashM[m]! -= this.delta[m]! * p;
  }

  // ---------------------------------------------------------------- orders
  /** Deltas → orders (seed 003 §4.3 step 5): to target when it changed, else when drift > band. */
  generateOrders(t: number, nav: number, mode: number): void {
    const S = this.S;
    const band = this.k.band;
    for (let s = 0; s < S; s++) {
      const p = this.mark[s]!;
      if (!(p > 0) || !(nav > 0)) continue;
      const tgt = this.target[s]!;
      const q = this.q[s]!;
      const changed = this.changed[s] === 1;
      if (!changed) {
        const cur = (q * p) / nav;
        const d = tgt - cur;
        if (d <= band && d >= -band) continue;
        if (this.pType[s] !== NONE) continue; // an order toward the target is already working
        this.refreshAsset(s, nav);
      }
      this.changed[s] = 0;
      let desired = (tgt * nav) / p - q;
      if (mode === MODE_HALT) {
        // reduce-only: never increase, never flip
        if (q === 0 || Math.sign(desired) === Math.sign(q)) desired = 0;
        else if (Math.abs(desired) > Math.abs(q)) desired = -q;
      }
      const qty = roundToLot(desired, p, this.k.lots[s]!);
      this.cancelPending(s, t);
      if (qty === 0) continue;
      const level = this.limitFor(s, qty);
      const type: OrderType = level === level ? 'limit' : 'market';
      const reason: OrderReason = mode === MODE_HALT ? 'risk_flatten' : 'rebalance';
      const o = this.newOrder(this.k.data[s]!.symbol, qty, type, type === 'limit' ? level : null, t, null, reason);
      if (this.k.sameClose && type === 'market') {
        const d = this.k.data[s]!;
        const j = d.n > 0 ? Math.max(0, this.curIndexHint[s]!) : 0;
        this.execute(s, o, qty, p, 'taker', false, t, j, -1);
        continue;
      }
      this.pType[s] = type === 'limit' ? LIMIT : MARKET;
      this.pQty[s] = qty;
      this.pLevel[s] = level;
      this.pPlaced[s] = t;
      this.pOrder[s] = o;
      this.hasOrders[s] = 1;
    }
  }

  /** True when some symbol has a target, a position or a working order (else there is nothing to rebalance). */
  engaged(): boolean {
    const S = this.S;
    for (let s = 0; s < S; s++) if (this.target[s] !== 0 || this.q[s] !== 0 || this.pType[s] !== NONE) return true;
    return false;
  }

  /** Current bar index per symbol (set by the engine; used for ADV at same-close fills). */
  curIndexHint: Int32Array = new Int32Array(0);

  /** The limit of the model contributing most to the order's direction, if it gave one (else NaN). */
  private limitFor(s: number, qty: number): number {
    const { S, M } = this;
    let best = -1;
    let bestAbs = 0;
    for (let m = 0; m < M; m++) {
      const i = m * S + s;
      const d = this.tq[i]! - this.qm[i]!;
      if (Math.sign(d) === Math.sign(qty) && Math.abs(d) > bestAbs) {
        bestAbs = Math.abs(d);
        best = m;
      }
    }
    return best >= 0 ? this.limitHint[best * S + s]! : NaN;
  }

  private cancelPending(s: number, t: number): void {
    this.version++;
    const o = this.pOrder[s];
    if (o && o.status === 'open') {
      o.status = 'cancelled';
      o.closedAt = t;
    }
    this.pOrder[s] = null;
    this.pType[s] = NONE;
    this.updateHasOrders(s);
  }

  private updateHasOrders(s: number): void {
    let has = this.pType[s] !== NONE ? 1 : 0;
    for (let m = 0; m < this.M && has === 0; m++) if (this.stopOrder[m * this.S + s]) has = 1;
    this.hasOrders[s] = has;
  }

  private newOrder(symbol: string, qty: number, type: OrderType, price: number | null, t: number, model: string | null, reason: OrderReason): OrderRecord {
    this.version++;
    const o: OrderRecord = { id: this.orders.length + 1, symbol, qty, type, price, placedAt: t, model, reason, status: 'open', closedAt: null };
    this.orders.push(o);
    return o;
  }

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
        this.pOrder[s] = null;
        this.pType[s] = NONE;
        this.execute(s, o, this.pQty[s]!, r.price, r.liquidity, r.gap, barTs, j, -1);
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
        const o = this.pOrder[s]!;
        this.pOrder[s] = null;
        this.pType[s] = NONE;
        this.execute(s, o, this.pQty[s]!, c.price, c.liq, c.gap, barTs, j, -1);
      } else {
        const i = c.m * S + s;
        const o = this.stopOrder[i]!;
        const qty = roundToLot(-this.qm[i]!, c.price, { lotSize: this.k.lots[s]!.lotSize, minQty: 0, minNotional: 0 });
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

  // ---------------------------------------------------------------- fills
  private advOf(s: number): Float64Array {
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
    this.fills.push({
      orderId: o.id, symbol: o.symbol, assetClass: this.k.assetClass[s]!, ts, qty, refPrice: ref, price: c.price, notional,
      fee: c.fee, slippage: c.slippage, impact: c.impact, liquidity: liq, gap, type: o.type, reason: o.reason,
    });
  }
}
