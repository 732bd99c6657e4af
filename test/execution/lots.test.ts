import { describe, expect, test } from 'vitest';
import { lotDecimals, roundToLot } from '../../src/execution/lots.js';
import { byClass, keyCovers } from '../../src/execution/classes.js';

describe('roundToLot', () => {
  const shares = { lotSize: 1, minQty: 1, minNotional: 0 };
  const coins = { lotSize: 0.0001, minQty: 0.0001, minNotional: 10 };
  test('rounds toward zero to whole shares', () => {
    expect(roundToLot(30.99, 33, shares)).toBe(30);
    expect(roundToLot(-30.99, 33, shares)).toBe(-30);
    expect(roundToLot(0.99, 33, shares)).toBe(0);
  });
  test('crypto steps of 0.0001 print cleanly', () => {
    expect(roundToLot(0.033333, 30000, coins)).toBe(0.0333);
    expect(roundToLot(0.3, 100, { lotSize: 0.1, minQty: 0, minNotional: 0 })).toBe(0.3);
    expect(roundToLot(0.75, 100, { lotSize: 0.25, minQty: 0, minNotional: 0 })).toBe(0.75);
  });
  test('below the minimum quantity: no order', () => {
    const rule = { lotSize: 0.0001, minQty: 0.001, minNotional: 0 };
    expect(roundToLot(0.0009, 100, rule)).toBe(0);
    expect(roundToLot(-0.001, 100, rule)).toBe(-0.001);
  });
  test('minimum notional', () => {
    expect(roundToLot(0.0003, 30000, coins)).toBe(0); // 9 < 10
    expect(roundToLot(0.0004, 30000, coins)).toBe(0.0004); // 12
  });
  test('NaN, zero', () => {
    expect(roundToLot(NaN, 1, shares)).toBe(0);
    expect(roundToLot(0, 1, shares)).toBe(0);
  });
  test('lotDecimals', () => {
    expect([1, 0.1, 0.25, 0.0001, 1e-8, 2.5e-7].map(lotDecimals)).toEqual([0, 1, 2, 4, 8, 8]);
  });
});

describe('asset-class keys', () => {
  test('exact class, then group, then default', () => {
    const rec = { crypto: 'c', etf: 'e', default: 'd' };
    expect(byClass(rec, 'crypto_perp', 'costs')).toBe('c');
    expect(byClass(rec, 'etf', 'costs')).toBe('e');
    expect(byClass(rec, 'equity', 'costs')).toBe('d');
    expect(() => byClass({ crypto: 1 }, 'equity', 'costs')).toThrow("no costs for asset class 'equity' (keys: crypto); add 'equity', 'equities' or 'default'");
    expect(keyCovers('crypto', 'crypto_spot')).toBe(true);
    expect(keyCovers('equities', 'etf')).toBe(true);
    expect(keyCovers('default', 'etf')).toBe(false);
  });
});
