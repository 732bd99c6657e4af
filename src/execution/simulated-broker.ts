/**
 * The simulated broker of a backtest (docs/backtest-engine.md "Trader, Broker, Clock"): it holds
 * the working orders, meets them with each new bar, prices the fills and books them in its Account.
 * Its execution model is the engine's (seed 003 §7.3):
 *
 *   - market orders fill at the next bar's open, or at the decision close with `same_close`;
 *   - stops and limits meet the bar along its OHLC path (execution/match.ts), gaps fill at the open;
 *     orders triggered in one bar fill in path order (open first, then the first extreme, then the
 *     second), the working order before model stops at equal rank;
 *   - a taker fill pays slippage and square-root impact against the ADV known before the bar
 *     (execution/costs.ts, execution/adv.ts), every fill pays the maker or taker fee;
 *   - under `execution.max_participation` an order fills at most cap × bar volume per bar
 *     (execution/participation.ts); a market order's rest works on, a limit's rest expires;
 *   - perpetual funding and short borrow are charged at each bar close (funding.ts, borrow.ts).
 *
 * Two kinds of order: at most one *working order* per symbol (the Trader's rebalance, or an order
 * sent through `submit`), and *model stops*, one per model and symbol, which close that model's
 * share of the position (the sleeve quantities the Trader attributes, `sleeveQty`) when triggered.
 *
 * Each fill goes to the Account (account.ts: the one place cash changes), then to the fill listener
 * (the Trader's sleeves split it among models), then into the fill log. Orders and fills are kept as
 * rows of numbers (order-log.ts, fill-log.ts) and made into records when read.
 */
import { InvariantError } from '../core/errors.js';
import type { AssetClass } from '../core/table.js';
import { isoUtc } from '../core/time.js';
import type { SymbolData } from '../backtest/engine-data.js';
import { Account, FillAmounts } from './account.js';
import { FillLog } from './fill-log.js';
import { OrderLog, STATUS_CANCELLED, STATUS_EXPIRED, STATUS_FILLED, STATUS_OPEN } from './order-log.js';
import { averageDailyVolume } from './adv.js';
import { borrowFee } from './borrow.js';
import type { Broker, FillListener, OrderRequest, SubmitResult } from './broker.js';
import { OrderTicket } from './simulated-venue.js';
import { fillCost, newFillCost } from './costs.js';
import { fundingPayment } from './funding.js';
import { cleanQty, roundToLot } from './lots.js';
import { matchOrder, newMatchResult } from './match.js';
import { cappedQty, participationLimit } from './participation.js';
import type { CostRates, FillRecord, Liquidity, LotRule, OrderReason, OrderRecord, OrderType } from './types.js';

/** Working-order kinds per symbol. */
export const NO_ORDER = 0;
export const MARKET_ORDER = 1;
export const LIMIT_ORDER = 2;
export const STOP_ORDER = 3;

export interface SimulatedBrokerSetup {
  readonly data: readonly SymbolData[];
  readonly assetClass: readonly AssetClass[];
  readonly rates: readonly CostRates[];
  readonly lots: readonly LotRule[];
  readonly initialCapital: number;
  readonly limitFill: 'touch' | 'through';
  /** Market orders fill at the decision close instead of the next open. */
  readonly sameClose: boolean;
  readonly advDays: number;
  /** execution.max_participation: the fraction of a bar's volume one order may fill; 0 = no cap. */
  readonly cap: number;
  /** Models that may place stops (their count sizes the stop table). */
  readonly modelNames: readonly string[];
  /**
   * Keep the round-trip trades (default true). Off for a run whose only output is its models'
   * decisions (engine/trader.ts StepRecording 'none'): fills still change cash and positions, and
   * go to the fill log as rows of numbers (records only when read, fill-log.ts).
   */
  readonly records?: boolean;
}

/**
 * ADV series already computed, by the bars' volume column: bars are facts, never written after
 * their dataset is made, and adv[i] reads only the days before bar i's day, so the series of some
 * columns serves every prefix view of them (the bias probes' truncated runs) and the next run on the
 * same bars. A hit needs the same buffers at the same offsets, a length within the one computed and
 * the same window; anything else is computed (and remembered in place of the last).
 */
interface KnownAdv {
  readonly ts: Float64Array;
  readonly volume: Float64Array;
  readonly days: number;
  readonly adv: Float64Array;
}
const knownAdv = new WeakMap<ArrayBufferLike, KnownAdv>();
const sameStart = (a: Float64Array, b: Float64Array): boolean => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

function advOf(ts: Float64Array, volume: Float64Array, days: number): Float64Array {
  const known = knownAdv.get(volume.buffer);
  if (known && known.days === days && sameStart(known.volume, volume) && sameStart(known.ts, ts) && ts.length <= known.adv.length) {
    return known.adv.subarray(0, ts.length);
  }
  const adv = averageDailyVolume(ts, volume, days);
  knownAdv.set(volume.buffer, { ts, volume, days, adv });
  return adv;
}

/** What the Trader's sleeves do with a fill (attribution among models). */
/** `stopModel` of a liquidation fill: every model's share of the asset is closed. */
export const LIQUIDATION_FILL = -2;

export interface SleeveFillSink {
  /**
   * A fill of asset s (its numbers in `f`, read during the call only).
   * @param stopModel the model whose stop filled, −1 for a working (net) order, LIQUIDATION_FILL for a liquidation
   */
  onFill(s: number, f: Readonly<FillAmounts>, stopModel: number): void;
  onFunding(s: number, close: number, rate: number): void;
  onBorrow(s: number, fee: number): void;
  /** A write-off after the liquidation of asset s (shared like that liquidation's fill). */
  onWriteOff(s: number, amount: number): void;
  /** The position in asset s changed without a fill (a venue's reconcile): split it among the models again. */
  reattribute(s: number): void;
}

interface Triggered {
  rank: number;
  model: number;
  price: number;
  liquidity: Liquidity;
  gap: boolean;
}

export class SimulatedBroker implements Broker {
  readonly account: Account;
  /** The orders as rows; `orders` makes their records when read. */
  private readonly orderLog: OrderLog;
  /** The fills as rows; `fills` makes their records when read. */
  private readonly fillLog: FillLog;
  readonly symbols: number;
  readonly models: number;
  /** Bumped on every order, fill or cancel (lets the Trader skip idle work). */
  version = 0;
  // the working order per symbol
  readonly workingKind: Uint8Array;
  readonly workingQty: Float64Array;
  readonly workingLevel: Float64Array;
  readonly workingPlacedAt: Float64Array;
  /** The working order's id per symbol (0: none). */
  readonly workingOrderId: Int32Array;
  // model stops, index model × symbols + symbol
  readonly stopLevel: Float64Array;
  readonly stopPlacedAt: Float64Array;
  /** The model stop's order id (0: none). */
  readonly stopOrderId: Int32Array;
  /** 1 when symbol s has a working order or a model stop (the Trader calls `onBar` only then). */
  readonly hasOrders: Uint8Array;
  /** Current bar index per symbol (the Trader's cursor: same-close fills and `submit` read it). */
  barIndex: Int32Array;
  /** The latest bar close the broker was told of (orders are placed at it). */
  now = -Infinity;
  /** Sleeve quantities (model × symbol) the model stops close; the Trader's sleeves own the array. */
  sleeveQty: Float64Array;
  private sink: SleeveFillSink | null = null;
  private readonly listeners: FillListener[] = [];
  private readonly byClientId = new Map<string, number>();
  private readonly symbolIndex = new Map<string, number>();
  private readonly adv: (Float64Array | null)[];
  private readonly match = newMatchResult();
  private readonly cost = newFillCost();
  /** The fill being executed (`fillOf`, `execute`): its numbers go to the account, sleeves and log by reference. */
  private readonly fill = new FillAmounts();

  constructor(private readonly setup: SimulatedBrokerSetup) {
    const n = (this.symbols = setup.data.length);
    const m = (this.models = setup.modelNames.length);
    this.account = new Account(setup.data.map((d) => d.symbol), setup.lots, setup.initialCapital, setup.records !== false);
    this.orderLog = new OrderLog(setup.data.map((d) => d.symbol), setup.modelNames, setup.cap > 0);
    this.fillLog = new FillLog(setup.data.map((d) => d.symbol), setup.assetClass);
    this.workingKind = new Uint8Array(n);
    this.workingQty = new Float64Array(n);
    this.workingLevel = new Float64Array(n);
    this.workingPlacedAt = new Float64Array(n);
    this.workingOrderId = new Int32Array(n);
    this.stopLevel = new Float64Array(m * n).fill(NaN);
    this.stopPlacedAt = new Float64Array(m * n);
    this.stopOrderId = new Int32Array(m * n);
    this.hasOrders = new Uint8Array(n);
    this.barIndex = new Int32Array(n).fill(-1);
    this.sleeveQty = new Float64Array(m * n);
    this.adv = setup.data.map(() => null);
    setup.data.forEach((d, s) => this.symbolIndex.set(d.symbol, s));
  }

  /** Every order's record, in id order (made from the order log when read; the same array on every read). */
  get orders(): OrderRecord[] {
    return this.orderLog.records();
  }

  /** Orders placed so far (without making their records). */
  get orderCount(): number {
    return this.orderLog.rows;
  }

  /** Order id's record (made when first read; updated with the order afterwards). */
  orderRecord(id: number): OrderRecord {
    return this.orderLog.record(id);
  }

  /** Relabel order id's reason (the paper broker's kill switch): its record becomes a copy saying so. */
  relabelOrder(id: number, reason: OrderReason): void {
    this.orderLog.relabel(id, reason);
  }

  /** Every fill's record, in fill order (made from the fill log when read; the same array on every read). */
  get fills(): FillRecord[] {
    return this.fillLog.records(this.orderLog);
  }

  /** Route fills, funding and borrow to the Trader's sleeves (and stops to its sleeve quantities). */
  attachSleeves(sink: SleeveFillSink, sleeveQty: Float64Array): void {
    this.sink = sink;
    this.sleeveQty = sleeveQty;
  }

  // ---------------------------------------------------------------- the Broker interface
  submit(request: OrderRequest): SubmitResult {
    const known = this.byClientId.get(request.clientId);
    if (known !== undefined) return { accepted: true, order: this.orderLog.record(known), duplicate: true };
    const reject = this.rejection(request);
    if (reject !== null) return { accepted: false, reason: reject };
    const s = this.symbolIndex.get(request.symbol)!;
    const level = request.type === 'market' ? NaN : request.price!;
    const j = this.barIndex[s]!;
    const order = new OrderTicket();
    order.qty = request.qty;
    order.type = request.type;
    order.level = level;
    order.t = this.now;
    order.reason = request.reason ?? 'rebalance';
    order.mark = j >= 0 ? this.setup.data[s]!.close[j]! : NaN;
    const id = this.place(s, order);
    this.byClientId.set(request.clientId, id);
    return { accepted: true, order: this.orderLog.record(id), duplicate: false };
  }

  cancel(clientId: string): boolean {
    const id = this.byClientId.get(clientId);
    if (id === undefined || this.orderLog.status(id) !== STATUS_OPEN) return false;
    const s = this.orderLog.symbolIndex(id);
    if (this.workingOrderId[s] !== id) return false;
    this.cancelWorking(s, this.now);
    return true;
  }

  order(clientId: string): OrderRecord | undefined {
    const id = this.byClientId.get(clientId);
    return id === undefined ? undefined : this.orderLog.record(id);
  }

  position(symbol: string): number {
    const s = this.symbolIndex.get(symbol);
    return s === undefined ? 0 : this.account.position[s]!;
  }

  cash(): number {
    return this.account.cash;
  }

  onFill(listener: FillListener): void {
    this.listeners.push(listener);
  }

  private rejection(r: OrderRequest): string | null {
    const s = this.symbolIndex.get(r.symbol);
    if (s === undefined) return `unknown symbol '${r.symbol}' (this broker trades ${[...this.symbolIndex.keys()].join(', ')})`;
    if (!(typeof r.qty === 'number' && Number.isFinite(r.qty) && r.qty !== 0)) return `order ${r.clientId}: quantity ${String(r.qty)} must be a nonzero finite number`;
    if (r.type !== 'market' && !(typeof r.price === 'number' && r.price > 0 && r.price < Infinity)) {
      return `order ${r.clientId}: a ${r.type} order needs a positive price, got ${String(r.price)}`;
    }
    if (r.limitPrice !== undefined) return `order ${r.clientId}: stop-limit orders go to venue brokers only; the simulated broker fills a stop at its level (docs/backtest-engine.md)`;
    const j = this.barIndex[s]!;
    const ref = r.type === 'market' ? (j >= 0 ? this.setup.data[s]!.close[j]! : NaN) : r.price!;
    if (!(ref > 0)) return `order ${r.clientId}: no price for ${r.symbol} yet (no bar has closed)`;
    if (roundToLot(r.qty, ref, this.setup.lots[s]!) !== r.qty) {
      const l = this.setup.lots[s]!;
      return `order ${r.clientId}: quantity ${r.qty} of ${r.symbol} is not a multiple of the lot ${l.lotSize} at or above min qty ${l.minQty} and min notional ${l.minNotional}`;
    }
    if (this.workingKind[s] !== NO_ORDER) return `order ${r.clientId}: ${r.symbol} already has a working order (#${this.workingOrderId[s]}); cancel it first`;
    return null;
  }

  /** Client ids and the order ids they name (for snapshots). */
  clientIdEntries(): [string, number][] {
    return [...this.byClientId];
  }

  /** Replace orders, fills, working orders, stops and client ids with a snapshot's (engine/snapshot.ts). */
  restoreOrders(saved: {
    readonly version: number; readonly now: number; readonly orders: readonly OrderRecord[]; readonly fills: readonly FillRecord[];
    readonly clientIds: readonly (readonly [string, number])[]; readonly barIndex: Int32Array; readonly hasOrders: Uint8Array;
    readonly workingKind: Uint8Array; readonly workingQty: Float64Array; readonly workingLevel: Float64Array; readonly workingPlacedAt: Float64Array;
    readonly workingOrderId: Int32Array; readonly stopLevel: Float64Array; readonly stopPlacedAt: Float64Array; readonly stopOrderId: Int32Array;
  }): void {
    this.version = saved.version;
    this.now = saved.now;
    this.orderLog.restore(saved.orders, this.symbolIndex);
    this.fillLog.restore(saved.fills);
    this.byClientId.clear();
    for (const [clientId, id] of saved.clientIds) this.byClientId.set(clientId, id);
    this.barIndex.set(saved.barIndex);
    this.hasOrders.set(saved.hasOrders);
    this.workingKind.set(saved.workingKind);
    this.workingQty.set(saved.workingQty);
    this.workingLevel.set(saved.workingLevel);
    this.workingPlacedAt.set(saved.workingPlacedAt);
    this.workingOrderId.set(saved.workingOrderId);
    this.stopLevel.set(saved.stopLevel);
    this.stopPlacedAt.set(saved.stopPlacedAt);
    this.stopOrderId.set(saved.stopOrderId);
  }

  // ---------------------------------------------------------------- placing orders (the Trader)
  /**
   * Place the working order of symbol s (replacing none: cancel first). With `same_close` a market
   * order fills at once at `order.mark` (this close), at most cap × this bar's volume; the rest works on.
   * Returns the order's id.
   */
  place(s: number, order: Readonly<OrderTicket>): number {
    const qty = order.qty;
    const type = order.type;
    const t = order.t;
    const o = this.newOrder(s, qty, type, type === 'market' ? null : order.level, t, order.model, order.reason);
    if (this.setup.sameClose && type === 'market') {
      const d = this.setup.data[s]!;
      const j = d.n > 0 ? Math.max(0, this.barIndex[s]!) : 0;
      const now = this.setup.cap > 0 ? cappedQty(qty, participationLimit(d.volume[j]!, this.setup.cap, this.setup.lots[s]!.lotSize)) : qty;
      if (now !== 0) this.execute(s, o, this.fillOf(now, order.mark, t), 'taker', false, j, -1);
      if (now === qty) return o;
      this.orderLog.close(o, STATUS_OPEN, NaN);
      this.setWorking(s, MARKET_ORDER, cleanQty(qty - now, this.account.quantityDecimals[s]!), NaN, t, o);
      return o;
    }
    this.setWorking(s, type === 'limit' ? LIMIT_ORDER : type === 'stop' ? STOP_ORDER : MARKET_ORDER, qty, order.level, t, o);
    return o;
  }

  private setWorking(s: number, kind: number, qty: number, level: number, t: number, o: number): void {
    this.workingKind[s] = kind;
    this.workingQty[s] = qty;
    this.workingLevel[s] = level;
    this.workingPlacedAt[s] = t;
    this.workingOrderId[s] = o;
    this.hasOrders[s] = 1;
  }

  /**
   * Cancel the working order of symbol s, if any, at `t` (default: `now`, read only when there is an
   * order to close: a time passed to this call, made at most steps, is a heap allocation).
   */
  cancelWorking(s: number, t?: number): void {
    this.version++;
    const o = this.workingOrderId[s]!;
    if (o !== 0 && this.orderLog.status(o) === STATUS_OPEN) this.orderLog.close(o, STATUS_CANCELLED, t ?? this.now);
    this.workingOrderId[s] = 0;
    this.workingKind[s] = NO_ORDER;
    this.updateHasOrders(s);
  }

  /** A model's protective stop on symbol s at `level`: when triggered it closes that model's sleeve. */
  placeStop(model: number, s: number, level: number, t: number): void {
    const i = model * this.symbols + s;
    this.stopLevel[i] = level;
    this.stopPlacedAt[i] = t;
    this.stopOrderId[i] = this.newOrder(s, 0, 'stop', level, t, this.setup.modelNames[model]!, 'stop');
    this.hasOrders[s] = 1;
  }

  /** Cancel the model's stop on symbol s, if any (its next decision replaces it). */
  cancelStop(model: number, s: number, t?: number): void {
    const i = model * this.symbols + s;
    const so = this.stopOrderId[i]!;
    if (so !== 0 && this.orderLog.status(so) === STATUS_OPEN) this.orderLog.close(so, STATUS_CANCELLED, t ?? this.now);
    this.stopOrderId[i] = 0;
    this.stopLevel[i] = NaN;
  }

  /** A new open order (order-log.ts); returns its id. */
  private newOrder(s: number, qty: number, type: OrderType, price: number | null, t: number, model: string | null, reason: OrderReason): number {
    this.version++;
    return this.orderLog.add(s, qty, type, price, t, model, reason);
  }

  private updateHasOrders(s: number): void {
    let has = this.workingKind[s] !== NO_ORDER ? 1 : 0;
    for (let m = 0; m < this.models && has === 0; m++) if (this.stopOrderId[m * this.symbols + s] !== 0) has = 1;
    this.hasOrders[s] = has;
  }

  // ---------------------------------------------------------------- bars
  /** Meet the working order and the model stops of symbol s with its bar j (the bar opening at ts[j]). */
  onBar(s: number, j: number): void {
    this.version++;
    const d = this.setup.data[s]!;
    const barTs = d.ts[j]!;
    const open = d.open[j]!;
    const high = d.high[j]!;
    const low = d.low[j]!;
    const close = d.close[j]!;
    const lf = this.setup.limitFill;
    const n = this.symbols;
    // A market order (or a limit/stop gapped at the open) fills first, at the open; model stops are
    // then matched with the positions that fill produced. Whatever triggers later in the bar is
    // executed in OHLC path order (the list is made only when something triggers past the open).
    let triggered: Triggered[] | null = null;
    const cap = this.setup.cap > 0 ? participationLimit(d.volume[j]!, this.setup.cap, this.setup.lots[s]!.lotSize) : Infinity;
    const kind = this.workingKind[s]!;
    if (kind !== NO_ORDER && this.workingPlacedAt[s]! <= barTs) {
      const type: OrderType = kind === LIMIT_ORDER ? 'limit' : kind === STOP_ORDER ? 'stop' : 'market';
      const o = this.workingOrderId[s]!;
      const r = matchOrder(type, this.workingQty[s]! > 0 ? 1 : -1, this.workingLevel[s]!, open, high, low, close, lf, this.match);
      if (r.price !== r.price) {
        // A limit is good for one bar; a stop keeps resting.
        if (kind !== STOP_ORDER) {
          this.orderLog.close(o, STATUS_EXPIRED, barTs);
          this.workingOrderId[s] = 0;
          this.workingKind[s] = NO_ORDER;
        }
      } else if (r.pathRank === 0) {
        this.fillWorking(s, o, r.price, r.liquidity, r.gap, barTs, j, cap);
      } else (triggered ??= []).push({ rank: r.pathRank, model: -1, price: r.price, liquidity: r.liquidity, gap: r.gap });
    }
    for (let m = 0; m < this.models; m++) {
      const i = m * n + s;
      if (this.stopOrderId[i] === 0 || this.stopPlacedAt[i]! > barTs || this.sleeveQty[i] === 0) continue;
      const side = this.sleeveQty[i]! > 0 ? -1 : 1;
      const r = matchOrder('stop', side, this.stopLevel[i]!, open, high, low, close, lf, this.match);
      if (r.price === r.price) (triggered ??= []).push({ rank: r.pathRank, model: m, price: r.price, liquidity: r.liquidity, gap: r.gap });
    }
    if (triggered !== null) this.fillTriggered(s, j, barTs, cap, triggered);
    this.updateHasOrders(s);
  }

  /** Fill what triggered in bar j of symbol s past the open, in OHLC path order (the working order first at equal rank). */
  private fillTriggered(s: number, j: number, barTs: number, cap: number, triggered: Triggered[]): void {
    const n = this.symbols;
    if (triggered.length > 1) triggered.sort((a, b) => a.rank - b.rank || a.model - b.model);
    for (const c of triggered) {
      if (c.model < 0) {
        this.fillWorking(s, this.workingOrderId[s]!, c.price, c.liquidity, c.gap, barTs, j, cap);
        continue;
      }
      const i = c.model * n + s;
      const o = this.stopOrderId[i]!;
      const qty = cappedQty(roundToLot(-this.sleeveQty[i]!, c.price, { lotSize: this.setup.lots[s]!.lotSize, minQty: 0, minNotional: 0 }), cap);
      // Capped at zero (a zero-volume bar): the stop keeps resting and meets the next bar.
      if (qty === 0 && cap === 0) continue;
      this.stopOrderId[i] = 0;
      this.stopLevel[i] = NaN;
      if (qty === 0) {
        this.orderLog.close(o, STATUS_CANCELLED, barTs);
        continue;
      }
      this.execute(s, o, this.fillOf(qty, c.price, barTs), c.liquidity, c.gap, j, c.model);
    }
  }

  /**
   * Fill the working order of symbol s at `price`, at most `cap` of it (Infinity: all). A market or
   * stop order's unfilled rest keeps working on later bars; a limit's rest expires with it at the
   * end of this bar (limits are good for one bar). Without a cap this is one whole fill.
   */
  private fillWorking(s: number, o: number, price: number, liquidity: Liquidity, gap: boolean, barTs: number, j: number, cap: number): void {
    const want = this.workingQty[s]!;
    const qty = cappedQty(want, cap);
    const rest = qty === want ? 0 : cleanQty(want - qty, this.account.quantityDecimals[s]!);
    if (rest === 0 || this.workingKind[s] === LIMIT_ORDER) {
      this.workingOrderId[s] = 0;
      this.workingKind[s] = NO_ORDER;
    } else {
      this.workingQty[s] = rest;
      // a triggered stop's rest goes out as a market order
      if (this.workingKind[s] === STOP_ORDER) this.workingKind[s] = MARKET_ORDER;
    }
    if (qty !== 0) this.execute(s, o, this.fillOf(qty, price, barTs), liquidity, gap, j, -1);
    if (rest === 0) return;
    if (this.workingKind[s] === NO_ORDER) this.orderLog.close(o, STATUS_EXPIRED, barTs);
    else this.orderLog.close(o, STATUS_OPEN, NaN);
  }

  /** Funding settles at the close of bar j of a perpetual (before the mark moves to that close). */
  onFunding(s: number, j: number): void {
    const d = this.setup.data[s]!;
    const rate = d.funding![j]!;
    const q = this.account.position[s]!;
    if (rate === 0 || q === 0 || rate !== rate) return;
    const close = d.close[j]!;
    this.account.applyFunding(s, fundingPayment(q, close, rate));
    this.sink?.onFunding(s, close, rate);
  }

  /**
   * Borrow fee at the close of bar j while symbol s is short (execution/borrow.ts): the bar length is
   * the time since the symbol's previous bar close (the first bar: its own open → close).
   */
  onBorrow(s: number, j: number): void {
    const q = this.account.position[s]!;
    if (!(q < 0)) return;
    const d = this.setup.data[s]!;
    const cts = d.closeTs;
    const closeJ = cts !== null ? cts[j]! : d.ts[j]! + d.step;
    const barMs = closeJ - (j === 0 ? d.ts[0]! : cts !== null ? cts[j - 1]! : d.ts[j - 1]! + d.step);
    const fee = borrowFee(q, d.close[j]!, this.setup.rates[s]!.borrow, barMs);
    if (fee === 0) return;
    this.account.applyBorrow(s, fee);
    this.sink?.onBorrow(s, fee);
  }

  /**
   * Liquidate the whole position in symbol s at `price` in its bar j (execution/margin.ts): the working
   * order and the model stops of s are cancelled, a market order with reason 'liquidation' fills at
   * once (a taker fill with the usual costs). Returns the order's id.
   */
  liquidate(s: number, j: number, price: number, gap: boolean): number {
    const d = this.setup.data[s]!;
    const barTs = d.ts[j]!;
    this.cancelWorking(s, barTs);
    for (let m = 0; m < this.models; m++) this.cancelStop(m, s, barTs);
    this.updateHasOrders(s);
    const qty = -this.account.position[s]!;
    const o = this.newOrder(s, qty, 'market', null, barTs, null, 'liquidation');
    this.execute(s, o, this.fillOf(qty, price, barTs), 'taker', gap, j, LIQUIDATION_FILL);
    return o;
  }

  /** Write off equity below zero after a liquidation of s (Account.writeOff), shared among models like that fill. */
  writeOff(s: number, amount: number): void {
    this.account.writeOff(s, amount);
    this.sink?.onWriteOff(s, amount);
  }

  /**
   * Symbol s's data grew in place (engine/grow.ts): its ADV is recomputed when next needed (adv.ts
   * reads only days before each bar, so the values already used do not change).
   */
  dataGrew(s: number): void {
    this.adv[s] = null;
  }

  // ---------------------------------------------------------------- fills
  /** ADV known before bar j opens (execution/adv.ts: only earlier days' volumes). */
  advAt(s: number, j: number): number {
    let a = this.adv[s];
    if (!a) {
      const d = this.setup.data[s]!;
      a = advOf(d.ts.subarray(0, d.n), d.volume.subarray(0, d.n), this.setup.advDays);
      this.adv[s] = a;
    }
    return a[j]!;
  }

  /** The fill `execute` takes: `qty` at reference price `ref` (the open, a level, or the close) at time `ts`. */
  private fillOf(qty: number, ref: number, ts: number): FillAmounts {
    const f = this.fill;
    f.qty = qty;
    f.ref = ref;
    f.ts = ts;
    return f;
  }

  /**
   * Execute the fill `f` (`fillOf`: quantity, reference price, time) of order id `o`, with costs.
   * @param stopModel the model whose stop this is, −1 for a working order, LIQUIDATION_FILL
   */
  execute(s: number, o: number, f: FillAmounts, liquidity: Liquidity, gap: boolean, j: number, stopModel: number): void {
    const qty = f.qty;
    const ref = f.ref;
    const ts = f.ts;
    if (!(ref > 0 && ref < Infinity) || !(qty === qty)) {
      throw new InvariantError(`fill of order #${o} ${this.setup.data[s]!.symbol} at ${isoUtc(ts)} has price ${ref} and quantity ${qty}`);
    }
    this.version++;
    const rates = this.setup.rates[s]!;
    const adv = liquidity === 'taker' && rates.impactCoef > 0 ? this.advAt(s, j) : NaN;
    const c = fillCost(qty, ref, liquidity, rates, adv, this.cost);
    f.price = c.price;
    f.fee = c.fee;
    f.slippage = c.slippage;
    f.impact = c.impact;
    this.account.bookFill(s, f);
    this.sink?.onFill(s, f, stopModel);
    const orders = this.orderLog;
    orders.close(o, STATUS_FILLED, ts);
    if (this.setup.cap > 0) orders.setFilled(o, cleanQty(orders.filled(o) + qty, this.account.quantityDecimals[s]!));
    this.fillLog.add(o, f, liquidity === 'maker', gap);
    if (this.listeners.length === 0) return;
    const fills = this.fills;
    const fill = fills[fills.length - 1]!;
    for (const l of this.listeners) l(fill);
  }
}
