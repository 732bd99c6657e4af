/**
 * The trial worker pool (piscina): each task is a chunk of trial specs evaluated in one worker
 * thread (trial-worker.ts). The datasets are copied once into SharedArrayBuffers (once per
 * dataset and thread, `sharedDataset`), so every task hands them to its worker without copying
 * the columns again. `runTrials` runs on a persistent pool kept from sweep to sweep.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Piscina } from 'piscina';
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { intervalMs } from '../core/time.js';
import { closeTimes } from '../backtest/fast-path-result.js';
import { barsPassChecks } from '../backtest/engine-data.js';
import { calendarOfClasses, dailyCloseRows, type CloseRows } from '../backtest/metrics/index.js';
import { columnFacts, type ColumnFacts } from './shared-sma.js';
import type { TrialOutcome, TrialSpec } from './trial.js';

/** The compiled worker (tests run from src/ and use the build, as the job workers do). */
export function trialWorkerFile(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const compiled = here.includes('/dist/') ? resolve(here, 'trial-worker.js') : resolve(here, '../../dist/src/optimize/trial-worker.js');
  if (!existsSync(compiled)) throw new Error(`the trial worker is not built (${compiled}); run npm run build`);
  return compiled;
}

/**
 * Shared copies of the datasets, by name and digest, for every pool of this thread: a session's data
 * is copied into shared memory once, not once per sweep (a fresh 48 MB copy of 1M bars costs
 * several hundred milliseconds of page faults on a small VM). The SHARED_COPIES most recently used
 * are kept.
 */
const sharedCopies = new Map<string, SharedDataset>();
const SHARED_COPIES = 8;

/**
 * A dataset in shared memory, with the close times of its bars (ts + its interval: fast-path-result.ts
 * `closeTimes`, the engine's clock of a single-symbol run on this data) computed once, in shared
 * memory too: every worker's sweep setup (sma-sweep.ts) takes them instead of writing a fresh
 * 8 MB array of its own per 1M bars (30–50 ms of page faults on this machine, in every worker's
 * first sweep on the data). Absent where the bars carry their own close times (close_ts).
 */
export type SharedDataset = Dataset & {
  readonly closeTimes?: { readonly offset: number; readonly times: Float64Array };
  /**
   * The day-close rows of all of those close times on the calendar of the dataset's asset class
   * (metrics/annualisation.ts `dailyCloseRows`: the steps whose NAV the daily returns sample), in
   * shared memory: a sweep over the whole data on that calendar takes them (sma-sweep.ts) instead
   * of each worker finding them in its first sweep setup (≈ 2 ms per 1M one-minute bars).
   */
  readonly dayCloses?: { readonly calendar: '24/7' | 'equity'; readonly rows: CloseRows };
  /**
   * The close column's positivity and block extremes (shared-sma.ts `columnFacts`), found once here
   * for every worker, the extremes in shared memory: each worker's first sweep setup on the data then skips
   * its own pass over the closes.
   */
  readonly closeFacts?: ColumnFacts;
  /**
   * The bars passed the engine's checks of a backtest's data (engine-data.ts `barsPassChecks`:
   * timestamps strictly ascending, prices finite and positive), run once here over the shared
   * columns: each worker then takes them as checked (trial-worker.ts) instead of a pass of its own
   * over 1M bars in its first sweep setup on the data (≈ 6 ms a worker on this machine).
   */
  readonly barsChecked?: boolean;
};

/** `ds` with its Float64 columns in shared memory (same values) and its close times, copied once per name and digest. */
export function sharedDataset(ds: Dataset): SharedDataset {
  const key = `${ds.name}\u0000${ds.digest}`;
  let copy = sharedCopies.get(key);
  if (copy) sharedCopies.delete(key);
  else {
    const columns: Record<string, unknown> = {};
    for (const [k, col] of Object.entries(ds.table.columns)) {
      if (col instanceof Float64Array && !(col.buffer instanceof SharedArrayBuffer)) {
        const shared = new Float64Array(new SharedArrayBuffer(col.byteLength));
        shared.set(col);
        columns[k] = shared;
      } else columns[k] = col;
    }
    const ts = ds.table.columns['ts'];
    const own = ds.kind === 'bars' && ds.interval !== undefined && ts instanceof Float64Array && !('close_ts' in ds.table.columns);
    const close = columns['close'];
    const times = own ? sharedCloseTimes(ts, intervalMs(ds.interval!)) : undefined;
    const calendar = ds.assetClass !== undefined ? calendarOfClasses([ds.assetClass]) : undefined;
    copy = {
      ...ds, table: { ...ds.table, columns } as Dataset['table'],
      ...(times ? { closeTimes: times } : {}),
      ...(times && calendar ? { dayCloses: { calendar, rows: sharedRows(dailyCloseRows(times.times, calendar)) } } : {}),
      ...(close instanceof Float64Array ? { closeFacts: sharedColumnFacts(close) } : {}),
      ...(ds.kind === 'bars' && barsPassChecks(columns, ds.table.length) ? { barsChecked: true } : {}),
    };
    if (sharedCopies.size >= SHARED_COPIES) sharedCopies.delete(sharedCopies.keys().next().value!);
  }
  sharedCopies.set(key, copy);
  return copy;
}

/** columnFacts(close) with the block extremes in shared memory. */
const sharedColumnFacts = (close: Float64Array): ColumnFacts => columnFacts(close, (length) => new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)));

/** Day-close rows in shared memory. */
function sharedRows(rows: CloseRows): CloseRows {
  const ts = new Float64Array(new SharedArrayBuffer(rows.ts.byteLength));
  const at = new Int32Array(new SharedArrayBuffer(rows.rows.byteLength));
  ts.set(rows.ts);
  at.set(rows.rows);
  return { ts, rows: at };
}

/** closeTimes(ts, offset) in shared memory. */
function sharedCloseTimes(ts: Float64Array, offset: number): { offset: number; times: Float64Array } {
  const times = new Float64Array(new SharedArrayBuffer(ts.byteLength));
  times.set(closeTimes(ts, offset));
  return { offset, times };
}

export interface TrialTask {
  readonly datasets: readonly Dataset[];
  readonly specs: readonly TrialSpec[];
  /** Only prepare what evaluating these specs needs (trial.ts `prepareTrials`); no outcomes. */
  readonly prepare?: boolean;
}

/**
 * The long-lived pools of this thread, by thread count (`TrialPool` with `persistent`): started by
 * the first sweep and kept for the next ones, so a sweep does not pay the threads' start-up and
 * module loading again (seconds on a loaded 2-core machine), and each worker keeps its sweep setups
 * and buffers. Idle workers do not keep the process alive (piscina unrefs them).
 */
const persistentPools = new Map<number, Piscina>();

const newPiscina = (threads: number): Piscina => new Piscina({ filename: trialWorkerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });

export class TrialPool {
  private readonly pool: Piscina;
  private readonly datasets: readonly Dataset[];
  private readonly owned: boolean;
  /** Worker threads. */
  readonly threads: number;

  /**
   * @param opts.persistent run on this thread's long-lived pool of `threads` workers (closing this
   *   TrialPool then leaves it running); else a pool of its own, ended by `close`
   */
  constructor(threads: number, datasets: readonly Dataset[], opts: { readonly persistent?: boolean } = {}) {
    this.datasets = datasets.map(sharedDataset);
    this.threads = threads;
    this.owned = !opts.persistent;
    if (this.owned) this.pool = newPiscina(threads);
    else {
      let pool = persistentPools.get(threads);
      if (!pool) persistentPools.set(threads, (pool = newPiscina(threads)));
      this.pool = pool;
    }
  }

  async run(specs: readonly TrialSpec[], signal?: AbortSignal): Promise<TrialOutcome[]> {
    const task: TrialTask = { datasets: this.datasets, specs };
    const answer = (await this.pool.run(task, signal ? { signal } : {})) as { outcomes: TrialOutcome[] } | { userError: string };
    // the worker's UserError message already names where
    if ('userError' in answer) throw new UserError(answer.userError);
    return answer.outcomes;
  }

  /**
   * Has every worker of the pool (one task per thread; an idle pool gives each its own) prepare what
   * evaluating `spec` needs (trial.ts `prepareTrials`: the sweep setup of its plan on this data, kept
   * by the worker), while this thread goes on planning the sweep's other points: the workers' first
   * chunk then finds its setup made. Fire and forget: a failure here is left to the evaluation to
   * report, and nothing it does changes a result.
   */
  prepare(spec: TrialSpec, threads: number): void {
    const task: TrialTask = { datasets: this.datasets, specs: [spec], prepare: true };
    for (let i = 0; i < threads; i++) this.pool.run(task).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.owned ? this.pool.destroy() : Promise.resolve();
  }
}
