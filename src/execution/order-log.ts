/**
 * The simulated broker's orders as rows of numbers (execution/simulated-broker.ts), made into
 * `OrderRecord`s only when read, as the fills are (fill-log.ts). A 1M-bar run places ~40 000 orders;
 * an object per order, its number fields boxed, made a good part of the event engine's garbage and,
 * kept to the end of the run, was copied by every scavenge (docs/backtest-engine.md "Speed").
 *
 * An order's status, close time and filled quantity change after it is placed. The rows hold them;
 * a record, once made, is the order's one record for the rest of the run and is updated with its
 * row. Records are made as a prefix: `record(id)` makes every record up to id, `records()` all of
 * them, in one array that stays the same on every read (a reader may replace entries: the paper
 * broker relabels a kill switch's order).
 */
import { InvariantError } from '../core/errors.js';
import { RowChunks } from './row-chunks.js';
import type { OrderReason, OrderRecord, OrderStatus, OrderType } from './types.js';

const TYPES: readonly OrderType[] = ['market', 'stop', 'limit'];
const REASONS: readonly OrderReason[] = ['rebalance', 'stop', 'risk_flatten', 'kill_switch', 'liquidation'];
const STATUSES: readonly OrderStatus[] = ['open', 'filled', 'cancelled', 'expired'];
export const STATUS_OPEN = 0;
export const STATUS_FILLED = 1;
export const STATUS_CANCELLED = 2;
export const STATUS_EXPIRED = 3;

const SYMBOL = 0;
const QTY = 1;
const TYPE = 2;
/** The stop or limit level; NaN for `price: null` (a market order). */
const PRICE = 3;
const PLACED_AT = 4;
/** Index into the model names; −1 for `model: null`. */
const MODEL = 5;
const REASON = 6;
const STATUS = 7;
/** NaN for `closedAt: null`. */
const CLOSED_AT = 8;
const FILLED = 9;
const WIDTH = 10;

const codeOf = <T>(names: readonly T[], name: T): number => {
  const code = names.indexOf(name);
  if (code < 0) throw new InvariantError(`unknown order field value '${String(name)}'`);
  return code;
};

export class OrderLog {
  private readonly log = new RowChunks(WIDTH);
  private readonly made: OrderRecord[] = [];
  private readonly modelNames: string[];

  /** @param keepsFilled each record carries `filled` (execution.max_participation is set) */
  constructor(
    private readonly symbols: readonly string[],
    modelNames: readonly string[],
    private readonly keepsFilled: boolean,
  ) {
    this.modelNames = [...modelNames];
  }

  /** Orders placed (the last id). */
  get rows(): number {
    return this.log.rows;
  }

  /** Order id's field at `field`. */
  private get(id: number, field: number): number {
    return this.log.chunk(id - 1)[this.log.offset(id - 1) + field]!;
  }

  private set(id: number, field: number, value: number): void {
    this.log.chunk(id - 1)[this.log.offset(id - 1) + field] = value;
  }

  /** A new open order; returns its id (1-based, sequential). */
  add(s: number, qty: number, type: OrderType, price: number | null, placedAt: number, model: string | null, reason: OrderReason): number {
    const r = this.log.add();
    const v = this.log.chunk(r);
    const at = this.log.offset(r);
    v[at + SYMBOL] = s;
    v[at + QTY] = qty;
    v[at + TYPE] = type === 'market' ? 0 : type === 'stop' ? 1 : codeOf(TYPES, type);
    v[at + PRICE] = price === null ? NaN : price;
    v[at + PLACED_AT] = placedAt;
    v[at + MODEL] = model === null ? -1 : this.modelIndex(model);
    v[at + REASON] = reason === 'rebalance' ? 0 : codeOf(REASONS, reason);
    v[at + STATUS] = STATUS_OPEN;
    v[at + CLOSED_AT] = NaN;
    v[at + FILLED] = 0;
    return r + 1;
  }

  private modelIndex(name: string): number {
    let m = this.modelNames.indexOf(name);
    if (m < 0) m = this.modelNames.push(name) - 1;
    return m;
  }

  status(id: number): number {
    return this.get(id, STATUS);
  }

  symbolIndex(id: number): number {
    return this.get(id, SYMBOL);
  }

  filled(id: number): number {
    return this.get(id, FILLED);
  }

  type(id: number): OrderType {
    return TYPES[this.get(id, TYPE)]!;
  }

  reason(id: number): OrderReason {
    return REASONS[this.get(id, REASON)]!;
  }

  /** Set order id's status and the time it changed (NaN: open again, `closedAt: null`). */
  close(id: number, status: number, closedAt: number): void {
    this.set(id, STATUS, status);
    this.set(id, CLOSED_AT, closedAt);
    if (id <= this.made.length) {
      const o = this.made[id - 1]!;
      o.status = STATUSES[status]!;
      o.closedAt = closedAt === closedAt ? closedAt : null;
    }
  }

  /** Set order id's filled quantity (kept in its record when `keepsFilled`). */
  setFilled(id: number, filled: number): void {
    this.set(id, FILLED, filled);
    if (id <= this.made.length && this.keepsFilled) this.made[id - 1]!.filled = filled;
  }

  /** Relabel order id's reason (the paper broker's kill switch): its record is replaced by a copy saying so. */
  relabel(id: number, reason: OrderReason): void {
    this.set(id, REASON, codeOf(REASONS, reason));
    if (id <= this.made.length) this.made[id - 1] = { ...this.made[id - 1]!, reason };
  }

  /** Order id's record (made now with every record before it, if not made yet). */
  record(id: number): OrderRecord {
    this.makeUpTo(id);
    return this.made[id - 1]!;
  }

  /** Every order's record, in id order: the records not made yet are appended to the one array returned. */
  records(): OrderRecord[] {
    this.makeUpTo(this.rows);
    return this.made;
  }

  private makeUpTo(id: number): void {
    const made = this.made;
    for (let i = made.length; i < id; i++) {
      const v = this.log.chunk(i);
      const at = this.log.offset(i);
      const price = v[at + PRICE]!;
      const model = v[at + MODEL]!;
      const closedAt = v[at + CLOSED_AT]!;
      // the fields in the order the broker has always written them (the result digest hashes records in key order)
      const o: OrderRecord = {
        id: i + 1, symbol: this.symbols[v[at + SYMBOL]!]!, qty: v[at + QTY]!, type: TYPES[v[at + TYPE]!]!, price: price === price ? price : null,
        placedAt: v[at + PLACED_AT]!, model: model < 0 ? null : this.modelNames[model]!, reason: REASONS[v[at + REASON]!]!,
        status: STATUSES[v[at + STATUS]!]!, closedAt: closedAt === closedAt ? closedAt : null,
      };
      if (this.keepsFilled) o.filled = v[at + FILLED]!;
      made.push(o);
    }
  }

  /** Replace every row with `orders` (a snapshot's, ids 1…n in order); their records are these very records. */
  restore(orders: readonly OrderRecord[], symbolIndex: ReadonlyMap<string, number>): void {
    this.log.clear();
    this.made.length = 0;
    for (const o of orders) {
      const id = this.add(symbolIndex.get(o.symbol)!, o.qty, o.type, o.price, o.placedAt, o.model, o.reason);
      this.set(id, STATUS, codeOf(STATUSES, o.status));
      this.set(id, CLOSED_AT, o.closedAt === null ? NaN : o.closedAt);
      this.set(id, FILLED, o.filled ?? 0);
      this.made.push(o);
    }
  }
}
