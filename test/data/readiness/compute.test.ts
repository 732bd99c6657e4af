/**
 * computeReadiness on datasets that did not come through clean (as the synthetic demo data and the
 * network sources hand them over): gates computed from the table alone, thresholds from config.
 */
import { describe, it, expect } from 'vitest';
import { computeReadiness } from '../../../src/data/readiness/compute.js';
import { configSchema } from '../../../src/config/schema.js';
import { tableDigest, type ColumnTable, type Dataset } from '../../../src/core/table.js';
import type { Interval } from '../../../src/core/time.js';

const config = configSchema.parse({});
const M15 = 15 * 60_000;
const DAY = 86_400_000;

function bars(name: string, ts: number[], extra: Record<string, number[]> = {}, interval: Interval = '15m', assetClass: Dataset['assetClass'] = 'crypto_perp'): Dataset {
  const n = ts.length;
  const one = new Float64Array(n).fill(1);
  const table: ColumnTable = { length: n, columns: { ts: Float64Array.from(ts), open: one, high: one, low: one, close: one, volume: one, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Float64Array.from(v)])) } };
  return { name, kind: 'bars', stage: 'clean', symbol: name.split(':')[0]!, interval, assetClass, source: 'synthetic', table, digest: tableDigest(table) };
}

const gate = (ds: Dataset, name: string) => computeReadiness(ds, config).gates.find((g) => g.name === name)!;
const seq = (n: number, step: number, start = Date.UTC(2024, 0, 1)): number[] => Array.from({ length: n }, (_, i) => start + i * step);

describe('computeReadiness on any bars dataset', () => {
  it('a complete perpetual-swap series with varying funding passes every gate', () => {
    const n = 200;
    const funding = Array.from({ length: n }, (_, i) => (i % 32 === 31 ? 0.0001 * (1 + (i % 3)) : 0));
    const g = computeReadiness(bars('BTCUSDT:15m', seq(n, M15), { funding_rate: funding }), config);
    expect(g.pass).toBe(true);
    expect(g.gates.map((x) => x.name)).toEqual(['rows', 'coverage', 'gaps', 'longest gap (bars)', 'funding alignment', 'quarantined', 'ordered']);
    expect(g.facts['funding mode']).toBe('aligned');
    expect(g.facts['calendar']).toBe('24/7');
  });

  it('funding column absent or all zero → missing; one repeated value → constant', () => {
    expect(gate(bars('A:15m', seq(50, M15)), 'funding alignment')).toMatchObject({ value: 'missing', pass: false });
    expect(gate(bars('A:15m', seq(50, M15), { funding_rate: new Array(50).fill(0) }), 'funding alignment').value).toBe('missing');
    const c = new Array(50).fill(0).map((_, i) => (i % 10 === 9 ? 0.0001 : 0));
    expect(gate(bars('A:15m', seq(50, M15), { funding_rate: c }), 'funding alignment')).toMatchObject({ value: 'constant', pass: true });
  });

  it('gaps: count, longest in bars with where, coverage; each against its threshold', () => {
    const ts = seq(300, M15);
    ts.splice(100, 120); // one hole of 120 bars
    const g = computeReadiness(bars('B:15m', ts, {}, '15m', 'crypto_spot'), config);
    expect(g.gates.find((x) => x.name === 'gaps')).toMatchObject({ value: 1, pass: true });
    expect(g.gates.find((x) => x.name === 'longest gap (bars)')).toMatchObject({ value: 120, threshold: '≤ 96', pass: false, reason: '120 bars (30 h) missing after 2024-01-02 00:45' });
    expect(g.gates.find((x) => x.name === 'coverage')).toMatchObject({ value: 0.6, pass: false, reason: '120 bars missing' });
    expect(g.pass).toBe(false);
    expect(g.gates.some((x) => x.name === 'funding alignment')).toBe(false); // spot: no funding gate
  });

  it('equity daily bars are judged on weekdays: weekends are not gaps', () => {
    const days: number[] = [];
    for (let t = Date.UTC(2024, 0, 1); days.length < 60; t += DAY) if (![0, 6].includes(new Date(t).getUTCDay())) days.push(t);
    const g = computeReadiness(bars('SPY:1d', days, {}, '1d', 'etf'), config);
    expect(g.pass).toBe(true);
    expect(g.facts['coverage']).toBe('100.00%');
    expect(g.facts['calendar']).toMatch(/^weekdays/);
  });

  it('unsorted or repeated timestamps fail the ordered gate; too few rows fail rows; no ts column fails outright', () => {
    expect(gate(bars('C:15m', [3, 2, 1].map((k) => k * M15), {}, '15m', 'crypto_spot'), 'ordered')).toMatchObject({ value: 'no', pass: false });
    expect(gate(bars('C:15m', seq(10, M15), {}, '15m', 'crypto_spot'), 'rows')).toMatchObject({ value: 10, pass: false, reason: 'only 10 bars' });
    const noTs: Dataset = { ...bars('D:15m', seq(5, M15)), table: { length: 1, columns: { close: Float64Array.of(1) } } };
    expect(computeReadiness(noTs, config).pass).toBe(false);
  });

  it('thresholds come from config: loosening max_longest_gap_bars lets the hole pass', () => {
    const ts = seq(300, M15);
    ts.splice(100, 120);
    const loose = configSchema.parse({ data: { readiness: { max_longest_gap_bars: 200, min_coverage: 0.5 } } });
    expect(computeReadiness(bars('B:15m', ts, {}, '15m', 'crypto_spot'), loose).pass).toBe(true);
  });

  it('funding datasets: settlements on the 00/08/16 schedule pass; a 3-hour shift is misaligned; a missing day fails the longest gap', () => {
    const H = 3_600_000;
    const funding = (ts: number[]): Dataset => {
      const table: ColumnTable = { length: ts.length, columns: { ts: Float64Array.from(ts), rate: Float64Array.from(ts.map((_, i) => 0.0001 * (1 + (i % 5)))) } };
      return { name: 'X:funding', kind: 'funding', stage: 'clean', symbol: 'X', assetClass: 'crypto_perp', source: 'synthetic', table, digest: tableDigest(table) };
    };
    const onTime = seq(60, 8 * H);
    expect(computeReadiness(funding(onTime), config)).toMatchObject({ pass: true });
    const shifted = computeReadiness(funding(onTime.map((t) => t + 3 * H)), config);
    expect(shifted.gates.find((g) => g.name === 'funding alignment')).toMatchObject({ value: 'misaligned', pass: false });
    const holed = [...onTime.slice(0, 20), ...onTime.slice(24)];
    const g = computeReadiness(funding(holed), config);
    expect(g.gates.find((x) => x.name === 'longest gap (settlements)')).toMatchObject({ value: 4, threshold: '≤ 3', pass: false });
  });

  it('quarantined fraction and extra facts come from the clean context in meta', () => {
    const ds = { ...bars('E:15m', seq(100, M15), {}, '15m', 'crypto_spot'), meta: { clean: { inputRows: 110, quarantined: { nan_price: 10 }, facts: { note: 'x' } } } };
    const g = computeReadiness(ds, config);
    expect(g.gates.find((x) => x.name === 'quarantined')).toMatchObject({ value: 0.0909, pass: false, reason: '10 of 110 rows: nan_price 10' });
    expect(g.facts['note']).toBe('x');
  });
});
