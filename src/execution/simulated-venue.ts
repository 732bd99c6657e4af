/**
 * The seam between the Trader and a venue it steps bar by bar (docs/backtest-engine.md "Trader,
 * Broker, Clock"). `Broker` (broker.ts) is what any executor offers: submit, cancel, order state,
 * positions, cash, fill events. A venue the Trader drives one bar close at a time offers these hooks
 * besides, and the Trader and its PortfolioTargets depend on nothing else:
 *
 *   bar hooks      onBar (meet working orders and stops with bar j), onFunding, onBorrow,
 *                  liquidate / writeOff (the margin check's close-out), `now` (the latest close)
 *   targets        place / cancelWorking the rebalance order of a symbol, placeStop / cancelStop a
 *                  model's protective stop (the orders the portfolio engine's target weights become)
 *   book views     the Account (the one place cash changes), the working-order kind and stop level
 *                  per symbol, which symbols have orders, each symbol's bar cursor, a version bumped
 *                  on every order, fill or cancel, and the order and fill logs
 *
 * `SimulatedBroker` is the implementation of a backtest and of paper trading on the PaperBroker.
 * `VenueBook` (engine/venue-book.ts) is the implementation over an exchange adapter: its bar hooks
 * are no-ops (the venue fills, funds and liquidates by itself), its orders go to the adapter, and
 * the adapter's fill events are booked as they arrive.
 */
import type { Account } from './account.js';
import type { Broker } from './broker.js';
import type { FillRecord, OrderReason, OrderRecord, OrderType } from './types.js';
import type { SleeveFillSink } from './simulated-broker.js';

/**
 * An order as `place` takes it. The caller keeps one and rewrites it per order (PortfolioTargets):
 * passed as arguments to a call V8 does not inline, each double is a heap allocation (docs/
 * backtest-engine.md "Speed"). The number fields start as NaN so V8 gives them a double representation.
 */
export class OrderTicket {
  /** Signed quantity, lot-rounded. */
  qty = NaN;
  type: OrderType = 'market';
  /** The stop or limit level (NaN for a market order). */
  level = NaN;
  /** When it is placed (the latest bar close). */
  t = NaN;
  /** The model it belongs to, or null for a net portfolio order. */
  model: string | null = null;
  reason: OrderReason = 'rebalance';
  /** The symbol's latest close: a same-close market order fills at it; a venue values the order with it. */
  mark = NaN;
}

export interface SimulatedVenue extends Broker {
  // ---- bar hooks (the Trader, step 1)
  /** Meet symbol s's working order and model stops with its bar j. */
  onBar(s: number, j: number): void;
  /** Settle perpetual funding at the close of bar j. */
  onFunding(s: number, j: number): void;
  /** Charge short borrow at the close of bar j. */
  onBorrow(s: number, j: number): void;
  /** Close the whole position in s at `price` (the margin level, or the open when the bar gapped through it); returns the order's id. */
  liquidate(s: number, j: number, price: number, gap: boolean): number;
  /** Write off equity left below 0 after the liquidation of s. */
  writeOff(s: number, amount: number): void;
  /** The latest bar close the venue was told of (orders are placed at it). */
  now: number;
  /**
   * True for an exchange (engine/venue-book.ts): it liquidates by itself, so the Trader runs no
   * margin check of its own; absent or false, the Trader liquidates at the margin level (margin.ts).
   */
  readonly liquidatesItself?: boolean;

  // ---- orders from target weights (PortfolioTargets, steps 4–5)
  /** Place symbol s's working order (`order`: read during the call only); returns its id (its record is in `orders`). */
  place(s: number, order: Readonly<OrderTicket>): number;
  /** Cancel symbol s's working order, if any, at `t` (default: `now`). */
  cancelWorking(s: number, t?: number): void;
  placeStop(model: number, s: number, level: number, t: number): void;
  /** Cancel model's stop on symbol s, if any, at `t` (default: `now`). */
  cancelStop(model: number, s: number, t?: number): void;
  /** Route fills, funding and borrow to the Trader's sleeves (and model stops to their quantities). */
  attachSleeves(sink: SleeveFillSink, sleeveQty: Float64Array): void;

  // ---- book views
  readonly account: Account;
  /** Working-order kind per symbol (simulated-broker.ts NO_ORDER, MARKET_ORDER, …). */
  readonly workingKind: Uint8Array;
  /** Model stop level per model × symbol (NaN: none). */
  readonly stopLevel: Float64Array;
  /** 1 when a symbol has a working order or a model stop. */
  readonly hasOrders: Uint8Array;
  /** Current bar index per symbol (the Trader's cursor). */
  readonly barIndex: Int32Array;
  /** Bumped on every order, fill or cancel. */
  readonly version: number;
  readonly orders: readonly OrderRecord[];
  readonly fills: readonly FillRecord[];
}
