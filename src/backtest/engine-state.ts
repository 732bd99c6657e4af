/**
 * The simulated book's state: positions, cash, pending orders, resting stops, the cost ledger and
 * the per-model / per-asset attribution, in preallocated typed arrays (model-major, index m × S + s).
 * Objects are allocated only when an order, fill or breach happens. Behaviour lives in the
 * subclasses: engine-fills.ts (bars, fills, funding) and engine-book.ts (decisions, targets, orders).
 */
import type { AssetClass } from '../core/table.js';
import { newMatchResult } from '../execution/match.js';
import { newFillCost } from '../execution/costs.js';
import { lotDecimals } from '../execution/lots.js';
import type { CostRates, FillRecord, LotRule, OrderRecord, OrderType, OrderReason } from '../execution/types.js';
import type { LimitContext } from '../risk/limits.js';
import type { RiskBreach } from '../risk/types.js';
import type { SymbolData } from './engine-data.js';
import { TradeTracker } from './engine-trades.js';

export const NONE = 0;
export const MARKET = 1;
export const LIMIT = 2;

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
  /** execution.max_participation: the fraction of a bar's volume one order may fill; 0 = no cap. */
  readonly cap: number;
}

export class BookState {
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
  readonly borA: Float64Array;
  readonly tradedA: Float64Array;
  // per model
  readonly B: Float64Array;
  readonly cashM: Float64Array;
  readonly feesM: Float64Array;
  readonly slipM: Float64Array;
  readonly impM: Float64Array;
  readonly fundM: Float64Array;
  readonly borM: Float64Array;
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
  protected readonly delta: Float64Array;
  /** Bumped on every change of targets, positions or orders (lets the loop skip idle work). */
  version = 0;
  /** A stop fired since the last recompute: targets must be recomputed. */
  stopFired = false;
  // ledgers
  fees = 0;
  slippage = 0;
  impact = 0;
  fundingPaid = 0;
  borrowPaid = 0;
  traded = 0;
  readonly orders: OrderRecord[] = [];
  readonly fills: FillRecord[] = [];
  readonly breaches: RiskBreach[] = [];
  readonly trades: TradeTracker;
  protected readonly adv: (Float64Array | null)[];
  protected readonly qDecimals: Int32Array;
  protected readonly match = newMatchResult();
  protected readonly cost = newFillCost();

  constructor(protected readonly k: BookSetup) {
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
    this.borA = f(S);
    this.tradedA = f(S);
    this.B = f(M);
    this.cashM = f(M);
    this.feesM = f(M);
    this.slipM = f(M);
    this.impM = f(M);
    this.fundM = f(M);
    this.borM = f(M);
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

  /** True when some symbol has a target, a position or a working order (else there is nothing to rebalance). */
  engaged(): boolean {
    const S = this.S;
    for (let s = 0; s < S; s++) if (this.target[s] !== 0 || this.q[s] !== 0 || this.pType[s] !== NONE) return true;
    return false;
  }


  protected updateHasOrders(s: number): void {
    let has = this.pType[s] !== NONE ? 1 : 0;
    for (let m = 0; m < this.M && has === 0; m++) if (this.stopOrder[m * this.S + s]) has = 1;
    this.hasOrders[s] = has;
  }

  protected newOrder(symbol: string, qty: number, type: OrderType, price: number | null, t: number, model: string | null, reason: OrderReason): OrderRecord {
    this.version++;
    const o: OrderRecord = { id: this.orders.length + 1, symbol, qty, type, price, placedAt: t, model, reason, status: 'open', closedAt: null };
    if (this.k.cap > 0) o.filled = 0;
    this.orders.push(o);
    return o;
  }
}
