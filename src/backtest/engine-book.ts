/**
 * The simulated book behind the backtest loop: decisions, targets (budgets → NAV weights → risk
 * limits → attribution) and orders. State is in engine-state.ts, bars and fills in engine-fills.ts.
 */
import { UserError } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { ModelDecision } from '../models/types.js';
import { cleanQty, roundToLot } from '../execution/lots.js';
import { cappedQty, participationLimit } from '../execution/participation.js';
import type { OrderType, OrderReason } from '../execution/types.js';
import { applyRiskLimits, capPerTradeRisk } from '../risk/limits.js';
import { MODE_HALT } from '../risk/types.js';
import { attributeAsset } from '../portfolio/attribution.js';
import { BookFills } from './engine-fills.js';
import { LIMIT, MARKET, NONE } from './engine-state.js';

export type { BookSetup } from './engine-state.js';

export class Book extends BookFills {
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
        // With a participation cap the fill at this close takes at most cap × this bar's volume; the
        // rest works from the next bar like any market order.
        const now = this.k.cap > 0 ? cappedQty(qty, participationLimit(d.volume[j]!, this.k.cap, this.k.lots[s]!.lotSize)) : qty;
        if (now !== 0) this.execute(s, o, now, p, 'taker', false, t, j, -1);
        if (now === qty) continue;
        o.status = 'open';
        o.closedAt = null;
        this.pType[s] = MARKET;
        this.pQty[s] = cleanQty(qty - now, this.qDecimals[s]!);
        this.pLevel[s] = NaN;
        this.pPlaced[s] = t;
        this.pOrder[s] = o;
        this.hasOrders[s] = 1;
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
}
