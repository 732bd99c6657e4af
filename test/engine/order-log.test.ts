/**
 * The simulated broker's order and fill logs (execution/order-log.ts, fill-log.ts): rows of numbers
 * in chunks of 1 024 rows (row-chunks.ts), made into records when read. Records must be the ones
 * the broker used to build as it went: every field, the key order (the result digest hashes records
 * in key order), status changes before and after a record is made, across chunk boundaries.
 */
import { describe, expect, it } from 'vitest';
import { FillAmounts } from '../../src/execution/account.js';
import { FillLog } from '../../src/execution/fill-log.js';
import { OrderLog, STATUS_CANCELLED, STATUS_EXPIRED, STATUS_FILLED, STATUS_OPEN } from '../../src/execution/order-log.js';
import type { OrderRecord } from '../../src/execution/types.js';

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

describe('FillLog', () => {
  it('makes each fill record with its order type and reason across chunks, appended to the one array', () => {
    const orders = new OrderLog(SYMBOLS, MODELS, false);
    const fills = new FillLog(SYMBOLS, ['equity', 'crypto_spot', 'crypto_perp']);
    fill(orders, false);
    const amounts = (ts: number, qty: number, ref: number, price: number, fee: number, slippage: number, impact: number): FillAmounts =>
      Object.assign(new FillAmounts(), { ts, qty, ref, price, fee, slippage, impact });
    for (let i = 0; i < N; i++) fills.add(i + 1, i % 3, amounts(1e12 + i, i - 1_300.5, 10 + i, 10.5 + i, i / 100, i / 1_000, i / 10_000), i % 2 === 0, i % 3 === 0);
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
    fills.add(1, 0, amounts(2e12, 1, 1, 1, 0, 0, 0), false, false);
    const again = fills.records(orders);
    expect(again).toBe(first);
    expect(again.length).toBe(N + 1);
  });
});
