/**
 * Must-show 4: resampling 15m → 4h → 1d matches an independent aggregation (Date-based grouping in
 * Maps, written here), including partial first and last periods and a hole inside the data.
 */
import { describe, it, expect } from 'vitest';
import { resampleBars } from '../../../src/data/clean/resample.js';
import { bucketStarts, gridFor } from '../../../src/data/clean/buckets.js';
import { cleanDataset } from '../../../src/data/clean/clean-dataset.js';
import { configSchema } from '../../../src/config/schema.js';
import { createRng } from '../../../src/core/rng.js';
import { tableDigest, type ColumnTable, type Dataset } from '../../../src/core/table.js';

const M15 = 15 * 60_000;

/** 15m bars from 2024-01-01 02:15 to 2024-01-04 21:30 UTC with a hole (2024-01-02 09:00–15:45). */
function fifteenMinuteBars(): ColumnTable {
  const rng = createRng(7, 'resample-test');
  const ts: number[] = [];
  const o: number[] = [], h: number[] = [], l: number[] = [], c: number[] = [], v: number[] = [], tb: number[] = [];
  let price = 100;
  for (let t = Date.UTC(2024, 0, 1, 2, 15); t <= Date.UTC(2024, 0, 4, 21, 30); t += M15) {
    if (t >= Date.UTC(2024, 0, 2, 9) && t < Date.UTC(2024, 0, 2, 16)) continue;
    const open = price;
    const close = open * (1 + 0.002 * rng.normal());
    ts.push(t);
    o.push(open);
    c.push(close);
    h.push(Math.max(open, close) * (1 + 0.001 * Math.abs(rng.normal())));
    l.push(Math.min(open, close) * (1 - 0.001 * Math.abs(rng.normal())));
    v.push(1 + rng.uniform() * 10);
    tb.push(rng.uniform());
    price = close;
  }
  const f = (a: number[]): Float64Array => Float64Array.from(a);
  return { length: ts.length, columns: { ts: f(ts), open: f(o), high: f(h), low: f(l), close: f(c), volume: f(v), taker_buy_volume: f(tb) } };
}

interface Agg { ts: number; open: number; high: number; low: number; close: number; volume: number; taker: number; n: number }

/** Reference: group by a key built from Date fields, then fold rows in time order. */
function reference(t: ColumnTable, key: (d: Date) => number): Agg[] {
  const groups = new Map<number, Agg>();
  const ts = t.columns['ts'] as Float64Array;
  const col = (k: string): Float64Array => t.columns[k] as Float64Array;
  for (let i = 0; i < t.length; i++) {
    const k = key(new Date(ts[i]!));
    const g = groups.get(k);
    if (!g) groups.set(k, { ts: k, open: col('open')[i]!, high: col('high')[i]!, low: col('low')[i]!, close: col('close')[i]!, volume: col('volume')[i]!, taker: col('taker_buy_volume')[i]!, n: 1 });
    else {
      g.high = Math.max(g.high, col('high')[i]!);
      g.low = Math.min(g.low, col('low')[i]!);
      g.close = col('close')[i]!;
      g.volume += col('volume')[i]!;
      g.taker += col('taker_buy_volume')[i]!;
      g.n++;
    }
  }
  return [...groups.values()].sort((a, b) => a.ts - b.ts);
}

const fourHourKey = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() - (d.getUTCHours() % 4));
const dayKey = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

function expectSame(got: ColumnTable, want: Agg[]): void {
  expect(got.length).toBe(want.length);
  const g = (k: string): Float64Array => got.columns[k] as Float64Array;
  want.forEach((w, i) => {
    expect(g('ts')[i]).toBe(w.ts);
    expect(g('open')[i]).toBe(w.open);
    expect(g('high')[i]).toBe(w.high);
    expect(g('low')[i]).toBe(w.low);
    expect(g('close')[i]).toBe(w.close);
    expect(g('volume')[i]).toBeCloseTo(w.volume, 9);
    expect(g('taker_buy_volume')[i]).toBeCloseTo(w.taker, 9);
  });
}

describe('resampling 15m → 4h → 1d (must-show 4)', () => {
  const bars = fifteenMinuteBars();

  it('15m → 4h matches the reference, with partial first (02:15–04:00) and last (20:00–21:45) periods kept', () => {
    const ts = bars.columns['ts'] as Float64Array;
    const { table, counts } = resampleBars(bars, bucketStarts(gridFor('4h'), ts));
    const want = reference(bars, fourHourKey);
    expectSame(table, want);
    expect(want[0]!.ts).toBe(Date.UTC(2024, 0, 1, 0));
    expect(counts[0]).toBe(7);
    expect(want[0]!.n).toBe(7);
    expect(counts[counts.length - 1]).toBe(7);
    // the hole 09:00–16:00 on Jan 2 leaves the 08:00 bucket with 4 bars and no 12:00 bucket
    expect(want.find((w) => w.ts === Date.UTC(2024, 0, 2, 8))!.n).toBe(4);
    expect(want.some((w) => w.ts === Date.UTC(2024, 0, 2, 12))).toBe(false);
  });

  it('4h → 1d equals 15m → 1d equals the reference daily aggregation', () => {
    const ts = bars.columns['ts'] as Float64Array;
    const fourHour = resampleBars(bars, bucketStarts(gridFor('4h'), ts)).table;
    const chained = resampleBars(fourHour, bucketStarts(gridFor('1d'), fourHour.columns['ts'] as Float64Array)).table;
    const direct = resampleBars(bars, bucketStarts(gridFor('1d'), ts)).table;
    const want = reference(bars, dayKey);
    expectSame(chained, want);
    expectSame(direct, want);
    expect(want.map((w) => w.n)).toEqual([87, 68, 96, 87]);
  });

  it('clean --to 15m,4h,1d names the partial periods in the gate facts and counts the hole as a gap', () => {
    const raw: Dataset = { name: 'raw:TEST:15m', kind: 'bars', stage: 'raw', symbol: 'TEST', interval: '15m', assetClass: 'crypto_spot', source: 'test', table: bars, digest: tableDigest(bars) };
    const res = cleanDataset({ raw, targets: '15m,4h,1d' }, configSchema.parse({}));
    expect(res.datasets.map((d) => d.name)).toEqual(['TEST:15m', 'TEST:4h', 'TEST:1d']);
    const [m15, h4, d1] = res.datasets;
    expect(h4!.gate!.facts['partial first bar']).toBe('2024-01-01 00:00 (7 of 16 source bars)');
    expect(h4!.gate!.facts['partial last bar']).toBe('2024-01-04 20:00 (7 of 16 source bars)');
    expect(d1!.gate!.facts['partial first bar']).toBe('2024-01-01 00:00 (87 of 96 source bars)');
    expect(m15!.gate!.gates.find((g) => g.name === 'gaps')!.value).toBe(1);
    expect(m15!.gate!.gates.find((g) => g.name === 'longest gap (bars)')!.value).toBe(28);
    expect(h4!.gate!.gates.find((g) => g.name === 'gaps')!.value).toBe(1);
    expectSame(h4!.table, reference(bars, fourHourKey));
  });

  it('open interest is the last finite value of each period and is carried forward, never backward', () => {
    const n = 8;
    const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * M15);
    const ones = new Float64Array(n).fill(1);
    const oi = Float64Array.from([NaN, NaN, 5, NaN, NaN, NaN, NaN, 9]);
    const t: ColumnTable = { length: n, columns: { ts, open: ones, high: ones, low: ones, close: ones, volume: ones, open_interest: oi } };
    const raw: Dataset = { name: 'raw:OI:15m', kind: 'bars', stage: 'raw', symbol: 'OI', interval: '15m', assetClass: 'crypto_perp', source: 'test', table: t, digest: tableDigest(t) };
    const [m15, h1] = cleanDataset({ raw, targets: '15m,1h' }, configSchema.parse({})).datasets;
    expect(Array.from(m15!.table.columns['open_interest'] as Float64Array)).toEqual([NaN, NaN, 5, 5, 5, 5, 5, 9]);
    expect(Array.from(h1!.table.columns['open_interest'] as Float64Array)).toEqual([5, 9]);
  });
});
