/**
 * The Trader's book on an exchange (docs/backtest-engine.md "Trader, Broker, Clock"): a
 * `SimulatedVenue` over any `Broker` — a venue adapter (execution/venues/venue-broker.ts: ccxt,
 * Alpaca), or anything else that takes orders and reports fills. The Trader steps it exactly as it
 * steps the SimulatedBroker; only what happens to an order differs:
 *
 *   place / cancelWorking   the portfolio engine's orders (target weights → deltas → lot-rounded
 *                           quantities, engine/targets.ts) are submitted to the broker under the
 *                           client id `<prefix>-<order id>` (idempotent on the venue) and cancelled
 *                           through it; a limit is good for one bar, as in a backtest: cancelled at
 *                           the next bar close if still working
 *   placeStop / cancelStop  a model's protective stop goes to the venue as a stop order for the
 *                           model's attributed quantity (its sleeve), re-sized when that changes;
 *                           limit and stop levels go out on the venue's tick (`venueTick`)
 *   fills                   arrive from the broker as they happen (during `sync()` for a venue);
 *                           each is booked in the Account (the one place cash changes) at the
 *                           venue's price and fee, split among the models' sleeves, and logged;
 *                           what the venue filled during a bar is booked by `syncInBar` before
 *                           the Trader steps that bar's close, at the bar's time (the backtest's)
 *   bar hooks               none: the venue matches, charges funding and liquidates by itself
 *                           (`liquidatesItself`: the Trader runs no margin check of its own)
 *   reconcile               after each sync the broker's position and cash are compared with the
 *                           book; a difference (a fill the book never saw, funding, a fee tier) is
 *                           booked as a reconcile adjustment and reported — the venue's figures win
 *
 * The book starts from the broker's cash and positions (a venue reconciles at start), so a venue
 * account holding other capital than `initial_capital` trades what it holds.
 */
import { isoUtc } from '../core/time.js';
import type { Account } from '../execution/account.js';
import { Account as AccountBook, FillAmounts } from '../execution/account.js';
import type { Broker, FillListener, OrderRequest, SubmitResult } from '../execution/broker.js';
import { cleanQty, lotDecimals, roundToLot } from '../execution/lots.js';
import { LIMIT_ORDER, MARKET_ORDER, NO_ORDER, STOP_ORDER, type SimulatedBrokerSetup, type SleeveFillSink } from '../execution/simulated-broker.js';
import type { OrderTicket, SimulatedVenue } from '../execution/simulated-venue.js';
import type { FillRecord, OrderReason, OrderRecord, OrderType } from '../execution/types.js';

/** A broker whose I/O is asynchronous (a venue adapter): `sync` sends, polls and books; `mark` tells it the last price. */
export interface ExchangeBroker extends Broker {
  sync?(): Promise<void>;
  mark?(symbol: string, price: number): void;
  /** The venue's quantity step (orders are rounded toward zero to it) and price tick (levels are rounded to it) for a symbol. */
  rulesOf?(symbol: string): { readonly qtyStep: number; readonly priceStep?: number } | undefined;
}

/** What the book reports: refused orders and reconcile adjustments (the paper loop's errors log). */
export interface BookEvent {
  readonly kind: 'rejected' | 'reconcile';
  readonly message: string;
}

/** An order the book sent: its own record, the broker's, and whom a fill belongs to. */
interface Sent {
  readonly record: OrderRecord;
  readonly clientId: string;
  readonly s: number;
  /** The model whose stop this is, or −1 for a rebalance (net) order. */
  readonly stopModel: number;
  readonly venue: OrderRecord;
}

export class VenueBook implements SimulatedVenue {
  readonly account: Account;
  readonly orders: OrderRecord[] = [];
  readonly fills: FillRecord[] = [];
  readonly workingKind: Uint8Array;
  readonly stopLevel: Float64Array;
  /** Always 0: the venue meets its own orders, so the Trader never calls `onBar`. */
  readonly hasOrders: Uint8Array;
  readonly barIndex: Int32Array;
  readonly liquidatesItself = true;
  version = 0;
  private nowValue = -Infinity;
  private sink: SleeveFillSink | null = null;
  private sleeveQty: Float64Array;
  private readonly symbols: readonly string[];
  private readonly symbolIndex = new Map<string, number>();
  private readonly working: (Sent | null)[];
  /** Per model × symbol: the model stop's own record and the venue stop order now carrying it. */
  private readonly stopRecord: (OrderRecord | null)[];
  private readonly stopSent: (Sent | null)[];
  private readonly stopResends: Int32Array;
  /** Venue order record id → what the book sent (fills name the venue's record). */
  private readonly byVenueId = new Map<number, Sent>();
  /** Client ids of `submit` (the Broker interface on the book itself). */
  private readonly byClientId = new Map<string, Sent>();
  private readonly listeners: FillListener[] = [];
  private readonly eventListeners: ((e: BookEvent) => void)[] = [];
  /** A sync inside a bar is running (`syncInBar`): what it books takes the time of the bar it happened in. */
  private inBar = false;
  /** The venue fill being booked, as the account and the sleeves take it. */
  private readonly amounts = new FillAmounts();

  /**
   * @param setup the run's broker setup (symbols, lots, models) as the Trader passes it
   * @param venue the broker orders go to
   * @param clientPrefix client ids are `<clientPrefix>-<order id>` (a paper session uses its id)
   */
  constructor(private readonly setup: SimulatedBrokerSetup, readonly venue: ExchangeBroker, private readonly clientPrefix: string) {
    const n = setup.data.length;
    const m = setup.modelNames.length;
    this.symbols = setup.data.map((d) => d.symbol);
    this.symbols.forEach((sym, s) => this.symbolIndex.set(sym, s));
    this.account = new AccountBook(this.symbols, setup.lots, venue.cash());
    this.symbols.forEach((sym, s) => (this.account.position[s] = venue.position(sym)));
    this.account.changes++;
    this.workingKind = new Uint8Array(n);
    this.stopLevel = new Float64Array(m * n).fill(NaN);
    this.hasOrders = new Uint8Array(n);
    this.barIndex = new Int32Array(n).fill(-1);
    this.sleeveQty = new Float64Array(m * n);
    this.working = new Array<Sent | null>(n).fill(null);
    this.stopRecord = new Array<OrderRecord | null>(m * n).fill(null);
    this.stopSent = new Array<Sent | null>(m * n).fill(null);
    this.stopResends = new Int32Array(m * n);
    venue.onFill((f) => this.onVenueFill(f));
  }

  onEvent(listener: (e: BookEvent) => void): void {
    this.eventListeners.push(listener);
  }

  attachSleeves(sink: SleeveFillSink, sleeveQty: Float64Array): void {
    this.sink = sink;
    this.sleeveQty = sleeveQty;
  }

  /** The latest bar close. Moving it on ends limits placed before it (good for one bar, as in a backtest). */
  get now(): number {
    return this.nowValue;
  }

  set now(t: number) {
    if (t > this.nowValue) {
      for (let s = 0; s < this.working.length; s++) {
        const w = this.working[s];
        if (w && w.record.type === 'limit' && w.record.placedAt < t) this.cancelWorking(s, t);
      }
    }
    this.nowValue = t;
  }

  // ---------------------------------------------------------------- bar hooks: the venue does these itself
  onBar(): void {}
  onFunding(): void {}
  onBorrow(): void {}
  liquidate(s: number): number {
    throw new Error(`the venue liquidates ${this.symbols[s]} by itself; the Trader runs no margin check on a venue book`);
  }
  writeOff(): void {}

  // ---------------------------------------------------------------- orders from target weights
  place(s: number, order: Readonly<OrderTicket>): number {
    const { qty, type, level, t, model, reason, mark } = order;
    if (mark > 0) this.venue.mark?.(this.symbols[s]!, mark);
    const venueQty = this.venueLot(s, qty);
    const record = this.newRecord(s, venueQty, type, type === 'market' ? null : level, t, model, reason);
    if (venueQty === 0) {
      record.status = 'cancelled';
      record.closedAt = t;
      this.report('rejected', `order #${record.id} ${qty} ${record.symbol} at ${isoUtc(t)} is below the venue's lot; not sent`);
      return record.id;
    }
    const sent = this.send(record, s, -1, `${this.clientPrefix}-${record.id}`, venueQty, type, level);
    if (sent) {
      this.working[s] = sent;
      this.workingKind[s] = type === 'limit' ? LIMIT_ORDER : type === 'stop' ? STOP_ORDER : MARKET_ORDER;
    }
    return record.id;
  }

  cancelWorking(s: number, t: number = this.nowValue): void {
    const w = this.working[s];
    this.working[s] = null;
    this.workingKind[s] = NO_ORDER;
    if (!w) return;
    this.version++;
    if (w.record.status === 'open') {
      this.venue.cancel(w.clientId);
      w.record.status = 'cancelled';
      w.record.closedAt = t;
    }
  }

  placeStop(model: number, s: number, level: number, t: number): void {
    const i = model * this.symbols.length + s;
    this.cancelStop(model, s, t);
    this.stopLevel[i] = level;
    this.stopRecord[i] = this.newRecord(s, 0, 'stop', level, t, this.setup.modelNames[model]!, 'stop');
    this.stopResends[i] = 0;
    this.refreshStop(i);
  }

  cancelStop(model: number, s: number, t: number = this.nowValue): void {
    const i = model * this.symbols.length + s;
    const sent = this.stopSent[i];
    if (sent && sent.venue.status === 'open') this.venue.cancel(sent.clientId);
    this.stopSent[i] = null;
    const r = this.stopRecord[i];
    if (r && r.status === 'open') {
      r.status = 'cancelled';
      r.closedAt = t;
    }
    this.stopRecord[i] = null;
    this.stopLevel[i] = NaN;
  }

  // ---------------------------------------------------------------- the Broker interface (the book itself)
  submit(request: OrderRequest): SubmitResult {
    const known = this.byClientId.get(request.clientId);
    if (known) return { accepted: true, order: known.record, duplicate: true };
    const s = this.symbolIndex.get(request.symbol);
    if (s === undefined) return { accepted: false, reason: `unknown symbol '${request.symbol}' (this book trades ${this.symbols.join(', ')})` };
    const r = this.venue.submit(request);
    if (!r.accepted) return r;
    const record = this.newRecord(s, request.qty, request.type, request.type === 'market' ? null : request.price!, this.nowValue, null, request.reason ?? 'rebalance');
    const sent: Sent = { record, clientId: request.clientId, s, stopModel: -1, venue: r.order };
    this.byVenueId.set(r.order.id, sent);
    this.byClientId.set(request.clientId, sent);
    return { accepted: true, order: record, duplicate: false };
  }

  cancel(clientId: string): boolean {
    const sent = this.byClientId.get(clientId);
    if (!sent || sent.record.status !== 'open' || !this.venue.cancel(clientId)) return false;
    sent.record.status = 'cancelled';
    sent.record.closedAt = this.nowValue;
    this.version++;
    return true;
  }

  order(clientId: string): OrderRecord | undefined {
    return this.byClientId.get(clientId)?.record;
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

  // ---------------------------------------------------------------- I/O
  /** Whether an order or a model stop of the book is open on the venue (something the venue may fill inside a bar). */
  hasOpenOnVenue(): boolean {
    for (const w of this.working) if (w && w.venue.status === 'open') return true;
    for (const sent of this.stopSent) if (sent && sent.venue.status === 'open') return true;
    return false;
  }

  /**
   * The sync inside a bar, before the Trader steps its close (the paper loop, docs/paper.md
   * "Brokers"): what the venue filled during the bar — a stop the bar reached, a limit it met, a
   * market order sent at the last close — is booked before the close's decision, as the
   * SimulatedBroker books it in `onBar`. Those fills, and the orders they close, take the open time
   * of the symbol's bar in which the venue made them (the bar after the last one the Trader stepped:
   * the SimulatedBroker's `barTs`), not the last close's.
   */
  async syncInBar(marks?: Float64Array): Promise<void> {
    this.inBar = true;
    try {
      await this.sync(marks);
    } finally {
      this.inBar = false;
    }
  }

  /**
   * Let the venue do its I/O (send, cancel, poll: fills arrive through `onVenueFill`), then close
   * the orders the venue finished, re-size model stops to the sleeves, and reconcile with the venue.
   * @param marks the latest close per symbol (the venue checks order values against them)
   */
  async sync(marks?: Float64Array): Promise<void> {
    if (marks && this.venue.mark) for (let s = 0; s < this.symbols.length; s++) if (marks[s]! > 0) this.venue.mark(this.symbols[s]!, marks[s]!);
    if (this.venue.sync) await this.venue.sync();
    this.settle();
    for (let i = 0; i < this.stopRecord.length; i++) if (this.stopRecord[i]) this.refreshStop(i);
    if (this.venue.sync && this.pendingStops()) await this.venue.sync();
    this.reconcile();
  }

  /** Take the venue's status of every working order and stop the book holds. */
  private settle(): void {
    for (let s = 0; s < this.working.length; s++) {
      const w = this.working[s];
      if (!w || w.venue.status === 'open') continue;
      this.close(w);
      this.working[s] = null;
      this.workingKind[s] = NO_ORDER;
      this.version++;
    }
    for (let i = 0; i < this.stopSent.length; i++) {
      const sent = this.stopSent[i];
      if (!sent || sent.venue.status === 'open') continue;
      this.stopSent[i] = null;
      if (sent.venue.status === 'filled') {
        // the stop fired: the model's sleeve is closed (as SimulatedBroker.onBar does with a triggered stop)
        this.close(sent);
        this.stopRecord[i] = null;
        this.stopLevel[i] = NaN;
        this.version++;
      }
    }
  }

  private close(sent: Sent, status: OrderRecord['status'] = sent.venue.status === 'expired' ? 'expired' : sent.venue.status === 'filled' ? 'filled' : 'cancelled'): void {
    if (sent.record.status !== 'open') return;
    sent.record.status = status;
    sent.record.closedAt = this.bookedAt(sent.s);
  }

  /** When what the venue did to symbol s is booked: the last close, or inside a bar (`syncInBar`) the open of the bar of s it happened in. */
  private bookedAt(s: number): number {
    if (!this.inBar) return this.nowValue;
    const d = this.setup.data[s]!;
    const j = this.barIndex[s]! + 1;
    return j < d.n ? d.ts[j]! : this.nowValue;
  }

  /** The venue stop for model stop i: the model's sleeve, lot-rounded, on the closing side; re-sent when that changed. */
  private refreshStop(i: number): void {
    const record = this.stopRecord[i]!;
    const s = i % this.symbols.length;
    const level = this.stopLevel[i]!;
    const lot = this.setup.lots[s]!;
    const want = this.venueLot(s, roundToLot(-this.sleeveQty[i]!, level, { lotSize: lot.lotSize, minQty: 0, minNotional: 0 }));
    const current = this.stopSent[i];
    if (current && current.venue.status === 'open' && current.venue.qty === want) return;
    if (!current && want === 0) return;
    if (current && current.venue.status === 'open') this.venue.cancel(current.clientId);
    this.stopSent[i] = null;
    if (want === 0) return;
    const k = this.stopResends[i]!++;
    const clientId = `${this.clientPrefix}-${record.id}${k > 0 ? `.${k}` : ''}`;
    this.stopSent[i] = this.send(record, s, Math.floor(i / this.symbols.length), clientId, want, 'stop', level);
  }

  private pendingStops(): boolean {
    for (const sent of this.stopSent) if (sent && sent.venue.status === 'open' && sent.venue.filled === 0) return true;
    return false;
  }

  /** The venue's position and cash win; a difference is booked as an adjustment and reported. */
  private reconcile(): void {
    const account = this.account;
    for (let s = 0; s < this.symbols.length; s++) {
      const venueQty = this.venue.position(this.symbols[s]!);
      const mine = account.position[s]!;
      if (Math.abs(venueQty - mine) > this.setup.lots[s]!.lotSize / 2) {
        account.reconcilePosition(s, venueQty);
        this.sink?.reattribute(s);
        this.version++;
        this.report('reconcile', `the venue holds ${venueQty} ${this.symbols[s]}, the book ${mine}; taking the venue's position`);
      }
    }
    const cash = this.venue.cash();
    if (Math.abs(cash - account.cash) > 0.01) {
      this.report('reconcile', `the venue's cash ${cash.toFixed(2)}, the book ${account.cash.toFixed(2)}; taking the venue's`);
      account.reconcileCash(cash);
      this.version++;
    }
  }

  // ---------------------------------------------------------------- internals
  /**
   * The quantity rounded toward zero to the venue's lot where that is coarser than the configured
   * one (the portfolio engine rounds to execution.lots; the venue refuses anything off its own step).
   */
  private venueLot(s: number, qty: number): number {
    const step = this.venue.rulesOf?.(this.symbols[s]!)?.qtyStep;
    if (!(step !== undefined && step > this.setup.lots[s]!.lotSize)) return qty;
    return roundToLot(qty, 1, { lotSize: step, minQty: 0, minNotional: 0 });
  }

  private newRecord(s: number, qty: number, type: OrderType, price: number | null, t: number, model: string | null, reason: OrderReason): OrderRecord {
    this.version++;
    const o: OrderRecord = { id: this.orders.length + 1, symbol: this.symbols[s]!, qty, type, price, placedAt: t, model, reason, status: 'open', closedAt: null, filled: 0 };
    this.orders.push(o);
    return o;
  }

  /**
   * A limit or stop level on the venue's tick, rounded away from the market so the order is never
   * worse than the model asked: a buy limit and a sell stop down, a sell limit and a buy stop up
   * (a model's stop such as close − 1.5 × ATR is rarely on a tick, and the venue refuses it off one).
   */
  private venueTick(s: number, qty: number, type: OrderType, level: number): number {
    const tick = this.venue.rulesOf?.(this.symbols[s]!)?.priceStep;
    if (!(tick !== undefined && tick > 0) || type === 'market') return level;
    const down = (qty > 0) === (type === 'limit');
    const n = level / tick;
    const k = down ? Math.floor(n + 1e-9) : Math.ceil(n - 1e-9);
    return Number((k * tick).toFixed(lotDecimals(tick)));
  }

  /** Submit `qty` of symbol s to the venue for `record`; a refusal closes the record and is reported. */
  private send(record: OrderRecord, s: number, stopModel: number, clientId: string, qty: number, type: OrderType, level: number): Sent | null {
    const request: OrderRequest = { clientId, symbol: this.symbols[s]!, qty, type, ...(type !== 'market' ? { price: this.venueTick(s, qty, type, level) } : {}), reason: record.reason };
    const r = this.venue.submit(request);
    if (!r.accepted) {
      record.status = 'cancelled';
      record.closedAt = this.nowValue;
      this.report('rejected', `order #${record.id} ${qty} ${record.symbol} (${type}) at ${isoUtc(this.nowValue)} refused: ${r.reason}`);
      return null;
    }
    const sent: Sent = { record, clientId, s, stopModel, venue: r.order };
    this.byVenueId.set(r.order.id, sent);
    return sent;
  }

  /** A venue fill: the Account books it, the sleeves split it, the log keeps it under the book's order id. */
  private onVenueFill(f: FillRecord): void {
    const sent = this.byVenueId.get(f.orderId);
    if (!sent) return;
    const { s, record } = sent;
    this.version++;
    // a fill booked inside a bar takes that bar's time (the backtest's); after a close, the venue's
    const ts = this.inBar ? this.bookedAt(s) : f.ts;
    const amounts = this.amounts;
    amounts.qty = f.qty;
    amounts.ref = f.refPrice;
    amounts.price = f.price;
    amounts.fee = f.fee;
    amounts.slippage = 0;
    amounts.impact = 0;
    amounts.ts = ts;
    this.account.bookFill(s, amounts);
    this.sink?.onFill(s, amounts, sent.stopModel);
    record.filled = cleanQty((record.filled ?? 0) + f.qty, this.account.quantityDecimals[s]!);
    if (record.filled === record.qty) this.close(sent, 'filled');
    const fill: FillRecord = { ...f, ts, orderId: record.id, assetClass: this.setup.assetClass[s]!, type: record.type, reason: record.reason };
    this.fills.push(fill);
    for (const l of this.listeners) l(fill);
  }

  private report(kind: BookEvent['kind'], message: string): void {
    for (const l of this.eventListeners) l({ kind, message });
  }
}
