/**
 * The discovery ledger counts distinct tests (docs/discovery.md, "Multiplicity: the ledger"): an
 * identical re-run — same ledger, settings, seed, config and data digests, same tests with the same
 * statistics — is recorded once and read back as it stood after its first recording; other bars
 * (another data digest) or other settings are a new run and grow the ledger. The ledger rows here
 * are written by hand (three tests with known p), so every size and offset below is counted, not
 * taken from the code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ledgerSizes, listCandidates, recordTests, storeCandidates, type CandidateRow, type LedgerRun, type LedgerTest } from '../../src/store/ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-ledger-rerun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const test = (key: string, p: number): LedgerTest => ({
  key, family: 'f', params: '{}', group: 'g', condition: 'all', action: 'with', horizon: 4, n: 40, days: 30, meanBps: 5, sdBps: 20, seBps: 2.5, t: 2, df: 29, p,
});
const TESTS = [test('f{}|g[X:15m]|all|with|h4', 0.01), test('f{}|g[X:15m]|all|against|h4', 0.99), test('f{}|g[X:15m]|all|with|h16', 0.2)];
const RUN: LedgerRun = { ledger: 'L', command: 'discover f --horizons 4,16 --q 0.1', seed: 42, configDigest: 'c0', dataDigests: '{"X:15m":"d0"}', qLevel: 0.1 };

const size = async (db: string, ledger = 'L'): Promise<number> => (await ledgerSizes(db)).find((l) => l.ledger === ledger)?.tests ?? 0;

describe('recordTests: an identical re-run is not a new test', () => {
  it('same run id (a content digest), nothing appended, the same p-values and offset read back', async () => {
    const db = join(dir, 'same.duckdb');
    const first = await recordTests(db, RUN, TESTS);
    expect(first.runId).toMatch(/^disc-[0-9a-f]{16}$/);
    expect(first.reused).toBe(false);
    expect(Array.from(first.ledgerP)).toEqual([0.01, 0.99, 0.2]);
    expect(first.offset).toBe(0);
    const again = await recordTests(db, RUN, TESTS);
    expect(again.reused).toBe(true);
    expect(again.runId).toBe(first.runId);
    expect(again.firstSeq).toBe(first.firstSeq);
    expect(again.offset).toBe(first.offset);
    expect(Array.from(again.ledgerP)).toEqual(Array.from(first.ledgerP));
    expect(again.ledgerKeys).toEqual(first.ledgerKeys);
    expect(await size(db)).toBe(3);
  });

  it('other bars (data digest), other settings, another seed or other statistics: new runs, the ledger grows', async () => {
    const db = join(dir, 'grow.duckdb');
    const a = await recordTests(db, RUN, TESTS);
    const variants: [string, LedgerRun, readonly LedgerTest[]][] = [
      ['new bars', { ...RUN, dataDigests: '{"X:15m":"d1"}' }, TESTS],
      ['other --q', { ...RUN, command: 'discover f --horizons 4,16 --q 0.05', qLevel: 0.05 }, TESTS],
      ['other seed', { ...RUN, seed: 7 }, TESTS],
      ['other config', { ...RUN, configDigest: 'c1' }, TESTS],
      ['other p', RUN, [TESTS[0]!, TESTS[1]!, test('f{}|g[X:15m]|all|with|h16', 0.3)]],
    ];
    const ids = new Set([a.runId]);
    for (const [k, [name, run, tests]] of variants.entries()) {
      const r = await recordTests(db, run, tests);
      expect(r.reused, name).toBe(false);
      ids.add(r.runId);
      // each new run sees every earlier test: 3 per run so far, and its own 3 after them
      expect(r.ledgerP.length, name).toBe(3 * (k + 2));
      expect(r.offset, name).toBe(3 * (k + 1));
    }
    expect(ids.size).toBe(variants.length + 1);
    expect(await size(db)).toBe(3 * (variants.length + 1));
  });

  it('A, then B, then A again: A is read back as it stood after its first run; the ledger keeps B', async () => {
    const db = join(dir, 'aba.duckdb');
    const a = await recordTests(db, RUN, TESTS);
    const b = await recordTests(db, { ...RUN, dataDigests: '{"X:15m":"d1"}' }, [test('f{}|g[X:15m]|all|with|h4', 0.04)]);
    expect(b.ledgerP.length).toBe(4);
    const again = await recordTests(db, RUN, TESTS);
    expect(again.reused).toBe(true);
    expect(again.runId).toBe(a.runId);
    expect(Array.from(again.ledgerP)).toEqual([0.01, 0.99, 0.2]);
    expect(again.ledgerSizeNow).toBe(4);
    expect(await size(db)).toBe(4);
  });

  it('a run in another ledger is another run, even with the same tests', async () => {
    const db = join(dir, 'ledgers.duckdb');
    const a = await recordTests(db, RUN, TESTS);
    const other = await recordTests(db, { ...RUN, ledger: 'M' }, TESTS);
    expect(other.runId).not.toBe(a.runId);
    expect(other.reused).toBe(false);
    expect(other.ledgerP.length).toBe(3);
    expect([await size(db, 'L'), await size(db, 'M')]).toEqual([3, 3]);
  });
});

describe('storeCandidates: a run’s candidates are stored once', () => {
  const row = (runId: string, key: number): CandidateRow => ({
    run_id: runId, ledger: 'L', test_seq: key, family: 'f', params: '{}', grp: 'g', datasets: 'X:15m', condition: 'all', action: 'with', horizon: 4,
    baseline: 'unconditional', n: 40, days: 30, mean_bps: 5, sd_bps: 20, se_bps: 2.5, hit_rate: 0.55, t: 2, df: 29, p: 0.01, bh_rank: 1, ledger_size: 3,
    q: 0.03, q_level: 0.1, ci_lo_bps: 1, ci_hi_bps: 9, cost_bps: 0.4, expectancy_bps: 4.6, stability: 0.8, probe_perturbation: 'pass: x',
    probe_time_split: 'pass: x', probe_double_costs: 'pass: x', probe_placebo: 'pass: x', stands: true,
  });

  it('storing the same run’s candidates again returns their ids and adds nothing; another run numbers on', async () => {
    const db = join(dir, 'cands.duckdb');
    const first = await storeCandidates(db, [row('disc-a', 1), row('disc-a', 2)]);
    expect(first).toEqual(['E1', 'E2']);
    expect(await storeCandidates(db, [row('disc-a', 1), row('disc-a', 2)])).toEqual(['E1', 'E2']);
    expect(await storeCandidates(db, [row('disc-b', 5)])).toEqual(['E3']);
    expect((await listCandidates(db)).map((c) => `${c.id} ${c.run_id}`)).toEqual(['E1 disc-a', 'E2 disc-a', 'E3 disc-b']);
  });
});
