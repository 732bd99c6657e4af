/** Small parts: pacing, URL rebasing, column helpers, the cursor pager's guards. */
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src/data/network/pacer.js';
import { rebase } from '../../../src/data/network/http.js';
import { rebaseApiUrls } from '../../../src/data/network/ccxt-exchange.js';
import { ColumnBuilder, concatTables, num, sortDedupe } from '../../../src/data/network/columns.js';
import { paginateSince } from '../../../src/data/network/paginate.js';
import { newStats } from '../../../src/data/network/types.js';
import type { ColumnTable } from '../../../src/core/table.js';
import { fakeClock } from './helpers.js';

describe('Pacer', () => {
  it('spaces requests by the minimum interval on the injected clock', async () => {
    const clock = fakeClock(1000);
    const pacer = new Pacer(300, clock.deps);
    await pacer.take();
    await pacer.take();
    await pacer.take();
    expect(clock.sleeps).toEqual([300, 300]);
    expect(clock.deps.now()).toBe(1600);
  });
  it('does not wait when disabled', async () => {
    const clock = fakeClock(0);
    const pacer = new Pacer(0, clock.deps);
    await pacer.take();
    await pacer.take();
    expect(clock.sleeps).toEqual([]);
  });
});

describe('rebase', () => {
  it('keeps path and query, replaces the origin', () => {
    expect(rebase('https://fapi.binance.com/fapi/v1/klines?symbol=X', 'http://127.0.0.1:9/')).toBe('http://127.0.0.1:9/fapi/v1/klines?symbol=X');
    expect(rebase('https://api.kraken.com', 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9');
    expect(rebase('https://data.example.com/a/', 'http://proxy/prefix')).toBe('http://proxy/prefix/a/');
    expect(rebase('https://x.com/a', '')).toBe('https://x.com/a');
  });
  it('rebases every URL in a nested ccxt api map and leaves other values alone', () => {
    expect(rebaseApiUrls({ public: 'https://api.binance.com/api/v3', nested: { fapi: 'https://fapi.binance.com/fapi/v1' }, n: 3 }, 'http://h:1')).toEqual({
      public: 'http://h:1/api/v3',
      nested: { fapi: 'http://h:1/fapi/v1' },
      n: 3,
    });
  });
});

describe('column helpers', () => {
  it('reads API values: numeric strings, numbers, FRED dots and nulls', () => {
    expect([num('0.0001'), num(3), num('.'), num(null), num(''), num(undefined)].map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([0.0001, 3, 'NaN', 'NaN', 'NaN', 'NaN']);
  });
  it('builds, concatenates and sorts with the later duplicate winning', () => {
    const a = new ColumnBuilder(['ts', 'v']);
    a.push([3, 30]);
    a.push([1, 10]);
    const b = new ColumnBuilder(['ts', 'v']);
    b.push([3, 31]);
    b.push([2, 20]);
    const t = sortDedupe(concatTables(['ts', 'v'], [a.build(), b.build()]));
    expect(Array.from(t.columns['ts'] as Float64Array)).toEqual([1, 2, 3]);
    expect(Array.from(t.columns['v'] as Float64Array)).toEqual([10, 20, 31]);
  });
  it('returns an already increasing table as is', () => {
    const a = new ColumnBuilder(['ts']);
    a.push([1]);
    a.push([2]);
    const t = a.build();
    expect(sortDedupe(t)).toBe(t);
  });
});

describe('paginateSince', () => {
  const base = (fetchPage: (since: number) => Promise<number[][]>, extra: Partial<Parameters<typeof paginateSince>[0]> = {}) => ({
    window: { from: 0, to: 100 },
    columns: ['ts', 'v'],
    stepMs: 10,
    fetchPage,
    onEmpty: 'stop' as const,
    stats: newStats(),
    deps: fakeClock(0).deps,
    label: 't',
    ...extra,
  });
  it('stops when a source ignores `since` and repeats an old page', async () => {
    const pages: ColumnTable[] = [];
    let calls = 0;
    await paginateSince(base(async () => (calls++ === 0 ? [[0, 1], [10, 2]] : [[0, 1], [10, 2]])), (p) => void pages.push(p));
    expect(calls).toBe(2);
    expect(pages.map((p) => p.length)).toEqual([2]);
  });
  it('skips empty windows in skip mode and keeps rows inside the window only', async () => {
    const asked: number[] = [];
    const pages: ColumnTable[] = [];
    await paginateSince(
      base(async (since) => {
        asked.push(since);
        return since < 40 ? [] : [[since, 1], [since + 10, 2], [200, 3]];
      }, { onEmpty: 'skip', skipMs: 20 }),
      (p) => void pages.push(p),
    );
    expect(asked).toEqual([0, 20, 40]);
    expect(pages.map((p) => Array.from(p.columns['ts'] as Float64Array))).toEqual([[40, 50]]);
  });
});
