/**
 * The concurrency harness at CI size (harness/concurrency.ts): 3 processes ingesting and
 * backtesting on one data root (`npm run stress`: EDGELAB_CONCURRENCY=8), then 3 again with a
 * 1 ms database wait so that some lose: each loser must say so in one line.
 */
import { describe, expect, it } from 'vitest';
import { concurrencyHarness } from './harness/concurrency.js';
import { recordFigures } from './harness/figures.js';

const n = Number(process.env['EDGELAB_CONCURRENCY'] ?? 3);

describe('N processes on one data root', () => {
  it(`${n} processes: every reported run stored, manifest valid`, async () => {
    const f = await concurrencyHarness(n);
    recordFigures('concurrency', { processes: f.processes, runsStored: f.runsStored, losersWithMessage: f.losersWithMessage, invariantsChecked: f.invariantsChecked, failures: f.failures.length });
    expect(f.failures).toEqual([]);
    expect(f.runsStored + f.losersWithMessage).toBe(n);
  }, 600_000);

  it(`${n} processes with a 1 ms database wait: losers are told, winners are stored`, async () => {
    const f = await concurrencyHarness(n, { EDGELAB_DB_WAIT_MS: '1' });
    recordFigures('concurrency-short-wait', { processes: f.processes, runsStored: f.runsStored, losersWithMessage: f.losersWithMessage, invariantsChecked: f.invariantsChecked, failures: f.failures.length });
    expect(f.failures).toEqual([]);
    expect(f.runsStored + f.losersWithMessage).toBe(n);
  }, 600_000);
});
