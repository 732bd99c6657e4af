/** Hand-worked small examples, empty / constant / NaN inputs and bad arguments for every kernel. */
import { describe, expect, it } from 'vitest';
import * as F from '../../../src/features/indicators/index.js';
import { UserError } from '../../../src/core/errors.js';

const a = (...v: number[]): Float64Array => Float64Array.from(v);
const arr = (x: Float64Array): number[] => Array.from(x);
const N = NaN;

describe('hand-worked values', () => {
  it('sma(3) of 1..6', () => expect(arr(F.sma(a(1, 2, 3, 4, 5, 6), 3))).toEqual([N, N, 2, 3, 4, 5]));
  it('ema(3) of 1..5: seed 2 at index 2, then alpha 1/2', () =>
    // seed = (1+2+3)/3 = 2; 2 + 0.5·(4-2) = 3; 3 + 0.5·(5-3) = 4
    expect(arr(F.ema(a(1, 2, 3, 4, 5), 3))).toEqual([N, N, 2, 3, 4]));
  it('wma(3) of 1,2,3,4: (1·1+2·2+3·3)/6 = 14/6, (2+6+12)/6 = 20/6', () =>
    expect(arr(F.wma(a(1, 2, 3, 4), 3))).toEqual([N, N, 14 / 6, 20 / 6]));
  it('wilder(2) of 2,4,8: seed 3, then (3·1 + 8)/2 = 5.5', () => expect(arr(F.wilder(a(2, 4, 8), 2))).toEqual([N, 3, 5.5]));
  it('rolling std(3) of 2,4,4,4,5,5,7,9', () => {
    const y = F.rollingStd(a(2, 4, 4, 4, 5, 5, 7, 9), 3, 0);
    // windows: (2,4,4) var 8/9; (4,4,4) 0; (4,4,5) 2/9; (4,5,5) 2/9; (5,5,7) 8/9; (5,7,9) 8/3
    const want = [N, N, Math.sqrt(8 / 9), 0, Math.sqrt(2 / 9), Math.sqrt(2 / 9), Math.sqrt(8 / 9), Math.sqrt(8 / 3)];
    want.forEach((w, i) => (Number.isNaN(w) ? expect(y[i]).toBeNaN() : expect(y[i]).toBeCloseTo(w, 14)));
  });
  it('returns over 2 bars', () => {
    expect(arr(F.simpleReturns(a(100, 110, 121, 99), 2))).toEqual([N, N, 121 / 100 - 1, 99 / 110 - 1]);
    expect(arr(F.logReturns(a(1, Math.E, Math.E ** 2), 1))[2]).toBeCloseTo(1, 15);
  });
  it('true range uses the previous close on gaps', () =>
    // bar 1 gaps up: high 12, low 11, previous close 9 → TR = 12 - 9 = 3; bar 2 gaps down: 10 - 7 ... prev close 11.5
    expect(arr(F.trueRange(a(10, 12, 9), a(8, 11, 7), a(9, 11.5, 8)))).toEqual([N, 3, 4.5]));
  it('atr(2): mean of TR[1..2] then Wilder', () =>
    expect(arr(F.atr(a(10, 12, 9, 10), a(8, 11, 7, 9), a(9, 11.5, 8, 9.5), 2))).toEqual([N, N, 3.75, (3.75 + 2) / 2]));
  it('rsi(2) of 1,2,1,3: gains (1,0), losses (0,1) → 50, then (0.5+2)/2 vs 0.5/2 → 83.33…', () => {
    const y = F.rsi(a(1, 2, 1, 3), 2);
    expect(arr(y).slice(0, 2)).toEqual([N, N]);
    expect(y[2]).toBe(50);
    expect(y[3]).toBeCloseTo((100 * 1.25) / 1.5, 12);
  });
  it('highest/lowest(2) with ties', () => {
    expect(arr(F.highest(a(3, 3, 1, 2, 2), 2))).toEqual([N, 3, 3, 2, 2]);
    expect(arr(F.lowest(a(3, 3, 1, 2, 2), 2))).toEqual([N, 3, 1, 1, 2]);
  });
  it('percentile rank(4) of 1,3,2,2: (1 below + (2 equal + 1)/2)/4 = 0.625', () =>
    expect(F.rollingPercentileRank(a(1, 3, 2, 2), 4)[3]).toBe(0.625));
  it('z-score(3) of 1,2,6: mean 3, sd √7 → 3/√7', () => expect(F.rollingZScore(a(1, 2, 6), 3)[2]).toBeCloseTo(3 / Math.sqrt(7), 14));
  it('bollinger(2, 1) of 1,3: mid 2, σ 1, bands 1 and 3, %b 1, width 1', () => {
    const b = F.bollinger(a(1, 3), 2, 1);
    expect([b.mid[1], b.upper[1], b.lower[1], b.pctB[1], b.width[1]]).toEqual([2, 3, 1, 1, 1]);
  });
  it('stochastic(2, 1, 1): close at the top of the 2-bar range is 100', () => {
    const s = F.stochastic(a(10, 12), a(8, 9), a(9, 12), 2, 1, 1);
    expect(s.k[1]).toBe(100);
    expect(s.d[1]).toBe(100);
  });
  it('roc and momentum over 1 bar', () => {
    expect(arr(F.roc(a(50, 55), 1))[1]).toBeCloseTo(10, 12);
    expect(arr(F.momentum(a(50, 55), 1))).toEqual([N, 5]);
  });
  it('realised vol(2) with A = 1: sqrt of the mean squared log return', () => {
    const c = a(100, 110, 99);
    const r1 = Math.log(1.1);
    const r2 = Math.log(0.9);
    expect(F.realizedVol(c, 2, 1)[2]).toBeCloseTo(Math.sqrt((r1 * r1 + r2 * r2) / 2), 15);
    expect(F.realizedVol(c, 2, 365)[2]).toBeCloseTo(Math.sqrt((365 * (r1 * r1 + r2 * r2)) / 2), 13);
  });
  it('sign persistence of funding rates', () =>
    expect(arr(F.signPersistence(a(0.0001, 0.0002, -0.0001, -0.0003, -0.0001, 0, 0.0001, N, 0.0001)))).toEqual([1, 2, -1, -2, -3, 0, 1, N, 1]));
  it('periods per year', () => {
    expect(F.periodsPerYear('1d', '24/7')).toBe(365);
    expect(F.periodsPerYear('4h', '24/7')).toBe(2190);
    expect(F.periodsPerYear('15m', '24/7')).toBe(35040);
    expect(F.periodsPerYear('1d', 'equity')).toBe(252);
    expect(F.periodsPerYear('4h', 'equity')).toBe(504);
    expect(F.periodsPerYear('15m', 'equity')).toBe(6552);
    expect(F.periodsPerYear('1M', 'equity')).toBe(12);
  });
});

describe('empty, short and constant inputs', () => {
  const empty = new Float64Array(0);
  it('empty input gives empty output for every kernel', () => {
    for (const y of [
      F.sma(empty, 3), F.ema(empty, 3), F.wma(empty, 3), F.rollingStd(empty, 3), F.rsi(empty, 3), F.trueRange(empty, empty, empty),
      F.atr(empty, empty, empty, 3), F.highest(empty, 3), F.lowest(empty, 3), F.rollingZScore(empty, 3), F.rollingPercentileRank(empty, 3),
      F.simpleReturns(empty, 1), F.logReturns(empty, 1), F.roc(empty, 1), F.momentum(empty, 1), F.realizedVol(empty, 3, 1),
      F.bollinger(empty, 3, 2).pctB, F.macd(empty, 2, 3, 2).histogram, F.stochastic(empty, empty, empty, 3, 3).d,
      F.rangePercentile(empty, empty, empty, 3), F.signPersistence(empty),
    ]) expect(y.length).toBe(0);
  });
  it('a series shorter than the period is all NaN', () => {
    expect(arr(F.sma(a(1, 2), 3))).toEqual([N, N]);
    expect(arr(F.rsi(a(1, 2, 3), 3))).toEqual([N, N, N]);
    expect(arr(F.simpleReturns(a(1, 2), 5))).toEqual([N, N]);
  });
  it('constant input: averages equal the constant, dispersion is exactly 0', () => {
    const c = new Float64Array(50).fill(4321.5);
    expect(F.sma(c, 10)[49]).toBe(4321.5);
    expect(F.ema(c, 10)[49]).toBe(4321.5);
    expect(F.wma(c, 10)[49]).toBe(4321.5);
    expect(F.rollingStd(c, 10)[49]).toBe(0);
    expect(F.rollingZScore(c, 10)[49]).toBeNaN(); // sd = 0: undefined
    expect(F.rsi(c, 10)[49]).toBe(50); // flat: neutral
    expect(F.bollinger(c, 10, 2).pctB[49]).toBe(0.5);
    expect(F.bollinger(c, 10, 2).width[49]).toBe(0);
    expect(F.stochastic(c, c, c, 5, 3).k[49]).toBe(50);
    expect(F.rollingPercentileRank(c, 10)[49]).toBeCloseTo(0.55, 15);
    expect(F.realizedVol(c, 10, 365)[49]).toBe(0);
    expect(F.atr(c, c, c, 5)[49]).toBe(0);
  });
});

describe('NaN policy: NaN while a missing value is in the window, then recovery', () => {
  const x = a(1, 2, 3, N, 5, 6, 7, 8);
  it('windowed kernels are NaN for p bars from the hole, then resume', () => {
    expect(arr(F.sma(x, 3))).toEqual([N, N, 2, N, N, N, 6, 7]);
    expect(arr(F.highest(x, 3))).toEqual([N, N, 3, N, N, N, 7, 8]);
    expect(arr(F.rollingStd(x, 2)).map((v) => (Number.isNaN(v) ? v : Number(v.toFixed(12))))).toEqual([N, Math.SQRT1_2, Math.SQRT1_2, N, N, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2].map((v) => (Number.isNaN(v) ? v : Number(v.toFixed(12)))));
  });
  it('recursive kernels restart and re-seed after the hole', () => {
    // ema(2) re-seeds with mean(5, 6) = 5.5 at index 5, then alpha 2/3
    const y = F.ema(x, 2);
    expect(arr(y).slice(0, 5)).toEqual([N, 1.5, 1.5 + (2 / 3) * 1.5, N, N]);
    expect(y[5]).toBe(5.5);
    expect(y[6]).toBeCloseTo(5.5 + (2 / 3) * 1.5, 14);
  });
  it('returns need both ends: NaN at the hole and k bars after it', () =>
    expect(arr(F.simpleReturns(x, 1)).map(Number.isNaN)).toEqual([true, false, false, true, true, false, false, false]));
  it('Infinity counts as missing', () => expect(arr(F.sma(a(1, Infinity, 3, 4, 5), 2))).toEqual([N, N, N, 3.5, 4.5]));
});

describe('bad arguments name the indicator and the value', () => {
  const x = a(1, 2, 3);
  it.each([
    [() => F.sma(x, -3), 'sma: period must be a positive integer, got -3'],
    [() => F.sma(x, 2.5), 'sma: period must be a positive integer, got 2.5'],
    [() => F.ema(x, 0), 'ema: period must be a positive integer, got 0'],
    [() => F.rollingStd(x, 1), 'rolling std: period must be an integer ≥ 2, got 1'],
    [() => F.rollingZScore(x, 1), 'zscore: period must be an integer ≥ 2, got 1'],
    [() => F.macd(x, 26, 12, 9), 'macd: fast period must be below slow period, got 26,12'],
    [() => F.bollinger(x, 20, NaN), 'bb: k must be a finite number, got NaN'],
    [() => F.simpleReturns(x, 0), 'returns: k must be a positive integer, got 0'],
    [() => F.atr(x, a(1, 2), x, 3), 'atr: input columns differ in length (3 vs 2)'],
    [() => F.sma(x, 2, new Float64Array(2)), 'sma: output array has length 2, expected 3'],
    [() => F.realizedVol(x, 2, 0), 'rvol: periods per year must be a positive number, got 0'],
  ])('%#', (f, msg) => {
    expect(f).toThrow(UserError);
    expect(f).toThrow(msg);
  });
});

describe('output reuse', () => {
  it('writes into a given output array and returns it', () => {
    const out = new Float64Array(4);
    expect(F.sma(a(1, 2, 3, 4), 2, out)).toBe(out);
    expect(arr(out)).toEqual([N, 1.5, 2.5, 3.5]);
  });
});
