/**
 * FRED observations against the FRED fixture: limit/offset paging, '.' read as NaN, initial releases
 * with their publication days (ALFRED output_type=4), a 429 waited out, a resume whose observation_start is the day after the last observation held, and errors
 * (unknown series, missing or refused API key) naming what to fix.
 */
import { describe, expect, it } from 'vitest';
import { FRED_FIXTURE_KEY, fredFixtureFirstRelease, fredFixtureObservations, startFredFixture } from '../../fixtures/servers/fred.js';
import { cleanSeries } from '../../../src/data/clean/series.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { UserError } from '../../../src/core/errors.js';
import { useFixtureServer, T } from './helpers.js';

const NOW = T('2024-03-04T15:00:00Z');
const fx = useFixtureServer(() => startFredFixture({ from: T('2000-01-01T00:00:00Z'), until: T('2024-03-01T00:00:00Z'), today: '2024-03-04' }));

const setup = (env: Record<string, string> = { FRED_API_KEY: FRED_FIXTURE_KEY }) =>
  fx.setup('fred', { now: NOW, env, options: { rate_limit_ms: 0, page_limit: 100 } });

const obsRequests = () => fx.server.requestsTo('/fred/series/observations').filter((r) => !r.fault);

describe('fred observations', () => {
  it('pages a year of daily T10Y2Y by offset (0, 100, 200) and reads "." as NaN', async () => {
    const { clock, source, store } = setup();
    const from = T('2023-01-01T00:00:00Z');
    const to = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 't10y2y', what: 'series', start: from, end: to }, clock.deps);
    const reqs = obsRequests();
    expect(reqs.map((q) => q.query['offset'])).toEqual(['0', '100', '200']);
    expect(reqs.every((q) => q.query['observation_start'] === '2023-01-01' && q.query['observation_end'] === '2023-12-31' && q.query['file_type'] === 'json')).toBe(true);
    const ds = r.dataset!;
    expect([ds.name, ds.kind, ds.assetClass, ds.source]).toEqual(['raw:MACRO:T10Y2Y', 'series', 'macro', 'fred']);
    expect(ds.meta?.['frequency']).toBe('D');
    expect(Object.keys(ds.table.columns)).toEqual(['ts', 'value', 'realtime_start']);
    const expected = fredFixtureObservations('T10Y2Y', from, to);
    expect(ds.table.length).toBe(expected.length);
    expect(Array.from(ds.table.columns['ts'] as Float64Array)).toEqual(expected.map((e) => e[0]));
    const value = ds.table.columns['value'] as Float64Array;
    for (let i = 0; i < expected.length; i++) {
      if (Number.isNaN(expected[i]![1])) expect(value[i]).toBeNaN();
      else expect(value[i]).toBeCloseTo(expected[i]![1], 12);
    }
    expect(expected.some((e) => Number.isNaN(e[1]))).toBe(true);
    // Initial releases only: every row carries the day it was first published (the next weekday here).
    expect(reqs.every((q) => q.query['output_type'] === '4' && q.query['realtime_start'] === '1776-07-04' && q.query['realtime_end'] === '9999-12-31')).toBe(true);
    expect(Array.from(ds.table.columns['realtime_start'] as Float64Array)).toEqual(expected.map((e) => fredFixtureFirstRelease('T10Y2Y', e[0]).date));
    expect((ds.table.columns['realtime_start'] as Float64Array)[0]).toBe(T('2023-01-03T00:00:00Z')); // Mon 2 Jan → Tue 3 Jan
    expect((ds.table.columns['realtime_start'] as Float64Array)[4]).toBe(T('2023-01-09T00:00:00Z')); // Fri 6 Jan → Mon 9 Jan
  });

  it('keeps first-release values (not later revisions), and clean stamps each at the end of its release day', async () => {
    const { clock, source, store } = setup();
    const from = T('2022-01-01T00:00:00Z');
    const to = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'CPIAUCSL', what: 'series', start: from, end: to }, clock.deps);
    const ds = r.dataset!;
    const latest = fredFixtureObservations('CPIAUCSL', from, to);
    expect(ds.table.length).toBe(24);
    const value = ds.table.columns['value'] as Float64Array;
    // The fixture's first prints are 0.1 below the latest values.
    latest.forEach(([, v], i) => expect(value[i]).toBeCloseTo(v - 0.1, 9));
    const c = cleanSeries(ds.table, ds.name);
    // January 2022: 12 Feb 2022 is a Saturday, so first published Mon 14 Feb; known from Tue 15 Feb 00:00 UTC.
    expect((c.table.columns['ts'] as Float64Array)[0]).toBe(T('2022-02-15T00:00:00Z'));
    expect((c.table.columns['period'] as Float64Array)[0]).toBe(T('2022-01-01T00:00:00Z'));
    // Every value is known strictly after its observation month has ended.
    const ts = c.table.columns['ts'] as Float64Array;
    const period = c.table.columns['period'] as Float64Array;
    for (let i = 0; i < c.table.length; i++) {
      const d = new Date(period[i]!);
      expect(ts[i]!).toBeGreaterThan(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    }
  });

  it('waits out a 429 (Retry-After 4 s) and resumes from the day after the last observation', async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/fred/series/observations', { kind: 'rate-limit', retryAfterS: 4 });
    const r1 = await ingestNetwork(source, store, { symbol: 'CPIAUCSL', what: 'series', start: T('2020-01-01T00:00:00Z'), end: T('2023-01-01T00:00:00Z') }, clock.deps);
    expect(clock.sleeps).toEqual([4000]);
    expect(r1.stats.retries).toEqual([{ attempt: 1, waitMs: 4000, reason: 'rate-limit', status: 429, fromServer: true }]);
    expect(r1.dataset!.table.length).toBe(36);
    fx.server.clearLog();
    const r2 = await ingestNetwork(source, store, { symbol: 'CPIAUCSL', what: 'series', start: T('2020-01-01T00:00:00Z') }, clock.deps);
    expect(obsRequests().map((q) => q.query['observation_start'])).toEqual(['2022-12-02']);
    expect(r2.fetched.map((f) => [f.side, f.rows])).toEqual([['tail', 14]]);
    expect(r2.dataset!.table.length).toBe(50);
  });

  it('stops on an empty page and returns no dataset', async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/fred/series/observations', { kind: 'empty' });
    const r = await ingestNetwork(source, store, { symbol: 'T10Y2Y', what: 'series', start: T('2023-01-01T00:00:00Z') }, clock.deps);
    expect(fx.server.requestsTo('/fred/series/observations').map((q) => q.fault)).toEqual(['empty']);
    expect(r.dataset).toBeUndefined();
  });

  it('names a series FRED does not have, before downloading anything', async () => {
    const { clock, source, store } = setup();
    const p = ingestNetwork(source, store, { symbol: 'T10Y3Y', what: 'series', start: T('2023-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow("fred has no series 'T10Y3Y' (Bad Request. The series does not exist.)");
    expect(obsRequests()).toHaveLength(0);
    expect(await store.coverage({ source: 'fred', symbol: 'T10Y3Y', interval: 'series' })).toBeUndefined();
  });

  it('names the key variable when it is missing or refused', async () => {
    const none = setup({});
    await expect(
      ingestNetwork(none.source, none.store, { symbol: 'T10Y2Y', what: 'series', start: T('2023-01-01T00:00:00Z') }, none.clock.deps),
    ).rejects.toThrow('fred needs an API key: set FRED_API_KEY in the environment');
    expect(fx.server.requests).toHaveLength(0);
    const wrong = setup({ FRED_API_KEY: 'nope' });
    await expect(
      ingestNetwork(wrong.source, wrong.store, { symbol: 'T10Y2Y', what: 'series', start: T('2023-01-01T00:00:00Z') }, wrong.clock.deps),
    ).rejects.toThrow(/fred refused the API key \(.*not registered.*\); check FRED_API_KEY/);
  });
});
