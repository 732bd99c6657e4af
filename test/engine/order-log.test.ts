/**
 * The simulated broker's order and fill logs (execution/order-log.ts, fill-log.ts): rows of numbers
 * in chunks of 1 024 rows (row-chunks.ts), made into records when read. Records must be the ones
 * the broker used to build as it went: every field, the key order (the result digest hashes records
 * in key order), status changes before and after a record is made, across chunk boundaries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillAmounts } from '../../src/execution/account.js';
import { FillLog } from '../../src/execution/fill-log.js';
import {
  modelOf, OrderLog, packCodes, reasonOf, statusOf, STATUS_CANCELLED, STATUS_EXPIRED, STATUS_FILLED, STATUS_OPEN, symbolOf, typeOf,
} from '../../src/execution/order-log.js';
import type { OrderReason, OrderRecord, OrderStatus, OrderType } from '../../src/execution/types.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const MODELS = ['m0', 'm1'];
const N = 2_600; // three chunks

/** Order i as the broker used to make it (an object literal in this key order), with its final state. */
function expected(i: number, keepsFilled: boolean): OrderRecord {
  const type = (['market', 'stop', 'limit'] as const)[i % 3]!;
  const o: OrderRecord = {
    id: i + 1, symbol: SYMBOLS[i % 3]!, qty: (i % 7) - 3 + 0.25, type, price: type === 'market' ? null : 100 + i / 8, placedAt: 1e12 + i * 60_000,
    model: i % 5 === 0 ? MODELS[i % 2]! : null, reason: i % 11 === 0 ? 'stop' : 'rebalance', status: 'open', closedAt: null,
  };
  if (keepsFilled) o.filled = 0;
  return o;
}

function fill(log: OrderLog, keepsFilled: boolean): OrderRecord[] {
  const want: OrderRecord[] = [];
  for (let i = 0; i < N; i++) {
    const o = expected(i, keepsFilled);
    expect(log.add(i % 3, o.qty, o.type, o.price, o.placedAt, o.model, o.reason)).toBe(i + 1);
    want.push(o);
  }
  return want;
}

describe('OrderLog', () => {
  it('makes each order record as the broker did, status changes before and after the record is made included', () => {
    for (const keepsFilled of [false, true]) {
      const log = new OrderLog(SYMBOLS, MODELS, keepsFilled);
      const want = fill(log, keepsFilled);
      // changed before any record is made: the first half
      for (let i = 0; i < N / 2; i++) {
        const id = i + 1;
        if (i % 4 === 0) log.close(id, STATUS_FILLED, 2e12 + i);
        if (i % 4 === 1) log.close(id, STATUS_CANCELLED, 2e12 + i);
        if (i % 4 === 2) log.close(id, STATUS_EXPIRED, 2e12 + i);
        if (keepsFilled && i % 4 === 0) log.setFilled(id, want[i]!.qty);
      }
      for (let i = 0; i < N / 2; i++) {
        const w = want[i]!;
        if (i % 4 === 0) Object.assign(w, { status: 'filled', closedAt: 2e12 + i });
        if (i % 4 === 1) Object.assign(w, { status: 'cancelled', closedAt: 2e12 + i });
        if (i % 4 === 2) Object.assign(w, { status: 'expired', closedAt: 2e12 + i });
        if (keepsFilled && i % 4 === 0) w.filled = w.qty;
      }
      const middle = log.record(1_500);
      expect(middle).toStrictEqual(want[1_499]);
      const made = log.records();
      expect(made).toStrictEqual(want);
      made.forEach((o, i) => expect(Object.keys(o)).toEqual(Object.keys(want[i]!)));
      expect(log.record(1_500)).toBe(middle);
      // changed after the records are made: the same objects follow
      log.close(2_000, STATUS_FILLED, 3e12);
      if (keepsFilled) log.setFilled(2_000, 1.5);
      log.close(2_001, STATUS_FILLED, 3e12);
      log.close(2_001, STATUS_OPEN, NaN);
      expect(made[1_999]).toMatchObject({ status: 'filled', closedAt: 3e12, ...(keepsFilled ? { filled: 1.5 } : {}) });
      expect(made[2_000]).toMatchObject({ status: 'open', closedAt: null });
      expect(log.status(2_000)).toBe(STATUS_FILLED);
      expect(log.symbolIndex(2_000)).toBe(1_999 % 3);
      expect(log.type(3)).toBe('limit');
      expect(log.reason(1)).toBe('stop');
      // a relabelled order's record is a copy saying so
      const before = made[9]!;
      log.relabel(10, 'kill_switch');
      expect(log.records()[9]).toStrictEqual({ ...before, reason: 'kill_switch' });
      expect(log.records()[9]).not.toBe(before);
      expect(log.reason(10)).toBe('kill_switch');
    }
  });

  it('restores from records (a snapshot) across chunks: the same records, and rows that follow them', () => {
    const source = new OrderLog(SYMBOLS, MODELS, true);
    fill(source, true);
    source.close(1_234, STATUS_FILLED, 5e12);
    source.setFilled(1_234, -0.75);
    const saved = structuredClone(source.records());
    const restored = new OrderLog(SYMBOLS, MODELS, true);
    restored.add(0, 1, 'market', null, 0, null, 'rebalance');
    restored.restore(saved, new Map(SYMBOLS.map((s, i) => [s, i])));
    expect(restored.rows).toBe(N);
    expect(restored.records()).toBe(restored.records());
    expect(restored.records()).toStrictEqual(source.records());
    expect(restored.status(1_234)).toBe(STATUS_FILLED);
    expect(restored.filled(1_234)).toBe(-0.75);
    restored.close(1_234, STATUS_CANCELLED, 6e12);
    expect(saved[1_233]).toMatchObject({ status: 'cancelled', closedAt: 6e12 });
  });
});

describe('packed order codes', () => {
  it('unpack to the fields packed, for any symbol count and model index up to the documented bound, and a status change keeps the rest', () => {
    const field = fc
      .record({ symbols: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 ** 23 })), model: fc.integer({ min: -1, max: 2 ** 23 - 2 }) })
      .chain(({ symbols, model }) =>
        fc.record({
          symbols: fc.constant(symbols), model: fc.constant(model), symbol: fc.integer({ min: 0, max: symbols - 1 }),
          type: fc.integer({ min: 0, max: 2 }), reason: fc.integer({ min: 0, max: 4 }), status: fc.integer({ min: 0, max: 3 }), next: fc.integer({ min: 0, max: 3 }),
        }),
      );
    fc.assert(
      fc.property(field, ({ symbols, model, symbol, type, reason, status, next }) => {
        const codes = packCodes(symbols, symbol, model, type, reason, status);
        expect(Number.isSafeInteger(codes)).toBe(true);
        expect([symbolOf(symbols, codes), modelOf(symbols, codes), typeOf(codes), reasonOf(codes), statusOf(codes)]).toEqual([symbol, model, type, reason, status]);
        const changed = codes - statusOf(codes) + next;
        expect([symbolOf(symbols, changed), modelOf(symbols, changed), typeOf(changed), reasonOf(changed), statusOf(changed)]).toEqual([symbol, model, type, reason, next]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('random orders, closes and relabels make the records the broker made (fields, key order, filled), across chunks', () => {
    const TYPES = ['market', 'stop', 'limit'] as const;
    const REASONS = ['rebalance', 'stop', 'risk_flatten', 'kill_switch', 'liquidation'] as const;
    const STATUSES = ['open', 'filled', 'cancelled', 'expired'] as const;
    const order = fc.record({
      symbol: fc.integer({ min: 0, max: SYMBOLS.length - 1 }), qty: fc.double({ noNaN: true, noDefaultInfinity: true }), type: fc.integer({ min: 0, max: 2 }),
      price: fc.double({ min: 1e-6, max: 1e9, noNaN: true }), placedAt: fc.integer({ min: 0, max: 2 ** 45 }), model: fc.integer({ min: -1, max: 2 }),
      reason: fc.integer({ min: 0, max: 4 }),
      // status changes in turn (a same-close or capped fill closes an order and opens it again)
      changes: fc.array(fc.record({ status: fc.integer({ min: 0, max: 3 }), at: fc.integer({ min: 0, max: 2 ** 45 }) }), { maxLength: 3 }),
      filled: fc.double({ noNaN: true, noDefaultInfinity: true }), relabel: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 4 }),
    });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 2_100 }), fc.boolean(), (orders, keepsFilled) => {
        // a third model name the log learns from an order (as a snapshot's order may bring one)
        const names = [...MODELS, 'learned'];
        const log = new OrderLog(SYMBOLS, MODELS, keepsFilled);
        const want = orders.map((o, i): OrderRecord => {
          const type: OrderType = TYPES[o.type]!;
          const model = o.model < 0 ? null : names[o.model]!;
          expect(log.add(o.symbol, o.qty, type, type === 'market' ? null : o.price, o.placedAt, model, REASONS[o.reason]!)).toBe(i + 1);
          for (const c of o.changes) log.close(i + 1, c.status, c.status === STATUS_OPEN ? NaN : c.at);
          const last = o.changes.at(-1);
          const status: OrderStatus = STATUSES[last?.status ?? STATUS_OPEN]!;
          if (keepsFilled) log.setFilled(i + 1, o.filled);
          const reason: OrderReason = o.relabel === null ? REASONS[o.reason]! : REASONS[o.relabel]!;
          if (o.relabel !== null) log.relabel(i + 1, reason);
          const w: OrderRecord = {
            id: i + 1, symbol: SYMBOLS[o.symbol]!, qty: o.qty, type, price: type === 'market' ? null : o.price, placedAt: o.placedAt, model, reason,
            status, closedAt: last === undefined || status === 'open' ? null : last.at,
          };
          if (keepsFilled) w.filled = o.filled;
          return w;
        });
        const made = log.records();
        expect(made).toStrictEqual(want);
        made.forEach((o, i) => expect(Object.keys(o)).toEqual(Object.keys(want[i]!)));
        orders.forEach((o, i) => {
          expect(log.status(i + 1)).toBe(o.changes.at(-1)?.status ?? STATUS_OPEN);
          expect(log.symbolIndex(i + 1)).toBe(o.symbol);
          expect(log.filled(i + 1)).toBe(keepsFilled ? o.filled : 0);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('FillLog', () => {
  it('makes each fill record with its order type and reason across chunks, appended to the one array', () => {
    const orders = new OrderLog(SYMBOLS, MODELS, false);
    const fills = new FillLog(SYMBOLS, ['equity', 'crypto_spot', 'crypto_perp']);
    fill(orders, false); // order i is of symbol i % 3: its fills are too
    const amounts = (ts: number, qty: number, ref: number, price: number, fee: number, slippage: number, impact: number): FillAmounts =>
      Object.assign(new FillAmounts(), { ts, qty, ref, price, fee, slippage, impact });
    for (let i = 0; i < N; i++) fills.add(i + 1, amounts(1e12 + i, i - 1_300.5, 10 + i, 10.5 + i, i / 100, i / 1_000, i / 10_000), i % 2 === 0, i % 3 === 0);
    const first = fills.records(orders);
    expect(first.length).toBe(N);
    for (const i of [0, 1_023, 1_024, 2_047, 2_048, N - 1]) {
      const f = first[i]!;
      expect(f).toStrictEqual({
        orderId: i + 1, symbol: SYMBOLS[i % 3], assetClass: (['equity', 'crypto_spot', 'crypto_perp'] as const)[i % 3], ts: 1e12 + i, qty: i - 1_300.5,
        refPrice: 10 + i, price: 10.5 + i, notional: Math.abs((i - 1_300.5) * (10.5 + i)), fee: i / 100, slippage: i / 1_000, impact: i / 10_000,
        liquidity: i % 2 === 0 ? 'maker' : 'taker', gap: i % 3 === 0, type: orders.type(i + 1), reason: orders.reason(i + 1),
      });
    }
    fills.add(1, amounts(2e12, 1, 1, 1, 0, 0, 0), false, false);
    const again = fills.records(orders);
    expect(again).toBe(first);
    expect(again.length).toBe(N + 1);
  });
});
