import { describe, expect, it } from 'vitest';
import { tableDigest } from '../../../src/core/table.js';
import { byName, datasets } from './fixtures.js';

const SHORT = { start: '2021-01-01', years: 0.25, equityStart: '2020-06-01' } as const;

describe('synthetic market determinism', () => {
  const a = datasets(42);
  const b = datasets(42);

  it('same seed and options give byte-identical datasets (equal digests) for the default span', () => {
    expect(a.map((d) => d.name)).toEqual(b.map((d) => d.name));
    expect(a.map((d) => d.digest)).toEqual(b.map((d) => d.digest));
    // the digest is the content digest of the table, recomputed independently here
    for (const d of a) expect(tableDigest(d.table)).toBe(d.digest);
    expect(JSON.stringify(a.map((d) => d.meta))).toBe(JSON.stringify(b.map((d) => d.meta)));
  });

  it('produces the documented dataset names in a fixed order', () => {
    expect(a.map((d) => d.name)).toEqual([
      'BTCUSDT:15m', 'ETHUSDT:15m', 'SOLUSDT:15m', 'BNBUSDT:15m', 'XRPUSDT:15m',
      'BTCUSDT:funding', 'ETHUSDT:funding', 'SOLUSDT:funding', 'BNBUSDT:funding', 'XRPUSDT:funding',
      'SPY:1d', 'QQQ:1d', 'SPY:4h', 'QQQ:4h',
      'MACRO:curve_slope', 'MACRO:pmi',
    ]);
    const btc = byName(a, 'BTCUSDT:15m');
    expect(Object.keys(btc.table.columns)).toEqual([
      'ts', 'open', 'high', 'low', 'close', 'volume', 'taker_buy_volume', 'open_interest',
      'liquidations_long', 'liquidations_short', 'funding_rate',
    ]);
    expect(btc).toMatchObject({ kind: 'bars', stage: 'clean', source: 'synthetic', assetClass: 'crypto_perp', interval: '15m', symbol: 'BTCUSDT' });
    // 2019-01-01 .. 2022-01-01: 1096 days of 96 bars
    expect(btc.table.length).toBe(1096 * 96);
    expect(Object.keys(byName(a, 'SPY:4h').table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'close_ts']);
    expect(byName(a, 'SPY:1d')).toMatchObject({ assetClass: 'etf', kind: 'bars', interval: '1d' });
    expect(Object.keys(byName(a, 'MACRO:pmi').table.columns)).toEqual(['ts', 'value']);
    expect(byName(a, 'MACRO:pmi')).toMatchObject({ assetClass: 'macro', kind: 'series' });
    expect(Object.keys(byName(a, 'BTCUSDT:funding').table.columns)).toEqual(['ts', 'rate']);
    expect(byName(a, 'BTCUSDT:funding').kind).toBe('funding');
  });

  it('a different seed changes every dataset', () => {
    const x = datasets(1, SHORT);
    const y = datasets(2, SHORT);
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) expect(x[i]!.digest, x[i]!.name).not.toBe(y[i]!.digest);
  });

  it('adding or removing a symbol leaves the other datasets byte-identical (one stream per asset and purpose)', () => {
    const full = datasets(5, SHORT);
    const some = datasets(5, { ...SHORT, symbols: ['ETHUSDT', 'QQQ'] });
    expect(some.map((d) => d.name)).toEqual(['ETHUSDT:15m', 'ETHUSDT:funding', 'QQQ:1d', 'QQQ:4h', 'MACRO:curve_slope', 'MACRO:pmi']);
    for (const d of some) expect(d.digest, d.name).toBe(byName(full, d.name).digest);
    const extra = datasets(5, { ...SHORT, symbols: ['ETHUSDT', 'DOGEUSDT', 'QQQ', 'IWM'] });
    for (const d of some) expect(byName(extra, d.name).digest, d.name).toBe(d.digest);
  });

  it('the regime path depends on the seed and the span only', () => {
    const p = datasets(9, SHORT);
    const q = datasets(9, { ...SHORT, symbols: ['SOLUSDT'], placebo: true });
    const truth = (ds: typeof p) => JSON.stringify((ds[0]!.meta as { truth: { dailyRegime: unknown } }).truth.dailyRegime);
    expect(truth(q)).toBe(truth(p));
  });
});
