/**
 * Blocked time-series cross-validation with purge and embargo (López de Prado 2018, "Advances in
 * Financial Machine Learning", §7.4). The bars that carry rows are cut into `k` contiguous test
 * blocks. A row at bar t has the label window (t, t + h]. For a test block of bars [a, b] the test
 * labels span (a, b + h], so a training row must end its window by a — t ≤ a − h — or start after
 * the test labels and the embargo — t ≥ b + h + embargo. No training label window then overlaps a
 * test label window (checked by `labelOverlaps`, test/alpha/folds.test.ts).
 */
import { UserError } from '../core/errors.js';

export interface Fold {
  readonly index: number;
  /** First and last bar of the test block. */
  readonly testFrom: number;
  readonly testTo: number;
  /** Row indices (into the design), ascending. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export interface FoldSpec {
  readonly folds: number;
  /** Label horizon in bars (the purge). */
  readonly horizon: number;
  /** Bars dropped after each test block's labels end. @default horizon */
  readonly embargo: number;
}

export function purgedFolds(rowBar: Int32Array, spec: FoldSpec): Fold[] {
  const bars = [...new Set(rowBar)].sort((a, b) => a - b);
  if (bars.length < spec.folds * 2) throw new UserError(`too few bars with data (${bars.length}) for ${spec.folds} folds`, 'fit');
  const out: Fold[] = [];
  for (let f = 0; f < spec.folds; f++) {
    const a = bars[Math.floor((f * bars.length) / spec.folds)]!;
    const b = bars[Math.floor(((f + 1) * bars.length) / spec.folds) - 1]!;
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < rowBar.length; r++) {
      const t = rowBar[r]!;
      if (t >= a && t <= b) test.push(r);
      else if (t <= a - spec.horizon || t >= b + spec.horizon + spec.embargo) train.push(r);
    }
    out.push({ index: f, testFrom: a, testTo: b, train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/**
 * Pairs of (train row, test row) whose label windows overlap, given each row's label window
 * (start exclusive, end inclusive, in bars). Empty for a correctly purged fold.
 */
export function labelOverlaps(fold: Fold, labelStart: (row: number) => number, labelEnd: (row: number) => number, limit = 10): [number, number][] {
  let testLo = Infinity, testHi = -Infinity;
  for (const r of fold.test) { testLo = Math.min(testLo, labelStart(r)); testHi = Math.max(testHi, labelEnd(r)); }
  const out: [number, number][] = [];
  for (const r of fold.train) {
    const s = labelStart(r), e = labelEnd(r);
    if (e <= testLo || s >= testHi) continue; // disjoint from the whole test span
    for (const q of fold.test) {
      if (e > labelStart(q) && s < labelEnd(q)) { out.push([r, q]); if (out.length >= limit) return out; break; }
    }
  }
  return out;
}

/**
 * The leakage check every fit runs before cross-validating: with each row's label window
 * (bar, bar + labelHorizon], no training row of any fold may overlap a test row's window. Throws one
 * line naming the fold and the first offending pair of bars (a fold builder without purge, or a label
 * longer than the purge, is caught here).
 */
export function assertPurged(folds: readonly Fold[], rowBar: Int32Array, labelHorizon: number): void {
  for (const f of folds) {
    const bad = labelOverlaps(f, (r) => rowBar[r]!, (r) => rowBar[r]! + labelHorizon, 1);
    if (bad.length) {
      const [train, test] = bad[0]!;
      throw new UserError(`fold ${f.index + 1}: the label window of training bar ${rowBar[train]} overlaps test bar ${rowBar[test]}'s (purge failed)`, 'fit');
    }
  }
}
