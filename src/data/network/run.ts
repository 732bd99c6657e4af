/**
 * What the `ingest <network source>` commands run: parse the user's flags, open the source and
 * the lake, run the incremental ingest, put the `raw:` dataset in the session, and describe what
 * happened (rows, what was fetched vs already held, requests, retries and waits) as result blocks.
 * The session and lake are touched only on success: an error leaves both as they were.
 */
import { UserError } from '../../core/errors.js';
import { metrics, ok, table, text, type Block, type CommandResult } from '../../core/result.js';
import type { Dataset } from '../../core/table.js';
import { isoUtc, parseInterval, parseUtc, shortUtc, type Interval } from '../../core/time.js';
import type { EdgelabConfig } from '../../config/schema.js';
// layout.js only (no DuckDB): the lake's DuckDB bridge is imported when a download runs, not when
// the shell loads its commands.
import { lakeDir } from '../lake/layout.js';
import { oiPeriod } from './ccxt-source.js';
import { ingestNetwork, type NetworkIngestResult } from './ingest.js';
import type { RawStore } from './raw-store.js';
import { createNetworkSource, timerSleep } from './sources.js';
import type { NetworkDeps, NetworkSource, NetworkSourceId, NetworkWhat } from './types.js';

/** What the commands need from a session (a Session satisfies it). */
export interface NetworkHost {
  readonly config: EdgelabConfig;
  projectPath(p: string): string;
  addDataset(ds: Dataset): void;
}

export interface NetworkIngestArgs {
  readonly source: NetworkSourceId;
  readonly symbol: string;
  readonly what: NetworkWhat;
  /** Bar interval, or the open-interest period for --what oi. */
  readonly interval?: string;
  readonly start?: string;
  readonly end?: string;
}

/** Ambient inputs the command supplies: the wall clock, environment, Ctrl+C and progress. */
export interface NetworkRuntime {
  now(): number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  progress?(label: string, fraction?: number): void;
  log?(message: string): void;
  /** Replaces the timer sleep (tests). */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

const OI_PERIODS = ['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'];

export async function runNetworkIngest(
  host: NetworkHost,
  args: NetworkIngestArgs,
  rt: NetworkRuntime,
  opts: { store?: RawStore; source?: NetworkSource } = {},
): Promise<CommandResult> {
  const deps: NetworkDeps = {
    now: rt.now,
    sleep: rt.sleep ?? timerSleep,
    env: rt.env,
    ...(rt.signal ? { signal: rt.signal } : {}),
    ...(rt.log ? { log: rt.log } : {}),
    ...(rt.progress ? { progress: rt.progress } : {}),
  };
  let interval: Interval | undefined;
  let period: string | undefined;
  if (args.what === 'ohlcv') interval = parseInterval(args.interval ?? (isEquity(args.source) ? '1d' : '15m'));
  if (args.what === 'oi') {
    if (args.interval !== undefined && !OI_PERIODS.includes(args.interval)) {
      throw new UserError(`open interest comes in periods ${OI_PERIODS.join(', ')}, not '${args.interval}'`, '--interval');
    }
    period = oiPeriod(args.interval, host.config.network.binanceusdm.oi_period);
  }
  const start = args.start !== undefined ? parseUtc(args.start) : undefined;
  const end = args.end !== undefined ? parseUtc(args.end) : undefined;

  const store = opts.store ?? new (await import('./raw-store.js')).LakeRawStore(lakeDir(host));
  const source = opts.source ?? createNetworkSource(args.source, host.config.network, deps);
  try {
    const result = await ingestNetwork(
      source,
      store,
      {
        symbol: args.symbol,
        what: args.what,
        ...(interval ? { interval } : {}),
        ...(period ? { period } : {}),
        ...(start !== undefined ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
      },
      deps,
    );
    if (result.dataset) host.addDataset(result.dataset);
    return describe(args.source, result);
  } finally {
    await source.close();
  }
}

const isEquity = (s: NetworkSourceId): boolean => s === 'yahoo' || s === 'alpaca';

function describe(sourceId: NetworkSourceId, r: NetworkIngestResult): CommandResult {
  const title = `ingest ${sourceId}`;
  const fetchedRows = r.fetched.reduce((s, f) => s + f.rows, 0);
  const waited = r.stats.retries.reduce((s, e) => s + e.waitMs, 0);
  const partition = `${r.key.source}/${r.key.symbol}/${r.key.interval}`;
  const blocks: Block[] = [];
  let summary: string;
  if (r.dataset) {
    const ds = r.dataset;
    const ts = ds.table.columns['ts'] as Float64Array;
    const daily = ds.interval === '1d' || r.key.interval === 'series' || ds.interval === '1w' || ds.interval === '1M';
    const span = `${shortUtc(ts[0]!, daily)} → ${shortUtc(ts[ts.length - 1]!, daily)}`;
    const got = r.fetched.length === 0 ? 'all from the lake, nothing to download' : `${fetchedRows} new rows downloaded`;
    summary = `${ds.name} · ${ds.table.length} rows ${span} · ${got}`;
    blocks.push(text(summary));
  } else {
    summary = `no ${r.symbol.name} rows between ${isoUtc(r.window.from)} and ${isoUtc(r.window.to)}; nothing stored, no dataset added`;
    blocks.push(text(summary, 'warn'));
  }
  for (const note of r.stats.notes) blocks.push(text(note, 'info'));
  if (r.fetched.length > 0) {
    blocks.push(
      table(
        ['range', 'from', 'to', 'rows', 'segments'],
        r.fetched.map((f) => [f.side, isoUtc(f.from), isoUtc(f.to), f.rows, f.segments]),
        `asked ${sourceId} for; stored in raw ${partition}`,
      ),
    );
  }
  blocks.push(
    metrics(
      [
        { name: 'requests', value: r.stats.requests, unit: 'count' },
        { name: 'pages', value: r.stats.pages, unit: 'count' },
        { name: 'retries', value: r.stats.retries.length, unit: 'count' },
        { name: 'waited', value: waited, unit: 'ms' },
        { name: 'lake rows before', value: r.before?.rows ?? 0, unit: 'count' },
        { name: 'lake rows after', value: r.after?.rows ?? 0, unit: 'count' },
      ],
      sourceId,
    ),
  );
  return ok(title, blocks, summary);
}

/** The parts of a command's `io` the network ingest uses (structural: the engine does not import the shell). */
export interface IoLike {
  readonly signal: AbortSignal;
  progress(update: { readonly label: string; readonly fraction?: number }): void;
  log(message: string): void;
}

/** A NetworkRuntime from a command's io, the wall clock and the environment the command passes in. */
export function runtimeFromIo(io: IoLike, now: () => number, env: Readonly<Record<string, string | undefined>>): NetworkRuntime {
  return {
    now,
    env,
    signal: io.signal,
    progress: (label, fraction) => io.progress(fraction === undefined ? { label } : { label, fraction }),
    log: (message) => io.log(message),
  };
}
