/**
 * Run ids for Tab completion (`runs show`, `runs export`, `runs diff`, `report`, `runs --since`),
 * read from the results database in the background so Tab never waits on DuckDB: `ids()` answers
 * at once from the last read and starts a new read when the cache is stale; `onLoaded` tells the
 * prompt when fresh ids arrive (it completes again if the line has not changed). The first read
 * loads DuckDB, so the cache stays empty until someone completes a run id or a run is stored.
 */
export type RunIdReader = () => Promise<readonly string[]>;

export class RunIdCache {
  private current: readonly string[] = [];
  private stale = true;
  private loading: Promise<void> | undefined;
  private again = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly read: RunIdReader) {}

  /** The ids known now, newest first; starts a background read when stale. Never waits. */
  ids(): readonly string[] {
    if (this.stale) void this.refresh();
    return this.current;
  }

  /** Has a read ever finished? (Before that, Tab offers no run ids rather than only 'last'.) */
  get loaded(): boolean {
    return this.loadedOnce;
  }
  private loadedOnce = false;

  /** Mark stale (a run may have been stored) and read again in the background if anyone has asked. */
  invalidate(): void {
    this.stale = true;
    if (this.loadedOnce || this.loading) void this.refresh();
  }

  /** Call `fn` whenever a read brings ids. */
  onLoaded(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One read at a time; a request during a read runs one more read after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.stale = false;
    this.loading = (async () => {
      try {
        this.current = await this.read();
        this.loadedOnce = true;
        for (const fn of this.listeners) fn();
      } catch {
        // No database yet, or another process holds it: keep what we had, try again next time.
        this.stale = true;
      } finally {
        this.loading = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      }
    })();
    return this.loading;
  }
}

/** Read run ids (newest first) from the results database at `path`, without waiting for a held file. */
export function storeRunIdReader(path: () => string): RunIdReader {
  return async () => {
    const { withResultsDb } = await import('../store/db.js');
    return withResultsDb(
      path(),
      async (conn) => {
        const has = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'runs'`);
        if (Number(has.getRowObjectsJS()[0]!['n']) === 0) return [];
        const r = await conn.runAndReadAll('SELECT id FROM runs ORDER BY seq DESC');
        return r.getRowObjectsJS().map((row) => String(row['id']));
      },
      { create: false, maxWaitMs: 0, attempts: 1 },
    );
  };
}
