/**
 * Starting and resuming a live paper session (`paper start MODEL --live`, `paper resume-from ID` of
 * a live session; docs/paper.md "Live feed"). A new session fixes its history window (the last
 * bars of the session's data), polls the feed once — refusing to start, with the feed's own words,
 * when it answers nothing — and starts trading at the close of the latest bar every symbol has:
 * the bars before it are warm-up. A resumed session rebuilds the same data from spec.json and its
 * stored feed bars, then catches up with the bars that closed while it was stopped.
 */
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import type { Scheduler } from '../engine/clock.js';
import { paperPaths } from './files.js';
import { PaperLoop } from './loop.js';
import { checkFeed, networkBarSource } from './feed-source.js';
import { LiveData, liveHistoryWindow, LIVE_HISTORY_BARS, type LiveWindow } from './live-source.js';
import type { BarSource, LiveFeedOptions } from './live-feed.js';
import { planOf, type PaperSpec } from './spec.js';

export interface LiveStartOptions {
  readonly dataRoot: string;
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly time: Scheduler;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Bars of history kept for warm-up (default LIVE_HISTORY_BARS). */
  readonly historyBars?: number;
  /** Tests: a source other than the venue's client, feed timings, an end time. */
  readonly source?: BarSource;
  readonly feedOptions?: LiveFeedOptions & { readonly endAt?: number };
}

export interface LiveSession {
  readonly loop: PaperLoop;
  readonly live: LiveData;
}

/** The feed a spec names, through the network clients (unless a test passes its own source). */
function sourceOf(spec: PaperSpec & { live: LiveWindow }, o: LiveStartOptions): BarSource {
  return o.source ?? networkBarSource({
    feed: checkFeed(spec.live.feed), interval: spec.interval ?? planOf(spec).interval, feedUrl: spec.live.feedUrl,
    config: spec.config, time: o.time, env: o.env, ...(o.signal ? { signal: o.signal } : {}),
  });
}

/** A new live session: history window, the first poll, spec.json, the loop (not yet run). */
export async function startLiveSession(base: PaperSpec, feed: string, feedUrl: string | null, o: LiveStartOptions): Promise<LiveSession> {
  const paths = paperPaths(o.dataRoot, base.id);
  if (existsSync(paths.spec)) throw new UserError(`paper session '${base.id}' exists already; \`paper resume-from ${base.id}\` continues it`, 'paper start');
  const window: LiveWindow = { feed: checkFeed(feed), feedUrl, history: liveHistoryWindow(base, o.datasets, o.historyBars ?? LIVE_HISTORY_BARS) };
  const draft = { ...base, mode: 'live' as const, speed: null, from: null, to: null, live: window };
  mkdirSync(paths.dir, { recursive: true });
  try {
    const live = new LiveData(draft, o.datasets, paths.dir, sourceOf(draft, o), o.time, o.feedOptions);
    await live.feed.pollNow();
    const events = live.drainEvents();
    const failed = events.find((e) => e.kind === 'feed');
    if (failed) throw new UserError(`the live feed did not answer: ${failed.message}`, '--feed');
    const spec: PaperSpec = { ...draft, from: live.firstDecision() };
    const loop = PaperLoop.create(spec, o.dataRoot, live.datasets());
    for (const e of events) loop.error(e.kind, e.message);
    return { loop, live };
  } catch (err) {
    if (!existsSync(paths.spec)) rmSync(paths.dir, { recursive: true, force: true }); // nothing started: leave no half session
    throw err;
  }
}

/** A stopped live session rebuilt from spec.json and feed.jsonl. */
export function openLiveSession(spec: PaperSpec, o: LiveStartOptions): LiveSession {
  if (spec.live === undefined) throw new UserError(`paper session '${spec.id}' is a replay, not a live session`, 'paper resume-from');
  const withLive = spec as PaperSpec & { live: LiveWindow };
  const live = new LiveData(withLive, o.datasets, paperPaths(o.dataRoot, spec.id).dir, sourceOf(withLive, o), o.time, o.feedOptions);
  const loop = PaperLoop.open(o.dataRoot, spec.id, live.datasets());
  return { loop, live };
}
