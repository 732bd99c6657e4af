/**
 * Tab completes run ids (runs show/export/diff, report, runs --since) from a cache of the results
 * store: the cache answers at once while a read is pending (Tab never waits on DuckDB), reads once
 * for many requests, keeps its ids when a read fails, and reads again after invalidate(). The store
 * reader is checked against a real database holding two stored runs.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete } from '../../src/shell/complete.js';
import { RunIdCache, storeRunIdReader } from '../../src/shell/run-id-cache.js';
import { createShell } from '../../src/shell/runtime.js';
import { listRuns } from '../../src/store/read-runs.js';
import { resultsDbPath } from '../../src/store/path.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('run id cache', () => {
  it('answers at once while reading, reads once for many asks, keeps ids on failure, re-reads when invalidated', async () => {
    const reads: ReturnType<typeof deferred<readonly string[]>>[] = [];
    const cache = new RunIdCache(() => {
      const d = deferred<readonly string[]>();
      reads.push(d);
      return d.promise;
    });
    expect(cache.ids()).toEqual([]);
    expect(cache.ids()).toEqual([]);
    expect(cache.loaded).toBe(false);
    expect(reads).toHaveLength(1);
    let told = 0;
    cache.onLoaded(() => told++);
    reads[0]!.resolve(['bt-bbbb', 'bt-aaaa']);
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.loaded).toBe(true);
    expect(told).toBe(1);
    expect(cache.ids()).toEqual(['bt-bbbb', 'bt-aaaa']);
    expect(reads).toHaveLength(1); // not stale: no new read
    cache.invalidate();
    expect(reads).toHaveLength(2);
    reads[1]!.reject(new Error('database held by another process'));
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.ids()).toEqual(['bt-bbbb', 'bt-aaaa']);
  });

  it('complete offers last and the known ids in run slots, nothing while the first read runs', async () => {
    const { dispatcher } = await createShell({ seed: 42 });
    const at = (line: string, ids: readonly string[] | undefined) => complete(dispatcher.registry, dispatcher.session, line, { runIds: () => ids }).candidates;
    const ids = ['bt-1a2b3c', 'bt-1a9f00', 'bt-77aa00'];
    expect(at('runs show ', ids)).toEqual(['bt-1a2b3c', 'bt-1a9f00', 'bt-77aa00', 'last']);
    expect(at('runs show bt-1a', ids)).toEqual(['bt-1a2b3c', 'bt-1a9f00']);
    expect(at('runs export bt-7', ids)).toEqual(['bt-77aa00']);
    expect(at('runs diff bt-1a2b3c bt-7', ids)).toEqual(['bt-77aa00']);
    expect(at('report l', ids)).toEqual(['last']);
    expect(at('runs --since bt-1a2', ids)).toEqual(['bt-1a2b3c']);
    expect(at('runs show ', undefined)).toEqual([]);
  });

  it('reads the ids of a real results database, newest first', { timeout: 180_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'edgelab-runids-'));
    const { dispatcher, session } = await createShell({ seed: 42, dataRoot: root, cwd: root });
    await dispatcher.execute('ingest synthetic --symbols SPY --years 2');
    expect((await dispatcher.execute('backtest sma_cross --symbol SPY --interval 1d --skip-probes')).result.status).toBe('ok');
    expect((await dispatcher.execute('backtest sma_cross --symbol SPY --interval 1d --skip-probes --params fast=5')).result.status).toBe('ok');
    const path = resultsDbPath(session);
    const stored = await listRuns(path);
    expect(stored).toHaveLength(2);
    const read = await storeRunIdReader(() => path)();
    expect(read).toEqual(stored.map((r) => r.id).reverse());
    // no database yet: the reader fails, which the cache treats as "nothing known"
    await expect(storeRunIdReader(() => join(root, 'none.duckdb'))()).rejects.toThrow();
  });
});
