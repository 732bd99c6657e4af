import { describe, expect, it } from 'vitest';
import { modeChanges, modeChangeRows, tradeRows } from '../../src/backtest/report-tables.js';
import { downsampleMax, downsampleMinMax } from '../../src/backtest/report-series.js';
import type { RiskBreach } from '../../src/risk/types.js';

const H = 3_600_000;

describe('modeChanges', () => {
  it('lists the start and every change with its breach reason', () => {
    const ts = Float64Array.from([0, 1, 2, 3, 4], (i) => i * H);
    const mode = Uint8Array.of(0, 0, 1, 1, 0);
    const dd = Float64Array.of(0, 0.05, 0.11, 0.09, 0.04);
    const breaches: RiskBreach[] = [
      { ts: 2 * H, step: 2, kind: 'drawdown_reduce', subject: null, model: null, value: 0.11, limit: 0.1, action: 'mode REDUCED: targets × 0.5' },
      { ts: 2 * H, step: 2, kind: 'max_gross', subject: null, model: null, value: 1.3, limit: 1.2, action: 'scaled' },
      { ts: 4 * H, step: 4, kind: 'drawdown_recovered', subject: null, model: null, value: 0.04, limit: 0.05, action: 'mode NORMAL' },
    ];
    const c = modeChanges(ts, mode, dd, breaches);
    expect(c.map((x) => [x.from, x.to, x.reason])).toEqual([
      ['—', 'NORMAL', 'start'],
      ['NORMAL', 'REDUCED', 'drawdown_reduce 11.0% vs 10.0%: mode REDUCED: targets × 0.5'],
      ['REDUCED', 'NORMAL', 'drawdown_recovered 4.0% vs 5.0%: mode NORMAL'],
    ]);
    expect(modeChangeRows(c)[1]).toEqual(['1970-01-01 02:00', 'NORMAL', 'REDUCED', 11, c[1]!.reason]);
  });
  it('formats trades, leaving open trades without exit', () => {
    const rows = tradeRows([{ symbol: 'SPY', side: 'long', entryTs: 0, exitTs: null, maxQty: 10, entryPrice: 100.123456789, exitPrice: null, pnl: 12.345, fees: 1, funding: 0 }]);
    expect(rows).toEqual([['SPY', 'long', '1970-01-01 00:00', null, 100.12346, null, 10, 12.35, 1, 0, 0]]);
    const short = tradeRows([{ symbol: 'SPY', side: 'short', entryTs: 0, exitTs: 0, maxQty: 10, entryPrice: 50, exitPrice: 49, pnl: 8.5, fees: 0, funding: 0, borrow: 1.5 }]);
    expect(short[0]!.slice(7)).toEqual([8.5, 0, 0, 1.5]);
  });
});

describe('downsampling', () => {
  const n = 10_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50) + (i === 7777 ? -5 : 0) + (i === 1234 ? 4 : 0));
  it('keeps ≤ 400 points, the endpoints, the true min and max, in time order', () => {
    const d = downsampleMinMax(x, y, 400);
    expect(d.x.length).toBeLessThanOrEqual(400);
    expect(d.x[0]).toBe(0);
    expect(d.x[d.x.length - 1]).toBe(n - 1);
    expect(Math.min(...(d.y as number[]))).toBe(y[7777]);
    expect(Math.max(...(d.y as number[]))).toBe(y[1234]);
    expect(d.x.every((v, i) => i === 0 || v > d.x[i - 1]!)).toBe(true);
  });
  it('drawdown keeps the deepest point; short series pass through; NaN becomes null', () => {
    const dd = Float64Array.from({ length: n }, (_, i) => (i === 4321 ? 0.42 : (i % 100) / 1000));
    const d = downsampleMax(x, dd, 400);
    expect(d.x.length).toBeLessThanOrEqual(400);
    expect(Math.max(...(d.y as number[]))).toBe(0.42);
    expect(downsampleMax(Float64Array.of(1, 2), Float64Array.of(0, NaN))).toEqual({ x: [1, 2], y: [0, null] });
  });
});

describe('strideIndices', () => {
  it('keeps both ends, at most maxPoints, ascending; short series pass through', async () => {
    const { strideIndices } = await import('../../src/backtest/report-series.js');
    const idx = strideIndices(1001, 400);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(1000);
    expect(idx.length).toBeLessThanOrEqual(400);
    expect(idx.every((v, i) => i === 0 || v > idx[i - 1]!)).toBe(true);
    expect(strideIndices(3, 400)).toEqual([0, 1, 2]);
  });
});
