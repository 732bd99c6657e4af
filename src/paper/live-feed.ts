/**
 * The live feed of a paper session (docs/paper.md "Live feed"): it polls a venue's bars through the
 * ingest's network clients (src/data/network: ccxt for Binance / Binance USDⓈ-M / Kraken, Alpaca's
 * market-data bars), keeps only **closed** bars, and stores them in the session's `feed.jsonl`.
 * Reusing the ingest's clients means one copy of the venue code, its rate pacing and its retries
 * (429 with Retry-After, 5xx, timeouts) for downloads and the live loop alike.
 *
 * What a poll does, per symbol (bars are keyed by their open time `ts`; a bar closes at ts + step):
 *
 *   1. ask for every bar from one step after the last stored one up to now;
 *   2. point-in-time: drop every bar with ts + step > now — the bar still forming (Binance serves
 *      it, and its values change until it closes) is never stored or traded;
 *   3. duplicates: a bar at or before the last stored one, or repeated in the answer, is dropped
 *      (a stored bar is never overwritten: a revised one is reported, the stored one kept);
 *   4. gaps (bars on a fixed grid, crypto): a bar missing between two received ones is asked for
 *      again once; still missing, it is reported and the feed carries on without it (the clock
 *      skips it, as a backtest skips a missing bar).
 *
 * A failed poll (after the client's own retries) is reported and the next one waits longer:
 * 1 s, 2 s, 4 s … up to `maxBackoffMs`, back to normal after a success. Reports are events the
 * loop drains into its errors log (and so the dashboard's error count and last errors).
 *
 * The watermark is the close time up to which every symbol's bars are in: the Trader's data grows
 * only to it, so a step never misses a symbol's bar that simply arrived later than another's.
 * Wall time comes from the injected Scheduler only.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { messageOf } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { Scheduler } from '../engine/clock.js';
import type { NewBar } from '../engine/grow.js';

/** One closed bar from the feed: the engine's NewBar (open time ts, epoch ms UTC; closes at ts + step). */
export type FeedBar = NewBar;

/** Where bars come from: every bar the venue has with open time in [from, to), in any order. */
export interface BarSource {
  readonly name: string;
  /** Bars sit on a fixed UTC grid (crypto): a hole between two bars is a gap. */
  readonly regular: boolean;
  fetch(symbol: string, from: number, to: number): Promise<FeedBar[]>;
}

export interface FeedSymbol {
  readonly symbol: string;
  readonly step: number;
  /** Open time of the last bar the session already has (history or stored feed). */
  readonly lastTs: number;
}

export interface FeedEvent {
  readonly kind: 'feed' | 'feed_gap' | 'feed_duplicate';
  readonly message: string;
}

export interface FeedHealth {
  readonly source: string;
  /** Close time up to which every symbol's bars are in (epoch ms). */
  readonly watermark: number;
  readonly polls: number;
  readonly failures: number;
  readonly lastPollAt: number | null;
  readonly nextPollAt: number;
}

export interface LiveFeedOptions {
  /** Wait after a bar's close before asking for it (the venue publishes it a moment later). */
  readonly graceMs?: number;
  /** Bar not published yet at the poll after its close: ask again after this long. */
  readonly retryMs?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The first poll reaches back at most this many bars (a lake ending long ago is not backfilled from its end). */
  readonly maxBackfillBars?: number;
}

const sameBar = (a: FeedBar, b: FeedBar): boolean => a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;

/** The session's received bars, one JSON line each, appended and fsynced before they are traded. */
export class FeedStore {
  /** Told of every bar appended (after it is fsynced): the live data hands them to the loop (live-source.ts). */
  onAppend: ((bars: readonly FeedBar[]) => void) | null = null;

  constructor(readonly path: string) {}

  read(): FeedBar[] {
    if (!existsSync(this.path)) return [];
    const out: FeedBar[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as FeedBar);
      } catch {
        // a torn last line (killed while appending): its bar is fetched again
      }
    }
    return out;
  }

  append(bars: readonly FeedBar[]): void {
    if (bars.length === 0) return;
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, bars.map((b) => `${JSON.stringify(b)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.onAppend?.(bars);
  }
}

export class LiveFeed {
  private readonly last = new Map<string, number>();
  private readonly events: FeedEvent[] = [];
  private polls = 0;
  private failures = 0;
  private lastPollAt: number | null = null;
  private nextPollAt = -Infinity;
  private readonly o: Required<LiveFeedOptions>;

  constructor(
    private readonly source: BarSource,
    private readonly symbols: readonly FeedSymbol[],
    private readonly store: FeedStore,
    private readonly time: Scheduler,
    options: LiveFeedOptions = {},
  ) {
    this.o = { graceMs: 2_000, retryMs: 5_000, baseBackoffMs: 1_000, maxBackoffMs: 60_000, maxBackfillBars: 1_000, ...options };
    for (const s of symbols) this.last.set(s.symbol, s.lastTs);
  }

  /** Close time up to which every symbol's bars are in. */
  get watermark(): number {
    let w = Infinity;
    for (const s of this.symbols) w = Math.min(w, this.last.get(s.symbol)! + s.step);
    return w;
  }

  drainEvents(): FeedEvent[] {
    return this.events.splice(0, this.events.length);
  }

  health(): FeedHealth {
    return { source: this.source.name, watermark: this.watermark, polls: this.polls, failures: this.failures, lastPollAt: this.lastPollAt, nextPollAt: this.nextPollAt };
  }

  /**
   * Poll when one is due (else wait, at most `maxWaitMs`). Returns true when the watermark moved
   * (new closed bars of every symbol are stored).
   */
  async next(maxWaitMs: number): Promise<boolean> {
    const now = this.time.now();
    if (now < this.nextPollAt) {
      await this.time.sleep(Math.min(maxWaitMs, this.nextPollAt - now));
      if (this.time.now() < this.nextPollAt) return false;
    }
    return this.pollNow();
  }

  /** One poll now (also the start's first poll; throws nothing: failures become events). */
  async pollNow(): Promise<boolean> {
    const now = this.time.now();
    const before = this.watermark;
    this.polls++;
    this.lastPollAt = now;
    try {
      for (const s of this.symbols) await this.pollSymbol(s, now);
    } catch (err) {
      this.failures++;
      const wait = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** Math.min(30, this.failures - 1));
      this.nextPollAt = now + wait;
      this.events.push({ kind: 'feed', message: `feed ${this.source.name}: ${messageOf(err)}; next try in ${(wait / 1000).toFixed(0)} s (failure ${this.failures} in a row)` });
      return this.watermark > before;
    }
    this.failures = 0;
    const step = Math.min(...this.symbols.map((s) => s.step));
    const latestClose = Math.floor(now / step) * step;
    // every bar closed by now is in: wait for the next close; else the venue is late: ask again soon
    this.nextPollAt = this.watermark >= latestClose ? latestClose + step + this.o.graceMs : now + Math.min(this.o.retryMs, step);
    return this.watermark > before;
  }

  private async pollSymbol(s: FeedSymbol, now: number): Promise<void> {
    const lastTs = this.last.get(s.symbol)!;
    const closedUpTo = Math.floor(now / s.step) * s.step; // bars opening before this have closed by now (regular grid)
    let from = lastTs + s.step;
    const earliest = closedUpTo - this.o.maxBackfillBars * s.step;
    if (from < earliest) {
      this.events.push({ kind: 'feed_gap', message: `feed ${this.source.name} ${s.symbol}: the data ends at ${isoUtc(lastTs + s.step)}; the feed starts ${this.o.maxBackfillBars} bars back, at ${isoUtc(earliest)}` });
      from = earliest;
    }
    if (from + s.step > now) return;
    const fresh = this.accept(s, await this.source.fetch(s.symbol, from, now + 1), lastTs, now);
    if (this.source.regular && fresh.length > 0) await this.fillGaps(s, fresh, from, now);
    if (fresh.length === 0) return;
    this.store.append(fresh);
    this.last.set(s.symbol, fresh[fresh.length - 1]!.ts);
  }

  /** Closed bars after `after`, sorted, without duplicates (reported). */
  private accept(s: FeedSymbol, rows: readonly FeedBar[], after: number, now: number): FeedBar[] {
    const byTs = new Map<number, FeedBar>();
    let duplicates = 0;
    let revised = 0;
    for (const r of rows) {
      if (!(r.ts + s.step <= now)) continue; // still forming: never used (point-in-time)
      const seen = byTs.get(r.ts);
      if (r.ts <= after || seen !== undefined) {
        duplicates++;
        if (seen !== undefined && !sameBar(seen, r)) revised++;
        continue;
      }
      byTs.set(r.ts, { symbol: s.symbol, ts: r.ts, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume });
    }
    if (duplicates > 0) {
      this.events.push({ kind: 'feed_duplicate', message: `feed ${this.source.name} ${s.symbol}: ${duplicates} duplicate bar(s) dropped${revised ? ` (${revised} with other values; the first kept)` : ''}` });
    }
    return [...byTs.values()].sort((a, b) => a.ts - b.ts);
  }

  /** Holes on the grid between `from` and the last fresh bar: asked for once more, then reported. */
  private async fillGaps(s: FeedSymbol, fresh: FeedBar[], from: number, now: number): Promise<void> {
    const have = new Set(fresh.map((b) => b.ts));
    const lastFresh = fresh[fresh.length - 1]!.ts;
    const missing: number[] = [];
    for (let t = from; t < lastFresh; t += s.step) if (!have.has(t)) missing.push(t);
    if (missing.length === 0) return;
    const again = await this.source.fetch(s.symbol, missing[0]!, missing[missing.length - 1]! + s.step);
    const wanted = new Set(missing);
    const found = again.filter((b) => wanted.has(b.ts) && b.ts + s.step <= now);
    for (const b of found) {
      if (have.has(b.ts)) continue;
      have.add(b.ts);
      fresh.push({ symbol: s.symbol, ts: b.ts, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
    }
    fresh.sort((a, b) => a.ts - b.ts);
    const still = missing.filter((t) => !have.has(t));
    const refetched = missing.length - still.length;
    const parts = [
      refetched > 0 ? `${refetched} missing bar(s) fetched again` : '',
      still.length > 0 ? `${still.length} bar(s) missing at the venue, carrying on without them (${still.slice(0, 3).map(isoUtc).join(', ')}${still.length > 3 ? ', …' : ''})` : '',
    ].filter(Boolean);
    this.events.push({ kind: 'feed_gap', message: `feed ${this.source.name} ${s.symbol}: ${parts.join('; ')}` });
  }
}
