/**
 * The account a broker keeps: cash, positions and the cost ledger, in account currency. This is the
 * one place where a fill, a funding payment or a borrow fee changes cash (docs/backtest-engine.md
 * "Where cash changes"):
 *
 *   fill:    cash −= qty × price + fee        (qty signed: a buy spends, a sell receives)
 *   funding: cash += −qty × close × rate      (execution/funding.ts)
 *   borrow:  cash −= |qty| × close × rate × bar length / 365 d   (execution/borrow.ts)
 *   write-off after a liquidation: cash += shortfall below zero equity (execution/margin.ts)
 *   venue reconcile (engine/venue-book.ts): cash and a position set to the venue's figures
 *
 * Beside the totals it keeps the same amounts per asset (index s), and the round-trip trades built
 * from the fills (backtest/engine-trades.ts). Attribution to models is not the account's business:
 * the Trader's sleeves (engine/sleeves.ts) split each event among models.
 */
import { cleanQty, lotDecimals } from './lots.js';
import type { LotRule } from './types.js';
import { TradeTracker } from '../backtest/engine-trades.js';

/**
 * A fill's numbers, handed by reference from the broker to the account, the sleeves and the fill log.
 * Passed as arguments to a call V8 does not inline, each double is a heap allocation: about 20 per
 * fill, most of the event engine's garbage per trade (docs/backtest-engine.md "Speed"). The fields
 * start as NaN so that V8 gives them a double representation from the start.
 */
export class FillAmounts {
  /** Signed quantity (positive buys). */
  qty = NaN;
  /** The reference price (the open, a stop or limit level, the close) and the executed price. */
  ref = NaN;
  price = NaN;
  fee = NaN;
  /** Ledger entries in currency at the reference price (already in `price`). */
  slippage = NaN;
  impact = NaN;
  /** The fill's time (epoch ms). */
  ts = NaN;
}

export class Account {
  /**
   * Starts as NaN (set by the constructor): a number field declared bare starts undefined (ES2022
   * class fields), a representation in which V8 boxes every number stored, one allocation per fill
   * here (docs/backtest-engine.md "Speed").
   */
  cash = NaN;
  /** Position per asset (units, signed), rounded to the lot's decimals after every fill. */
  readonly position: Float64Array;
  // totals
  fees = 0;
  slippage = 0;
  impact = 0;
  fundingPaid = 0;
  borrowPaid = 0;
  traded = 0;
  /** Shortfalls written off after liquidations (0 unless a liquidation left equity below 0). */
  writtenOff = 0;
  /** Σ cash taken from a venue's reconcile beyond the booked fills (its funding, fee tiers, fills never seen). */
  reconciled = 0;
  /**
   * Bumped by every call that changes cash or a position (fill, funding, borrow, write-off, venue
   * reconcile) and by a snapshot's restore: a Trader that logs its steps skips the comparison with
   * its last log row while this is unchanged (engine/trader.ts `logStep`). An integer, so a bump
   * allocates nothing.
   */
  changes = 0;
  // per asset: cash flows, costs and traded notional
  readonly cashByAsset: Float64Array;
  readonly feesByAsset: Float64Array;
  readonly slippageByAsset: Float64Array;
  readonly impactByAsset: Float64Array;
  readonly fundingByAsset: Float64Array;
  readonly borrowByAsset: Float64Array;
  readonly tradedByAsset: Float64Array;
  readonly trades: TradeTracker;
  readonly quantityDecimals: Int32Array;

  /**
   * @param tracksTrades build round-trip trades from the fills as they come (the fast path, which
   *   derives its trades from its logs afterwards, turns this off)
   */
  constructor(symbols: readonly string[], lots: readonly LotRule[], initialCapital: number, private readonly tracksTrades = true) {
    const n = symbols.length;
    this.cash = initialCapital;
    this.position = new Float64Array(n);
    this.cashByAsset = new Float64Array(n);
    this.feesByAsset = new Float64Array(n);
    this.slippageByAsset = new Float64Array(n);
    this.impactByAsset = new Float64Array(n);
    this.fundingByAsset = new Float64Array(n);
    this.borrowByAsset = new Float64Array(n);
    this.tradedByAsset = new Float64Array(n);
    this.trades = new TradeTracker(symbols);
    this.quantityDecimals = Int32Array.from(lots, (l) => lotDecimals(l.lotSize));
  }

  /** A fill of `qty` units of asset s at the executed `price`, paying `fee`; slippage and impact are ledger entries (already in the price). */
  applyFill(s: number, qty: number, price: number, fee: number, slippage: number, impact: number, ts: number): void {
    const before = this.position[s]!;
    this.changes++;
    this.position[s] = cleanQty(before + qty, this.quantityDecimals[s]!);
    const flow = qty * price;
    this.cash -= flow + fee;
    this.fees += fee;
    this.slippage += slippage;
    this.impact += impact;
    const notional = Math.abs(flow);
    this.traded += notional;
    this.cashByAsset[s]! -= flow + fee;
    this.feesByAsset[s]! += fee;
    this.slippageByAsset[s]! += slippage;
    this.impactByAsset[s]! += impact;
    this.tradedByAsset[s]! += notional;
    if (this.tracksTrades) this.trades.onFill(s, before, qty, price, fee, ts);
  }

  /**
   * `applyFill` with the fill's numbers in an object (see `FillAmounts`): the simulated broker's and
   * a venue book's calls. `applyFill` keeps its arguments for the fast path's and the optimiser's
   * books, whose hot loops V8 inlines it into (as the optimiser measured, an `applyFill` that
   * delegated changed that inlining and doubled the sweep's garbage: docs/optimize.md).
   */
  bookFill(s: number, f: Readonly<FillAmounts>): void {
    this.applyFill(s, f.qty, f.price, f.fee, f.slippage, f.impact, f.ts);
  }

  /** A funding payment `pay` received (negative: paid) on asset s. */
  applyFunding(s: number, pay: number): void {
    this.changes++;
    this.cash += pay;
    this.fundingPaid -= pay;
    this.cashByAsset[s]! += pay;
    this.fundingByAsset[s]! -= pay;
    if (this.tracksTrades) this.trades.onFunding(s, pay);
  }

  /**
   * Equity below zero after a liquidation written off (execution/margin.ts): cash rises by `amount`
   * (> 0), booked on asset s, whose liquidation left the shortfall.
   */
  writeOff(s: number, amount: number): void {
    this.changes++;
    this.cash += amount;
    this.writtenOff += amount;
    this.cashByAsset[s]! += amount;
  }

  /**
   * A venue's figures win over the book (engine/venue-book.ts): cash moves to `cash`, the difference
   * kept in `reconciled`; a position is set with `reconcilePosition`. Neither is a fill: the trade log
   * does not see them.
   */
  reconcileCash(cash: number): void {
    this.changes++;
    this.reconciled += cash - this.cash;
    this.cash = cash;
  }

  reconcilePosition(s: number, qty: number): void {
    this.changes++;
    this.position[s] = cleanQty(qty, this.quantityDecimals[s]!);
  }

  /** A borrow fee (≥ 0) paid on the short position in asset s. */
  applyBorrow(s: number, fee: number): void {
    this.changes++;
    this.cash -= fee;
    this.borrowPaid += fee;
    this.cashByAsset[s]! -= fee;
    this.borrowByAsset[s]! += fee;
    if (this.tracksTrades) this.trades.onBorrow(s, fee);
  }
}
