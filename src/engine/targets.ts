/**
 * From decisions to orders (seed 003 §4.3): a model's decision sets its weights and stop/limit
 * hints; budgets × weights, netted across models and passed through the risk limits, give target
 * NAV weights per asset, attributed back to the models (sleeves.ts); the difference between target
 * and position becomes the working order sent to the broker — at once when the target changed, else
 * when the drift exceeds the rebalance band.
 */
import { UserError } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { ModelDecision } from '../models/types.js';
import { roundToLot } from '../execution/lots.js';
import type { LotRule } from '../execution/types.js';
import { NO_ORDER } from '../execution/simulated-broker.js';
import { OrderTicket, type SimulatedVenue } from '../execution/simulated-venue.js';
import { applyRiskLimits, capPerTradeRisk, type LimitContext } from '../risk/limits.js';
import { MODE_HALT, type RiskBreach } from '../risk/types.js';
import type { ModelSleeves } from './sleeves.js';
import type { ClockState } from '../backtest/engine-context.js';

/** for…in with this check visits the keys Object.keys returns (V8 optimises the pair, with no array). */
const hasOwn = Object.prototype.hasOwnProperty;

/** Symbols compared in order before the map (a longer universe takes the map for the rest). */
const SCANNED_SYMBOLS = 8;

/**
 * A model's universe as its decisions' keys are looked up: each symbol's index in the portfolio. A
 * model keys its decisions with its universe's own strings, so comparing its first symbols finds a
 * key without a hash lookup (a call that, with the rest of a decision's work, fills the instruction
 * cache: docs/backtest-engine.md "Speed"); the map answers for every other key.
 */
export class UniverseIndex {
  private readonly byName: ReadonlyMap<string, number>;

  /** @param indices the portfolio index of each symbol in `symbols` */
  constructor(
    readonly symbols: readonly string[],
    private readonly indices: readonly number[],
  ) {
    this.byName = new Map(symbols.map((sym, u) => [sym, indices[u]!] as const));
  }

  /** The portfolio index of symbol `sym`, −1 when it is not in the universe. */
  indexOf(sym: string): number {
    const symbols = this.symbols;
    const scanned = symbols.length < SCANNED_SYMBOLS ? symbols.length : SCANNED_SYMBOLS;
    for (let u = 0; u < scanned; u++) if (symbols[u] === sym) return this.indices[u]!;
    const s = this.byName.get(sym);
    return s === undefined ? -1 : s;
  }
}

export class PortfolioTargets {
  /** Budget per model (fraction of NAV), from the regime budgets. */
  readonly budget: Float64Array;
  /** Per model and asset: the limit price the model asked for (NaN: none). */
  readonly limitHint: Float64Array;
  /** budget × weight per model and asset, before the risk limits. */
  readonly contribution: Float64Array;
  /** Per asset: Σ_m contribution (the netted NAV weight), current weight, risk-limited target. */
  readonly netted: Float64Array;
  readonly current: Float64Array;
  readonly target: Float64Array;
  readonly previousTarget: Float64Array;
  /** 1 where the target changed since its order was sent. */
  readonly changed: Uint8Array;
  /** Bumped on every recompute. */
  version = 0;
  readonly breaches: RiskBreach[] = [];
  /** Keep breach records (off for a run kept only for its models' decisions: nothing reads them). */
  recordsBreaches = true;
  /** The order `sendOrders` is placing (one object rewritten per order: see OrderTicket). */
  private readonly order = new OrderTicket();

  constructor(
    private readonly sleeves: ModelSleeves,
    private readonly broker: SimulatedVenue,
    private readonly mark: Float64Array,
    private readonly limitContext: LimitContext,
    private readonly lots: readonly LotRule[],
    private readonly band: number,
    private readonly modelNames: readonly string[],
  ) {
    const S = sleeves.symbols;
    const M = sleeves.models;
    this.budget = new Float64Array(M);
    this.limitHint = new Float64Array(M * S).fill(NaN);
    this.contribution = new Float64Array(M * S);
    this.netted = new Float64Array(S);
    this.current = new Float64Array(S);
    this.target = new Float64Array(S);
    this.previousTarget = new Float64Array(S);
    this.changed = new Uint8Array(S);
  }

  /**
   * Store a model's decision (validated) and replace its stop and limit hints. Takes the Trader's
   * clock state, not its time: a number passed to a call that is not inlined is boxed on the heap,
   * and V8 hoists that box out of the Trader's model loop, so it was paid at every step.
   */
  applyDecision(m: number, dec: ModelDecision, uniIndex: UniverseIndex, at: Readonly<Pick<ClockState, 't'>>): void {
    validateDecision(this.modelNames[m]!, dec, uniIndex, at);
    const S = this.sleeves.symbols;
    const row = m * S;
    const weights = dec.weights;
    const weight = this.sleeves.weight;
    for (let s = 0; s < S; s++) {
      weight[row + s] = 0;
      this.limitHint[row + s] = NaN;
      this.broker.cancelStop(m, s);
    }
    for (const sym in weights) if (hasOwn.call(weights, sym)) weight[row + uniIndex.indexOf(sym)] = weights[sym]!;
    const stops = dec.stops;
    if (stops) {
      for (const sym of Object.keys(stops)) {
        const s = uniIndex.indexOf(sym);
        const h = stops[sym]!;
        if (h.limit !== undefined) this.limitHint[row + s] = h.limit;
        if (h.stop !== undefined) this.broker.placeStop(m, s, h.stop, at.t);
      }
    }
    this.sleeves.decisions[m]!++;
  }

  /** Budgets → NAV contributions → risk limits → scaled contributions → target quantities. */
  recompute(at: Readonly<Pick<ClockState, 't' | 'nav'>>, step: number, mode: number, killed: boolean): void {
    const t = at.t;
    const nav = at.nav;
    const { sleeves, broker, limitContext: lc } = this;
    const S = sleeves.symbols;
    const M = sleeves.models;
    const position = broker.account.position;
    // a loop, not `fill`: TypedArray.prototype.fill is a call into the runtime, whose code is a large
    // part of what a decision brings into the instruction cache (docs/backtest-engine.md "Speed")
    for (let s = 0; s < S; s++) this.netted[s] = 0;
    for (let m = 0; m < M; m++) {
      const b = this.budget[m]!;
      for (let s = 0; s < S; s++) {
        const i = m * S + s;
        let c = b * sleeves.weight[i]!;
        const stop = broker.stopLevel[i]!;
        if (c !== 0 && stop === stop) {
          const capped = capPerTradeRisk(c, this.mark[s]!, stop, lc.limits.perTradeRisk);
          if (capped !== c && this.recordsBreaches) {
            this.breaches.push({
              ts: t, step, kind: 'per_trade_risk', subject: lc.symbols[s]!, model: this.modelNames[m]!, value: c, limit: capped,
              action: `weight ${c} → ${capped} (stop ${stop}, risk ≤ ${lc.limits.perTradeRisk} of NAV)`,
            });
            c = capped;
          }
        }
        this.contribution[i] = c;
        this.netted[s]! += c;
      }
    }
    for (let s = 0; s < S; s++) this.current[s] = nav > 0 && position[s] !== 0 ? (position[s]! * this.mark[s]!) / nav : 0;
    applyRiskLimits(lc, this.netted, this.current, mode, killed, t, step, this.target, this.recordsBreaches ? this.breaches : null);
    const zeroNetted = mode === MODE_HALT && (killed || lc.limits.haltAction === 'flatten');
    for (let s = 0; s < S; s++) {
      const r = this.netted[s]!;
      const f = r !== 0 ? this.target[s]! / r : zeroNetted ? 0 : 1;
      if (Math.abs(this.target[s]! - this.previousTarget[s]!) > 1e-12) this.changed[s] = 1;
      this.previousTarget[s] = this.target[s]!;
      for (let m = 0; m < M; m++) sleeves.scaledContribution[m * S + s] = this.contribution[m * S + s]! * f;
      this.refreshAsset(s, at);
    }
    sleeves.stopFired = false;
    this.version++;
  }

  /** Target quantities of asset s at the current mark, then re-attribute the position at the mark. */
  private refreshAsset(s: number, at: Readonly<Pick<ClockState, 'nav'>>): void {
    const nav = at.nav;
    const sleeves = this.sleeves;
    const S = sleeves.symbols;
    const M = sleeves.models;
    const p = this.mark[s]!;
    for (let m = 0; m < M; m++) {
      const i = m * S + s;
      const c = sleeves.scaledContribution[i]!;
      sleeves.targetQty[i] = c === 0 || !(p > 0) ? 0 : (c * nav) / p;
    }
    sleeves.reattribute(s);
    if (p > 0) for (let m = 0; m < M; m++) sleeves.cash[m]! -= sleeves.delta[m]! * p;
  }

  /** True when some asset has a target, a position or a working order (else there is nothing to rebalance). */
  engaged(): boolean {
    const position = this.broker.account.position;
    const kind = this.broker.workingKind;
    for (let s = 0; s < this.target.length; s++) if (this.target[s] !== 0 || position[s] !== 0 || kind[s] !== NO_ORDER) return true;
    return false;
  }

  /**
   * Deltas → orders (seed 003 §4.3 step 5): to target when it changed, else when drift > band.
   * `at` holds the step's time and NAV (the Trader's clock state). Called at most steps: the drift
   * check is kept small enough for V8 to inline it into the step, and a number passed to a call that
   * is not inlined is boxed on the heap, so the calls here take `at`, not its numbers.
   */
  sendOrders(at: Readonly<Pick<ClockState, 't' | 'nav'>>, mode: number): void {
    const nav = at.nav;
    const position = this.broker.account.position;
    const band = this.band;
    for (let s = 0; s < this.target.length; s++) {
      const p = this.mark[s]!;
      if (!(p > 0) || !(nav > 0)) continue;
      if (this.changed[s] !== 1) {
        const d = this.target[s]! - (position[s]! * p) / nav;
        if (d <= band && d >= -band) continue;
        if (this.broker.workingKind[s] !== NO_ORDER) continue; // an order toward the target is already working
        this.refreshAsset(s, at);
      }
      this.sendOrder(s, at, mode);
    }
  }

  /** The order that takes symbol s to its target (replacing its working order), if one lot or more. */
  private sendOrder(s: number, at: Readonly<Pick<ClockState, 't' | 'nav'>>, mode: number): void {
    this.changed[s] = 0;
    const p = this.mark[s]!;
    const q = this.broker.account.position[s]!;
    let desired = (this.target[s]! * at.nav) / p - q;
    if (mode === MODE_HALT) {
      // reduce-only: never increase, never flip
      if (q === 0 || Math.sign(desired) === Math.sign(q)) desired = 0;
      else if (Math.abs(desired) > Math.abs(q)) desired = -q;
    }
    const order = this.order;
    order.qty = desired;
    order.mark = p;
    this.roundOrderToLot(s);
    this.broker.cancelWorking(s);
    if (order.qty === 0) return;
    const best = this.limitModel(s, order.qty > 0 ? 1 : -1);
    order.level = best >= 0 ? this.limitHint[best * this.sleeves.symbols + s]! : NaN;
    order.type = order.level === order.level ? 'limit' : 'market';
    order.reason = mode === MODE_HALT ? 'risk_flatten' : 'rebalance';
    order.t = at.t;
    this.broker.place(s, order);
  }

  /** The order's quantity rounded to symbol s's lot at its mark (execution/lots.ts), in place (no number boxed per call). */
  private roundOrderToLot(s: number): void {
    const order = this.order;
    order.qty = roundToLot(order.qty, order.mark, this.lots[s]!);
  }

  /** The model contributing most to an order of `side` (±1) in symbol s: its limit hint is the order's (−1: none). */
  private limitModel(s: number, side: number): number {
    const sleeves = this.sleeves;
    const S = sleeves.symbols;
    let best = -1;
    let bestAbs = 0;
    for (let m = 0; m < sleeves.models; m++) {
      const i = m * S + s;
      const d = sleeves.targetQty[i]! - sleeves.qty[i]!;
      if (Math.sign(d) === side && Math.abs(d) > bestAbs) {
        bestAbs = Math.abs(d);
        best = m;
      }
    }
    return best;
  }
}

/**
 * Throw the UserError a decision of model `name` at t earns, if any: a weights object, each weight a
 * finite number for a symbol of the model's universe (`uniIndex`), each stop for such a symbol with
 * positive prices. A Trader checks every decision with it before applying it, and so does a run made
 * for the decisions alone (engine/decisions.ts), so both fail alike.
 */
export function validateDecision(name: string, dec: ModelDecision, uniIndex: UniverseIndex, at: Readonly<Pick<ClockState, 't'>>): void {
  const weights = dec.weights;
  if (weights === null || typeof weights !== 'object') {
    throw new UserError(`model '${name}' returned a decision without a weights object at ${isoUtc(at.t)}`, name);
  }
  // the own enumerable keys, as Object.keys gives them, in the same order, without an array per decision
  for (const sym in weights) {
    if (!hasOwn.call(weights, sym)) continue;
    const v = weights[sym];
    if (uniIndex.indexOf(sym) < 0) {
      throw new UserError(`model '${name}' returned a weight for '${sym}' at ${isoUtc(at.t)}, which is not in its universe (${uniIndex.symbols.join(', ')})`, name);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new UserError(`model '${name}' returned ${String(v)} weight for ${sym} at ${isoUtc(at.t)}; weights must be finite numbers`, name);
    }
  }
  const stops = dec.stops;
  if (!stops) return;
  for (const sym of Object.keys(stops)) {
    if (uniIndex.indexOf(sym) < 0) {
      throw new UserError(`model '${name}' gave a stop for '${sym}' at ${isoUtc(at.t)}, which is not in its universe`, name);
    }
    const h = stops[sym]!;
    for (const [kind, level] of [['stop', h.stop], ['limit', h.limit]] as const) {
      if (level !== undefined && !(typeof level === 'number' && level > 0 && level < Infinity)) {
        throw new UserError(`model '${name}' gave ${kind} ${String(level)} for ${sym} at ${isoUtc(at.t)}; prices must be positive numbers`, name);
      }
    }
  }
}
