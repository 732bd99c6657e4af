/**
 * Returning walked DuckDB result chunks to the allocator while a large result is still being read.
 *
 * `duckdb.result_get_chunk` copies each 2048-row chunk of a materialised result into freshly
 * allocated native memory that the bindings free only in the chunk's finalizer. V8 does not see that
 * memory (it is not reported as external), so during a synchronous walk no collection runs: a
 * 10-million-row, 6-column read keeps ~480 MB of dead chunks alive and page-faults new memory for
 * every chunk. Every `RELEASE_EVERY` chunks the walk asks for a young-generation collection (cheap:
 * the walk's garbage is a few small wrappers) and yields one turn of the event loop, where Node runs
 * the deferred finalizers; the next chunks then reuse the freed memory. Measured in
 * bench/ingest.bench.ts (walk ≈ 1.4 s → ≈ 0.8 s under load; peak RSS −1.2 GB).
 *
 * The collection function comes from V8's `--expose-gc` flag set at run time; when that is refused
 * the walk only yields (correct, just slower). Results never depend on it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Chunks between releases. */
export const RELEASE_EVERY = 16;

type MinorGc = (opts: { type: 'minor' }) => void;
let collect: MinorGc | null | undefined;

function collector(): MinorGc | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('gc');
      collect = typeof fn === 'function' ? (fn as MinorGc) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Let the chunks walked so far be freed: a minor collection, then one event-loop turn. */
export async function releaseChunks(): Promise<void> {
  collector()?.({ type: 'minor' });
  await new Promise<void>((resolve) => setImmediate(resolve));
}
