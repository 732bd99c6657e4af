/**
 * A Broker (execution/broker.ts) that trades on a real venue through a VenueApi (docs/brokers.md).
 *
 * The Broker interface is synchronous, a venue is not: `submit` checks the order against the venue's
 * rules (rules.ts) and queues it; `sync()` — awaited by the paper loop after each close, and inside
 * the bar when the book has an order open on the venue (docs/paper.md) — does the I/O:
 *
 *   1. send wanted cancels first (an order replaced in one bar must not meet the venue while the
 *      old one still holds the balance), then queued orders under a client order id derived from
 *      the caller's (client-id.ts);
 *   2. an order whose send failed in a way that may have reached the venue (timeout, dropped
 *      connection, 5xx, 429) is *unknown*: before sending it again the broker asks the venue for
 *      that client id, and adopts the order if it exists — a retry never doubles an order;
 *   3. send the cancels of orders adopted in 2, then poll every working order; the venue reports
 *      cumulative filled quantity, cost and fee, and each increase becomes one fill event (partial fills included),
 *      so polling twice never books a fill twice and a fill made while we were away is booked on
 *      the next poll — no fill is lost;
 *   4. an order the venue acknowledged and later does not know ("lost") is sent again once under
 *      the same client id (a venue that does know it refuses the duplicate), then given up;
 *   5. after a connection failure, and at start, positions and cash are read from the venue and
 *      compared with the book; a difference is reported and the venue's figures win.
 *
 * Transient failures are retried within one sync with exponential backoff, base·factor^(k−1)
 * capped at maxDelay, or exactly the venue's Retry-After; what still fails waits for the next sync.
 * Every failure is reported to `onError` listeners as a BrokerErrorEvent (redacted text).
 */
import { redact } from '../../core/redact.js';
import type { Broker, FillListener, OrderRequest, SubmitResult } from '../broker.js';
import { cleanQty, lotDecimals } from '../lots.js';
import type { FillRecord, OrderRecord } from '../types.js';
import { venueClientOrderId } from './client-id.js';
import { orderRefusal } from './rules.js';
import {
  TRANSIENT, VenueError, type BrokerErrorEvent, type MarketClock, type SymbolRules, type VenueApi, type VenueOrder,
} from './types.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** A venue asking for a longer wait than this is not waited for inside one sync. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, factor: 2, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

export interface VenueBrokerSetup {
  readonly api: VenueApi;
  readonly symbols: readonly string[];
  /** Salts client order ids (client-id.ts). */
  readonly runId: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly retry: RetryPolicy;
  readonly log?: (line: string) => void;
}

type ErrorListener = (e: BrokerErrorEvent) => void;

/** queued: not sent yet; unknown: a send may or may not have reached the venue; working: on the venue; done: closed. */
export type Phase = 'queued' | 'unknown' | 'working' | 'done';

interface Tracked {
  readonly clientId: string;
  readonly venueClientOrderId: string;
  readonly request: OrderRequest;
  readonly record: OrderRecord;
  phase: Phase;
  venueId: string | undefined;
  cancelWanted: boolean;
  /** Cumulative amounts already booked as fills. */
  filled: number;
  cost: number;
  fee: number;
  lost: number;
}

/**
 * What a paper session journals of one order (src/paper/venue-journal.ts) and hands back at resume
 * (`restore`): the broker's whole state for it, so a resumed broker polls it where it stopped —
 * cumulative amounts already booked, so a fill made while the loop was down is booked once.
 */
export interface OrderProgress {
  readonly phase: Phase;
  readonly venueId: string | undefined;
  readonly cancelWanted: boolean;
  readonly filled: number;
  readonly cost: number;
  readonly fee: number;
  readonly lost: number;
  readonly status: OrderRecord['status'];
  readonly recordFilled: number;
  readonly closedAt: number | null;
}

/** One order handed back at resume: the caller's request and record (the same object its book holds) and its progress. */
export interface RestoredOrder {
  readonly request: OrderRequest;
  readonly record: OrderRecord;
  readonly progress: OrderProgress;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: VenueError };

export class VenueBroker implements Broker {
  readonly venue: VenueApi['venue'];
  private rules = new Map<string, SymbolRules>();
  private readonly marks = new Map<string, number>();
  private readonly positions = new Map<string, number>();
  private cashValue = 0;
  private clock: MarketClock | undefined;
  private readonly tracked = new Map<string, Tracked>();
  private readonly records: OrderRecord[] = [];
  private readonly fillListeners: FillListener[] = [];
  private readonly errorListeners: ErrorListener[] = [];
  /** Open orders found on the venue at start that this broker did not place. */
  private foreign: VenueOrder[] = [];
  private needsReconcile = false;
  /** Set by `restore`: the next sync ends with a reconcile that is always reported (the resume check). */
  private resumed: number | null = null;
  private started = false;

  constructor(private readonly setup: VenueBrokerSetup) {
    this.venue = setup.api.venue;
  }

  // ---------------------------------------------------------------- start, reconnect, close
  /** Load the venue's rules, prices and clock, then take positions and cash from the venue. */
  async start(): Promise<void> {
    const { api, symbols } = this.setup;
    const rules = await this.call(undefined, 'markets', () => api.loadRules(symbols));
    if (!rules.ok) throw new VenueError(rules.error.kind, `${this.venue}: cannot load the markets (${rules.error.message})`);
    this.rules = rules.value;
    await this.refreshMarket();
    const ok = await this.reconcile('start');
    if (!ok) throw new VenueError('network', `${this.venue}: cannot read the account at start; see the errors above`);
    this.started = true;
  }

  /** Read positions, cash and open orders from the venue again (after a connection loss). */
  async reconnect(): Promise<void> {
    this.needsReconcile = true;
    await this.sync();
  }

  async close(): Promise<void> {
    await this.setup.api.close();
  }

  onError(listener: ErrorListener): void {
    this.errorListeners.push(listener);
  }

  /** Tell the broker the latest price of a symbol (the paper loop passes bar closes). */
  mark(symbol: string, price: number): void {
    if (price > 0 && Number.isFinite(price)) this.marks.set(symbol, price);
  }

  /** The venue's rules for a symbol (lot, minimums, tick), as loaded at start. */
  rulesOf(symbol: string): SymbolRules | undefined {
    return this.rules.get(symbol);
  }

  /** Open orders that were on the venue at start and are not this run's. */
  foreignOrders(): readonly VenueOrder[] {
    return this.foreign;
  }

  // ---------------------------------------------------------------- the Broker interface
  submit(request: OrderRequest): SubmitResult {
    const known = this.tracked.get(request.clientId);
    if (known) return { accepted: true, order: known.record, duplicate: true };
    const refusal = orderRefusal(request, {
      venue: this.venue,
      rules: this.rules.get(request.symbol),
      tradable: this.setup.symbols,
      mark: this.marks.get(request.symbol) ?? NaN,
      position: this.pendingPosition(request.symbol),
      clock: this.clock,
      now: this.setup.now(),
    });
    if (refusal !== null) return { accepted: false, reason: `${this.venue}: ${refusal}` };
    const record: OrderRecord = {
      id: this.records.length + 1, symbol: request.symbol, qty: request.qty, type: request.type,
      price: request.type === 'market' ? null : request.price!, placedAt: this.setup.now(), model: null,
      reason: request.reason ?? 'rebalance', status: 'open', closedAt: null, filled: 0,
    };
    this.records.push(record);
    this.tracked.set(request.clientId, {
      clientId: request.clientId, venueClientOrderId: venueClientOrderId(this.setup.runId, request.clientId), request, record,
      phase: 'queued', venueId: undefined, cancelWanted: false, filled: 0, cost: 0, fee: 0, lost: 0,
    });
    return { accepted: true, order: record, duplicate: false };
  }

  cancel(clientId: string): boolean {
    const t = this.tracked.get(clientId);
    if (!t || t.record.status !== 'open') return false;
    t.record.status = 'cancelled';
    t.record.closedAt = this.setup.now();
    if (t.phase === 'queued') t.phase = 'done';
    else t.cancelWanted = true;
    return true;
  }

  order(clientId: string): OrderRecord | undefined {
    return this.tracked.get(clientId)?.record;
  }

  position(symbol: string): number {
    return this.positions.get(symbol) ?? 0;
  }

  cash(): number {
    return this.cashValue;
  }

  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  /** The venue client order id an order goes out under. */
  venueIdOf(clientId: string): string | undefined {
    return this.tracked.get(clientId)?.venueClientOrderId;
  }

  /** Orders not yet confirmed on the venue (queued or of unknown outcome). */
  pendingCount(): number {
    let n = 0;
    for (const t of this.tracked.values()) if (t.phase === 'queued' || t.phase === 'unknown') n++;
    return n;
  }

  /** The broker's state of one order (journaled by a paper session after each sync). */
  progress(clientId: string): OrderProgress | undefined {
    const t = this.tracked.get(clientId);
    if (!t) return undefined;
    return {
      phase: t.phase, venueId: t.venueId, cancelWanted: t.cancelWanted, filled: t.filled, cost: t.cost, fee: t.fee, lost: t.lost,
      status: t.record.status, recordFilled: t.record.filled ?? 0, closedAt: t.record.closedAt,
    };
  }

  /** Client ids in the order they were submitted. */
  clientIds(): string[] {
    return [...this.tracked.keys()];
  }

  /**
   * Take over the orders of a stopped run (a resumed paper session, docs/paper.md "Brokers"): each
   * under its client id with the amounts already booked, its record the caller's own object; the
   * book's position and cash as they were journaled. Nothing is sent: a working order is polled at
   * the next sync (re-adopted by client order id; only fills beyond the booked amounts are new),
   * and that sync ends by reading the venue's open orders, positions and cash, reporting any
   * difference and taking the venue's figures. Call after `start()`, before any `submit`.
   */
  restore(orders: readonly RestoredOrder[], cash: number, positions: ReadonlyMap<string, number>): void {
    if (this.tracked.size > 0) throw new Error(`${this.venue} broker: restore() after orders were submitted`);
    for (const { request, record, progress: p } of orders) {
      this.records.push(record);
      this.tracked.set(request.clientId, {
        clientId: request.clientId, venueClientOrderId: venueClientOrderId(this.setup.runId, request.clientId), request, record,
        phase: p.phase, venueId: p.venueId, cancelWanted: p.cancelWanted, filled: p.filled, cost: p.cost, fee: p.fee, lost: p.lost,
      });
    }
    this.records.sort((a, b) => a.id - b.id);
    this.records.forEach((r, i) => {
      if (r.id !== i + 1) throw new Error(`${this.venue} broker: restored order records are not numbered 1..${this.records.length}`);
    });
    for (const symbol of this.setup.symbols) this.positions.set(symbol, positions.get(symbol) ?? 0);
    this.cashValue = cash;
    this.resumed = orders.filter((o) => o.progress.phase === 'working' || o.progress.phase === 'unknown' || o.progress.phase === 'queued').length;
  }

  // ---------------------------------------------------------------- sync
  /** Send, cancel, poll and reconcile (see the file comment). Never throws for venue failures: they become error events. */
  async sync(): Promise<void> {
    if (!this.started) throw new Error(`${this.venue} broker: sync() before start()`);
    if (this.needsReconcile) await this.reconcile('reconnect');
    await this.refreshMarket();
    // cancels before sends: an order replaced in one bar (a stop moved, cancel + new) must not meet
    // the venue while the old one still holds the balance (a spot venue refuses the new one)
    for (const t of this.tracked.values()) if (t.phase === 'working' && t.cancelWanted) await this.cancelOnVenue(t);
    for (const t of this.tracked.values()) if (t.phase === 'queued' || t.phase === 'unknown') await this.send(t);
    // an order of unknown outcome adopted just now may have a cancel waiting
    for (const t of this.tracked.values()) if (t.phase === 'working' && t.cancelWanted) await this.cancelOnVenue(t);
    for (const t of this.tracked.values()) if (t.phase === 'working') await this.poll(t);
    if (this.needsReconcile) await this.reconcile('reconnect');
    if (this.resumed !== null && (await this.reconcile('resume'))) this.resumed = null;
  }

  private async refreshMarket(): Promise<void> {
    const { api, symbols } = this.setup;
    const prices = await this.call(undefined, 'prices', () => api.prices(symbols));
    if (prices.ok) for (const [s, p] of prices.value) if (!this.marks.has(s)) this.mark(s, p);
    if (api.clock) {
      const clock = await this.call(undefined, 'clock', () => api.clock!());
      if (clock.ok) this.clock = clock.value;
    }
  }

  private async send(t: Tracked): Promise<void> {
    const { api, retry } = this.setup;
    const req = t.request;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      if (t.phase === 'unknown') {
        const found = await this.once(t, 'look-up', () => api.find(req.symbol, t.venueClientOrderId, req.qty));
        if (!found.ok) {
          if (!(await this.backoff(t, found.error, attempt))) return;
          continue;
        }
        if (found.value) {
          this.adopt(t, found.value);
          return;
        }
        t.phase = 'queued';
      }
      const sent = await this.once(t, 'submit', () =>
        api.submit({
          clientOrderId: t.venueClientOrderId, symbol: req.symbol, qty: req.qty, type: req.type,
          ...(req.price !== undefined ? { price: req.price } : {}), ...(req.limitPrice !== undefined ? { limitPrice: req.limitPrice } : {}),
        }),
      );
      if (sent.ok) {
        this.adopt(t, sent.value);
        return;
      }
      if (TRANSIENT.has(sent.error.kind) || /duplicate/i.test(sent.error.message)) {
        t.phase = 'unknown';
        if (!(await this.backoff(t, sent.error, attempt))) return;
        continue;
      }
      t.phase = 'done';
      t.record.status = 'cancelled';
      t.record.closedAt = this.setup.now();
      return;
    }
  }

  private adopt(t: Tracked, o: VenueOrder): void {
    t.phase = 'working';
    t.venueId = o.venueId;
    this.apply(t, o);
  }

  private async cancelOnVenue(t: Tracked): Promise<void> {
    const r = await this.withRetry(t, 'cancel', () => this.setup.api.cancel(t.request.symbol, t.venueClientOrderId, t.venueId));
    if (!r.ok) return;
    t.cancelWanted = false;
    if (r.value) this.apply(t, r.value);
  }

  /** Read an order's state from the venue and book what changed; false when the venue could not be read. */
  private async poll(t: Tracked): Promise<boolean> {
    const r = await this.withRetry(t, 'status', () => this.setup.api.find(t.request.symbol, t.venueClientOrderId, t.request.qty));
    if (!r.ok) return false;
    if (r.value) {
      this.apply(t, r.value);
      return true;
    }
    t.lost++;
    const giveUp = t.lost > 1 || t.filled > 0;
    this.report({
      kind: 'lost', clientId: t.clientId,
      message: `${this.venue} acknowledged order ${t.clientId} (${t.venueClientOrderId}) and no longer knows it; ${giveUp ? `given up (${t.filled > 0 ? `the ${t.filled} it filled stays booked, nothing more is booked for it` : 'no fill booked for it'})` : 'sending it again under the same client id'}`,
    });
    if (giveUp) {
      t.phase = 'done';
      if (t.record.status === 'open') t.record.status = 'expired';
      t.record.closedAt = this.setup.now();
    } else {
      t.phase = 'queued';
      await this.send(t);
    }
    return true;
  }

  /** Book the increase of the venue's cumulative filled quantity as one fill, and take the venue's status. */
  private apply(t: Tracked, o: VenueOrder): void {
    const rules = this.rules.get(t.request.symbol)!;
    const dec = Math.min(20, lotDecimals(rules.qtyStep) + 2);
    const delta = cleanQty(o.filled - t.filled, dec);
    if (delta < 0) {
      this.report({ kind: 'reconcile', clientId: t.clientId, message: `${this.venue} reports ${o.filled} filled of order ${t.clientId}, less than the ${t.filled} already booked; keeping the booked fills` });
    } else if (delta > 0) {
      const side = t.request.qty > 0 ? 1 : -1;
      const value = o.cost - t.cost;
      const price = value / delta;
      const fee = o.fee - t.fee;
      t.filled = o.filled;
      t.cost = o.cost;
      t.fee = o.fee;
      this.book(t, side * delta, price, fee, dec);
    }
    const now = this.setup.now();
    if (o.status === 'open') return;
    t.phase = 'done';
    t.record.closedAt = now;
    if (o.status === 'filled') t.record.status = 'filled';
    else t.record.status = o.status === 'expired' ? 'expired' : 'cancelled';
    if (o.status === 'rejected') this.report({ kind: 'rejected', clientId: t.clientId, message: `${this.venue} rejected order ${t.clientId} after accepting it` });
  }

  private book(t: Tracked, qty: number, price: number, fee: number, dec: number): void {
    const symbol = t.request.symbol;
    const rules = this.rules.get(symbol)!;
    this.positions.set(symbol, cleanQty(this.position(symbol) + qty, dec));
    this.cashValue -= qty * price + fee;
    t.record.filled = cleanQty((t.record.filled ?? 0) + qty, dec);
    const fill: FillRecord = {
      orderId: t.record.id, symbol, assetClass: rules.assetClass, ts: this.setup.now(), qty, refPrice: price, price,
      notional: Math.abs(qty * price), fee, slippage: 0, impact: 0, liquidity: t.request.type === 'limit' ? 'maker' : 'taker',
      gap: false, type: t.request.type, reason: t.record.reason,
    };
    for (const l of this.fillListeners) l(fill);
  }

  /** Position once every working order's rest fills (for the no-short check of spot venues). */
  private pendingPosition(symbol: string): number {
    let p = this.position(symbol);
    for (const t of this.tracked.values()) {
      if (t.request.symbol !== symbol || t.record.status !== 'open' || t.request.qty > 0) continue;
      p += t.request.qty + t.filled;
    }
    return p;
  }

  // ---------------------------------------------------------------- reconcile
  private async reconcile(why: 'start' | 'reconnect' | 'resume'): Promise<boolean> {
    const { api, symbols } = this.setup;
    const open = await this.call(undefined, 'open orders', () => api.openOrders(symbols));
    if (!open.ok) return false;
    if (why !== 'start') {
      // fills made while we were away arrive through the orders first, then the totals are compared.
      // An order that could not be read may hold fills not booked yet: taking the venue's totals now
      // would count them twice once its poll succeeds, so the reconcile waits for the next sync.
      for (const t of this.tracked.values()) {
        if (t.phase === 'working' && !(await this.poll(t))) return false;
      }
    }
    const account = await this.call(undefined, 'account', () => api.account(symbols));
    if (!account.ok) return false;
    const ours = new Set([...this.tracked.values()].map((t) => t.venueClientOrderId));
    this.foreign = open.value.filter((o) => !ours.has(o.clientOrderId));
    if (why === 'start' && this.foreign.length > 0) {
      this.report({ kind: 'reconcile', message: `${this.venue} has ${this.foreign.length} open order(s) this run did not place (${this.foreign.map((o) => o.symbol).join(', ')}); left alone` });
    }
    const differences: string[] = [];
    for (const symbol of symbols) {
      const venue = account.value.positions.get(symbol) ?? 0;
      const step = this.rules.get(symbol)?.qtyStep ?? 0;
      const mine = this.position(symbol);
      if (why !== 'start' && Math.abs(venue - mine) > step / 2) {
        differences.push(`${symbol} ${venue} (book ${mine})`);
        this.report({ kind: 'reconcile', message: `${this.venue} holds ${venue} ${symbol}, the book ${mine}; taking the venue's position` });
      }
      this.positions.set(symbol, venue);
    }
    const cash = account.value.cash;
    if (why !== 'start' && Math.abs(cash - this.cashValue) > 0.01) {
      differences.push(`cash ${cash.toFixed(2)} (book ${this.cashValue.toFixed(2)})`);
      this.report({ kind: 'reconcile', message: `${this.venue} cash ${cash.toFixed(2)}, the book ${this.cashValue.toFixed(2)}; taking the venue's` });
    }
    if (why === 'resume') {
      // the resume check is logged whatever it finds (docs/paper.md "Brokers", resume)
      const working = [...this.tracked.values()].filter((t) => t.phase === 'working').length;
      this.report({
        kind: 'reconcile',
        message: `${this.venue} after resume: ${this.resumed ?? 0} order(s) re-adopted by client order id, ${working} working now, ${open.value.length} open on the venue; ${differences.length === 0 ? 'positions and cash agree with the venue' : `taken from the venue: ${differences.join(', ')}`}`,
      });
    }
    this.cashValue = cash;
    this.needsReconcile = false;
    return true;
  }

  // ---------------------------------------------------------------- calls, retries, reports
  /** One call; a failure is reported, and a network failure marks the account for reconciling. */
  private async once<T>(t: Tracked | undefined, what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      const error = err instanceof VenueError ? err : new VenueError('server', `unexpected failure: ${(err as Error)?.message ?? String(err)}`);
      if (error.kind === 'network' || error.kind === 'timeout') this.needsReconcile = true;
      this.report({
        kind: error.kind,
        ...(t ? { clientId: t.clientId } : {}),
        message: `${this.venue} ${what}${t ? ` of order ${t.clientId}` : ''}: ${error.message}`,
      });
      return { ok: false, error };
    }
  }

  /** Wait before the next attempt; false when attempts are used up or the venue asks for too long a wait. */
  private async backoff(t: Tracked | undefined, error: VenueError, attempt: number): Promise<boolean> {
    const { retry } = this.setup;
    if (!TRANSIENT.has(error.kind) && !/duplicate/i.test(error.message)) return false;
    if (attempt >= retry.maxAttempts) return false;
    const wait = error.retryAfterMs ?? Math.min(retry.maxDelayMs, retry.baseDelayMs * Math.pow(retry.factor, attempt - 1));
    if (wait > retry.maxRetryAfterMs) {
      this.report({ kind: error.kind, ...(t ? { clientId: t.clientId } : {}), message: `${this.venue} asks to wait ${Math.ceil(wait / 1000)} s; trying again at the next sync` });
      return false;
    }
    this.setup.log?.(redact(`${this.venue}: retry ${attempt} in ${wait} ms`));
    await this.setup.sleep(wait);
    return true;
  }

  /** A call retried on transient failures (reads and cancels, which are safe to repeat). */
  private async withRetry<T>(t: Tracked | undefined, what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.once(t, what, fn);
      if (r.ok || !(await this.backoff(t, r.error, attempt))) return r;
    }
  }

  private call<T>(t: Tracked | undefined, what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
    return this.withRetry(t, what, fn);
  }

  private report(e: Omit<BrokerErrorEvent, 'venue' | 'ts'>): void {
    const event: BrokerErrorEvent = { venue: this.venue, ts: this.setup.now(), ...e, message: redact(e.message) };
    this.setup.log?.(`${event.kind}: ${event.message}`);
    for (const l of this.errorListeners) l(event);
  }
}
