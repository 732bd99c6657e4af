/** Run-length encoding of regime codes: compact, JSON-safe truth labels. */
import { REGIME_NAMES, type RegimeName, type RegimeRuns } from './types.js';

/** [first row, regime] at row 0 and wherever the label changes. */
export function encodeRuns(codes: ArrayLike<number>): RegimeRuns {
  const out: (readonly [number, RegimeName])[] = [];
  let prev = -1;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c !== prev) {
      out.push([i, REGIME_NAMES[c]!]);
      prev = c;
    }
  }
  return out;
}

/** Regime code (index into REGIME_NAMES) of every row 0 … n − 1. */
export function expandRuns(runs: RegimeRuns, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let k = 0; k < runs.length; k++) {
    const [from, name] = runs[k]!;
    const to = k + 1 < runs.length ? runs[k + 1]![0] : n;
    out.fill(REGIME_NAMES.indexOf(name), Math.max(0, from), Math.min(n, to));
  }
  return out;
}
