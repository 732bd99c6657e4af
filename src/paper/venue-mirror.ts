/**
 * A paper session through a venue (`paper start --broker binance|binanceusdm|kraken|krakenfutures|alpaca`,
 * docs/paper.md "Brokers"): the Trader's SimulatedBroker stays the reference book, and each order
 * it places is mirrored to the venue adapter (src/execution/venues/, a sandbox or testnet, or a
 * local fixture through --base-url) under client id `<session id>-<order id>`. The venue adapter
 * makes that id idempotent, so a resumed session that places the same order again finds it on the
 * venue instead of doubling it. After each bar the loop awaits `sync()` (the adapter's I/O: send,
 * poll, reconcile); its fills go to the orders log, its faults to the errors log and the dashboard,
 * and the drift monitor compares the venue's book with the simulated one on the same bars.
 *
 * The adapter module is loaded when a venue is asked for, so replays with the PaperBroker never
 * load ccxt or the Alpaca SDK.
 */
import { UserError } from '../core/errors.js';
import type { Broker } from '../execution/broker.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';
import type { DriftRow } from './head.js';
import type { PaperSpec } from './spec.js';

export const BROKER_NAMES = ['sim', 'binance', 'binanceusdm', 'kraken', 'krakenfutures', 'alpaca'] as const;

/** What the loop needs from a venue adapter (src/execution/venues/venue-broker.ts VenueBroker). */
export interface VenueBrokerLike extends Broker {
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
  record(entry: object): void;
}

export class VenueMirror {
  private readonly symbols: readonly string[];

  constructor(readonly name: string, readonly venue: VenueBrokerLike, private readonly spec: PaperSpec, private readonly host: MirrorHost) {
    this.symbols = host.trader.input.symbols.map((s) => s.symbol);
    venue.onError((e) => host.error(`broker ${e.kind}`, `${name}: ${e.message}${e.clientId ? ` (order ${e.clientId})` : ''}`));
    venue.onFill((f: FillRecord) => host.record({ kind: 'venue_fill', venue: name, ...f }));
  }

  /** Send the bar's new orders (net rebalance orders; model stops stay in the simulated book) and let the adapter do its I/O. */
  async afterBar(orders: readonly OrderRecord[], marks: Float64Array): Promise<void> {
    this.symbols.forEach((s, i) => {
      if (marks[i]! > 0) this.venue.mark(s, marks[i]!);
    });
    for (const o of orders) {
      if (o.qty === 0 || o.reason === 'stop') continue;
      const clientId = `${this.spec.id}-${o.id}`;
      const r = this.venue.submit({ clientId, symbol: o.symbol, qty: o.qty, type: o.type, ...(o.price !== null ? { price: o.price } : {}), reason: o.reason });
      if (!r.accepted) this.host.error('broker rejected', `${this.name}: ${r.reason}`);
    }
    await this.venue.sync();
  }

  /** Kill switch: cancel every mirrored order still open on the venue. */
  async cancelAll(orders: readonly OrderRecord[]): Promise<void> {
    for (const o of orders) this.venue.cancel(`${this.spec.id}-${o.id}`);
    await this.venue.sync();
  }

  /**
   * Kill switch: close the venue's own positions with market orders (the venue's book, which may
   * differ from the paper book), under client ids `<session>-kill-<symbol>`: idempotent, so a kill
   * engaged again (or resumed) does not close twice. Rejections go to the errors log.
   */
  async flatten(): Promise<number> {
    let sent = 0;
    for (const symbol of this.symbols) {
      const qty = this.venue.position(symbol);
      if (qty === 0) continue;
      const r = this.venue.submit({ clientId: `${this.spec.id}-kill-${symbol}`, symbol, qty: -qty, type: 'market', reason: 'kill_switch' });
      if (r.accepted) sent++;
      else this.host.error('broker rejected', `${this.name}: kill switch could not close ${symbol}: ${r.reason}`);
    }
    await this.venue.sync();
    return sent;
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
