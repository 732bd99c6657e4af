/**
 * The paper loop (docs/paper.md): the backtest's Trader (engine/trader.ts) stepped by a replay clock
 * at a chosen speed, its orders filled by the PaperBroker (the SimulatedBroker's execution model),
 * with the state committed after every bar so a killed loop resumes with nothing lost or doubled.
 *
 * Each bar:  trader.step(e) → append the bar's orders, fills, closed trades and performance line to
 * the logs → (every `checkpointEvery` bars) write a full Trader snapshot → append the bar's commit
 * record (commits.ts: step, cash, positions, log lengths, checkpoint). head.json, the rich state the
 * dashboard reads, is replaced atomically at a bounded rate and at every change of status. On a venue
 * broker the step is `stepVenueBar`: a sync inside the bar (what the venue filled during it is booked
 * before the close decides), the step, the sync after it — each journaled, and replayed at resume.
 *
 * Resume (`PaperLoop.open`): a fresh Trader from the same spec and data, the committed checkpoint
 * restored into it (engine/snapshot.ts), then the bars between the checkpoint and the last commit
 * stepped again without logging (the Trader is deterministic: same inputs, same state) — its cash
 * and positions must equal the commit's, exactly, or the resume refuses. The logs are cut back to
 * the commit's lengths, and the loop carries on from the bar after it. Checkpoints alternate
 * between two files, so the one the last commit names is never the one being written.
 *
 * Live feed (`live` in the run options, live-source.ts): when the data's last bar is done the loop
 * asks the feed for the next closed bars instead of finishing; they are appended to the running
 * Trader in place (engine/grow.ts: its data, clock and series grow; nothing is re-stepped), and the
 * loop carries on stepping the new bars with the same commits and logs. Live sessions resume by
 * re-stepping from the start (their checkpoints are of a shorter run).
 *
 * Wall time comes only from the injected Scheduler (the caller's: the shell's wall clock, or a
 * virtual one in tests).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InvariantError, UserError, messageOf } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { HistoricalClock, ReplayClock, type BarClose, type Clock, type Scheduler } from '../engine/clock.js';
import { decodeSnapshot, encodeSnapshot, restoreTrader, snapshotTrader } from '../engine/snapshot.js';
import { Trader } from '../engine/trader.js';
import { VenueBook } from '../engine/venue-book.js';
import type { SimulatedVenue } from '../execution/simulated-venue.js';
import type { SimulatedBrokerSetup } from '../execution/simulated-broker.js';
import { prepareBacktest } from '../backtest/run-backtest.js';
import { prepareRun } from '../backtest/engine-setup.js';
import { appendBars, type NewBar } from '../engine/grow.js';
import type { BacktestResult } from '../backtest/types.js';
import type { OrderRecord } from '../execution/types.js';
import { PaperLogs, paperPaths, readJson, writeAtomic, type PaperPaths } from './files.js';
import { headOf, type DriftRow, type PaperHead, type PaperStatus } from './head.js';
import { CommitLog, lastCommit, type CommitRecord } from './commits.js';
import { PaperBroker, type PaperBook } from './paper-broker.js';
import { VenuePaperBroker } from './venue-paper-broker.js';
import { buildTrader, planOf, type PaperSpec } from './spec.js';
import { readControl } from './control.js';
import type { VenueMirror } from './venue-mirror.js';
import { JournaledVenue, type JournalLine } from './venue-journal.js';
import type { LiveSource } from './live-source.js';

export interface PaperRunOptions {
  readonly scheduler: Scheduler;
  readonly signal?: AbortSignal;
  /** Stop after this many bars in this run (the session stays resumable). */
  readonly bars?: number;
  /** Bars between full checkpoints (default 500). */
  readonly checkpointEvery?: number;
  /** How often (wall ms) the control file and kill switch are looked at (default 100). */
  readonly pollMs?: number;
  /** Called after each commit (progress; tests kill the process here). */
  readonly onCommit?: (head: PaperHead) => void;
  /** A live feed: at the end of the data, wait for its next closed bars instead of finishing. */
  readonly live?: LiveSource;
}

export interface PaperOutcome {
  readonly head: PaperHead;
  /** The whole run's result once every bar of the window is done (same shape as a backtest's). */
  readonly result: BacktestResult | null;
}

const SAME_BOOK: DriftRow = { against: 'sim (same book)', navDiff: 0, positionDiff: 0 };

export class PaperLoop {
  private traderNow: Trader<SimulatedVenue>;
  private brokerNow: PaperBook;
  /** A venue session: the Trader's book on the venue, and the simulated Trader on the same bars (the drift monitor's reference). */
  private book: VenueBook | null = null;
  private shadow: Trader | null = null;
  private readonly logs: PaperLogs;
  private readonly commits: CommitLog;
  private closedSeen: number;
  private errors: number;
  private checkpointStep: number;
  private checkpointFile: string;
  private killReason: string | undefined;
  private venue: VenueMirror | null = null;
  /** A venue session's journal (venue-journal.ts): between the VenueBook and the adapter. */
  private journalVenue: JournaledVenue | null = null;

  private constructor(
    readonly spec: PaperSpec,
    trader: Trader,
    readonly paths: PaperPaths,
    last: CommitRecord | undefined,
    private readonly datasets: ReadonlyMap<string, Dataset>,
  ) {
    this.traderNow = trader;
    this.brokerNow = new PaperBroker(trader.broker);
    this.logs = new PaperLogs(paths);
    this.commits = new CommitLog(paths.commits);
    this.closedSeen = trader.broker.account.trades.closed.length;
    this.errors = last?.errors ?? 0;
    this.checkpointStep = last?.checkpointStep ?? -1;
    this.checkpointFile = last?.checkpoint ?? '';
    if (last?.killReason !== undefined) this.killReason = last.killReason;
    if (last) this.logs.truncateTo(last.logs);
  }

  /** The Trader being stepped (on the simulated book, or on a venue's: `attachVenue`). */
  get trader(): Trader<SimulatedVenue> {
    return this.traderNow;
  }

  get broker(): PaperBook {
    return this.brokerNow;
  }

  /**
   * Live feed: newly closed bars (every symbol's, up to the feed's watermark, in close order) are
   * appended to the running Trader in place (engine/grow.ts); the loop then steps the new closes.
   * Returns the last step now available. O(new bars), whatever the session's length.
   */
  extend(bars: readonly NewBar[]): number {
    if (this.shadow) appendBars(this.shadow, bars);
    return appendBars(this.traderNow, bars);
  }

  /** One bar close: the Trader (and in a venue session the simulated reference beside it). */
  private stepBar(e: BarClose): void {
    this.traderNow.step(e);
    this.shadow?.step(e);
  }

  /**
   * One bar of a venue session, the same live and in the resume replay (docs/paper.md "Brokers"):
   * when the book has an order or a stop open on the venue, a sync inside the bar first — what the
   * venue filled during the bar is booked at that bar's time before the close's decision, as the
   * backtest books a stop in the bar it fills — then the close, then the sync after it (orders out,
   * fills in). Each sync is journaled as its own step (venue-journal.ts `inbar`, `bar`), and the
   * replay repeats exactly the ones the journal holds.
   */
  private async stepVenueBar(e: BarClose): Promise<void> {
    const book = this.book!;
    const journal = this.journalVenue!;
    if (journal.inBar(e.step, book.hasOpenOnVenue())) await book.syncInBar(this.trader.mark);
    this.stepBar(e);
    await book.sync(this.trader.mark);
    journal.bar(e.step);
  }

  /** The last commit's status (a finished or killed session does not run again). */
  readonly resumedFrom: CommitRecord | undefined = undefined;

  /** A new paper session: its folder, spec.json and empty logs. */
  static create(spec: PaperSpec, dataRoot: string, datasets: ReadonlyMap<string, Dataset>): PaperLoop {
    const paths = paperPaths(dataRoot, spec.id);
    if (existsSync(paths.spec)) throw new UserError(`paper session '${spec.id}' exists already; \`paper resume-from ${spec.id}\` continues it`, 'paper start');
    const trader = buildTrader(spec, datasets);
    mkdirSync(paths.dir, { recursive: true });
    writeAtomic(paths.spec, `${JSON.stringify(spec, null, 1)}\n`);
    return new PaperLoop(spec, trader, paths, undefined, datasets);
  }

  /** An existing session rebuilt from its checkpoint and last commit (see the file comment). */
  static open(dataRoot: string, id: string, datasets: ReadonlyMap<string, Dataset>): PaperLoop {
    const paths = paperPaths(dataRoot, id);
    const spec = readJson<PaperSpec>(paths.spec);
    if (!spec) throw new UserError(`no paper session '${id}' under ${paths.dir} (see \`paper status\`)`, 'paper');
    const commit = lastCommit(paths.commits);
    const trader = buildTrader(spec, datasets);
    if (spec.broker !== 'sim') {
      // a venue session is rebuilt when its venue is attached (`reattachVenue`): its fills come from
      // the venue journal, not from re-stepping the simulated book (docs/paper.md "Brokers")
      const loop = new PaperLoop(spec, trader, paths, commit, datasets);
      if (!commit) loop.logs.truncateTo({ trades: 0, orders: 0, performance: 0, errors: 0, venue: 0 }); // nothing was committed: start afresh
      (loop as { resumedFrom: CommitRecord | undefined }).resumedFrom = commit;
      return loop;
    }
    // a live session's checkpoints are of a shorter run (its data has grown since): re-step from the start
    if (commit && commit.checkpointStep >= 0 && spec.mode !== 'live') restoreTrader(trader, decodeSnapshot(readFileSync(join(paths.dir, commit.checkpoint))));
    if (commit && commit.step > trader.progress.lastStep) {
      const { times, offset } = trader.prep.clock;
      const clock = new HistoricalClock(times, offset, trader.progress.lastStep + 1, commit.step);
      for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
    }
    if (commit && commit.status !== 'killed') {
      // (a killed session was flattened after its last step and does not run again)
      const a = trader.broker.account;
      const same = a.cash === commit.cash && commit.positions.length === a.position.length && commit.positions.every((q, s) => a.position[s] === q);
      if (!same) throw new InvariantError(`paper session '${id}': the rebuilt book (cash ${a.cash}) differs from the last commit (cash ${commit.cash}) at step ${commit.step}`);
    }
    const loop = new PaperLoop(spec, trader, paths, commit, datasets);
    (loop as { resumedFrom: CommitRecord | undefined }).resumedFrom = commit;
    return loop;
  }

  /**
   * Trade on a venue (venue-mirror.ts opens the adapter): the Trader is rebuilt over a VenueBook on
   * the adapter (engine/venue-book.ts) — its orders go to the venue, the venue's fills are booked as
   * they arrive — and the simulated Trader steps beside it on the same bars for the drift monitor.
   * Only before the first bar (a stopped venue session comes back through `reattachVenue`).
   */
  attachVenue(mirror: VenueMirror): void {
    if (this.resumedFrom !== undefined || this.traderNow.progress.lastStep >= 0) {
      throw new UserError(`paper session '${this.spec.id}': a new venue session starts before the first bar (a stopped one resumes through \`paper resume-from\`)`, 'paper');
    }
    const symbols = this.traderNow.input.symbols.map((s) => s.symbol);
    const journal = JournaledVenue.recording(mirror.venue, symbols, (line) => this.logs.append('venue', line));
    this.useVenueBook(mirror, journal);
  }

  /**
   * Resume a venue session (docs/paper.md "Brokers", resume): a fresh Trader over a VenueBook whose
   * venue answers from the journal (venue-journal.ts) is stepped again over the committed bars — the
   * same submits, the same fills at the same syncs, the same account figures — beside the simulated
   * Trader; its cash and positions must equal the last commit's exactly. Then the journal hands every
   * order to the real adapter by client order id (`goLive`): nothing is sent twice, working orders are
   * polled where they stopped, fills made while the loop was down are booked at the next sync, and
   * that sync ends with a reconcile against the venue that is logged whatever it finds.
   * A session with no commit starts afresh (`attachVenue`).
   */
  async reattachVenue(mirror: VenueMirror): Promise<void> {
    const commit = this.resumedFrom;
    if (commit === undefined) return this.attachVenue(mirror);
    if (this.traderNow.progress.lastStep >= 0) throw new UserError(`paper session '${this.spec.id}': the venue is re-attached before the first bar`, 'paper');
    const symbols = this.traderNow.input.symbols.map((s) => s.symbol);
    const journal = JournaledVenue.replaying(this.logs.readAll<JournalLine>('venue'), symbols, (line) => this.logs.append('venue', line));
    const trader = this.useVenueBook(mirror, journal, false);
    const { times, offset } = trader.prep.clock;
    const clock = new HistoricalClock(times, offset, 0, commit.step);
    for (let e = clock.next(); e !== null; e = clock.next()) {
      if (e.step < trader.prep.kStart) this.stepBar(e); // warm-up: stepped without venue I/O, as run() does
      else await this.stepVenueBar(e);
    }
    const a = trader.broker.account;
    const same = a.cash === commit.cash && commit.positions.length === a.position.length && commit.positions.every((q, s) => a.position[s] === q);
    if (!same) throw new InvariantError(`paper session '${this.spec.id}': the book rebuilt from the venue journal (cash ${a.cash}) differs from the last commit (cash ${commit.cash}) at step ${commit.step}`);
    const working = journal.goLive(mirror.venue, commit.step);
    this.listenToBook(mirror);
    this.brokerNow = new VenuePaperBroker(this.book!, this.spec.id, symbols);
    this.closedSeen = a.trades.closed.length;
    this.logs.append('errors', {
      kind: 'resume', step: commit.step,
      message: `resumed after bar ${commit.step} from the venue journal: ${working.length} order(s) not yet done handed back to ${mirror.name} by client order id (${working.join(', ') || 'none'}); fills made while stopped are booked at the next sync, then positions and cash are reconciled with the venue`,
    });
    this.errors++;
  }

  /** The Trader over a VenueBook on `venue` (the journal), with the simulated Trader beside it. */
  private useVenueBook(mirror: VenueMirror, venue: JournaledVenue, listen = true): Trader<VenueBook> {
    const { input } = prepareBacktest(planOf(this.spec), this.datasets, false, (m) => m);
    const trader = new Trader(input, prepareRun(input), (setup: SimulatedBrokerSetup) => new VenueBook(setup, venue, this.spec.id));
    const book = trader.broker;
    this.shadow = this.traderNow as Trader;
    this.traderNow = trader;
    this.book = book;
    this.journalVenue = venue;
    this.venue = mirror;
    if (listen) {
      this.listenToBook(mirror);
      this.brokerNow = new VenuePaperBroker(book, this.spec.id, input.symbols.map((s) => s.symbol));
      this.closedSeen = book.account.trades.closed.length;
    }
    return trader;
  }

  private listenToBook(mirror: VenueMirror): void {
    this.book!.onEvent((e) => this.error(`broker ${e.kind}`, `${mirror.name}: ${e.message}`));
  }

  /** Close the logs of a session that will not run (its start failed). */
  closeLogs(): void {
    this.logs.close();
  }

  get status(): PaperHead | undefined {
    return readJson<PaperHead>(this.paths.head);
  }

  /** Run until the window ends, `bars` bars are done, the signal aborts or the kill switch engages. */
  async run(o: PaperRunOptions): Promise<PaperOutcome> {
    const { spec } = this;
    const every = Math.max(1, o.checkpointEvery ?? 500);
    const pollMs = o.pollMs ?? 100;
    const budget = o.bars ?? Infinity;
    let done = 0;
    let lastPoll = -Infinity;
    let sinceCheckpoint = 0;
    let lastHeadWall = -Infinity;
    let lastStatus: PaperStatus | null = null;
    /** Commit the bar (commit log; every `every` bars or when asked a checkpoint); head.json at a bounded rate. */
    const commit = (status: PaperStatus, lagMs: number, message?: string, checkpoint = false): PaperHead | null => {
      const full = checkpoint || sinceCheckpoint >= every;
      if (full && this.book === null) {
        // (a venue session has no snapshot: its book is the venue's, rebuilt at resume from its venue journal)
        this.writeCheckpoint();
        sinceCheckpoint = 0;
      }
      // paced runs make every bar durable (fsync); at --speed max the checkpoints are (docs/paper.md "State")
      const durable = full || spec.speed !== null;
      if (durable) this.logs.sync();
      const record = this.commitRecord(status);
      if (full) this.commits.reset(record);
      else this.commits.append(record, durable);
      const wall = o.scheduler.now();
      if (!full && status === lastStatus && wall - lastHeadWall < pollMs) return null;
      lastHeadWall = wall;
      lastStatus = status;
      const head = this.head(status, wall, lagMs, message);
      writeAtomic(this.paths.head, JSON.stringify(head), durable);
      o.onCommit?.(head);
      return head;
    };
    try {
      // warm-up bars (before the window) are stepped at once: nothing is recorded or traded on them
      let k = this.trader.progress.lastStep + 1;
      if (k < this.trader.prep.kStart) {
        const { times, offset } = this.trader.prep.clock;
        const warm = new HistoricalClock(times, offset, k, this.trader.prep.kStart - 1);
        for (let e = warm.next(); e !== null; e = warm.next()) this.stepBar(e);
        k = this.trader.prep.kStart;
        commit('running', 0);
      }
      // a live feed's bars are stepped as they come (no pacing); a replay's at its speed
      const paced = spec.speed !== null && o.live === undefined;
      const newClock = (from: number): { clock: Clock; wall0: number; t0: number } => {
        const { prep } = this.trader;
        const { times, offset } = prep.clock;
        return {
          clock: !paced ? new HistoricalClock(times, offset, from, prep.kEnd) : new ReplayClock(times, offset, from, prep.kEnd, spec.speed!, o.scheduler),
          wall0: o.scheduler.now(),
          t0: times[Math.min(from, prep.kEnd)]! + offset,
        };
      };
      let pace = newClock(k);
      // live: how late the bar is stepped after its close (wall time); replay: how far behind the pace
      const lag = (t: number): number =>
        o.live !== undefined ? Math.max(0, o.scheduler.now() - t) : !paced ? 0 : Math.max(0, (o.scheduler.now() - pace.wall0) * spec.speed! - (t - pace.t0));
      for (;;) {
        const now = o.scheduler.now();
        if (now - lastPoll >= pollMs || this.killReason !== undefined) {
          lastPoll = now;
          await o.scheduler.sleep(0); // let timers run (a dashboard in this thread) at max speed too
          const stop = await this.poll(o, commit);
          if (stop !== null) return { head: stop, result: null };
          if (o.scheduler.now() - now > pollMs) pace = newClock(this.trader.progress.lastStep + 1); // paused: pace on from here
        }
        if (o.signal?.aborted) return { head: commit('stopped', 0, 'stopped (cancelled)', true)!, result: null };
        const e: BarClose | null = pace.clock.next();
        if (e === null) {
          if (pace.clock.done) {
            if (o.live === undefined || o.live.done) break;
            // live: the data's last bar is done; wait (at most pollMs) for the feed's next closed bars
            const grown = await o.live.next(pollMs);
            for (const f of o.live.drainEvents()) {
              this.error(f.kind, f.message);
              commit('running', 0, f.message);
            }
            if (grown !== null) {
              this.extend(grown);
              pace = newClock(this.trader.progress.lastStep + 1);
            }
            continue;
          }
          await Promise.race([pace.clock.wait(), o.scheduler.sleep(pollMs)]);
          continue;
        }
        const trader = this.trader;
        if (this.book) await this.stepVenueBar(e);
        else this.stepBar(e);
        this.journal(e);
        sinceCheckpoint++;
        done++;
        if (done >= budget && (e.step < trader.prep.kEnd || o.live !== undefined)) return { head: commit('stopped', lag(e.t), `stopped after ${done} bars (--bars)`, true)!, result: null };
        commit('running', lag(e.t));
      }
      const result = this.trader.finish();
      return { head: commit('finished', 0, o.live ? 'live feed ended' : 'replay finished', true)!, result };
    } catch (err) {
      this.error('loop', messageOf(err));
      commit('failed', 0, messageOf(err));
      throw err;
    } finally {
      this.logs.close();
      this.commits.close();
      await this.venue?.close().catch((err: unknown) => this.error('broker', `closing the venue: ${messageOf(err)}`));
    }
  }

  /** Kill switch and pause requests; returns the final head when the loop must stop. */
  private async poll(o: PaperRunOptions, commit: (s: PaperStatus, lag: number, msg?: string, cp?: boolean) => PaperHead | null): Promise<PaperHead | null> {
    const killed = (): { flattened: readonly OrderRecord[]; message: string } | null => {
      const reason = this.killReason ?? (existsSync(this.paths.kill) ? `kill file ${basename(this.paths.kill)}` : existsSync(this.paths.killAll) ? 'kill file paper/KILL' : undefined);
      if (reason === undefined) return null;
      const flattened = this.kill(reason);
      return { flattened, message: `kill switch: ${reason}; working orders cancelled, ${flattened.length} position(s) closed at the last close, no further trading` };
    };
    const stop = async (k: { flattened: readonly OrderRecord[]; message: string }): Promise<PaperHead> => {
      if (this.book) {
        // the kill switch's cancels and closing orders (VenuePaperBroker) go out; their fills are journaled
        await this.book.sync(this.trader.mark);
        this.journalOrders();
        this.journalTrades();
      }
      return commit('killed', 0, k.message, true)!;
    };
    const k = killed();
    if (k) return stop(k);
    if (!readControl(this.paths).paused) return null;
    commit('paused', 0, 'paused', true);
    while (readControl(this.paths).paused) {
      if (o.signal?.aborted) return commit('stopped', 0, 'stopped (cancelled while paused)', true)!;
      const k2 = killed();
      if (k2) return stop(k2);
      await o.scheduler.sleep(o.pollMs ?? 100);
    }
    return null;
  }

  /**
   * Engage the kill switch (key, command or file): cancel working orders and model stops, close
   * every position at the last close (PaperBroker.flatten), record those orders, fills and closed
   * trades, stop trading. Returns the closing orders.
   */
  kill(reason: string): OrderRecord[] {
    if (this.killReason === undefined) this.killReason = reason;
    if (this.broker.halted !== null) return [];
    this.broker.halt(reason);
    const flattened = this.broker.flatten(this.trader.mark);
    this.journalOrders();
    this.journalTrades();
    const closed = flattened.map((o) => `${o.qty > 0 ? 'bought' : 'sold'} ${Math.abs(o.qty)} ${o.symbol}`).join(', ');
    this.logs.append('errors', { kind: 'kill_switch', step: this.trader.progress.lastStep, message: `kill switch: ${reason}${closed ? `; flattened: ${closed}` : ''}` });
    this.errors++;
    return flattened;
  }

  /** An error line (broker fault, refused order, loop failure): errors log and the head's count. */
  error(kind: string, message: string): void {
    this.logs.append('errors', { kind, step: this.trader.progress.lastStep, message });
    this.errors++;
  }

  private journalOrders(): readonly OrderRecord[] {
    const { orders, fills } = this.broker.drain();
    for (const ord of orders) this.logs.append('orders', { kind: 'order', ...ord });
    for (const f of fills) this.logs.append('orders', { kind: 'fill', ...f });
    return orders;
  }

  private journalTrades(): void {
    const closed = this.trader.broker.account.trades.closed;
    for (let i = this.closedSeen; i < closed.length; i++) this.logs.append('trades', closed[i]!);
    this.closedSeen = closed.length;
  }

  /** The bar's orders, fills, closed trades and performance line; returns the orders placed. */
  private journal(e: BarClose): readonly OrderRecord[] {
    const { trader } = this;
    const placed = this.journalOrders();
    this.journalTrades();
    const r = e.step - trader.prep.kStart;
    if (r < 0) return placed;
    const sr = trader.series;
    this.logs.append('performance', { step: e.step, t: e.t, nav: sr.navA[r], cash: sr.cashA[r], gross: sr.grossA[r], net: sr.netA[r], drawdown: sr.ddA[r], mode: sr.modeA[r] });
    return placed;
  }

  private writeCheckpoint(): void {
    const name = this.checkpointFile === 'checkpoint-0.bin' ? 'checkpoint-1.bin' : 'checkpoint-0.bin';
    writeAtomic(join(this.paths.dir, name), encodeSnapshot(snapshotTrader(this.traderNow as Trader)));
    this.checkpointFile = name;
    this.checkpointStep = this.trader.progress.lastStep;
  }

  private commitRecord(status: PaperStatus): CommitRecord {
    const a = this.trader.broker.account;
    return {
      step: this.trader.progress.lastStep, cash: a.cash, positions: Array.from(a.position), logs: this.logs.lengths(),
      checkpoint: this.checkpointFile, checkpointStep: this.checkpointStep, errors: this.errors, status,
      ...(this.killReason !== undefined ? { killReason: this.killReason } : {}),
    };
  }

  private head(status: PaperStatus, wallAt: number, lagMs: number, message?: string): PaperHead {
    return headOf(this.trader, {
      id: this.spec.id, status, wallAt, lagMs, openOrders: this.broker.openOrders(), errors: this.errors,
      drift: this.venue && this.shadow ? this.venue.drift(this.shadow.broker.account.cash, this.shadow.broker.account.position, this.trader.mark) : SAME_BOOK,
      checkpointStep: this.checkpointStep, checkpoint: this.checkpointFile, logs: this.logs.lengths(),
      ...(this.killReason !== undefined ? { killReason: this.killReason } : {}),
      ...(message !== undefined ? { message } : {}),
    });
  }
}
