/**
 * The paper loop's book on a venue (docs/paper.md "Brokers"): the Trader trades through a VenueBook
 * (engine/venue-book.ts) over the venue adapter, and this gives the loop what the PaperBroker gives
 * it on the simulated book —
 *
 *   - the kill switch: `halt` cancels every working order and model stop on the venue and refuses
 *     new orders; `flatten` closes the venue's own positions with market orders through the book
 *     (so their fills are booked and journaled like any other), under the client id
 *     `<session>-kill-<symbol>`: idempotent, a kill engaged twice never closes twice;
 *   - the journal: orders placed and fills booked since the last call, read from the book's logs by
 *     position (the venue's fills arrive during the book's `sync()`);
 *   - the open orders.
 */
import type { VenueBook } from '../engine/venue-book.js';
import type { OrderRecord } from '../execution/types.js';
import type { BrokerActivity, PaperBook } from './paper-broker.js';

export class VenuePaperBroker implements PaperBook {
  private haltReason: string | null = null;
  private ordersSeen: number;
  private fillsSeen: number;

  constructor(readonly book: VenueBook, private readonly sessionId: string, private readonly symbols: readonly string[]) {
    this.ordersSeen = book.orders.length;
    this.fillsSeen = book.fills.length;
  }

  get halted(): string | null {
    return this.haltReason;
  }

  halt(reason: string): void {
    if (this.haltReason !== null) return;
    this.haltReason = reason;
    const book = this.book;
    const models = book.stopLevel.length / this.symbols.length;
    for (let s = 0; s < this.symbols.length; s++) {
      book.cancelWorking(s, book.now);
      for (let m = 0; m < models; m++) book.cancelStop(m, s, book.now);
    }
  }

  /** Close the venue's positions (market orders; they fill at the venue's next sync). `mark` is unused: the venue prices them. */
  flatten(): OrderRecord[] {
    const placed: OrderRecord[] = [];
    for (const symbol of this.symbols) {
      const qty = this.book.venue.position(symbol);
      if (qty === 0) continue;
      const r = this.book.submit({ clientId: `${this.sessionId}-kill-${symbol}`, symbol, qty: -qty, type: 'market', reason: 'kill_switch' });
      if (r.accepted && !r.duplicate) placed.push(r.order);
    }
    return placed;
  }

  drain(): BrokerActivity {
    const { orders, fills } = this.book;
    const out = { orders: orders.slice(this.ordersSeen), fills: fills.slice(this.fillsSeen) };
    this.ordersSeen = orders.length;
    this.fillsSeen = fills.length;
    return out;
  }

  resync(): void {
    this.ordersSeen = this.book.orders.length;
    this.fillsSeen = this.book.fills.length;
  }

  openOrders(): OrderRecord[] {
    return this.book.orders.filter((o) => o.status === 'open');
  }
}
