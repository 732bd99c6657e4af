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

// The cells of an order's row (width 5, or 6 when the log keeps `filled`).
const QTY = 0;
/** The stop or limit level; NaN for `price: null` (a market order). */
const PRICE = 1;
const PLACED_AT = 2;
/** NaN for `closedAt: null`. */
const CLOSED_AT = 3;
/** The small fields packed into one integer (`packCodes`). */
const CODES = 4;
/** Only in a log that keeps `filled` (execution.max_participation set). */
const FILLED = 5;

/**
 * An order's small fields as one integer, exact in a double (below 2^53 for symbols × (models + 1)
 * below 2^46): status + 4·type + 16·reason + 128·(symbol + S·(model + 1)), S the number of symbols,
 * model −1 for none. The status is the lowest two bits, so it is read with `& 3` (ToInt32 keeps the
 * low 32 bits of any integer, so this holds above 2^31 too) and changed without unpacking the rest;
 * the model is the highest part, as the log may learn new model names (`modelIndex`). One cell
 * instead of five halves an order's row (80 → 40 bytes: a 1M-bar run writes ~40 000 rows into fresh
 * memory, docs/backtest-engine.md "Speed").
 */
const STATUS_SPAN = 4;
const TYPE_SPAN = 4;
const REASON_SPAN = 8;
const LOW_SPAN = STATUS_SPAN * TYPE_SPAN * REASON_SPAN;

export function packCodes(symbols: number, symbol: number, model: number, type: number, reason: number, status: number): number {
  return status + STATUS_SPAN * (type + TYPE_SPAN * reason) + LOW_SPAN * (symbol + symbols * (model + 1));
}

/** The status of packed codes (see `packCodes`). */
export const statusOf = (codes: number): number => codes & (STATUS_SPAN - 1);
/** The type and reason codes of packed codes. */
export const typeOf = (codes: number): number => ((codes & (LOW_SPAN - 1)) >> 2) & (TYPE_SPAN - 1);
export const reasonOf = (codes: number): number => (codes & (LOW_SPAN - 1)) >> 4;
/** The symbol and model (−1: none) of packed codes: divisions of exact integers below 2^53, exact. */
export const symbolOf = (symbols: number, codes: number): number => {
  const high = Math.floor(codes / LOW_SPAN);
  return high - symbols * Math.floor(high / symbols);
};
export const modelOf = (symbols: number, codes: number): number => Math.floor(Math.floor(codes / LOW_SPAN) / symbols) - 1;

const codeOf = <T>(names: readonly T[], name: T): number => {
  const code = names.indexOf(name);
  if (code < 0) throw new InvariantError(`unknown order field value '${String(name)}'`);
  return code;
};

export class OrderLog {
  private readonly log: RowChunks;
  private readonly made: OrderRecord[] = [];
  private readonly modelNames: string[];

  /** @param keepsFilled each record carries `filled` (execution.max_participation is set) */
  constructor(
    private readonly symbols: readonly string[],
    modelNames: readonly string[],
    private readonly keepsFilled: boolean,
  ) {
    this.modelNames = [...modelNames];
    this.log = new RowChunks(keepsFilled ? FILLED + 1 : CODES + 1);
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
    const typeCode = type === 'market' ? 0 : type === 'stop' ? 1 : codeOf(TYPES, type);
    const reasonCode = reason === 'rebalance' ? 0 : codeOf(REASONS, reason);
    const modelCode = model === null ? -1 : this.modelIndex(model);
    v[at + QTY] = qty;
    v[at + PRICE] = price === null ? NaN : price;
    v[at + PLACED_AT] = placedAt;
    v[at + CLOSED_AT] = NaN;
    v[at + CODES] = packCodes(this.symbols.length, s, modelCode, typeCode, reasonCode, STATUS_OPEN);
    if (this.keepsFilled) v[at + FILLED] = 0;
    return r + 1;
  }

  private modelIndex(name: string): number {
    let m = this.modelNames.indexOf(name);
    if (m < 0) m = this.modelNames.push(name) - 1;
    return m;
  }

  private codes(id: number): number {
    return this.get(id, CODES);
  }

  status(id: number): number {
    return statusOf(this.codes(id));
  }

  symbolIndex(id: number): number {
    return symbolOf(this.symbols.length, this.codes(id));
  }

  /** Order id's filled quantity (a log that keeps it; 0 otherwise). */
  filled(id: number): number {
    return this.keepsFilled ? this.get(id, FILLED) : 0;
  }

  type(id: number): OrderType {
    return TYPES[typeOf(this.codes(id))]!;
  }

  reason(id: number): OrderReason {
    return REASONS[reasonOf(this.codes(id))]!;
  }

  /** Set order id's status and the time it changed (NaN: open again, `closedAt: null`). */
  close(id: number, status: number, closedAt: number): void {
    const v = this.log.chunk(id - 1);
    const at = this.log.offset(id - 1);
    const codes = v[at + CODES]!;
    v[at + CODES] = codes - statusOf(codes) + status;
    v[at + CLOSED_AT] = closedAt;
    if (id <= this.made.length) {
      const o = this.made[id - 1]!;
      o.status = STATUSES[status]!;
      o.closedAt = closedAt === closedAt ? closedAt : null;
    }
  }

  /** Set order id's filled quantity (kept, and in its record, when `keepsFilled`). */
  setFilled(id: number, filled: number): void {
    if (!this.keepsFilled) return;
    this.set(id, FILLED, filled);
    if (id <= this.made.length) this.made[id - 1]!.filled = filled;
  }

  /** Relabel order id's reason (the paper broker's kill switch): its record is replaced by a copy saying so. */
  relabel(id: number, reason: OrderReason): void {
    const codes = this.codes(id);
    const S = this.symbols.length;
    this.set(id, CODES, packCodes(S, symbolOf(S, codes), modelOf(S, codes), typeOf(codes), codeOf(REASONS, reason), statusOf(codes)));
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
    const S = this.symbols.length;
    for (let i = made.length; i < id; i++) {
      const v = this.log.chunk(i);
      const at = this.log.offset(i);
      const price = v[at + PRICE]!;
      const codes = v[at + CODES]!;
      const model = modelOf(S, codes);
      const closedAt = v[at + CLOSED_AT]!;
      // the fields in the order the broker has always written them (the result digest hashes records in key order)
      const o: OrderRecord = {
        id: i + 1, symbol: this.symbols[symbolOf(S, codes)]!, qty: v[at + QTY]!, type: TYPES[typeOf(codes)]!, price: price === price ? price : null,
        placedAt: v[at + PLACED_AT]!, model: model < 0 ? null : this.modelNames[model]!, reason: REASONS[reasonOf(codes)]!,
        status: STATUSES[statusOf(codes)]!, closedAt: closedAt === closedAt ? closedAt : null,
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
      this.close(id, codeOf(STATUSES, o.status), o.closedAt === null ? NaN : o.closedAt);
      if (this.keepsFilled) this.set(id, FILLED, o.filled ?? 0);
      this.made.push(o);
    }
  }
}
