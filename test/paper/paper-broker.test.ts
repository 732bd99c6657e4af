/**
 * The PaperBroker passes the broker conformance suite (test/execution/broker-conformance.ts) on the
 * simulated broker it wraps, driven bar by bar as the Trader drives it; and its kill switch: a
 * working order is cancelled, a later submit is refused saying why, and nothing fills after.
 */
import { describe, expect, it } from 'vitest';
import { prepareSymbol } from '../../src/backtest/engine-data.js';
import { SimulatedBroker } from '../../src/execution/simulated-broker.js';
import { PaperBroker } from '../../src/paper/paper-broker.js';
import { bars, type Row } from '../backtest/engine-helpers.js';
import { describeBrokerConformance, type BrokerHarness } from '../execution/broker-conformance.js';

/** A rising market: bar i opens at 100 + i and closes at 100.5 + i, volume 1000. */
const rows: Row[] = Array.from({ length: 80 }, (_, i) => [100 + i, 101 + i, 99.5 + i, 100.5 + i, 1000] as const);

function paper(opts: { partialFills: boolean }): BrokerHarness & { paper: PaperBroker } {
  const d = prepareSymbol(bars('SIM', rows));
  const sim = new SimulatedBroker({
    data: [d], assetClass: ['etf'], rates: [{ maker: 0.0002, taker: 0.0005, slippage: 0.0001, impactCoef: 0, borrow: 0 }],
    lots: [{ lotSize: 1, minQty: 0, minNotional: 0 }], initialCapital: 100_000, limitFill: 'touch', sameClose: false, advDays: 20,
    cap: opts.partialFills ? 0.1 : 0, modelNames: [],
  });
  let j = 0;
  const closeBar = (): void => {
    sim.barIndex[0] = j;
    if (sim.hasOrders[0] === 1) sim.onBar(0, j);
    sim.now = d.ts[j]! + d.step;
  };
  closeBar();
  const broker = new PaperBroker(sim);
  return {
    paper: broker, broker, symbol: 'SIM', initialCash: 100_000, lotQty: 10, partialQty: 250,
    price: () => d.close[j]!,
    advance: async () => {
      j++;
      closeBar();
    },
  };
}

describeBrokerConformance('PaperBroker', paper);

describe('PaperBroker kill switch', () => {
  it('cancels the working order, refuses new ones saying why, and nothing fills after', async () => {
    const h = paper({ partialFills: false });
    const fills: unknown[] = [];
    h.broker.onFill((f) => fills.push(f));
    expect(h.broker.submit({ clientId: 'a', symbol: 'SIM', qty: 10, type: 'market' }).accepted).toBe(true);
    h.paper.halt('test');
    expect(h.broker.order('a')!.status).toBe('cancelled');
    const r = h.broker.submit({ clientId: 'b', symbol: 'SIM', qty: 10, type: 'market' });
    expect(r.accepted).toBe(false);
    if (!r.accepted) expect(r.reason).toMatch(/kill switch is engaged \(test\)/);
    await h.advance();
    await h.advance();
    expect(fills).toEqual([]);
    expect(h.broker.position('SIM')).toBe(0);
    expect(h.broker.cash()).toBe(100_000);
    expect(h.paper.drain().orders.map((o) => o.status)).toEqual(['cancelled']);
  });
});

describe('PaperBroker flatten (the kill switch closes positions)', () => {
  it('sells the position at the last close with the taker slippage and fee, hand-worked', async () => {
    const h = paper({ partialFills: false });
    expect(h.broker.submit({ clientId: 'a', symbol: 'SIM', qty: 10, type: 'market' }).accepted).toBe(true);
    await h.advance(); // bar 1 opens at 101: buy 10 at 101 × (1 + 1 bp)
    expect(h.broker.position('SIM')).toBe(10);
    h.paper.drain();
    h.paper.halt('test');
    const closing = h.paper.flatten(Float64Array.of(101.5)); // bar 1 closed at 101.5
    expect(closing.map((o) => [o.qty, o.reason, o.status])).toEqual([[-10, 'kill_switch', 'filled']]);
    const buy = 101 * 1.0001;
    const sell = 101.5 * 0.9999;
    const cash = 100_000 - 10 * buy - 10 * buy * 0.0005 + 10 * sell - 10 * sell * 0.0005;
    expect(h.broker.position('SIM')).toBe(0);
    expect(h.broker.cash()).toBeCloseTo(cash, 8);
    const { orders, fills } = h.paper.drain();
    expect(orders.map((o) => o.reason)).toEqual(['kill_switch']);
    expect(fills.map((f) => [f.qty, f.reason, f.refPrice])).toEqual([[-10, 'kill_switch', 101.5]]);
    expect(fills[0]!.price).toBeCloseTo(sell, 10);
    expect(fills[0]!.fee).toBeCloseTo(10 * sell * 0.0005, 10);
    expect(h.paper.flatten(Float64Array.of(101.5))).toEqual([]); // flat: nothing more to close
  });
});
