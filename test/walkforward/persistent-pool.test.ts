/**
 * Walk-forward's trials run on the thread's persistent trial pool (src/optimize/pool.ts): two
 * `walkforward` commands in a row on the same data (trials neither read back nor stored, so every
 * fold's sweep really runs on the pool) start one piscina pool between them, not one each, and the
 * second runs on the very same worker threads (same thread ids, still alive after the first
 * walk-forward closed its evaluator), which keep their per-dataset setups. The results are
 * identical: both runs' result blocks are the same as a run in the job thread (`--workers 0`).
 *
 * piscina is wrapped to count the pools constructed and keep them; nothing else about it changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const pools = vi.hoisted(() => ({ created: [] as { threads: readonly { threadId: number }[] }[] }));
vi.mock('piscina', async (importOriginal) => {
  const original = await importOriginal<typeof import('piscina')>();
  class CountedPiscina extends original.Piscina {
    constructor(...args: ConstructorParameters<typeof original.Piscina>) {
      super(...args);
      pools.created.push(this as unknown as { threads: readonly { threadId: number }[] });
    }
  }
  return { ...original, Piscina: CountedPiscina, default: CountedPiscina };
});

const { canonicalJson } = await import('../../src/core/canonical.js');
const { Session } = await import('../../src/shell/session.js');
const { createShell } = await import('../../src/shell/runtime.js');
const { default: cmd } = await import('../../commands/walkforward.js');
type Dataset = import('../../src/core/table.js').Dataset;
type CommandIO = import('../../src/shell/command.js').CommandIO;

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-wf-pool-'));
let data: Dataset[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const shell = await createShell({ root, cwd: dir });
  const out = await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2012-01-01');
  expect(out.result.status).toBe('ok');
  data = [...shell.session.datasets.values()];
}, 120_000);

const io = (): CommandIO => ({ signal: new AbortController().signal, progress: () => undefined, log: () => undefined, execute: () => Promise.reject(new Error('not used')) });

async function walk(workers: number): Promise<string> {
  const s = new Session({ root, cwd: dir });
  for (const d of data) s.addDataset(d);
  const r = await cmd.run(s, cmd.schema.parse({ grid: 'fast=5..20:5,slow=40..120:40', train: '3y', test: '1y', workers, noStore: true }), io());
  expect(r.status).toBe('ok');
  // The result without its timing-dependent text (none is expected, but only the numbers matter here).
  return canonicalJson(r.blocks.filter((b) => b.kind !== 'text'));
}

const liveThreadIds = (pool: { threads: readonly { threadId: number }[] }): number[] => pool.threads.map((t) => t.threadId).filter((id) => id > 0).sort((a, b) => a - b);

describe('walk-forward on the persistent trial pool', () => {
  it('a second walk-forward reuses the first one\'s pool and worker threads; results identical', async () => {
    const before = pools.created.length;
    const first = await walk(2);
    const afterFirst = pools.created.length;
    expect(afterFirst - before).toBe(1); // this thread's trial pool of 2 (no sweep ran before in this file)
    const pool = pools.created[pools.created.length - 1]!;
    const threadsAfterFirst = liveThreadIds(pool);
    expect(threadsAfterFirst.length).toBe(2); // the evaluator closed, the pool's workers are still there

    const second = await walk(2);
    expect(pools.created.length).toBe(afterFirst); // no new pool
    expect(liveThreadIds(pool)).toEqual(threadsAfterFirst); // the same worker threads

    const inThread = await walk(0);
    expect(pools.created.length).toBe(afterFirst);
    expect(first).toBe(inThread);
    expect(second).toBe(inThread);
  }, 600_000);
});
