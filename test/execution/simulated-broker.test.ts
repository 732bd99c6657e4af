/**
 * The simulated broker passes the broker conformance suite (broker-conformance.ts), driven bar by bar
 * as the Trader drives it; plus its own facts: a fill's price and fee by hand, and a stop resting
 * across bars until the path reaches it.
 */
import { describe, expect, it } from 'vitest';
import { prepareSymbol } from '../../src/backtest/engine-data.js';
import { SimulatedBroker } from '../../src/execution/simulated-broker.js';
import { bars, type Row } from '../backtest/engine-helpers.js';
import { describeBrokerConformance, type BrokerHarness } from './broker-conformance.js';

/** A rising market: bar i opens at 100 + i and closes at 100.5 + i, volume 1000. */
const rows: Row[] = Array.from({ length: 80 }, (_, i) => [100 + i, 101 + i, 99.5 + i, 100.5 + i, 1000] as const);

function simulated(opts: { partialFills: boolean }, data = rows): BrokerHarness & { sim: SimulatedBroker } {
  const d = prepareSymbol(bars('SIM', data));
  const sim = new SimulatedBroker({
    data: [d],
    assetClass: ['etf'],
    rates: [{ maker: 0.0002, taker: 0.0005, slippage: 0.0001, impactCoef: 0, borrow: 0 }],
    lots: [{ lotSize: 1, minQty: 0, minNotional: 0 }],
    initialCapital: 100_000,
    limitFill: 'touch',
    sameClose: false,
    advDays: 20,
    cap: opts.partialFills ? 0.1 : 0,
    modelNames: [],
  });
  let j = 0;
  const closeBar = (): void => {
    sim.barIndex[0] = j;
    if (sim.hasOrders[0] === 1) sim.onBar(0, j);
    sim.now = d.ts[j]! + d.step;
  };
  closeBar();
  return {
    sim,
    broker: sim,
    symbol: 'SIM',
    initialCash: 100_000,
    lotQty: 10,
    partialQty: 250,
    price: () => d.close[j]!,
    advance: async () => {
      j++;
      closeBar();
    },
  };
}

describeBrokerConformance('SimulatedBroker', simulated);

describe('SimulatedBroker facts', () => {
  it('a market buy fills at the next open with slippage and the taker fee, by hand', async () => {
    const h = simulated({ partialFills: false });
    h.broker.submit({ clientId: 'a', symbol: 'SIM', qty: 10, type: 'market' });
    await h.advance();
    const f = h.sim.fills[0]!;
    // next bar opens at 101; price = 101 × (1 + 0.0001) = 101.0101; fee = 10 × 101.0101 × 0.0005 = 0.5050505
    expect(f.refPrice).toBe(101);
    expect(f.price).toBeCloseTo(101.0101, 10);
    expect(f.fee).toBeCloseTo(0.5050505, 10);
    expect(h.broker.cash()).toBeCloseTo(100_000 - 1010.101 - 0.5050505, 8);
  });

  it('refuses a stop-limit (limitPrice): only venue brokers send those, and nothing changes', async () => {
    const h = simulated({ partialFills: false });
    const r = h.broker.submit({ clientId: 'sl', symbol: 'SIM', qty: -10, type: 'stop', price: 95, limitPrice: 94 });
    expect(r.accepted ? 'accepted' : r.reason).toMatch(/order sl: stop-limit orders go to venue brokers only/);
    expect(h.broker.order('sl')).toBeUndefined();
    await h.advance();
    expect(h.sim.fills).toHaveLength(0);
    expect(h.broker.cash()).toBe(100_000);
  });

  it('a sell stop rests across bars and fills at its level when the low reaches it (a gap below fills at the open)', async () => {
    const down: Row[] = [[100, 100, 100, 100, 1000], [100, 100.5, 99, 99.5, 1000], [99.5, 99.6, 97, 97.5, 1000], [95, 95, 94, 94.5, 1000]];
    const h = simulated({ partialFills: false }, down);
    h.broker.submit({ clientId: 'buy', symbol: 'SIM', qty: 5, type: 'market' });
    await h.advance(); // bought at the open of bar 1 (100)
    h.broker.submit({ clientId: 'stop', symbol: 'SIM', qty: -5, type: 'stop', price: 98 });
    await h.advance(); // bar 2: low 97 ≤ 98 → fills at 98
    const f = h.sim.fills[1]!;
    expect([f.type, f.refPrice, f.gap]).toEqual(['stop', 98, false]);
    expect(h.broker.position('SIM')).toBe(0);
    const again = simulated({ partialFills: false }, down);
    again.broker.submit({ clientId: 's', symbol: 'SIM', qty: -5, type: 'stop', price: 96 });
    await again.advance();
    expect(again.broker.order('s')!.status).toBe('open');
    await again.advance();
    expect(again.broker.order('s')!.status).toBe('open');
    await again.advance(); // bar 3 opens at 95, below 96: gap, fills at the open
    expect([again.sim.fills[0]!.refPrice, again.sim.fills[0]!.gap]).toEqual([95, true]);
  });
});
