/**
 * The Trader depends on its venue only through `SimulatedVenue` (execution/simulated-venue.ts): a
 * venue written against that interface alone — here one that forwards every call to a
 * SimulatedBroker it holds (composition, no subclass) and counts the bar hooks — gives the same
 * result as `runBacktest`, series for series and record for record, on a run with stops, limits,
 * partial fills, funding, borrow and drawdown limits.
 */
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import type { Account } from '../../src/execution/account.js';
import type { FillListener, OrderRequest, SubmitResult } from '../../src/execution/broker.js';
import { SimulatedBroker, type SimulatedBrokerSetup, type SleeveFillSink } from '../../src/execution/simulated-broker.js';
import type { OrderTicket, SimulatedVenue } from '../../src/execution/simulated-venue.js';
import type { FillRecord, OrderRecord } from '../../src/execution/types.js';
import { snapshotScenario } from './snapshot-scenario.js';

class ForwardingVenue implements SimulatedVenue {
  readonly calls = { onBar: 0, onFunding: 0, onBorrow: 0, place: 0, placeStop: 0 };
  constructor(private readonly inner: SimulatedBroker) {}
  submit(r: OrderRequest): SubmitResult { return this.inner.submit(r); }
  cancel(id: string): boolean { return this.inner.cancel(id); }
  order(id: string): OrderRecord | undefined { return this.inner.order(id); }
  position(symbol: string): number { return this.inner.position(symbol); }
  cash(): number { return this.inner.cash(); }
  onFill(l: FillListener): void { this.inner.onFill(l); }
  onBar(s: number, j: number): void { this.calls.onBar++; this.inner.onBar(s, j); }
  onFunding(s: number, j: number): void { this.calls.onFunding++; this.inner.onFunding(s, j); }
  onBorrow(s: number, j: number): void { this.calls.onBorrow++; this.inner.onBorrow(s, j); }
  liquidate(s: number, j: number, price: number, gap: boolean): number { return this.inner.liquidate(s, j, price, gap); }
  writeOff(s: number, amount: number): void { this.inner.writeOff(s, amount); }
  get now(): number { return this.inner.now; }
  set now(t: number) { this.inner.now = t; }
  place(s: number, order: Readonly<OrderTicket>): number {
    this.calls.place++;
    return this.inner.place(s, order);
  }
  cancelWorking(s: number, t?: number): void { this.inner.cancelWorking(s, t); }
  placeStop(model: number, s: number, level: number, t: number): void { this.calls.placeStop++; this.inner.placeStop(model, s, level, t); }
  cancelStop(model: number, s: number, t?: number): void { this.inner.cancelStop(model, s, t); }
  attachSleeves(sink: SleeveFillSink, qty: Float64Array): void { this.inner.attachSleeves(sink, qty); }
  get account(): Account { return this.inner.account; }
  get workingKind(): Uint8Array { return this.inner.workingKind; }
  get stopLevel(): Float64Array { return this.inner.stopLevel; }
  get hasOrders(): Uint8Array { return this.inner.hasOrders; }
  get barIndex(): Int32Array { return this.inner.barIndex; }
  get version(): number { return this.inner.version; }
  get orders(): readonly OrderRecord[] { return this.inner.orders; }
  get fills(): readonly FillRecord[] { return this.inner.fills; }
}

describe('the Trader through the SimulatedVenue interface', () => {
  it.each([1, 2])('a forwarding venue gives the backtest result (scenario seed %i)', (seed) => {
    const input = snapshotScenario(seed);
    const prep = prepareRun(input);
    const trader = new Trader(input, prep, (setup: SimulatedBrokerSetup) => new ForwardingVenue(new SimulatedBroker(setup)));
    const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
    for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
    const got = trader.finish();
    const expected = runBacktest(snapshotScenario(seed));
    expect(resultDigest(got)).toBe(resultDigest(expected));
    for (const k of ['nav', 'cash', 'gross', 'net', 'drawdown'] as const) expect(Array.from(got[k])).toEqual(Array.from(expected[k]));
    expect(got.models.map((m) => Array.from(m.pnl))).toEqual(expected.models.map((m) => Array.from(m.pnl)));
    expect({ fills: got.fills, orders: got.orders, trades: got.trades, costs: got.costs }).toEqual({ fills: expected.fills, orders: expected.orders, trades: expected.trades, costs: expected.costs });
    // every hook was exercised through the interface
    const { calls } = trader.broker;
    expect(calls.onBar).toBeGreaterThan(0);
    expect(calls.onFunding).toBeGreaterThan(0);
    expect(calls.onBorrow).toBeGreaterThan(0);
    expect(calls.place).toBeGreaterThan(0);
    expect(calls.placeStop).toBeGreaterThan(0);
  });
});
