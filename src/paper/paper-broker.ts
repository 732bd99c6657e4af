/**
 * The PaperBroker (docs/paper.md "Brokers"): paper fills with exactly the backtest's execution
 * model, by composition — it wraps the Trader's SimulatedBroker (execution/simulated-broker.ts), so
 * fills, prices, costs, participation caps, funding and borrow come from the one copy of that code.
 * What it adds is what paper trading needs and a backtest does not:
 *
 *   - a kill switch: once `halt(reason)` is called every working order and model stop is cancelled,
 *     and every later `submit` is refused saying why (the loop also stops stepping); `flatten()`
 *     then closes every position at the last close, through the simulated broker's own
 *     close-out path (its liquidation fill: the execution model's taker costs, shared among the
 *     models' sleeves pro rata), the order and fill labelled `kill_switch`;
 *   - a journal of what happened since the last bar (`drain()`): orders placed and fills, for the
 *     orders log and the dashboard, taken from the simulated broker's own order and fill logs by
 *     position (no second copy of the book).
 */
import type { Broker, FillListener, OrderRequest, SubmitResult } from '../execution/broker.js';
import type { SimulatedBroker } from '../execution/simulated-broker.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';

export interface BrokerActivity {
  readonly orders: readonly OrderRecord[];
  readonly fills: readonly FillRecord[];
}

/**
 * What the paper loop needs from the book it trades on, beyond the Trader's own use of it: the kill
 * switch, the journal of what happened since the last bar, and the open orders. The PaperBroker
 * (here) gives it over the SimulatedBroker; VenuePaperBroker (venue-paper-broker.ts) over a venue.
 */
export interface PaperBook {
  readonly halted: string | null;
  halt(reason: string): void;
  flatten(mark: Float64Array): OrderRecord[];
  drain(): BrokerActivity;
  resync(): void;
  openOrders(): OrderRecord[];
}

export class PaperBroker implements Broker, PaperBook {
  private haltReason: string | null = null;
  private ordersSeen: number;
  private fillsSeen: number;

  constructor(readonly sim: SimulatedBroker) {
    this.ordersSeen = sim.orderCount;
    this.fillsSeen = sim.fills.length;
  }

  get halted(): string | null {
    return this.haltReason;
  }

  /** Engage the kill switch: cancel every working order and model stop; refuse new orders. */
  halt(reason: string): void {
    if (this.haltReason !== null) return;
    this.haltReason = reason;
    const sim = this.sim;
    for (let s = 0; s < sim.symbols; s++) {
      if (sim.workingOrderId[s] !== 0) sim.cancelWorking(s, sim.now);
      for (let m = 0; m < sim.models; m++) sim.cancelStop(m, s, sim.now);
      sim.hasOrders[s] = 0;
    }
  }

  /**
   * Close every position at its symbol's last close (the kill switch, docs/paper.md "Safety"): one
   * market order per symbol, filled at once as a taker at `mark[s]` with the execution model's
   * slippage and fees (SimulatedBroker.liquidate, the one close-out path), relabelled `kill_switch`.
   * Returns the orders placed (their fills are in the fill log, read by `drain()`).
   */
  flatten(mark: Float64Array): OrderRecord[] {
    const sim = this.sim;
    const placed: OrderRecord[] = [];
    for (let s = 0; s < sim.symbols; s++) {
      const q = sim.account.position[s]!;
      const j = sim.barIndex[s]!;
      if (q === 0 || j < 0 || !(mark[s]! > 0)) continue;
      const fillsBefore = sim.fills.length;
      const id = sim.liquidate(s, j, mark[s]!, false);
      // the records are plain data: replace them with copies naming why (the account is already booked)
      sim.relabelOrder(id, 'kill_switch');
      for (let f = fillsBefore; f < sim.fills.length; f++) sim.fills[f] = { ...sim.fills[f]!, reason: 'kill_switch' };
      placed.push(sim.orderRecord(id));
    }
    return placed;
  }

  submit(request: OrderRequest): SubmitResult {
    if (this.haltReason !== null) return { accepted: false, reason: `order ${request.clientId}: the kill switch is engaged (${this.haltReason}); no orders are sent` };
    return this.sim.submit(request);
  }

  cancel(clientId: string): boolean {
    return this.sim.cancel(clientId);
  }

  order(clientId: string): OrderRecord | undefined {
    return this.sim.order(clientId);
  }

  position(symbol: string): number {
    return this.sim.position(symbol);
  }

  cash(): number {
    return this.sim.cash();
  }

  onFill(listener: FillListener): void {
    this.sim.onFill(listener);
  }

  /** Orders placed and fills made since the last call (or since construction / `resync`). */
  drain(): BrokerActivity {
    const sim = this.sim;
    const orders = sim.orders.slice(this.ordersSeen);
    const fills = sim.fills.slice(this.fillsSeen);
    this.ordersSeen = sim.orderCount;
    this.fillsSeen = sim.fills.length;
    return { orders, fills };
  }

  /** After the simulated broker's logs were restored from a snapshot: count from there. */
  resync(): void {
    this.ordersSeen = this.sim.orderCount;
    this.fillsSeen = this.sim.fills.length;
  }

  /** Orders still open (working orders and model stops). */
  openOrders(): OrderRecord[] {
    const out: OrderRecord[] = [];
    const sim = this.sim;
    for (const id of sim.workingOrderId) if (id !== 0 && sim.orderRecord(id).status === 'open') out.push(sim.orderRecord(id));
    for (const id of sim.stopOrderId) if (id !== 0 && sim.orderRecord(id).status === 'open') out.push(sim.orderRecord(id));
    return out;
  }
}
