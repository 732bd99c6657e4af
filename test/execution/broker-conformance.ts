/**
 * The broker conformance suite: what any Broker (src/execution/broker.ts) must do, as one reusable
 * set of tests. The simulated broker runs it (simulated-broker.test.ts); an exchange adapter runs the
 * same function against its venue (or a local fixture of it) with its own harness.
 *
 *   describeBrokerConformance('my adapter', async (opts) => harness)
 *
 * The harness gives the broker, one symbol it trades, the current reference price, the starting cash
 * and `advance()`, which lets the market move on (the simulated broker meets its orders with the next
 * bar; an adapter waits for the venue). With `partialFills: true` the harness sets the venue up so
 * that an order of `partialQty` fills in more than one part.
 *
 * Checked: an order's life cycle (open → filled, fill events in order), partial fills adding up to the
 * order, cancel (only working orders, once), rejects that say why and change nothing, idempotent client
 * order ids (a retried submit makes no second order and no second fill), and reconciliation: position
 * = Σ filled quantities, cash = start − Σ (qty × price + fee), computed here from the fill events.
 */
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/execution/broker.js';
import type { FillRecord } from '../../src/execution/types.js';

export interface BrokerHarness {
  readonly broker: Broker;
  readonly symbol: string;
  readonly initialCash: number;
  /** A quantity the venue accepts (a multiple of its lot). */
  readonly lotQty: number;
  /** With `partialFills`: a quantity that fills in at least two parts. */
  readonly partialQty: number;
  /** The current reference price of `symbol`. */
  price(): number;
  advance(): Promise<void>;
  /** Venue harnesses: set the market price (stop orders are checked by moving it through their levels). */
  movePrice?(price: number): void;
}

export type MakeHarness = (opts: { readonly partialFills: boolean }) => BrokerHarness | Promise<BrokerHarness>;

let seq = 0;
const nextId = (label: string): string => `conf-${label}-${++seq}`;

function recorder(broker: Broker): FillRecord[] {
  const fills: FillRecord[] = [];
  broker.onFill((f) => fills.push(f));
  return fills;
}

/** Cash and position implied by the fill events, computed independently of the broker's books. */
function reconcile(h: BrokerHarness, fills: readonly FillRecord[]): { cash: number; position: number } {
  let cash = h.initialCash;
  let position = 0;
  for (const f of fills) {
    if (f.symbol !== h.symbol) continue;
    cash -= f.qty * f.price + f.fee;
    position += f.qty;
  }
  return { cash, position };
}

export interface ConformanceOptions {
  /** The venue sells only what the account holds (spot): the reconciliation legs stay long. */
  readonly longOnly?: boolean;
  /**
   * Venue-side stops (needs `movePrice`): 'stop+limit' checks a buy stop and a sell stop-limit,
   * 'stop-limit' only the stop-limit (a plain stop must be refused), 'refused' that both are refused with a reason.
   */
  readonly stops?: 'stop+limit' | 'stop-limit' | 'refused';
}

export function describeBrokerConformance(name: string, make: MakeHarness, options: ConformanceOptions = {}): void {
  describe(`Broker conformance: ${name}`, () => {
    it('life cycle: a market order is open when accepted, filled after the market moves, with one fill event', async () => {
      const h = await make({ partialFills: false });
      const fills = recorder(h.broker);
      const id = nextId('life');
      const r = h.broker.submit({ clientId: id, symbol: h.symbol, qty: h.lotQty, type: 'market' });
      expect(r.accepted).toBe(true);
      if (!r.accepted) return;
      expect(r.duplicate).toBe(false);
      expect(h.broker.order(id)!.status).toBe('open');
      await h.advance();
      const o = h.broker.order(id)!;
      expect(o.status).toBe('filled');
      expect(fills.length).toBe(1);
      expect(fills[0]!.orderId).toBe(o.id);
      expect(fills[0]!.qty).toBe(h.lotQty);
      expect(fills[0]!.price).toBeGreaterThan(0);
      expect(h.broker.position(h.symbol)).toBe(h.lotQty);
    });

    it('partial fills: the parts add up to the order, the order stays open until the last one', async () => {
      const h = await make({ partialFills: true });
      const fills = recorder(h.broker);
      const id = nextId('partial');
      expect(h.broker.submit({ clientId: id, symbol: h.symbol, qty: h.partialQty, type: 'market' }).accepted).toBe(true);
      await h.advance();
      expect(fills.length).toBe(1);
      expect(Math.abs(fills[0]!.qty)).toBeLessThan(h.partialQty);
      expect(h.broker.order(id)!.status).toBe('open');
      for (let i = 0; i < 50 && h.broker.order(id)!.status === 'open'; i++) await h.advance();
      expect(h.broker.order(id)!.status).toBe('filled');
      expect(fills.length).toBeGreaterThan(1);
      expect(fills.reduce((s, f) => s + f.qty, 0)).toBe(h.partialQty);
      expect(h.broker.order(id)!.filled).toBe(h.partialQty);
      expect(h.broker.position(h.symbol)).toBe(h.partialQty);
    });

    it('cancel: a working order cancels once and never fills; unknown and closed ids are not cancelled', async () => {
      const h = await make({ partialFills: false });
      const fills = recorder(h.broker);
      const id = nextId('cancel');
      expect(h.broker.submit({ clientId: id, symbol: h.symbol, qty: h.lotQty, type: 'limit', price: h.price() * 0.5 }).accepted).toBe(true);
      expect(h.broker.cancel(id)).toBe(true);
      expect(h.broker.order(id)!.status).toBe('cancelled');
      expect(h.broker.cancel(id)).toBe(false);
      expect(h.broker.cancel(nextId('never-sent'))).toBe(false);
      await h.advance();
      expect(fills.length).toBe(0);
      expect(h.broker.position(h.symbol)).toBe(0);
      expect(h.broker.cash()).toBe(h.initialCash);
    });

    it('rejects say why and change nothing', async () => {
      const h = await make({ partialFills: false });
      const bad = [
        [{ clientId: nextId('r'), symbol: 'NO_SUCH_SYMBOL', qty: h.lotQty, type: 'market' as const }, /unknown symbol 'NO_SUCH_SYMBOL'/],
        [{ clientId: nextId('r'), symbol: h.symbol, qty: 0, type: 'market' as const }, /quantity 0/],
        [{ clientId: nextId('r'), symbol: h.symbol, qty: Number.NaN, type: 'market' as const }, /quantity NaN/],
        [{ clientId: nextId('r'), symbol: h.symbol, qty: h.lotQty, type: 'limit' as const }, /needs a positive price/],
        [{ clientId: nextId('r'), symbol: h.symbol, qty: h.lotQty, type: 'stop' as const, price: -1 }, /needs a positive price/],
      ] as const;
      for (const [req, why] of bad) {
        const r = h.broker.submit(req);
        expect(r.accepted).toBe(false);
        if (!r.accepted) expect(r.reason).toMatch(why);
        expect(h.broker.order(req.clientId)).toBeUndefined();
      }
      await h.advance();
      expect(h.broker.position(h.symbol)).toBe(0);
      expect(h.broker.cash()).toBe(h.initialCash);
    });

    it('idempotent client order ids: a retried submit returns the same order and fills once', async () => {
      const h = await make({ partialFills: false });
      const fills = recorder(h.broker);
      const id = nextId('idem');
      const a = h.broker.submit({ clientId: id, symbol: h.symbol, qty: h.lotQty, type: 'market' });
      const b = h.broker.submit({ clientId: id, symbol: h.symbol, qty: h.lotQty, type: 'market' });
      expect(a.accepted && b.accepted).toBe(true);
      if (!a.accepted || !b.accepted) return;
      expect(b.duplicate).toBe(true);
      expect(b.order).toBe(a.order);
      await h.advance();
      await h.advance();
      expect(fills.length).toBe(1);
      expect(h.broker.position(h.symbol)).toBe(h.lotQty);
    });

    if (options.stops) {
      it(`venue stops (${options.stops}): untouched below the level, triggered once the price crosses it, filled once`, async () => {
        const h = await make({ partialFills: false });
        const fills = recorder(h.broker);
        const p0 = h.price();
        const up = Math.round(p0 * 1.1);
        if (options.stops === 'refused') {
          for (const limitPrice of [undefined, up + 1]) {
            const r = h.broker.submit({ clientId: nextId('stop'), symbol: h.symbol, qty: h.lotQty, type: 'stop', price: up, ...(limitPrice ? { limitPrice } : {}) });
            expect(r.accepted).toBe(false);
            if (!r.accepted) expect(r.reason).toMatch(/does not take stop/);
          }
          return;
        }
        // a buy stop (or stop-limit) above the market: nothing while the price stays below
        const buy = nextId('stop-buy');
        const buyLimit = options.stops === 'stop-limit' ? Math.round(p0 * 1.25) : undefined;
        if (options.stops === 'stop-limit') {
          const plain = h.broker.submit({ clientId: nextId('stop-plain'), symbol: h.symbol, qty: h.lotQty, type: 'stop', price: up });
          expect(plain.accepted).toBe(false);
          if (!plain.accepted) expect(plain.reason).toMatch(/does not take stop orders/);
        }
        expect(h.broker.submit({ clientId: buy, symbol: h.symbol, qty: h.lotQty, type: 'stop', price: up, ...(buyLimit ? { limitPrice: buyLimit } : {}) }).accepted).toBe(true);
        await h.advance();
        expect(h.broker.order(buy)!.status).toBe('open');
        expect(fills).toHaveLength(0);
        const through = Math.round(p0 * 1.2);
        h.movePrice!(through);
        await h.advance();
        expect(h.broker.order(buy)!.status).toBe('filled');
        expect(fills.map((f) => f.qty)).toEqual([h.lotQty]);
        // a buy stop fills at or above its level; a stop-limit never above its limit
        expect(fills[0]!.price).toBeGreaterThanOrEqual(up);
        if (buyLimit) expect(fills[0]!.price).toBeLessThanOrEqual(buyLimit);
        // a sell stop-limit below: triggers at the stop, sells no lower than the limit
        const sell = nextId('stop-sell');
        const stop = Math.round(through * 0.9);
        const limit = Math.round(through * 0.85);
        expect(h.broker.submit({ clientId: sell, symbol: h.symbol, qty: -h.lotQty, type: 'stop', price: stop, limitPrice: limit }).accepted).toBe(true);
        await h.advance();
        expect(h.broker.order(sell)!.status).toBe('open');
        h.movePrice!(Math.round(through * 0.88));
        await h.advance();
        expect(h.broker.order(sell)!.status).toBe('filled');
        expect(fills.map((f) => f.qty)).toEqual([h.lotQty, -h.lotQty]);
        expect(fills[1]!.price).toBeGreaterThanOrEqual(limit);
        expect(fills[1]!.price).toBeLessThanOrEqual(stop);
        expect(h.broker.position(h.symbol)).toBe(0);
        expect(h.broker.cash()).toBeCloseTo(reconcile(h, fills).cash, 6);
      });
    }

    it('reconciliation: position and cash equal what the fill events imply, after buys and sells', async () => {
      const h = await make({ partialFills: false });
      const fills = recorder(h.broker);
      const legs = options.longOnly ? [2 * h.lotQty, -h.lotQty, 2 * h.lotQty, -3 * h.lotQty] : [2 * h.lotQty, -h.lotQty, -3 * h.lotQty, 2 * h.lotQty];
      for (const qty of legs) {
        expect(h.broker.submit({ clientId: nextId('rec'), symbol: h.symbol, qty, type: 'market' }).accepted).toBe(true);
        await h.advance();
      }
      expect(fills.map((f) => f.qty)).toEqual(legs);
      const implied = reconcile(h, fills);
      expect(h.broker.position(h.symbol)).toBe(implied.position);
      expect(h.broker.position(h.symbol)).toBe(0);
      expect(h.broker.cash()).toBeCloseTo(implied.cash, 6);
      // costs were paid: a round trip at a positive fee leaves less cash than it started with, unless prices moved up
      expect(fills.every((f) => f.fee >= 0)).toBe(true);
    });
  });
}
