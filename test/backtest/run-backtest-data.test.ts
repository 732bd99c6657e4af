import { describe, expect, it } from 'vitest';
import { barsFor, resampleBars } from '../../src/backtest/run-backtest-data.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { UserError } from '../../src/core/errors.js';

const M15 = 15 * 60_000;
const H4 = 4 * 3_600_000;

/** 20 bars of 15m starting 03:30 UTC: 2 bars in the 00:00 bucket, 16 in 04:00, 2 in 08:00. */
function frame(): BarFrame {
  const n = 20;
  const t0 = Date.UTC(2024, 0, 1, 3, 30);
  const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  return {
    length: n,
    columns: {
      ts: col((i) => t0 + i * M15),
      open: col((i) => 100 + i),
      high: col((i) => 101 + i + (i === 7 ? 50 : 0)),
      low: col((i) => 99 + i - (i === 9 ? 40 : 0)),
      close: col((i) => 100.5 + i),
      volume: col(() => 2),
      funding_rate: col((i) => (i === 2 ? 0.0001 : 0)),
      open_interest: col((i) => 1000 + i),
    },
  } as unknown as BarFrame;
}

describe('resampleBars', () => {
  it('buckets by 4h from the epoch: first open, max high, min low, last close, summed volume and funding, last OI', () => {
    const r = resampleBars(frame(), '15m', '4h');
    const c = r.columns;
    expect(r.length).toBe(3);
    expect([...c.ts]).toEqual([Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 4), Date.UTC(2024, 0, 1, 8)]);
    expect([...c.open]).toEqual([100, 102, 118]);
    expect([...c.high]).toEqual([102, 101 + 7 + 50, 120]);
    expect([...c.low]).toEqual([99, 99 + 9 - 40, 117]);
    expect([...c.close]).toEqual([101.5, 117.5, 119.5]);
    expect([...c.volume]).toEqual([4, 32, 4]);
    expect([...(c['funding_rate'] as Float64Array)]).toEqual([0, 0.0001, 0]);
    expect([...(c['open_interest'] as Float64Array)]).toEqual([1001, 1017, 1019]);
    expect(r.columns.ts[1]! % H4).toBe(0);
  });
  it('refuses non-multiples and session bars', () => {
    expect(() => resampleBars(frame(), '4h', '15m')).toThrow(UserError);
    const f = frame();
    const withClose = { ...f, columns: { ...f.columns, close_ts: f.columns.ts } } as unknown as BarFrame;
    expect(() => resampleBars(withClose, '15m', '4h')).toThrow(/close_ts/);
  });
});

describe('barsFor', () => {
  const ds = (name: string, interval: '15m' | '1d'): Dataset => {
    const table = frame();
    return { name, kind: 'bars', stage: 'clean', symbol: name.split(':')[0]!, interval, assetClass: 'crypto_perp', source: 'test', table, digest: tableDigest(table) };
  };
  const loaded = new Map([['BTCUSDT:15m', ds('BTCUSDT:15m', '15m')], ['SPY:1d', ds('SPY:1d', '1d')]]);
  it('resamples from the finest loaded interval when the exact one is missing', () => {
    const d = barsFor(loaded, 'BTCUSDT', '4h', false);
    expect(d.name).toBe('BTCUSDT:4h');
    expect(d.source).toBe('resampled:BTCUSDT:15m');
    expect(d.table.length).toBe(3);
  });
  it('names the problem for a symbol without data, or with only coarser bars', () => {
    expect(() => barsFor(loaded, 'DOGE', '4h', false)).toThrow(/no data for symbol DOGE/);
    expect(() => barsFor(loaded, 'SPY', '4h', false)).toThrow(/no 4h bars for SPY \(loaded: SPY:1d\)/);
  });
  it('refuses a dataset whose readiness gate failed unless forced', () => {
    const bad: Dataset = { ...ds('ETHUSDT:4h', '15m'), name: 'ETHUSDT:4h', gate: { pass: false, gates: [{ name: 'gaps', value: 9, threshold: '≤ 3', pass: false }], facts: {} } };
    const m = new Map([['ETHUSDT:4h', bad]]);
    expect(() => barsFor(m, 'ETHUSDT', '4h', false)).toThrow(/readiness gate failed: gaps 9/);
    expect(barsFor(m, 'ETHUSDT', '4h', true).name).toBe('ETHUSDT:4h');
  });
});
