/**
 * The fixture script of the venue resume tests: the venue's market follows the session's bars. Before
 * bar k is traded the venue's price goes to that bar's low (resting stops that the bar reached
 * trigger and fill there, as a stop fills inside a bar), time moves on one tick, and the price is
 * the bar's close when the bar's orders arrive (market orders fill at the close). Run once per bar
 * whatever happens to the loop (`done`), so a session stopped and resumed at any bar meets the
 * same venue as an uninterrupted one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Dataset } from '../../src/core/table.js';
import type { FillRecord } from '../../src/execution/types.js';
import { paperPaths, readJson } from '../../src/paper/files.js';
import type { PaperHead } from '../../src/paper/head.js';
import type { Scheduler } from '../../src/engine/clock.js';
import { buildTrader, type PaperSpec } from '../../src/paper/spec.js';
import type { SimVenue } from '../fixtures/servers/venue-sim.js';

export interface BarPrices {
  readonly low: readonly number[];
  readonly close: readonly number[];
}

/** The low and close of the bar of `symbol` last closed at each step of the session's clock. */
export function barPrices(spec: PaperSpec, data: ReadonlyMap<string, Dataset>, symbol: string): BarPrices {
  const trader = buildTrader(spec, data);
  const s = trader.input.symbols.findIndex((x) => x.symbol === symbol);
  const d = trader.prep.data[s]!;
  const { times, offset } = trader.prep.clock;
  const low: number[] = [];
  const close: number[] = [];
  let j = -1;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]! + offset;
    while (j + 1 < d.n && (d.closeTs ? d.closeTs[j + 1]! : d.ts[j + 1]! + d.step) <= t) j++;
    low.push(j >= 0 ? d.low[j]! : NaN);
    close.push(j >= 0 ? d.close[j]! : NaN);
  }
  return { low, close };
}

export class VenueScript {
  readonly done = new Set<number>();
  /** Bars at which the venue filled a resting order (a stop reached by the bar's low). */
  readonly restingFills: number[] = [];

  constructor(private readonly venue: SimVenue, private readonly symbol: string, private readonly prices: BarPrices) {}

  /** The venue's market for bar k (once). */
  run(k: number): void {
    if (this.done.has(k) || !(this.prices.close[k]! > 0)) return;
    this.done.add(k);
    this.venue.setPrice(this.symbol, this.prices.low[k]!);
    const trades = this.venue.trades.length;
    this.venue.tick();
    if (this.venue.trades.length > trades) this.restingFills.push(k);
    this.venue.setPrice(this.symbol, this.prices.close[k]!);
  }
}

/**
 * A scheduler whose time stands still; the loop's per-bar poll (`sleep`) runs the script for the
 * bar about to be stepped, or — at a bar in `stopAt` — never returns: the loop stops dead there,
 * as a killed process does (nothing more is written), and `stopped` resolves with that bar.
 */
export function scriptedScheduler(nextStep: () => number, script: VenueScript, stopAt: ReadonlySet<number> = new Set()): Scheduler & { stopped: Promise<number> } {
  let stop!: (k: number) => void;
  const stopped = new Promise<number>((resolve) => (stop = resolve));
  const halted = new Set<number>();
  return {
    stopped,
    now: () => 0,
    sleep: () => {
      const k = nextStep();
      if (stopAt.has(k) && !halted.has(k)) {
        halted.add(k);
        stop(k);
        return new Promise<void>(() => undefined);
      }
      script.run(k);
      return Promise.resolve();
    },
  };
}

/** A JSON-lines log's records. */
export const lines = <T,>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

/**
 * What must be equal between a resumed session and an uninterrupted one: the orders and trades on
 * the venue (the fixture's own state), the fills, orders, closed trades and NAV per bar in the logs
 * (fill times are the venue's wall clock and left out), and the final head's book.
 */
export function picture(root: string, id: string, venue: SimVenue, symbol: string) {
  const p = paperPaths(root, id);
  const orderLog = lines<Record<string, unknown> & { kind: string }>(p.logs.orders);
  const head = readJson<PaperHead>(p.head)!;
  return {
    venueOrders: venue.orders.map((o) => [o.id, o.clientOrderId, o.side, o.qty, o.type, o.price, o.status, o.filled]),
    venueTrades: venue.trades.map((t) => [t.orderId, t.qty, t.price, t.fee]),
    fills: orderLog.filter((l) => l.kind === 'fill').map((l) => {
      const f = l as unknown as FillRecord;
      return [f.orderId, f.qty, f.price, f.fee, f.reason];
    }),
    orders: orderLog.filter((l) => l.kind === 'order').map((o) => [o['id'], o['qty'], o['type'], o['price'], o['placedAt'], o['reason']]),
    trades: lines<{ symbol: string; side: string; maxQty: number; pnl: number }>(p.logs.trades).map((t) => [t.symbol, t.side, t.maxQty, t.pnl]),
    performance: lines<{ step: number; nav: number; cash: number }>(p.logs.performance).map((l) => [l.step, l.nav, l.cash]),
    status: head.status,
    cash: head.cash,
    position: head.positions.find((x) => x.symbol === symbol)?.qty ?? 0,
  };
}

/**
 * A resumed session ends as the uninterrupted one (`picture` equal), no venue order was sent twice
 * (one per client id), every venue trade is booked once, and the book is the venue's account. The
 * uninterrupted session has no refused order (a stop the venue filled inside a bar is booked before
 * that bar's close decides, so no exit is sent for what it sold: venue-stop-in-bar.test.ts).
 * Returns the resumed session's errors log (its resume and reconcile lines).
 */
export function expectSameAsUninterrupted(refRoot: string, refVenue: SimVenue, root: string, venue: SimVenue, id: string, symbol: string): { kind: string; message: string }[] {
  const refErrors = paperPaths(refRoot, id).logs.errors;
  expect((existsSync(refErrors) ? lines<{ kind: string; message: string }>(refErrors) : []).filter((e) => e.kind === 'broker rejected')).toEqual([]);
  const a = picture(refRoot, id, refVenue, symbol);
  const b = picture(root, id, venue, symbol);
  expect(a.fills.length).toBeGreaterThan(4);
  expect(b).toEqual(a);
  expect(new Set(venue.orders.map((o) => o.clientOrderId)).size).toBe(venue.orders.length);
  expect(b.fills.length).toBe(venue.trades.length);
  expect(b.cash).toBeCloseTo(venue.cash, 6);
  expect(b.position).toBeCloseTo(venue.position(symbol), 9);
  return lines<{ kind: string; message: string }>(paperPaths(root, id).logs.errors);
}
