/**
 * Every kernel against an independent O(n·p) reference (../reference.ts) on a seeded random walk,
 * clean and with NaN holes, at ≤ 1e-9 relative tolerance.
 */
import { describe, expect, it } from 'vitest';
import * as F from '../../../src/features/indicators/index.js';
import * as R from '../reference.js';
import { readFileSync } from 'node:fs';
import { expectClose, randomBars, withNaN } from '../helpers.js';
import { sharedDataDir, sharedFile } from '../../helpers/shared-data.js';

const N = 1500;
const clean = randomBars(N, 11);
const holes = [3, 200, 201, 640, 641, 642, 1100];
const dirty = {
  high: withNaN(clean.high, holes),
  low: withNaN(clean.low, [650]),
  close: withNaN(clean.close, holes),
};

for (const [label, b] of [['clean', clean], ['with NaN holes', dirty]] as const) {
  describe(`kernels vs reference (${label})`, () => {
    const c = b.close;
    for (const p of [1, 2, 5, 14, 50]) {
      it(`sma/ema/wma/wilder/highest/lowest p=${p}`, () => {
        expectClose(F.sma(c, p), R.refSma(c, p));
        expectClose(F.ema(c, p), R.refEma(c, p));
        expectClose(F.wma(c, p), R.refWma(c, p));
        expectClose(F.wilder(c, p), R.refWilder(c, p));
        expectClose(F.highest(c, p), R.refHighest(c, p), 0);
        expectClose(F.lowest(c, p), R.refLowest(c, p), 0);
        expectClose(F.rollingPercentileRank(c, p), R.refPercentRank(c, p), 0);
      });
      it(`rsi/atr/true range/returns/roc/momentum/realised vol p=${p}`, () => {
        expectClose(F.rsi(c, p), R.refRsi(c, p));
        expectClose(F.trueRange(b.high, b.low, c), R.refTrueRange(b.high, b.low, c), 0);
        expectClose(F.atr(b.high, b.low, c, p), R.refAtr(b.high, b.low, c, p));
        expectClose(F.simpleReturns(c, p), R.refLag(c, p, (a, z) => (a - z) / z));
        expectClose(F.logReturns(c, p), R.refLag(c, p, (a, z) => Math.log(a) - Math.log(z)));
        expectClose(F.roc(c, p), R.refLag(c, p, (a, z) => ((a - z) / z) * 100));
        expectClose(F.momentum(c, p), R.refLag(c, p, (a, z) => a - z));
        expectClose(F.realizedVol(c, p, 365), R.refRealizedVol(c, p, 365));
      });
    }
    for (const p of [2, 5, 20, 60]) {
      it(`rolling std (ddof 0 and 1), z-score p=${p}`, () => {
        expectClose(F.rollingStd(c, p), R.refStd(c, p, 1));
        expectClose(F.rollingStd(c, p, 0), R.refStd(c, p, 0));
        expectClose(F.rollingZScore(c, p), R.refZScore(c, p));
      });
    }
    it('bollinger 20,2 from its definition', () => {
      const bb = F.bollinger(c, 20, 2);
      const mid = R.refSma(c, 20);
      const sd = R.refStd(c, 20, 0);
      expectClose(bb.mid, mid);
      expectClose(bb.upper, mid.map((m, i) => m + 2 * sd[i]!));
      expectClose(bb.lower, mid.map((m, i) => m - 2 * sd[i]!));
      expectClose(bb.pctB, mid.map((m, i) => (c[i]! - (m - 2 * sd[i]!)) / (4 * sd[i]!)));
      expectClose(bb.width, mid.map((m, i) => (4 * sd[i]!) / m));
    });
    it('macd 12,26,9 from its definition', () => {
      const m = F.macd(c, 12, 26, 9);
      const line = R.refEma(c, 12).map((f, i) => f - R.refEma(c, 26)[i]!);
      const sig = R.refEma(line, 9);
      expectClose(m.line, line);
      expectClose(m.signal, sig);
      expectClose(m.histogram, line.map((v, i) => v - sig[i]!));
    });
    it('stochastic 14,3,3 and fast 14,3,1 from the definition', () => {
      const raw = R.refStochRaw(b.high, b.low, c, 14);
      const slow = F.stochastic(b.high, b.low, c, 14, 3, 3);
      expectClose(slow.k, R.refSma(raw, 3));
      expectClose(slow.d, R.refSma(R.refSma(raw, 3), 3));
      const fast = F.stochastic(b.high, b.low, c, 14, 3, 1);
      expectClose(fast.k, raw);
      expectClose(fast.d, R.refSma(raw, 3));
    });
    it('range percentile and sign persistence', () => {
      const rel = Array.from(c, (v, i) => (b.high[i]! - b.low[i]!) / v);
      expectClose(F.rangePercentile(b.high, b.low, c, 30), R.refPercentRank(rel, 30), 0);
      const r = F.simpleReturns(c, 1);
      expectClose(F.signPersistence(r), R.refSignRun(r), 0);
    });
  });
}

describe('long series stay exact', () => {
  it('sma, wma, rolling std and realised vol over 20k bars at price level 1e4 (drift bounded)', () => {
    const b = randomBars(20_000, 5, 10_000);
    expectClose(F.sma(b.close, 200), R.refSma(b.close, 200));
    expectClose(F.wma(b.close, 200), R.refWma(b.close, 200));
    expectClose(F.rollingStd(b.close, 200), R.refStd(b.close, 200));
    expectClose(F.realizedVol(b.close, 200, 252), R.refRealizedVol(b.close, 200, 252));
  });
  it('ties in percentile rank use the average rank (integer data with many repeats)', () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => (i * 7919) % 5);
    expectClose(F.rollingPercentileRank(x, 25), R.refPercentRank(x, 25), 0);
  });
  it('reference helpers are not trivially equal to the kernels (sanity: a shifted window differs)', () => {
    const b = randomBars(100, 3);
    expect(() => expectClose(F.sma(b.close, 5), R.refSma(b.close, 6))).toThrow();
  });
});

describe.skipIf(!sharedDataDir)('kernels vs reference on real daily bars (ORCL 1995–2014, 5036 days)', () => {
  // Yahoo format: Date,Open,High,Low,Close,Adj Close,Volume
  const rows = sharedDataDir
    ? readFileSync(sharedFile('backtrader/orcl-1995-2014.txt'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number))
    : [];
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  const [high, low, close, volume] = [col(2), col(3), col(4), col(6)];
  it('has the rows the README lists', () => expect(close.length).toBe(5036));
  for (const p of [2, 14, 50, 200]) {
    it(`every single-column kernel at p=${p}`, () => {
      expectClose(F.sma(close, p), R.refSma(close, p));
      expectClose(F.ema(close, p), R.refEma(close, p));
      expectClose(F.wma(close, p), R.refWma(close, p));
      expectClose(F.rollingStd(close, p), R.refStd(close, p));
      expectClose(F.rollingZScore(close, p), R.refZScore(close, p));
      expectClose(F.rollingPercentileRank(close, p), R.refPercentRank(close, p), 0);
      expectClose(F.highest(high, p), R.refHighest(high, p), 0);
      expectClose(F.lowest(low, p), R.refLowest(low, p), 0);
      expectClose(F.rsi(close, p), R.refRsi(close, p));
      expectClose(F.atr(high, low, close, p), R.refAtr(high, low, close, p));
      expectClose(F.realizedVol(close, p, 252), R.refRealizedVol(close, p, 252));
      expectClose(F.sma(volume, p), R.refSma(volume, p));
    });
  }
});
