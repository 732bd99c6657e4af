/**
 * The Broker seam (docs/backtest-engine.md "Trader, Broker, Clock"): what the Trader needs from
 * whoever executes its orders — the simulated broker of a backtest (simulated-broker.ts) or an
 * exchange adapter in paper or live trading. One interface, so the same Trader runs in all three.
 *
 *   submit   an order under a client order id; submitting the same id again returns the order it
 *            already made (idempotent: a retry after a timeout never doubles an order)
 *   cancel   a working order by client id
 *   order    an order's state (status, filled quantity) by client id
 *   position / cash   the account as the broker holds it (the Trader reconciles against these)
 *   onFill   fill events, in the order they happen
 *
 * A rejected order says why in one line and changes nothing.
 */
import type { FillRecord, OrderRecord, OrderReason, OrderType } from './types.js';

export interface OrderRequest {
  /** Caller's id for the order: unique per order, reused only to retry the same order. */
  readonly clientId: string;
  readonly symbol: string;
  /** Signed quantity in units: positive buys, negative sells. */
  readonly qty: number;
  readonly type: OrderType;
  /** Limit or stop level; omitted for market orders. */
  readonly price?: number;
  /**
   * Stop orders only: the worst price once triggered, making a stop-limit. Venue brokers send it
   * where the venue has stop-limits (docs/brokers.md "Stop orders"); the simulated broker refuses it.
   */
  readonly limitPrice?: number;
  readonly reason?: OrderReason;
}

export type SubmitResult =
  | { readonly accepted: true; readonly order: OrderRecord; readonly duplicate: boolean }
  | { readonly accepted: false; readonly reason: string };

export type FillListener = (fill: FillRecord) => void;

export interface Broker {
  submit(request: OrderRequest): SubmitResult;
  /** Cancel a working order; false when there is none under that id (unknown, filled or already closed). */
  cancel(clientId: string): boolean;
  order(clientId: string): OrderRecord | undefined;
  position(symbol: string): number;
  cash(): number;
  onFill(listener: FillListener): void;
}
