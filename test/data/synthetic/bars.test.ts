import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../../src/core/time.js';
import type { Dataset } from '../../../src/core/table.js';
import { byName, col, datasets } from './fixtures.js';

const all = datasets(42);
const bars = all.filter((d) => d.kind === 'bars');

/** Count rows breaking a predicate (reporting the first one helps when it fails). */
function violations(d: Dataset, bad: (i: number) => boolean): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < d.table.length; i++) {
    if (bad(i)) {
      count++;
      if (first < 0) first = i;
    }
  }
  return { count, first };
}

describe('synthetic bars: OHLC sanity over every bar', () => {
  it.each(bars.map((d) => [d.name, d] as const))('%s: positive prices, high ≥ max(open, close), low ≤ min(open, close), volume > 0', (_name, d) => {
    const o = col(d, 'open');
    const h = col(d, 'high');
    const l = col(d, 'low');
    const c = col(d, 'close');
    const v = col(d, 'volume');
    expect(d.table.length).toBeGreaterThan(1000);
    const bad = violations(d, (i) =>
      !(l[i]! > 0) || !(h[i]! >= Math.max(o[i]!, c[i]!)) || !(l[i]! <= Math.min(o[i]!, c[i]!)) || !(v[i]! > 0) || !Number.isFinite(h[i]!),
    );
    expect(bad).toEqual({ count: 0, first: -1 });
    // intrabar ranges are real: the high is above the body on most bars
    const above = violations(d, (i) => h[i]! > Math.max(o[i]!, c[i]!)).count;
    expect(above / d.table.length).toBeGreaterThan(0.9);
  });

  it.each(bars.filter((d) => d.interval === '15m').map((d) => [d.name, d] as const))(
    '%s: 15m grid, open = previous close, flows within bounds',
    (_name, d) => {
      const ts = col(d, 'ts');
      const o = col(d, 'open');
      const c = col(d, 'close');
      const v = col(d, 'volume');
      const tb = col(d, 'taker_buy_volume');
      const oi = col(d, 'open_interest');
      const ll = col(d, 'liquidations_long');
      const ls = col(d, 'liquidations_short');
      const bad = violations(d, (i) =>
        (i > 0 && (ts[i]! - ts[i - 1]! !== 15 * MINUTE || o[i] !== c[i - 1])) ||
        !(tb[i]! > 0 && tb[i]! < v[i]!) ||
        !(oi[i]! > 0) ||
        !(ll[i]! >= 0 && ls[i]! >= 0),
      );
      expect(bad).toEqual({ count: 0, first: -1 });
      expect(ts[0]).toBe(Date.UTC(2019, 0, 1));
    },
  );
});

describe('synthetic funding', () => {
  it.each(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'])('%s: funding_rate only on bars closing at 00:00/08:00/16:00 UTC, and the funding dataset lists exactly those', (sym) => {
    const b = byName(all, `${sym}:15m`);
    const f = byName(all, `${sym}:funding`);
    const ts = col(b, 'ts');
    const fr = col(b, 'funding_rate');
    const fts = col(f, 'ts');
    const rate = col(f, 'rate');
    let k = 0;
    let offGrid = 0;
    let mismatched = 0;
    for (let i = 0; i < b.table.length; i++) {
      const close = ts[i]! + 15 * MINUTE;
      if (close % (8 * HOUR) !== 0) {
        if (fr[i] !== 0) offGrid++;
        continue;
      }
      if (fts[k] !== close || rate[k] !== fr[i]) mismatched++;
      k++;
    }
    expect({ offGrid, mismatched }).toEqual({ offGrid: 0, mismatched: 0 });
    expect(k).toBe(f.table.length);
    expect(k).toBe(3 * 1096);
    // rates are small fractions per 8 h with 8 decimals, and not all the same
    let nonzero = 0;
    for (let j = 0; j < k; j++) {
      expect(Math.abs(rate[j]!)).toBeLessThanOrEqual(0.003);
      expect(Math.abs(rate[j]! * 1e8 - Math.round(rate[j]! * 1e8))).toBeLessThan(1e-6);
      if (rate[j] !== 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(k * 0.99);
  });
});

describe('synthetic ETF bars', () => {
  it.each(['SPY', 'QQQ'])('%s: daily bars equal the aggregation of their two session bars; weekdays only', (sym) => {
    const d1 = byName(all, `${sym}:1d`);
    const h4 = byName(all, `${sym}:4h`);
    expect(h4.table.length).toBe(2 * d1.table.length);
    const [t1, o1, hi1, lo1, c1, v1, ct1] = ['ts', 'open', 'high', 'low', 'close', 'volume', 'close_ts'].map((n) => col(d1, n));
    const [t4, o4, hi4, lo4, c4, v4, ct4] = ['ts', 'open', 'high', 'low', 'close', 'volume', 'close_ts'].map((n) => col(h4, n));
    const bad: string[] = [];
    for (let i = 0; i < d1.table.length; i++) {
      const a = 2 * i;
      const day = t1![i]!;
      const dow = new Date(day).getUTCDay();
      const checks: [string, boolean][] = [
        ['weekday', dow !== 0 && dow !== 6 && day % DAY === 0],
        ['daily close_ts 21:00', ct1![i] === day + 21 * HOUR],
        ['session times', t4![a] === day + 14.5 * HOUR && ct4![a] === day + 18.5 * HOUR && t4![a + 1] === day + 18.5 * HOUR && ct4![a + 1] === day + 21 * HOUR],
        ['open', o1![i] === o4![a]],
        ['close', c1![i] === c4![a + 1]],
        ['high', hi1![i] === Math.max(hi4![a]!, hi4![a + 1]!)],
        ['low', lo1![i] === Math.min(lo4![a]!, lo4![a + 1]!)],
        ['volume', v1![i] === v4![a]! + v4![a + 1]!],
        // the second session bar opens where the first closed; the overnight gap sits between days
        ['continuous session', o4![a + 1] === c4![a]],
      ];
      for (const [what, pass] of checks) if (!pass) bad.push(`${new Date(day).toISOString().slice(0, 10)} ${what}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(t1![0]).toBe(Date.UTC(2010, 0, 1));
    expect(t1![d1.table.length - 1]).toBe(Date.UTC(2021, 11, 31));
  });
});

describe('synthetic macro series', () => {
  it('curve slope: one value per weekday, known at 21:00 UTC; PMI: monthly, released on the first weekday of the next month at 14:00 UTC', () => {
    const cs = byName(all, 'MACRO:curve_slope');
    const cts = col(cs, 'ts');
    for (let i = 0; i < cs.table.length; i++) {
      expect(cts[i]! % DAY).toBe(21 * HOUR);
      if (i > 0) expect(cts[i]! > cts[i - 1]!).toBe(true);
    }
    const pmi = byName(all, 'MACRO:pmi');
    const pts = col(pmi, 'ts');
    const pv = col(pmi, 'value');
    // 2010-01 … 2021-11 (December 2021 is released in January 2022, after the end)
    expect(pmi.table.length).toBe(12 * 12 - 1);
    for (let m = 0; m < pmi.table.length; m++) {
      const release = new Date(pts[m]!);
      expect(release.getUTCHours()).toBe(14);
      expect(release.getUTCDate()).toBeLessThanOrEqual(3);
      const dow = release.getUTCDay();
      expect(dow !== 0 && dow !== 6).toBe(true);
      // it is released the month after the one it describes
      expect(release.getUTCFullYear() * 12 + release.getUTCMonth()).toBe(2010 * 12 + 0 + m + 1);
      expect(pv[m]!).toBeGreaterThan(25);
      expect(pv[m]!).toBeLessThan(75);
    }
  });

  it('no dataset has a column that names or encodes the regime', () => {
    for (const d of all) for (const name of Object.keys(d.table.columns)) expect(name).not.toMatch(/regime|state|label/i);
  });
});
