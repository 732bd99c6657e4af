/**
 * The VenueBook's own rules (engine/venue-book.ts), against an in-memory broker that records what it
 * is sent and fills only when told: quantities rounded to the venue's lot (below it: not sent, one
 * line), a limit cancelled at the next close (good for one bar), a model stop sent for the sleeve,
 * re-sized under a new client id when the sleeve changes, and closing the model when the venue fills
 * it, and a reconcile that takes the venue's cash and position and says so.
 */
import { describe, expect, it } from 'vitest';
import { VenueBook, type BookEvent, type ExchangeBroker } from '../../src/engine/venue-book.js';
import type { FillListener, OrderRequest, SubmitResult } from '../../src/execution/broker.js';
import type { SimulatedBrokerSetup, SleeveFillSink } from '../../src/execution/simulated-broker.js';
import { OrderTicket } from '../../src/execution/simulated-venue.js';
import type { FillRecord, OrderRecord, OrderType } from '../../src/execution/types.js';

class MemoryVenue implements ExchangeBroker {
  readonly sent: OrderRequest[] = [];
  readonly cancelled: string[] = [];
  readonly records = new Map<string, OrderRecord>();
  qty = 0;
  cashValue = 10_000;
  private readonly listeners: FillListener[] = [];

  submit(r: OrderRequest): SubmitResult {
    const known = this.records.get(r.clientId);
    if (known) return { accepted: true, order: known, duplicate: true };
    this.sent.push(r);
    const order: OrderRecord = { id: this.records.size + 1, symbol: r.symbol, qty: r.qty, type: r.type, price: r.price ?? null, placedAt: 0, model: null, reason: r.reason ?? 'rebalance', status: 'open', closedAt: null, filled: 0 };
    this.records.set(r.clientId, order);
    return { accepted: true, order, duplicate: false };
  }
  cancel(clientId: string): boolean {
    const o = this.records.get(clientId);
    if (!o || o.status !== 'open') return false;
    o.status = 'cancelled';
    this.cancelled.push(clientId);
    return true;
  }
  order(clientId: string): OrderRecord | undefined {
    return this.records.get(clientId);
  }
  position(): number {
    return this.qty;
  }
  cash(): number {
    return this.cashValue;
  }
  onFill(l: FillListener): void {
    this.listeners.push(l);
  }
  rulesOf(): { qtyStep: number } {
    return { qtyStep: 0.001 };
  }
  /** The venue fills the whole order at `price` with `fee`. */
  fill(clientId: string, price: number, fee: number): void {
    const o = this.records.get(clientId)!;
    this.qty = Number((this.qty + o.qty).toFixed(6));
    this.cashValue -= o.qty * price + fee;
    o.filled = o.qty;
    o.status = 'filled';
    const f: FillRecord = { orderId: o.id, symbol: o.symbol, assetClass: 'crypto_perp', ts: 0, qty: o.qty, refPrice: price, price, notional: Math.abs(o.qty * price), fee, slippage: 0, impact: 0, liquidity: 'taker', gap: false, type: o.type, reason: o.reason };
    for (const l of this.listeners) l(f);
  }
}

function bookOn(venue: MemoryVenue): { book: VenueBook; sleeve: Float64Array; sinkFills: number[][]; events: BookEvent[]; reattributed: number[] } {
  const setup = {
    data: [{ symbol: 'BTCUSDT' }], assetClass: ['crypto_perp'], lots: [{ lotSize: 0.0001, minQty: 0, minNotional: 0 }], modelNames: ['m'],
  } as unknown as SimulatedBrokerSetup;
  const book = new VenueBook(setup, venue, 'p');
  const sleeve = new Float64Array(1);
  const sinkFills: number[][] = [];
  const reattributed: number[] = [];
  const sink: SleeveFillSink = {
    onFill: (s, f, stopModel) => void sinkFills.push([s, f.qty, f.price, f.fee, stopModel]), onFunding: () => {}, onBorrow: () => {}, onWriteOff: () => {},
    reattribute: (s) => reattributed.push(s),
  };
  book.attachSleeves(sink, sleeve);
  const events: BookEvent[] = [];
  book.onEvent((e) => events.push(e));
  return { book, sleeve, sinkFills, events, reattributed };
}

/** A rebalance order placed at t = 1 with the mark at 100. */
const ticket = (qty: number, type: OrderType, level: number): OrderTicket => Object.assign(new OrderTicket(), { qty, type, level, t: 1, model: null, reason: 'rebalance', mark: 100 });

describe('VenueBook', () => {
  it("rounds to the venue's lot; below it nothing is sent and the refusal is one line", () => {
    const venue = new MemoryVenue();
    const { book, events } = bookOn(venue);
    book.now = 1;
    book.place(0, ticket(0.1237, 'market', NaN));
    book.place(0, ticket(-0.0004, 'market', NaN));
    expect(venue.sent.map((r) => [r.clientId, r.qty])).toEqual([['p-1', 0.123]]);
    expect(book.orders.map((o) => [o.qty, o.status])).toEqual([[0.123, 'open'], [0, 'cancelled']]);
    expect(events.map((e) => e.kind)).toEqual(['rejected']);
    expect(events[0]!.message).toMatch(/below the venue's lot; not sent/);
  });

  it('a limit is good for one bar: cancelled on the venue at the next close', () => {
    const venue = new MemoryVenue();
    const { book } = bookOn(venue);
    book.now = 1;
    book.place(0, ticket(0.5, 'limit', 95));
    expect(book.workingKind[0]).not.toBe(0);
    book.now = 1; // the same close: still working
    expect(venue.cancelled).toEqual([]);
    book.now = 2;
    expect(venue.cancelled).toEqual(['p-1']);
    expect(book.orders[0]!.status).toBe('cancelled');
    expect(book.workingKind[0]).toBe(0);
  });

  it("a model stop follows the model's sleeve, and the venue's fill of it closes the model", async () => {
    const venue = new MemoryVenue();
    const { book, sleeve, sinkFills } = bookOn(venue);
    book.now = 1;
    book.placeStop(0, 0, 90, 1);
    expect(venue.sent).toEqual([]); // no sleeve yet: nothing to protect
    sleeve[0] = 0.5;
    await book.sync();
    expect(venue.sent.map((r) => [r.clientId, r.qty, r.type, r.price])).toEqual([['p-1', -0.5, 'stop', 90]]);
    sleeve[0] = 0.7;
    await book.sync();
    expect(venue.cancelled).toEqual(['p-1']);
    expect(venue.sent.map((r) => [r.clientId, r.qty])).toEqual([['p-1', -0.5], ['p-1.1', -0.7]]);
    await book.sync(); // unchanged sleeve: nothing re-sent
    expect(venue.sent).toHaveLength(2);
    venue.qty = 0.7; // (the position the sleeve stands for)
    book.account.position[0] = 0.7;
    venue.fill('p-1.1', 89.5, 0.05);
    expect(sinkFills).toEqual([[0, -0.7, 89.5, 0.05, 0]]); // booked to model 0's stop
    await book.sync();
    expect(Number.isNaN(book.stopLevel[0]!)).toBe(true);
    expect(book.orders[0]!.status).toBe('filled');
    expect(book.fills.map((f) => [f.orderId, f.qty, f.reason])).toEqual([[1, -0.7, 'stop']]);
  });

  it("reconcile: the venue's cash and position win, and the difference is reported", async () => {
    const venue = new MemoryVenue();
    const { book, events, reattributed, sinkFills } = bookOn(venue);
    expect(book.account.cash).toBe(10_000); // the book starts from the venue's account
    venue.cashValue -= 12.5; // funding charged by the venue
    venue.qty = 0.2; // a fill the book never saw
    await book.sync();
    expect(book.account.cash).toBe(9_987.5);
    expect(book.account.position[0]).toBe(0.2);
    expect(book.account.reconciled).toBe(-12.5); // the ledger keeps what the venue took beyond the fills
    expect(reattributed).toEqual([0]); // the models' shares follow the new position; no fill was invented
    expect(sinkFills).toEqual([]);
    expect(book.fills).toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['reconcile', 'reconcile']);
    expect(events[0]!.message).toMatch(/holds 0.2 BTCUSDT, the book 0/);
    expect(events[1]!.message).toMatch(/cash 9987.50, the book 10000.00/);
  });
});
