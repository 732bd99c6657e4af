/**
 * Model sleeves: each model's share of the account (seed 003 §4.1 attribution). Per model m and
 * asset s (model-major index m × S + s) it keeps the model's weight, its risk-scaled contribution,
 * its target quantity and its attributed quantity; per model, the cash and costs booked to it.
 * Σ_m sleeve quantity = account position, and Σ_m (cash_m + Σ_s q_m(s) · mark(s)) = NAV − initial
 * capital (portfolio/attribution.ts).
 *
 * The account (execution/account.ts) changes cash; the sleeves only split each event among models:
 *
 *   a model stop's fill  → all of it to that model (its weight, contribution and target drop to 0)
 *   a working order fill → re-attribute the position (attributeAsset), each model's change Δq_m at the
 *                          fill price, the fee, slippage and impact pro rata to |Δq_m|
 *   funding              → each model pays on its own quantity
 *   borrow               → the models holding the short, pro rata to their short quantity
 *   a liquidation        → every model's weight, contribution and target in the asset drop to 0, then
 *                          as a working order fill (each model's Δq_m closes its share); a write-off
 *                          after it is shared like its fee
 */
import type { FillAmounts } from '../execution/account.js';
import { fundingPayment } from '../execution/funding.js';
import { LIQUIDATION_FILL, type SleeveFillSink } from '../execution/simulated-broker.js';
import { attributeAsset } from '../portfolio/attribution.js';

export class ModelSleeves implements SleeveFillSink {
  /** Model weights as decided, relative to the model's budget. */
  readonly weight: Float64Array;
  /** Contribution to the NAV weight after the risk limits (budget × weight × risk scale). */
  readonly scaledContribution: Float64Array;
  /** Target quantity of the model (contribution × NAV / mark). */
  readonly targetQty: Float64Array;
  /** Attributed quantity: Σ_m = the account position. */
  readonly qty: Float64Array;
  /** 1 where model m trades asset s. */
  readonly eligible: Uint8Array;
  // per model
  readonly cash: Float64Array;
  readonly fees: Float64Array;
  readonly slippage: Float64Array;
  readonly impact: Float64Array;
  readonly funding: Float64Array;
  readonly borrow: Float64Array;
  readonly decisions: Float64Array;
  /** A model stop filled since the targets were last recomputed. */
  stopFired = false;
  /** Scratch: each model's change of quantity at the last re-attribution. */
  readonly delta: Float64Array;

  constructor(
    readonly symbols: number,
    readonly models: number,
    universes: readonly (readonly number[])[],
    private readonly position: Float64Array,
  ) {
    const cells = models * symbols;
    this.weight = new Float64Array(cells);
    this.scaledContribution = new Float64Array(cells);
    this.targetQty = new Float64Array(cells);
    this.qty = new Float64Array(cells);
    this.eligible = new Uint8Array(cells);
    universes.forEach((u, m) => u.forEach((s) => (this.eligible[m * symbols + s] = 1)));
    this.cash = new Float64Array(models);
    this.fees = new Float64Array(models);
    this.slippage = new Float64Array(models);
    this.impact = new Float64Array(models);
    this.funding = new Float64Array(models);
    this.borrow = new Float64Array(models);
    this.decisions = new Float64Array(models);
    this.delta = new Float64Array(models);
  }

  onFill(s: number, f: Readonly<FillAmounts>, stopModel: number): void {
    const qty = f.qty;
    const price = f.price;
    const fee = f.fee;
    const slippage = f.slippage;
    const impact = f.impact;
    const flow = qty * price;
    const S = this.symbols;
    const M = this.models;
    if (stopModel >= 0) {
      const i = stopModel * S + s;
      this.qty[i]! += qty;
      this.weight[i] = 0;
      this.scaledContribution[i] = 0;
      this.targetQty[i] = 0;
      this.cash[stopModel]! -= flow + fee;
      this.fees[stopModel]! += fee;
      this.slippage[stopModel]! += slippage;
      this.impact[stopModel]! += impact;
      this.stopFired = true;
      return;
    }
    if (stopModel === LIQUIDATION_FILL) {
      for (let m = 0; m < M; m++) {
        const i = m * S + s;
        this.weight[i] = 0;
        this.scaledContribution[i] = 0;
        this.targetQty[i] = 0;
      }
      this.stopFired = true;
    }
    this.reattribute(s);
    let sumAbs = 0;
    for (let m = 0; m < M; m++) sumAbs += Math.abs(this.delta[m]!);
    for (let m = 0; m < M; m++) {
      const dm = this.delta[m]!;
      const share = sumAbs > 0 ? Math.abs(dm) / sumAbs : m === 0 ? 1 : 0;
      this.cash[m]! -= dm * price + fee * share;
      this.fees[m]! += fee * share;
      this.slippage[m]! += slippage * share;
      this.impact[m]! += impact * share;
    }
  }

  /** Re-attribute the position in asset s to the models' targets (changes into `delta`). */
  reattribute(s: number): void {
    attributeAsset(s, this.symbols, this.models, this.position[s]!, this.targetQty, this.qty, this.eligible, this.delta);
  }

  onFunding(s: number, close: number, rate: number): void {
    for (let m = 0; m < this.models; m++) {
      const pm = fundingPayment(this.qty[m * this.symbols + s]!, close, rate);
      this.cash[m]! += pm;
      this.funding[m]! -= pm;
    }
  }

  onBorrow(s: number, fee: number): void {
    const S = this.symbols;
    const M = this.models;
    let shortSum = 0;
    for (let m = 0; m < M; m++) {
      const q = this.qty[m * S + s]!;
      if (q < 0) shortSum -= q;
    }
    for (let m = 0; m < M; m++) {
      const q = this.qty[m * S + s]!;
      const share = shortSum > 0 ? (q < 0 ? -q / shortSum : 0) : m === 0 ? 1 : 0;
      if (share === 0) continue;
      this.cash[m]! -= fee * share;
      this.borrow[m]! += fee * share;
    }
  }

  onWriteOff(_s: number, amount: number): void {
    const M = this.models;
    let sumAbs = 0;
    for (let m = 0; m < M; m++) sumAbs += Math.abs(this.delta[m]!);
    for (let m = 0; m < M; m++) this.cash[m]! += amount * (sumAbs > 0 ? Math.abs(this.delta[m]!) / sumAbs : m === 0 ? 1 : 0);
  }

  /** P&L of model m marked at `mark`: its cash plus its quantities' value. */
  valueOf(m: number, mark: Float64Array): number {
    let v = this.cash[m]!;
    const row = m * this.symbols;
    for (let s = 0; s < this.symbols; s++) {
      const q = this.qty[row + s]!;
      if (q !== 0) v += q * mark[s]!;
    }
    return v;
  }
}
