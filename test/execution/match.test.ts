import { describe, expect, test } from 'vitest';
import { matchOrder, newMatchResult } from '../../src/execution/match.js';

const m = (type: 'market' | 'stop' | 'limit', side: number, level: number, o: number, h: number, l: number, c: number, lf: 'touch' | 'through' = 'touch') => {
  const r = matchOrder(type, side, level, o, h, l, c, lf, newMatchResult());
  return { ...r };
};

describe('matchOrder', () => {
  test('market fills at the open as taker', () => {
    expect(m('market', 1, NaN, 100, 101, 99, 100.5)).toEqual({ price: 100, liquidity: 'taker', gap: false, pathRank: 0 });
  });
  test.each([
    // [side, level, open, high, low, close, price, gap]
    [-1, 95, 90, 92, 88, 91, 90, true], // sell stop gapped through: open
    [-1, 95, 98, 99, 94, 96, 95, false], // sell stop touched: level
    [-1, 95, 98, 99, 95, 96, 95, false], // exactly at the low: triggers
    [-1, 95, 98, 99, 95.01, 96, NaN, false], // not reached
    [1, 105, 110, 111, 109, 110, 110, true], // buy stop gapped up
    [1, 105, 100, 106, 99, 104, 105, false],
    [1, 105, 100, 104.99, 99, 104, NaN, false],
  ])('stop side %d at %d on O%d H%d L%d C%d → %d', (side, level, o, h, l, c, price, gap) => {
    const r = m('stop', side, level, o, h, l, c);
    expect(r.price).toBe(price);
    if (price === price) {
      expect(r.gap).toBe(gap);
      expect(r.liquidity).toBe('taker');
    }
  });
  test('a buy limit touched exactly at the low fills at the limit as maker; through needs a lower low', () => {
    expect(m('limit', 1, 99, 100, 101, 99, 100.5)).toMatchObject({ price: 99, liquidity: 'maker', gap: false });
    expect(m('limit', 1, 99, 100, 101, 99, 100.5, 'through').price).toBeNaN();
    expect(m('limit', 1, 99, 100, 101, 98.99, 100.5, 'through')).toMatchObject({ price: 99, liquidity: 'maker' });
  });
  test('a marketable limit (open already better) fills at the open as taker', () => {
    expect(m('limit', 1, 99, 97, 98, 96, 97)).toMatchObject({ price: 97, liquidity: 'taker', gap: true });
    expect(m('limit', -1, 101, 103, 104, 102, 103)).toMatchObject({ price: 103, liquidity: 'taker', gap: true });
  });
  test('sell limit touched at the high', () => {
    expect(m('limit', -1, 101, 100, 101, 99, 100)).toMatchObject({ price: 101, liquidity: 'maker' });
    expect(m('limit', -1, 101, 100, 101, 99, 100, 'through').price).toBeNaN();
  });
  test('path rank: an up bar visits the low first, a down bar the high first', () => {
    // up bar (close ≥ open): O → L → H → C
    expect(m('stop', -1, 95, 100, 110, 94, 108).pathRank).toBe(1);
    expect(m('stop', 1, 105, 100, 110, 94, 108).pathRank).toBe(2);
    // down bar: O → H → L → C
    expect(m('stop', -1, 95, 100, 110, 94, 96).pathRank).toBe(2);
    expect(m('stop', 1, 105, 100, 110, 94, 96).pathRank).toBe(1);
  });
});
