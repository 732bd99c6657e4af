/**
 * A paper session through a venue (`paper start --broker binance|binanceusdm|kraken|krakenfutures|alpaca`,
 * docs/paper.md "Brokers"): the venue adapter (src/execution/venues/, a sandbox or testnet, or a
 * local fixture through --base-url) opened for the session, its faults wired to the loop's errors
 * log and dashboard. The loop's Trader trades on it directly through a VenueBook (engine/venue-book.ts,
 * `PaperLoop.attachVenue`): orders go out under client id `<session id>-<order id>`, which the
 * adapter makes idempotent, and after each bar the loop awaits the book's `sync()` (the adapter's
 * I/O: send, poll, book fills, reconcile) — and, when the book has an order or a stop open on the
 * venue, also inside the bar before its close (`syncInBar`, PaperLoop.stepVenueBar: what the venue
 * filled during the bar is booked before the close decides). The drift monitor compares the venue's
 * book with the simulated Trader on the same bars.
 *
 * The adapter module is loaded when a venue is asked for, so replays with the PaperBroker never
 * load ccxt or the Alpaca SDK.
 */
import { UserError } from '../core/errors.js';
import type { JournalableBroker } from './venue-journal.js';
import type { DriftRow } from './head.js';
import type { PaperSpec } from './spec.js';

export const BROKER_NAMES = ['sim', 'binance', 'binanceusdm', 'kraken', 'krakenfutures', 'alpaca'] as const;

/** What the loop needs from a venue adapter (src/execution/venues/venue-broker.ts VenueBroker). */
export interface VenueBrokerLike extends JournalableBroker {
  sync(): Promise<void>;
  close(): Promise<void>;
  mark(symbol: string, price: number): void;
  onError(listener: (e: { readonly kind: string; readonly message: string; readonly clientId?: string }) => void): void;
}

type CreateVenueBroker = (name: string, options: { symbols: readonly string[]; runId: string; baseUrl?: string; mode?: 'sandbox' | 'live' }) => Promise<VenueBrokerLike>;

/** The loop's side of the mirror (PaperLoop implements it). */
export interface MirrorHost {
  readonly trader: { readonly input: { readonly symbols: readonly { readonly symbol: string }[] } };
  error(kind: string, message: string): void;
}

export class VenueMirror {
  private readonly symbols: readonly string[];

  constructor(readonly name: string, readonly venue: VenueBrokerLike, private readonly spec: PaperSpec, private readonly host: MirrorHost) {
    this.symbols = host.trader.input.symbols.map((s) => s.symbol);
    venue.onError((e) => host.error(`broker ${e.kind}`, `${name}: ${e.message}${e.clientId ? ` (order ${e.clientId})` : ''}`));
  }

  /** The venue's book against the simulated one, marked at the same closes. */
  drift(simCash: number, simPositions: Float64Array, marks: Float64Array): DriftRow {
    let navDiff = this.venue.cash() - simCash;
    let positionDiff = 0;
    this.symbols.forEach((s, i) => {
      const m = marks[i]! > 0 ? marks[i]! : 0;
      const d = this.venue.position(s) - simPositions[i]!;
      navDiff += d * m;
      positionDiff += Math.abs(d) * m;
    });
    return { against: `${this.name} vs sim`, navDiff, positionDiff };
  }

  close(): Promise<void> {
    return this.venue.close();
  }
}

/** Open the venue adapter for the session's broker and wrap it. */
export async function openVenueMirror(spec: PaperSpec, host: MirrorHost, o: { baseUrl?: string; mode?: 'sandbox' | 'live' } = {}): Promise<VenueMirror> {
  const path = '../execution/venues/index.js';
  let create: CreateVenueBroker;
  try {
    create = ((await import(path)) as { createVenueBroker: CreateVenueBroker }).createVenueBroker;
  } catch (err) {
    throw new UserError(`the ${spec.broker} adapter is not available in this build (${err instanceof Error ? err.message : String(err)})`, '--broker');
  }
  const symbols = host.trader.input.symbols.map((s) => s.symbol);
  const mode = o.mode ?? spec.venueMode;
  const venue = await create(spec.broker, { symbols, runId: spec.id, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}), ...(mode ? { mode } : {}) });
  return new VenueMirror(spec.broker, venue, spec, host);
}
