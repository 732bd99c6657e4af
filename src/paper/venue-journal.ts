/**
 * The venue journal of a paper session on a venue broker (venue.jsonl, docs/paper.md "Brokers",
 * resume): what the venue did, written as it happens and committed with the bar like every other
 * log (its length is in the commit record; a resumed loop cuts it back to that length first).
 *
 *   start    the venue's cash, positions and lot steps when the session started
 *   submit   an order the book sent: its client id, request, and the adapter's answer (accepted
 *            with the adapter's record, or refused with the reason)
 *   cancel   a cancel the book asked for, and the answer
 *   fill     a fill the adapter booked, under the order's client id (price, fee, quantity, time)
 *   order    after each venue sync, every order whose state changed: the adapter's whole state for
 *            it (phase, venue id, cumulative filled / cost / fee already booked, status)
 *   account  after each venue sync, the adapter's position and cash (what the book reconciles with)
 *   sync     the end of one venue sync;  bar  the end of one bar's venue I/O (written by the loop)
 *   inbar    the loop syncs with the venue inside this bar, before its close's decision (the
 *            sync's lines follow): what the venue filled during the bar is booked before the Trader
 *            decides, as the backtest books it (docs/paper.md "Brokers")
 *
 * `JournaledVenue` sits between the Trader's VenueBook (engine/venue-book.ts) and the adapter. While
 * the session runs it passes every call through and writes these lines. At `paper resume-from` it
 * first *replays* them: the fresh Trader is stepped again over the committed bars and each call the
 * book makes is answered from the journal — the same submits accepted or refused, the same fills at
 * the same syncs, the same account figures — so the Trader (book, sleeves, models, risk, series)
 * is rebuilt without the venue being asked anything; a call that differs from the journal stops the
 * resume with one line. Then `goLive` hands every order to the real adapter (VenueBroker.restore)
 * under its client id with the amounts already booked: nothing is sent again, a working order is
 * re-adopted and polled, and fills made while the loop was down are booked once (only the increase
 * of the venue's cumulative filled quantity over the journaled one is new).
 */
import { InvariantError } from '../core/errors.js';
import type { FillListener, OrderRequest, SubmitResult } from '../execution/broker.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';
import type { OrderProgress, RestoredOrder } from '../execution/venues/venue-broker.js';
import type { ExchangeBroker } from '../engine/venue-book.js';

/** What the journal needs from the adapter (execution/venues/venue-broker.ts VenueBroker). */
export interface JournalableBroker extends ExchangeBroker {
  sync(): Promise<void>;
  progress(clientId: string): OrderProgress | undefined;
  clientIds(): readonly string[];
  restore(orders: readonly RestoredOrder[], cash: number, positions: ReadonlyMap<string, number>): void;
}

export type JournalLine =
  | { readonly k: 'start'; readonly cash: number; readonly positions: Record<string, number>; readonly steps: Record<string, number>; readonly ticks: Record<string, number> }
  | { readonly k: 'submit'; readonly c: string; readonly req: OrderRequest; readonly ok: true; readonly dup: boolean; readonly rec: OrderRecord }
  | { readonly k: 'submit'; readonly c: string; readonly req: OrderRequest; readonly ok: false; readonly reason: string }
  | { readonly k: 'cancel'; readonly c: string; readonly ok: boolean }
  | { readonly k: 'fill'; readonly c: string; readonly f: FillRecord }
  | { readonly k: 'order'; readonly c: string; readonly p: OrderProgress }
  | { readonly k: 'account'; readonly cash: number; readonly positions: Record<string, number> }
  | { readonly k: 'sync' }
  | { readonly k: 'bar'; readonly step: number }
  | { readonly k: 'inbar'; readonly step: number }
  | { readonly k: 'resume'; readonly step: number; readonly orders: number; readonly working: readonly string[] };

type Write = (line: JournalLine) => void;

interface Replay {
  readonly lines: readonly JournalLine[];
  at: number;
}

export class JournaledVenue implements ExchangeBroker {
  private real: JournalableBroker | null = null;
  private replay: Replay | null = null;
  private readonly listeners: FillListener[] = [];
  private cashValue = 0;
  private readonly positions = new Map<string, number>();
  private readonly steps = new Map<string, number>();
  private readonly ticks = new Map<string, number>();
  /** Client id → the adapter's record (replay: rebuilt from the journal; handed over at goLive). */
  private readonly records = new Map<string, OrderRecord>();
  private readonly requests = new Map<string, OrderRequest>();
  private readonly byRecordId = new Map<number, string>();
  /** The last journaled state per client id (an order line is written when it changes). */
  private readonly lastProgress = new Map<string, string>();
  private readonly progressOf = new Map<string, OrderProgress>();

  private constructor(private readonly write: Write, private readonly symbols: readonly string[]) {}

  /** A running session: calls go to `real`, and are journaled. Writes the start line. */
  static recording(real: JournalableBroker, symbols: readonly string[], write: Write): JournaledVenue {
    const j = new JournaledVenue(write, symbols);
    j.attach(real);
    const steps: Record<string, number> = {};
    const ticks: Record<string, number> = {};
    for (const s of symbols) {
      steps[s] = real.rulesOf?.(s)?.qtyStep ?? 0;
      ticks[s] = real.rulesOf?.(s)?.priceStep ?? 0;
    }
    write({ k: 'start', cash: real.cash(), positions: j.positionsOf(real), steps, ticks });
    return j;
  }

  /** A resumed session: calls are answered from the journal's `lines` until `goLive`. */
  static replaying(lines: readonly JournalLine[], symbols: readonly string[], write: Write): JournaledVenue {
    const j = new JournaledVenue(write, symbols);
    j.replay = { lines: lines.filter((l) => l.k !== 'resume'), at: 0 };
    const start = j.next('start');
    j.cashValue = start.cash;
    for (const s of symbols) {
      j.positions.set(s, start.positions[s] ?? 0);
      j.steps.set(s, start.steps[s] ?? 0);
      j.ticks.set(s, start.ticks[s] ?? 0);
    }
    return j;
  }

  /** Whether the journal has lines not replayed yet (after the last committed bar there are none). */
  get replayLeft(): number {
    return this.replay ? this.replay.lines.length - this.replay.at : 0;
  }

  // ---------------------------------------------------------------- the Broker interface
  submit(request: OrderRequest): SubmitResult {
    if (this.real) {
      const r = this.real.submit(request);
      if (r.accepted) {
        if (!r.duplicate) this.remember(request, r.order);
        this.write({ k: 'submit', c: request.clientId, req: request, ok: true, dup: r.duplicate, rec: { ...r.order } });
      } else {
        this.write({ k: 'submit', c: request.clientId, req: request, ok: false, reason: r.reason });
      }
      return r;
    }
    const line = this.next('submit', request.clientId);
    if (!line.ok) return { accepted: false, reason: line.reason };
    if (line.dup) return { accepted: true, order: this.records.get(request.clientId)!, duplicate: true };
    const record: OrderRecord = { ...line.rec };
    this.remember(request, record);
    return { accepted: true, order: record, duplicate: false };
  }

  cancel(clientId: string): boolean {
    if (this.real) {
      const ok = this.real.cancel(clientId);
      this.write({ k: 'cancel', c: clientId, ok });
      return ok;
    }
    const line = this.next('cancel', clientId);
    const record = this.records.get(clientId);
    if (line.ok && record) {
      // as the adapter does at once: the record closes, the venue cancel goes out at the next sync
      record.status = 'cancelled';
      record.closedAt = null;
    }
    return line.ok;
  }

  order(clientId: string): OrderRecord | undefined {
    return this.real ? this.real.order(clientId) : this.records.get(clientId);
  }

  position(symbol: string): number {
    return this.real ? this.real.position(symbol) : (this.positions.get(symbol) ?? 0);
  }

  cash(): number {
    return this.real ? this.real.cash() : this.cashValue;
  }

  onFill(listener: FillListener): void {
    this.listeners.push(listener);
  }

  mark(symbol: string, price: number): void {
    this.real?.mark?.(symbol, price);
  }

  rulesOf(symbol: string): { readonly qtyStep: number; readonly priceStep?: number } | undefined {
    if (this.real) return this.real.rulesOf?.(symbol);
    const qtyStep = this.steps.get(symbol);
    return qtyStep ? { qtyStep, priceStep: this.ticks.get(symbol) ?? 0 } : undefined;
  }

  /** The venue's I/O (recording), or the next journaled sync: its fills, order states and account (replay). */
  async sync(): Promise<void> {
    if (this.real) {
      await this.real.sync();
      for (const c of this.real.clientIds()) {
        const p = this.real.progress(c);
        if (!p) continue;
        const text = JSON.stringify(p);
        if (this.lastProgress.get(c) === text) continue;
        this.lastProgress.set(c, text);
        this.write({ k: 'order', c, p });
      }
      this.write({ k: 'account', cash: this.real.cash(), positions: this.positionsOf(this.real) });
      this.write({ k: 'sync' });
      return;
    }
    for (;;) {
      const line = this.next();
      if (line.k === 'sync') return;
      if (line.k === 'fill') {
        for (const l of this.listeners) l(line.f);
      } else if (line.k === 'order') {
        const record = this.records.get(line.c);
        if (!record) throw this.diverged(`an order line for ${line.c}, which was never submitted`);
        record.status = line.p.status;
        record.filled = line.p.recordFilled;
        record.closedAt = line.p.closedAt;
        this.progressOf.set(line.c, line.p);
        this.lastProgress.set(line.c, JSON.stringify(line.p));
      } else if (line.k === 'account') {
        this.cashValue = line.cash;
        for (const s of this.symbols) this.positions.set(s, line.positions[s] ?? 0);
      } else {
        throw this.diverged(`'${line.k}' inside a venue sync`);
      }
    }
  }

  /**
   * Whether the loop syncs with the venue inside bar `step`, before its close's decision. Recording:
   * as the loop wants (`wanted`: the book has something open on the venue), journaled. Replay: as
   * the journal says, so the rebuilt Trader meets the venue at the same points (a journal written
   * before this step existed has no such line: none is repeated).
   */
  inBar(step: number, wanted: boolean): boolean {
    if (this.real) {
      if (wanted) this.write({ k: 'inbar', step });
      return wanted;
    }
    const r = this.replay!;
    const line = r.lines[r.at];
    if (line?.k !== 'inbar') return false;
    if (line.step !== step) throw this.diverged(`a sync inside bar ${line.step} where the rebuilt Trader is at bar ${step}`);
    r.at++;
    return true;
  }

  /** The end of one bar's venue I/O: journaled (recording), checked against the journal (replay). */
  bar(step: number): void {
    if (this.real) {
      this.write({ k: 'bar', step });
      return;
    }
    const line = this.next('bar');
    if (line.step !== step) throw this.diverged(`bar ${line.step} where the rebuilt Trader is at bar ${step}`);
  }

  /**
   * The replay is done: hand every order to the real adapter with the amounts already booked
   * (VenueBroker.restore) and pass calls through from now on. Returns the client ids still working.
   */
  goLive(real: JournalableBroker, step: number): string[] {
    if (!this.replay) throw new InvariantError('goLive on a venue journal that is not replaying');
    if (this.replayLeft > 0) throw this.diverged(`${this.replayLeft} journal line(s) after the last committed bar`);
    const orders: RestoredOrder[] = [];
    const working: string[] = [];
    for (const [c, record] of this.records) {
      const p = this.progressOf.get(c) ?? progressOfUnsent(record);
      orders.push({ request: this.requests.get(c)!, record, progress: p });
      if (p.phase !== 'done') working.push(c);
    }
    real.restore(orders, this.cashValue, new Map(this.positions));
    this.replay = null;
    this.attach(real);
    this.write({ k: 'resume', step, orders: orders.length, working });
    return working;
  }

  // ---------------------------------------------------------------- internals
  private attach(real: JournalableBroker): void {
    this.real = real;
    real.onFill((f) => {
      const c = this.byRecordId.get(f.orderId);
      if (c !== undefined) this.write({ k: 'fill', c, f });
      for (const l of this.listeners) l(f);
    });
  }

  private remember(request: OrderRequest, record: OrderRecord): void {
    this.records.set(request.clientId, record);
    this.requests.set(request.clientId, request);
    this.byRecordId.set(record.id, request.clientId);
  }

  private positionsOf(real: ExchangeBroker): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.symbols) out[s] = real.position(s);
    return out;
  }

  /** The next journal line, which must be of kind `k` (and for client id `c`). */
  private next<K extends JournalLine['k']>(k?: K, c?: string): Extract<JournalLine, { k: K }> {
    const r = this.replay!;
    const line = r.lines[r.at];
    if (line === undefined) throw this.diverged(`the rebuilt Trader asks the venue for more (${k ?? 'a sync'}${c ? ` ${c}` : ''}) than the journal holds`);
    if (k !== undefined && line.k !== k) throw this.diverged(`'${line.k}' where the rebuilt Trader made a '${k}'${c ? ` (${c})` : ''}`);
    if (c !== undefined && 'c' in line && line.c !== c) throw this.diverged(`${k} of ${line.c} where the rebuilt Trader made one of ${c}`);
    r.at++;
    return line as Extract<JournalLine, { k: K }>;
  }

  private diverged(what: string): InvariantError {
    return new InvariantError(`venue journal line ${(this.replay?.at ?? 0) + 1}: ${what}; the session cannot be rebuilt from it`);
  }
}

/** An order accepted but not yet synced when the journal ends (cannot follow a committed bar; kept safe: queued). */
function progressOfUnsent(record: OrderRecord): OrderProgress {
  return { phase: 'queued', venueId: undefined, cancelWanted: false, filled: 0, cost: 0, fee: 0, lost: 0, status: record.status, recordFilled: record.filled ?? 0, closedAt: record.closedAt };
}
