/**
 * Split finding on a node's gradient histogram (Chen & Guestrin 2016, eq. 6–7; docs/ml.md "Splits").
 * With G, H the node's gradient and hessian sums and λ the L2 penalty on leaf values:
 *
 *   leaf value  w* = −G / (H + λ)
 *   split gain  = ½ [ G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ) ] − γ
 *
 * A split is taken only when its gain is > 0 and both children have at least `minSamplesLeaf` rows
 * and `minChildWeight` hessian. Candidate thresholds are the bin boundaries of each active feature.
 *
 * Missing values (sparsity-aware split finding, Chen & Guestrin §3.4): for every threshold both
 * directions are tried — missing rows with the left child and with the right child — and the one
 * with the larger gain becomes the split's default direction. A node that saw no missing rows sends
 * them to the child with more training rows. The last boundary also offers "all values left, missing
 * right", so a split on missingness itself is possible. Ties keep the first candidate (lower
 * feature, lower bin, missing-right before missing-left), which makes the search deterministic.
 */
import { MISSING_BIN } from './binning.js';
import { SLOT_WIDTH } from './histogram.js';

export interface SplitRules {
  /** L2 penalty λ on leaf values. */
  readonly lambda: number;
  /** Minimum gain γ (subtracted from every split's gain). */
  readonly gamma: number;
  readonly minSamplesLeaf: number;
  readonly minChildWeight: number;
}

/** The best split of a node, written into a reusable record. gain ≤ 0 means none. */
export interface SplitChoice {
  gain: number;
  feature: number;
  /** Rows with bin ≤ bin go left. */
  bin: number;
  missingLeft: boolean;
  leftG: number; leftH: number; leftCount: number;
}

export const newSplitChoice = (): SplitChoice => ({ gain: 0, feature: -1, bin: -1, missingLeft: false, leftG: 0, leftH: 0, leftCount: 0 });

/** ½·G²/(H + λ): a node's contribution to the objective reduction. */
export const nodeScore = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

export function splitGain(gl: number, hl: number, gr: number, hr: number, lambda: number, gamma: number): number {
  return 0.5 * (nodeScore(gl, hl, lambda) + nodeScore(gr, hr, lambda) - nodeScore(gl + gr, hl + hr, lambda)) - gamma;
}

/** The optimal leaf value −G/(H + λ) (before shrinkage). */
export const leafWeight = (g: number, h: number, lambda: number): number => (h + lambda > 0 ? -g / (h + lambda) : 0);

/**
 * Search every active feature of `hist` for the best split of a node with totals (g, h, count).
 * `valueBins[f]` is feature f's number of value bins.
 */
export function findBestSplit(
  hist: Float64Array, active: Int32Array, activeCount: number, valueBins: Int32Array,
  g: number, h: number, count: number, rules: SplitRules, out: SplitChoice,
): SplitChoice {
  out.gain = 0; out.feature = -1; out.bin = -1; out.missingLeft = false;
  const { lambda, gamma, minSamplesLeaf, minChildWeight } = rules;
  const parent = nodeScore(g, h, lambda);
  for (let a = 0; a < activeCount; a++) {
    const f = active[a]!;
    const base = (f << 8) * SLOT_WIDTH;
    const mk = base + MISSING_BIN * SLOT_WIDTH;
    const gm = hist[mk]!, hm = hist[mk + 1]!, cm = hist[mk + 2]!;
    let gl = 0, hl = 0, cl = 0;
    const nb = valueBins[f]!;
    for (let b = 0; b < nb; b++) {
      const k = base + b * SLOT_WIDTH;
      gl += hist[k]!; hl += hist[k + 1]!; cl += hist[k + 2]!;
      if (cl === 0) continue;
      // Missing right: left = bins 0..b.
      const last = b === nb - 1;
      if (!last || cm > 0) consider(f, b, false, gl, hl, cl);
      // Missing left: left = bins 0..b plus missing (not at the last bin: that would be everything).
      if (cm > 0 && !last) consider(f, b, true, gl + gm, hl + hm, cl + cm);
      if (count - cl - cm === 0) break; // every value row is already left
    }
  }
  return out;

  function consider(f: number, b: number, missingLeft: boolean, lg: number, lh: number, lc: number): void {
    const rc = count - lc, rh = h - lh;
    if (lc < minSamplesLeaf || rc < minSamplesLeaf || lh < minChildWeight || rh < minChildWeight) return;
    const gain = 0.5 * (nodeScore(lg, lh, lambda) + nodeScore(g - lg, rh, lambda) - parent) - gamma;
    if (gain > out.gain) {
      out.gain = gain; out.feature = f; out.bin = b; out.missingLeft = missingLeft;
      out.leftG = lg; out.leftH = lh; out.leftCount = lc;
    }
  }
}
