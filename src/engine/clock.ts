/**
 * The Clock seam (docs/backtest-engine.md "Trader, Broker, Clock"): the only source of time the
 * Trader sees. A clock emits bar-close events — the times at which some bar closes and the models
 * decide. Three kinds:
 *
 *   historical  every close of the run's data between two times, at once (a backtest)
 *   replay      the same closes paced at `speed` × real time (Infinity: as fast as possible); the
 *               waiting goes through an injected Scheduler, so tests replace it and stay instant
 *   live        closes reported by a feed (`push`), each emitted once the injected time source has
 *               reached it (paper and live trading)
 *
 * One interface for the three: `next()` returns the next due event or null (none due yet, or the
 * clock is done), `wait()` resolves when one may be due. A historical clock is always due, so a
 * backtest steps without ever awaiting; the event object is reused (no allocation per bar).
 */

export interface BarClose {
  /** Close time (epoch ms UTC). */
  t: number;
  /** Index of this close on the run's clock (0, 1, …). */
  step: number;
}

/**
 * The event object a clock reuses. A class, not an object literal: object literals with the same
 * leading keys share V8's hidden classes, so a literal elsewhere holding a non-number under `t`
 * (a signal trace's `{ t: [], k: [] }`) would make every store of a time here allocate a box.
 */
class ReusedBarClose implements BarClose {
  t = NaN;
  step = -1;
}

export interface Clock {
  next(): BarClose | null;
  /** No event will come any more. */
  readonly done: boolean;
  /** Resolves when an event may be due (at once for a historical clock). */
  wait(): Promise<void>;
}

/** Wall-clock time and sleeping, injected (tests pass a virtual one). */
export interface Scheduler {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Every close of `times[k] + offset` for k in [from, to] (the common clock of engine-data.ts). */
export class HistoricalClock implements Clock {
  private readonly event: BarClose = new ReusedBarClose();
  private k: number;

  constructor(
    private readonly times: Float64Array,
    private readonly offset: number,
    from: number,
    private readonly to: number,
  ) {
    this.k = from;
  }

  get done(): boolean {
    return this.k > this.to;
  }

  /**
   * Whether this clock's events are the closes of `times` shifted by `offset`, that very array and
   * offset: `next` emits event k at `times[k] + offset`, computed from them, so a Trader stepping
   * through it need not check each event's time against its run's clock (Trader.run).
   */
  emitsClosesOf(times: Float64Array, offset: number): boolean {
    return Object.getPrototypeOf(this) === HistoricalClock.prototype && this.times === times && Object.is(this.offset, offset);
  }

  next(): BarClose | null {
    const k = this.k;
    if (k > this.to) return null;
    this.k = k + 1;
    this.event.t = this.times[k]! + this.offset;
    this.event.step = k;
    return this.event;
  }

  wait(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The closes of a historical clock, paced: event k is due once `speed` × (wall time since start)
 * reaches times[k] − times[from]. `speed` Infinity emits as fast as possible.
 */
export class ReplayClock implements Clock {
  private readonly inner: HistoricalClock;
  private startWall = NaN;
  private readonly first: number;
  private k: number;

  constructor(
    private readonly times: Float64Array,
    private readonly offset: number,
    from: number,
    private readonly to: number,
    private readonly speed: number,
    private readonly scheduler: Scheduler,
  ) {
    if (!(speed > 0)) throw new RangeError(`replay speed must be > 0, got ${speed}`);
    this.inner = new HistoricalClock(times, offset, from, to);
    this.first = times[from]!;
    this.k = from;
  }

  get done(): boolean {
    return this.inner.done;
  }

  /** Wall milliseconds until event k is due (≤ 0: due). */
  private untilDue(): number {
    if (this.speed === Infinity) return 0;
    if (this.startWall !== this.startWall) this.startWall = this.scheduler.now();
    return (this.times[this.k]! - this.first) / this.speed - (this.scheduler.now() - this.startWall);
  }

  next(): BarClose | null {
    if (this.inner.done || this.untilDue() > 0) return null;
    this.k++;
    return this.inner.next();
  }

  wait(): Promise<void> {
    if (this.inner.done) return Promise.resolve();
    const ms = this.untilDue();
    return ms > 0 ? this.scheduler.sleep(ms) : Promise.resolve();
  }
}

/**
 * Closes reported by a live feed: `push(t)` when a bar closes at t (in any order; duplicates are
 * dropped); the event is emitted once `time.now()` ≥ t, in time order. `end()` after the last one.
 */
export class LiveClock implements Clock {
  private readonly pending: number[] = [];
  private readonly event: BarClose = new ReusedBarClose();
  private last = -Infinity;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(private readonly time: Scheduler, private readonly pollMs = 1000) {}

  push(t: number): void {
    if (!(t > this.last) || this.pending.includes(t)) return;
    this.pending.push(t);
    this.pending.sort((a, b) => a - b);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  get done(): boolean {
    return this.ended && this.pending.length === 0;
  }

  next(): BarClose | null {
    const t = this.pending[0];
    if (t === undefined || this.time.now() < t) return null;
    this.pending.shift();
    this.last = t;
    this.event.t = t;
    this.event.step++;
    return this.event;
  }

  wait(): Promise<void> {
    if (this.done) return Promise.resolve();
    const t = this.pending[0];
    if (t !== undefined) return this.time.sleep(Math.max(0, Math.min(this.pollMs, t - this.time.now())));
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }
}

/** Feed every event of `clock` to `onEvent`, awaiting only when none is due. */
export async function runClock(clock: Clock, onEvent: (e: BarClose) => void, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const e = clock.next();
    if (e !== null) {
      onEvent(e);
      continue;
    }
    if (clock.done || signal?.aborted) return;
    await clock.wait();
  }
}
