import { describe, expect, it } from 'vitest';
import { autocorrelation, byName, col, correlation, datasets, kurtosis, logReturns } from './fixtures.js';

const all = datasets(42);
const ret = (name: string): Float64Array => logReturns(col(byName(all, name), 'close'));
const abs = (x: Float64Array): Float64Array => x.map(Math.abs);

/** Daily (00:00 UTC) closes of a 15m series, aligned to given day starts. */
function dailyCloses(name: string, days: Float64Array): Float64Array {
  const d = byName(all, name);
  const ts = col(d, 'ts');
  const c = col(d, 'close');
  const out = new Float64Array(days.length).fill(NaN);
  let i = 0;
  for (let k = 0; k < days.length; k++) {
    // the last 15m bar that closes at or before the ETF close (21:00 UTC)
    const cutoff = days[k]! + 21 * 3_600_000;
    while (i + 1 < ts.length && ts[i + 1]! + 900_000 <= cutoff) i++;
    if (ts[i]! + 900_000 <= cutoff && ts[i]! >= days[k]!) out[k] = c[i]!;
  }
  return out;
}

describe('synthetic returns: stylized facts measured on the data', () => {
  it.each(['BTCUSDT:15m', 'ETHUSDT:15m', 'SOLUSDT:15m', 'BNBUSDT:15m', 'XRPUSDT:15m', 'SPY:1d', 'QQQ:1d'])(
    '%s: fat tails (kurtosis > 3) and volatility clustering (|r| autocorrelation > 0.05 at lags 1 and 5 and on average over lags 1–20)',
    (name) => {
      const r = ret(name);
      expect(kurtosis(r)).toBeGreaterThan(name.endsWith('15m') ? 6 : 4);
      const a = abs(r);
      for (const lag of [1, 5]) expect(autocorrelation(a, lag), `lag ${lag}`).toBeGreaterThan(0.05);
      let mean = 0;
      for (let lag = 1; lag <= 20; lag++) mean += autocorrelation(a, lag) / 20;
      expect(mean).toBeGreaterThan(0.05);
      // returns themselves are close to unpredictable at lag 1 (the ETF reversal edge is checked below)
      if (name.endsWith('15m')) expect(Math.abs(autocorrelation(r, 1))).toBeLessThan(0.05);
    },
  );

  it('ETF daily returns: no lag-1 autocorrelation in placebo data; the planted reversal makes it negative', () => {
    const placebo = datasets(42, { symbols: ['SPY', 'QQQ'], placebo: true });
    for (const name of ['SPY:1d', 'QQQ:1d']) {
      const p = autocorrelation(logReturns(col(byName(placebo, name), 'close')), 1);
      expect(Math.abs(p), name).toBeLessThan(0.05);
      expect(autocorrelation(ret(name), 1), name).toBeLessThan(p - 0.02);
    }
  });

  it('volatility is realistic: BTC about 2–6 % a day, SPY about 0.6–2 % a day', () => {
    const sd = (x: Float64Array): number => {
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
    };
    const btcDaily = sd(ret('BTCUSDT:15m')) * Math.sqrt(96);
    expect(btcDaily).toBeGreaterThan(0.02);
    expect(btcDaily).toBeLessThan(0.06);
    const spy = sd(ret('SPY:1d'));
    expect(spy).toBeGreaterThan(0.006);
    expect(spy).toBeLessThan(0.02);
  });

  it('cross-asset structure: crypto moves together, SPY and QQQ move together, crypto and equities only mildly', () => {
    expect(correlation(ret('BTCUSDT:15m'), ret('ETHUSDT:15m'))).toBeGreaterThan(0.6);
    expect(correlation(ret('BTCUSDT:15m'), ret('SOLUSDT:15m'))).toBeGreaterThan(0.4);
    expect(correlation(ret('SPY:1d'), ret('QQQ:1d'))).toBeGreaterThan(0.8);
    // daily BTC vs SPY over the common weekdays: the shared regime gives at most a mild link
    const spy = byName(all, 'SPY:1d');
    const days = col(spy, 'ts');
    const first = days.findIndex((d) => d >= Date.UTC(2019, 0, 2));
    const ds = days.slice(first);
    const btc = dailyCloses('BTCUSDT:15m', ds);
    const spyClose = col(spy, 'close').slice(first);
    const rb: number[] = [];
    const rs: number[] = [];
    for (let k = 1; k < ds.length; k++) {
      if (Number.isNaN(btc[k]!) || Number.isNaN(btc[k - 1]!)) continue;
      rb.push(Math.log(btc[k]! / btc[k - 1]!));
      rs.push(Math.log(spyClose[k]! / spyClose[k - 1]!));
    }
    expect(rb.length).toBeGreaterThan(700);
    expect(Math.abs(correlation(rb, rs))).toBeLessThan(0.3);
  });
});
