/**
 * Funding-extreme trigger. For settlement k with rate F_k:
 *
 *   z_k = (F_k − mean(F_{k−L} … F_{k−1})) / sd(F_{k−L} … F_{k−1})   (sample sd, n − 1)
 *
 * defined from k = L on (warm-up: the first L settlements never trigger; sd = 0 never triggers).
 * z_k ≥ +zMax → a down drift (−1: crowded longs unwind), z_k ≤ −zMax → an up drift (+1).
 * Uses only settlements up to k. O(n·L) two-pass moments (L ≈ 90, a few hundred thousand
 * operations), so the test's re-implementation agrees to the last bit.
 *
 * @returns signed events, ±(row + 1) of the settlement bar
 */
export function fundingExtremeEvents(
  settlementRows: ArrayLike<number>,
  rates: ArrayLike<number>,
  zMax: number,
  lookback: number,
): number[] {
  const out: number[] = [];
  for (let k = lookback; k < rates.length; k++) {
    let mean = 0;
    for (let j = k - lookback; j < k; j++) mean += rates[j]!;
    mean /= lookback;
    let ss = 0;
    for (let j = k - lookback; j < k; j++) {
      const d = rates[j]! - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / (lookback - 1));
    if (!(sd > 0)) continue;
    const z = (rates[k]! - mean) / sd;
    const row = settlementRows[k]!;
    if (z >= zMax) out.push(-(row + 1));
    else if (z <= -zMax) out.push(row + 1);
  }
  return out;
}
