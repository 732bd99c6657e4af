/**
 * Quantile histogram binning (the `hist` method of XGBoost, Chen & Guestrin 2016 §3.3; LightGBM,
 * Ke et al. 2017): each feature's finite values are cut into at most `maxBin` bins at quantiles of
 * its training values, and every cell is stored as one byte. A split then only considers bin
 * boundaries, so finding it costs O(bins) per feature instead of O(rows).
 *
 * Bin b of a feature holds the values x ≤ upper[b] (and > upper[b−1]); the last bin's upper edge is
 * +∞. When a feature has at most `maxBin` distinct values each gets its own bin and the edges sit
 * half-way between neighbours. Missing values (NaN) go to the reserved bin MISSING_BIN; which child
 * they follow is learned per split (split.ts). Thresholds in a fitted tree are these upper edges, so
 * routing a raw value by `x ≤ threshold` is exactly routing its bin.
 */
import { UserError } from '../../core/errors.js';

/** Bins per feature slot in a histogram: value bins 0..254, missing 255. */
export const BIN_SLOTS = 256;
export const MISSING_BIN = 255;
export const MAX_VALUE_BINS = 255;
/**
 * Rows read to place the cut points: every row up to this many (XGBoost's `hist` sketches every
 * row), evenly spaced rows beyond (deterministic). With a 100,000-row sample of a 1M-row table the
 * cuts' ranks were off by ≈ 0.4 of a bin's width (sd of a sample quantile, √(p(1−p)/m) ≈ 0.0016
 * against a bin of 1/255 ≈ 0.0039), unlike XGBoost's; see docs/ml.md "Bins and missing values".
 */
const SKETCH_ROWS = 1 << 22;

export interface BinEdges {
  /** Per feature: ascending upper edges, the last +∞. */
  readonly upper: readonly Float64Array[];
}

/**
 * The bin matrix twice: row-major bins[row * stride + f] (histogram building reads a row's
 * features together), each row padded with zeros to `stride` = 4 · rowWords(features) bytes so the
 * histogram loop can read it as whole 32-bit words (`words`, a view of the same memory), and
 * feature-major columns[f * rows + row] (partitioning a node reads one feature of its rows, in
 * ascending row order, so a column is read nearly sequentially).
 */
export interface BinnedMatrix {
  readonly rows: number;
  readonly features: number;
  readonly stride: number;
  readonly bins: Uint8Array;
  readonly words: Uint32Array;
  readonly columns: Uint8Array;
  /** Missing (NaN) cells per feature. */
  readonly missing: Float64Array;
}

// The histogram loop reads four bins per 32-bit word (the first feature in the low byte), and
// sortFloat64 reads a double's low half first: both assume a little-endian processor.
if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) throw new Error('gbdt binning assumes a little-endian processor');

/** 32-bit words per row of the row-major bin matrix (features rounded up to a multiple of 4 bytes). */
export const rowWords = (features: number): number => (features + 3) >> 2;

/**
 * Features whose values are copied out of the row-major matrix in one pass: one pass per group of
 * this many columns instead of one strided pass over the whole table per column (a 1M × 30 table is
 * 240 MB; eight doubles are one 64-byte cache line).
 */
const COPY_GROUP = 8;

/** Cut points for each column of a row-major matrix x (rows × features). */
export function fitBinEdges(x: Float64Array, rows: number, features: number, maxBin: number): BinEdges {
  return { upper: fitColumnEdges(x, rows, features, maxBin, 0, features) };
}

/**
 * Cut points of columns first .. last of x. Each column's edges depend on that column alone, so
 * threads can fit disjoint ranges (pool.ts) and get the same edges to the bit as one call over all.
 */
export function fitColumnEdges(x: Float64Array, rows: number, features: number, maxBin: number, first: number, last: number): Float64Array[] {
  if (!(maxBin >= 2 && maxBin <= MAX_VALUE_BINS)) throw new UserError(`max bins must be 2..${MAX_VALUE_BINS}, got ${maxBin}`, '--max-bin');
  const step = Math.max(1, rows / SKETCH_ROWS);
  const sampled = Math.min(rows, SKETCH_ROWS);
  const upper: Float64Array[] = [];
  const group = Math.min(COPY_GROUP, last - first);
  const values = Array.from({ length: group }, () => new Float64Array(sampled));
  const counts = new Int32Array(group);
  const scratch = new Float64Array(sampled);
  const digitCounts = new Int32Array(4 * RADIX_DIGITS);
  for (let from = first; from < last; from += group) {
    const width = Math.min(group, last - from);
    counts.fill(0);
    // The sampled rows in ascending order (every row when step is 1), NaN left out.
    for (let s = 0; s < sampled; s++) {
      const base = (step === 1 ? s : Math.floor(s * step)) * features + from;
      for (let j = 0; j < width; j++) { const v = x[base + j]!; if (v === v) values[j]![counts[j]!++] = v; }
    }
    for (let j = 0; j < width; j++) {
      const column = values[j]!.subarray(0, counts[j]!);
      sortFloat64(column, scratch, digitCounts);
      upper.push(edgesOf(column, maxBin));
    }
  }
  return upper;
}

const RADIX_DIGITS = 1 << 16;

/**
 * Sort finite-or-infinite doubles (no NaN) ascending in place, the same order as
 * Float64Array.prototype.sort (−0 before +0): an LSD radix sort over four 16-bit digits of each
 * value's bits mapped to an unsigned key (negative: every bit flipped; positive: the sign bit set),
 * which orders keys as the numbers they encode. A digit every key shares is skipped. `scratch` holds
 * at least a.length doubles, `digitCounts` 4 · 2^16 counts. 1M normal values: 41 ms of CPU against
 * 129 ms for the built-in sort (test/ml/gbdt-kernel.test.ts checks it against the built-in sort).
 */
export function sortFloat64(a: Float64Array, scratch: Float64Array, digitCounts: Int32Array): void {
  const n = a.length;
  const u = new Uint32Array(a.buffer, a.byteOffset, 2 * n), t = new Uint32Array(scratch.buffer, scratch.byteOffset, 2 * n);
  digitCounts.fill(0);
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = u[i]!, hi = u[i + 1]!;
    if (hi >= 0x80000000) { lo = ~lo >>> 0; hi = ~hi >>> 0; } else hi = (hi | 0x80000000) >>> 0;
    u[i] = lo; u[i + 1] = hi;
    digitCounts[lo & 0xffff]!++; digitCounts[RADIX_DIGITS + (lo >>> 16)]!++;
    digitCounts[2 * RADIX_DIGITS + (hi & 0xffff)]!++; digitCounts[3 * RADIX_DIGITS + (hi >>> 16)]!++;
  }
  let src = u, dst = t;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * RADIX_DIGITS, half = pass >> 1, shift = (pass & 1) << 4;
    if (n === 0 || digitCounts[base + ((src[half]! >>> shift) & 0xffff)] === n) continue;
    for (let d = 0, sum = 0; d < RADIX_DIGITS; d++) { const c = digitCounts[base + d]!; digitCounts[base + d] = sum; sum += c; }
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = src[i]!, hi = src[i + 1]!;
      const at = 2 * digitCounts[base + (((half ? hi : lo) >>> shift) & 0xffff)]!++;
      dst[at] = lo; dst[at + 1] = hi;
    }
    const swap = src; src = dst; dst = swap;
  }
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = src[i]!, hi = src[i + 1]!;
    if (hi >= 0x80000000) hi = (hi & 0x7fffffff) >>> 0; else { lo = ~lo >>> 0; hi = ~hi >>> 0; }
    u[i] = lo; u[i + 1] = hi;
  }
}

function edgesOf(sorted: Float64Array, maxBin: number): Float64Array {
  if (sorted.length === 0) return Float64Array.of(Infinity);
  let distinctCount = 1;
  for (let i = 1; i < sorted.length && distinctCount <= maxBin; i++) if (sorted[i] !== sorted[i - 1]) distinctCount++;
  if (distinctCount <= maxBin) {
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    const out = new Float64Array(distinct.length);
    for (let b = 0; b + 1 < distinct.length; b++) out[b] = (distinct[b]! + distinct[b + 1]!) / 2;
    out[distinct.length - 1] = Infinity;
    return out;
  }
  // Upper edges at the k/maxBin quantiles (k = 1 .. maxBin−1), de-duplicated, then +∞.
  const cuts: number[] = [];
  for (let k = 1; k < maxBin; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / maxBin))]!;
    if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
  }
  cuts.push(Infinity);
  return Float64Array.from(cuts);
}

/** The bin of one value: the first upper edge ≥ x (MISSING_BIN for NaN). */
export function binOf(upper: Float64Array, x: number): number {
  if (Number.isNaN(x)) return MISSING_BIN;
  let lo = 0, hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= upper[mid]!) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/**
 * Cells of the guess grid binMatrix lays over each feature's range of finite edges: a value's cell
 * gives the bin of the cell's left end, from which at most a step or two finds the value's own bin.
 */
const GUESS_CELLS = 1024;

/**
 * Bin every cell in one pass over the rows, writing both layouts. A value's bin — the first upper
 * edge ≥ x, binOf's answer — is found from a guess: an evenly spaced grid of GUESS_CELLS cells over
 * the feature's finite edges gives the bin of the cell's left end, and the search steps up while the
 * edge is < x and down while the edge below is ≥ x, so any guess gives the exact bin
 * (test/ml/gbdt-kernel.test.ts checks every cell against a linear scan). With 255 quantile bins most
 * cells hold at most one edge, so a value costs one or two comparisons instead of eight
 * unpredictable halvings. Each feature's upper edges are padded with +∞ to BIN_SLOTS entries.
 * `shared`: both layouts in SharedArrayBuffers (for the worker pool, pool.ts), not copied there later.
 */
export function binMatrix(edges: BinEdges, x: Float64Array, rows: number, features: number, shared = false): BinnedMatrix {
  if (edges.upper.length !== features) throw new UserError(`the model has ${edges.upper.length} features, the data ${features}`, 'features');
  const stride = 4 * rowWords(features);
  const bytes = (n: number): Uint8Array => new Uint8Array(shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
  const bins = bytes(rows * stride);
  const columns = bytes(rows * features);
  const missing = new Float64Array(features);
  binRows(edges, x, rows, features, 0, rows, bins, columns, missing);
  return { rows, features, stride, bins, words: new Uint32Array(bins.buffer), columns, missing };
}

/**
 * binMatrix's pass over rows from .. to: their cells into `bins` (row-major, stride 4 · rowWords
 * bytes) and `columns` (feature-major), their missing cells added to `missing`. Rows are
 * independent, so threads can bin disjoint ranges into shared arrays (pool.ts).
 */
export function binRows(
  edges: BinEdges, x: Float64Array, rows: number, features: number, from: number, to: number,
  bins: Uint8Array, columns: Uint8Array, missing: Float64Array,
): void {
  const stride = 4 * rowWords(features);
  const padded = new Float64Array(features * BIN_SLOTS).fill(Infinity);
  edges.upper.forEach((u, f) => padded.set(u, f * BIN_SLOTS));
  const { low, scale, guess } = guessGrid(edges);
  for (let r = from; r < to; r++) {
    const base = r * stride, at = r * features;
    for (let f = 0; f < features; f++) {
      const v = x[at + f]!;
      let b = MISSING_BIN;
      if (v === v) {
        const cell = (v - low[f]!) * scale[f]!;
        b = guess[f * GUESS_CELLS + (cell >= GUESS_CELLS - 1 ? GUESS_CELLS - 1 : cell > 0 ? cell | 0 : 0)]!;
        const e = f * BIN_SLOTS;
        while (padded[e + b]! < v) b++;
        while (b > 0 && padded[e + b - 1]! >= v) b--;
      } else {
        missing[f]!++;
      }
      bins[base + f] = b;
      columns[f * rows + r] = b;
    }
  }
}

/** Per feature: the grid's left end, cells per unit of x (0 when the edges give no finite width) and each cell's starting bin. */
function guessGrid(edges: BinEdges): { low: Float64Array; scale: Float64Array; guess: Uint8Array } {
  const features = edges.upper.length;
  const low = new Float64Array(features), scale = new Float64Array(features), guess = new Uint8Array(features * GUESS_CELLS);
  edges.upper.forEach((u, f) => {
    const first = u[0]!, last = u.length > 1 ? u[u.length - 2]! : first;
    const s = GUESS_CELLS / (last - first);
    low[f] = Number.isFinite(first) ? first : 0;
    scale[f] = Number.isFinite(s) && s > 0 && Number.isFinite(first) ? s : 0;
    for (let c = 0; c < GUESS_CELLS; c++) guess[f * GUESS_CELLS + c] = scale[f]! > 0 ? binOf(u, low[f]! + c / scale[f]!) : 0;
  });
  return { low, scale, guess };
}
