/**
 * The book of one sweep combo (docs/optimize.md, "Sweep kernel"): what the fast path's book
 * (src/backtest/fast-path-book.ts `FastBook`) does for the runs the kernel covers — long or flat,
 * one model, fills at the next open, no rebalance band, no funding — and nothing a trial does not
 * read. Cash, position, fees and traded notional go through the engine's `Account`, the executed
 * price and costs through `fillCost`, the order size through `roundToLot`, the weight through
 * `sizeWeight`, and each fill straight into the engine's `TradeTracker` (P&L only, its numbers
 * handed over in a `FillRecord`): the one copy of
 * each of those formulas. What it leaves out, the fast path keeps for the result a trial never
 * builds: the order, fill and event logs (and their replay into the tracker), the model attribution
 * and sleeve ledgers, the decision count and trace.
 *
 * Where the fast path would stop or hand over, the kernel declines and the full backtest runs:
 * a weight that is not finite, a weight above `limitFreeUpTo` (the fast path then asks
 * applyRiskLimits and stops at a breach), a fill price that is not positive and finite (the fast
 * path throws). test/optimize/sma-sweep.test.ts compares the stored outcome byte for byte.
 */
import { averageDailyVolume } from '../execution/adv.js';
import { Account } from '../execution/account.js';
import { fillCost, newFillCost } from '../execution/costs.js';
import { roundToLot } from '../execution/lots.js';
import type { CostRates, LotRule } from '../execution/types.js';
import { sizeWeight, type Sizing } from '../models/lib/sizing.js';
import { FILL_FEE, FILL_PRICE, FILL_QTY, FILL_Q_BEFORE, FILL_TS, newFillRecord, TradeTracker } from '../backtest/engine-trades.js';
import type { SymbolData } from '../backtest/engine-data.js';

/**
 * What every book of one sweep shares. Classes whose numbers live in Float64Arrays, not an object
 * literal: when this was a literal made per setup, V8 changed its shape at a worker's second setup
 * and threw away the compiled kernel that read it — the first sweep on new data then ran its first
 * blocks unoptimised (`--trace-deopt`: "code dependencies" at the literal; a constant budget
 * removed one of them, so a field's representation — a small integer once, a double the next time —
 * was one cause). Engine objects (the symbol's data, its cost rates and lot rule) are copied in so
 * that the kernel reads only these shapes.
 */
export class SweepMarket {
  readonly symbol: string;
  readonly open: Float64Array;
  readonly barTs: Float64Array;
  readonly rates: SweepRates;
  readonly lot: SweepLot;
  /** The ADV the impact cost reads (execution/adv.ts), computed once per sweep when impact is on. */
  readonly adv: LazyAdv;
  /** Initial capital, the model's budget, and the |weight| up to which no risk limit binds (`limitFreeUpTo`). */
  private readonly numbers: Float64Array;

  constructor(d: SymbolData, rates: CostRates, lot: LotRule, initialCapital: number, budget: number, free: number, advDays: number) {
    this.symbol = d.symbol;
    this.open = d.open;
    this.barTs = d.ts;
    this.rates = new SweepRates(rates);
    this.lot = new SweepLot(lot);
    this.adv = new LazyAdv(d, advDays);
    this.numbers = Float64Array.of(initialCapital, budget, free);
  }

  get initialCapital(): number {
    return this.numbers[0]!;
  }

  get budget(): number {
    return this.numbers[1]!;
  }

  get free(): number {
    return this.numbers[2]!;
  }
}

/** A symbol's cost rates (execution/types.ts `CostRates`), the same values. */
class SweepRates implements CostRates {
  private readonly values: Float64Array;

  constructor(r: CostRates) {
    this.values = Float64Array.of(r.maker, r.taker, r.slippage, r.impactCoef, r.borrow);
  }

  get maker(): number {
    return this.values[0]!;
  }

  get taker(): number {
    return this.values[1]!;
  }

  get slippage(): number {
    return this.values[2]!;
  }

  get impactCoef(): number {
    return this.values[3]!;
  }

  get borrow(): number {
    return this.values[4]!;
  }
}

/** A symbol's lot rule (execution/types.ts `LotRule`), the same values. */
class SweepLot implements LotRule {
  private readonly values: Float64Array;

  constructor(l: LotRule) {
    this.values = Float64Array.of(l.lotSize, l.minQty, l.minNotional);
  }

  get lotSize(): number {
    return this.values[0]!;
  }

  get minQty(): number {
    return this.values[1]!;
  }

  get minNotional(): number {
    return this.values[2]!;
  }
}

export class SweepBook {
  /** Cash, position and costs (execution/account.ts); trades are tracked here, P&L only. */
  readonly account: Account;
  readonly trades: TradeTracker;
  /** Target weight of the last decision; the working order's quantity and decision time. */
  private readonly state = new Float64Array(4);
  /** The fill's price and costs (`fillCost` writes all four; `newFillCost`'s fields are doubles from the start). */
  private readonly cost = newFillCost();
  /** The fill handed to the trade tracker (engine-trades.ts `FillRecord`: no heap number per fill). */
  private readonly fillRecord = newFillRecord();

  constructor(
    private readonly market: SweepMarket,
    private readonly sizing: Sizing,
  ) {
    this.account = new Account([market.symbol], [market.lot], market.initialCapital, false);
    this.trades = new TradeTracker([market.symbol], false);
  }

  get cash(): number {
    return this.account.cash;
  }

  get q(): number {
    return this.account.position[0]!;
  }

  /** The risk-limited target weight of the last decision (FastBook.tgt). */
  get tgt(): number {
    return this.state[TGT]!;
  }

  /** When the working order was decided (it fills at the first bar opening at or after it). */
  get placed(): number {
    return this.state[PLACED]!;
  }

  /**
   * The model's decision at a new side `sd` (FastBook.decide: the weight, the aggregated weight, the
   * target). Returns 1 when the target moved, 0 when not, −1 when the kernel must decline.
   */
  decide(sd: number, nav: number, mark: number): number {
    const budget = this.market.budget;
    const w = sd === 0 ? 0 : sd * sizeWeight(this.sizing, mark, budget * nav);
    if (!Number.isFinite(w)) return -1;
    // the aggregated weight (engine.ts: 0 + Σ_m B_m·w_m); above `free` a risk limit would bind
    const rw = 0 + budget * w;
    if (!(Math.abs(rw) <= this.market.free)) return -1;
    const state = this.state;
    const moved = Math.abs(rw - state[PREV]!) > 1e-12 ? 1 : 0;
    state[PREV] = rw;
    state[TGT] = rw;
    return moved;
  }

  /**
   * The order to the target at NAV `nav` and close `mark`, decided at `t` (FastBook.send without a
   * same-close fill): any working order is cancelled; true when a new one is working.
   */
  send(nav: number, mark: number, t: number): boolean {
    const qty = roundToLot((this.state[TGT]! * nav) / mark - this.q, mark, this.market.lot);
    if (qty === 0) return false;
    this.state[QTY] = qty;
    this.state[PLACED] = t;
    return true;
  }

  /** The working order fills at the open of bar j (FastBook.fillPending); false where the fast path would throw. */
  fill(j: number): boolean {
    const { open, barTs, rates } = this.market;
    const qty = this.state[QTY]!;
    const ref = open[j]!;
    if (!(ref > 0 && ref < Infinity) || !(qty === qty)) return false;
    const ts = barTs[j]!;
    const c = fillCost(qty, ref, 'taker', rates, rates.impactCoef > 0 ? this.market.adv.get()[j]! : NaN, this.cost);
    const rec = this.fillRecord;
    rec[FILL_Q_BEFORE] = this.q;
    rec[FILL_QTY] = qty;
    rec[FILL_PRICE] = c.price;
    rec[FILL_FEE] = c.fee;
    rec[FILL_TS] = ts;
    this.account.applyFill(0, qty, c.price, c.fee, c.slippage, c.impact, ts);
    this.trades.onFillRecord(0, rec);
    return true;
  }
}

const TGT = 0;
const PREV = 1;
const QTY = 2;
const PLACED = 3;

/**
 * The ADV of a symbol's bars, computed on first use (what FastBook.costOf computes per book). A class
 * rather than a closure per sweep: a function-valued field that differs from one setup to the next
 * changes the market object's shape, and V8 then throws away the compiled kernel.
 */
export class LazyAdv {
  private adv: Float64Array | null = null;

  constructor(
    private readonly d: SymbolData,
    private readonly days: number,
  ) {}

  get(): Float64Array {
    return (this.adv ??= averageDailyVolume(this.d.ts, this.d.volume, this.days));
  }
}
