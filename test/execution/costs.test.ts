import { describe, expect, test } from 'vitest';
import { fillCost, impactFraction, newFillCost } from '../../src/execution/costs.js';
import { fundingPayment } from '../../src/execution/funding.js';

const rates = { maker: 0.0002, taker: 0.0005, slippage: 0.0002, impactCoef: 0.1, borrow: 0 };

describe('fillCost', () => {
  test('taker buy: price up by slippage + impact, fee on the executed price', () => {
    // 100 shares at ref 100, ADV 10,000: impact 0.1 × sqrt(0.01) = 0.01; price 100 × (1 + 0.0002 + 0.01) = 101.02
    const c = fillCost(100, 100, 'taker', rates, 10_000, newFillCost());
    expect(c.price).toBeCloseTo(101.02, 12);
    expect(c.slippage).toBeCloseTo(2, 12);
    expect(c.impact).toBeCloseTo(100, 12);
    expect(c.fee).toBeCloseTo(100 * 101.02 * 0.0005, 12);
    // (price − ref) × qty = slippage + impact
    expect((c.price - 100) * 100).toBeCloseTo(c.slippage + c.impact, 9);
  });
  test('taker sell: price down', () => {
    const c = fillCost(-10, 100, 'taker', { ...rates, impactCoef: 0 }, NaN, newFillCost());
    expect(c.price).toBeCloseTo(99.98, 12);
    expect(c.fee).toBeCloseTo(10 * 99.98 * 0.0005, 12);
  });
  test('maker: at the limit, no slippage, no impact, maker fee', () => {
    const c = fillCost(10, 99, 'maker', rates, 10, newFillCost());
    expect(c).toEqual({ price: 99, fee: 10 * 99 * 0.0002, slippage: 0, impact: 0 });
  });
  test('impact is 0 without a known ADV or with coefficient 0', () => {
    expect(impactFraction(100, NaN, 0.1)).toBe(0);
    expect(impactFraction(100, 0, 0.1)).toBe(0);
    expect(impactFraction(100, 1e4, 0)).toBe(0);
    expect(impactFraction(400, 1e4, 0.1)).toBeCloseTo(0.02, 15);
  });
});

describe('fundingPayment', () => {
  test('longs pay a positive rate, shorts receive it', () => {
    expect(fundingPayment(2, 100, 0.001)).toBeCloseTo(-0.2, 15);
    expect(fundingPayment(-2, 100, 0.001)).toBeCloseTo(0.2, 15);
    expect(fundingPayment(-2, 100, -0.001)).toBeCloseTo(-0.2, 15);
    expect(fundingPayment(0, 100, 0.001)).toBe(0);
    expect(fundingPayment(1, 100, NaN)).toBe(0);
  });
});
