/**
 * Attribution of every position to its models (seed 003 §4.1 "maintains attribution mapping").
 *
 * Each model m holds an attributed quantity q_m(a) of asset a, and Σ_m q_m(a) = q(a) always. After
 * any change of the actual quantity q(a) (a fill) or of the model targets tq_m(a) (a decision):
 *
 *   q_m(a) = tq_m(a) + (q(a) − Σ_k tq_k(a)) × share_m(a)
 *
 * i.e. each model holds its target and the residual (lot rounding, unfilled orders, risk clamps) is
 * shared in proportion to |tq_m|, or to |q_m| before the update when every target is 0, or equally
 * among the models that trade the asset when none holds anything. Each change Δq_m is booked in the
 * model's cash at the price of the event (fill price for fills, the close for re-attribution at a
 * decision), so Σ_m (cash_m + Σ_a q_m(a)·p(a)) = NAV − initial capital exactly: attribution sums
 * to the portfolio.
 *
 * Layout: model-major flat arrays, index m × S + a.
 */

/**
 * Recompute q_m(a) for one asset. Returns nothing; writes `qm` and accumulates each model's change
 * into `delta` (index m).
 * @param eligible 1 where model m trades asset a (index m × S + a)
 */
export function attributeAsset(
  a: number,
  S: number,
  M: number,
  q: number,
  tq: Float64Array,
  qm: Float64Array,
  eligible: Uint8Array,
  delta: Float64Array,
): void {
  let sumTq = 0;
  let sumAbsTq = 0;
  let sumAbsQm = 0;
  let nEligible = 0;
  for (let m = 0; m < M; m++) {
    const i = m * S + a;
    sumTq += tq[i]!;
    sumAbsTq += Math.abs(tq[i]!);
    sumAbsQm += Math.abs(qm[i]!);
    nEligible += eligible[i]!;
  }
  const residual = q - sumTq;
  for (let m = 0; m < M; m++) {
    const i = m * S + a;
    let share: number;
    if (sumAbsTq > 0) share = Math.abs(tq[i]!) / sumAbsTq;
    else if (sumAbsQm > 0) share = Math.abs(qm[i]!) / sumAbsQm;
    else if (nEligible > 0) share = eligible[i]! / nEligible;
    else share = m === 0 ? 1 : 0;
    const next = tq[i]! + residual * share;
    delta[m] = next - qm[i]!;
    qm[i] = next;
  }
}

/**
 * Split an amount (a fee, a funding payment) among models in proportion to weights (e.g. |Δq_m| for
 * a fill's costs, |q_m| for funding); equal split among eligible models when every weight is 0.
 * Adds to `acc[m]`.
 */
export function splitAmount(amount: number, weights: Float64Array, M: number, acc: Float64Array): void {
  if (amount === 0) return;
  let sum = 0;
  for (let m = 0; m < M; m++) sum += Math.abs(weights[m]!);
  if (sum === 0) {
    acc[0]! += amount;
    return;
  }
  for (let m = 0; m < M; m++) acc[m]! += (amount * Math.abs(weights[m]!)) / sum;
}
