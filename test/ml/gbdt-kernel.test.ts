/**
 * The boosted-trees kernel against straightforward implementations written here: cut points (sort
 * each column, then the k/maxBin quantiles or the mid-points of at most maxBin distinct values), the
 * bin of every cell (the first upper edge ≥ x, found by a linear scan), and gradient histograms (one
 * plain loop per node summing g, h and 1 into the cell's bin). docs/ml.md "Speed" describes the fast
 * paths these check.
 */
import { describe, expect, it } from 'vitest';
import { binMatrix, BIN_SLOTS, fitBinEdges, MISSING_BIN, rowWords, sortFloat64 } from '../../src/ml/gbdt/binning.js';
import { accumulateCompact, accumulateHistogram, clearHistogram, compactLength, histogramLength, setKnownCounts, SLOT_WIDTH, sumCompact, tableBinCounts } from '../../src/ml/gbdt/histogram.js';
import { gatherChunks, partitionChunk } from '../../src/ml/gbdt/partition.js';
import { createRng } from '../../src/core/rng.js';

/** Columns of every kind binning meets: continuous, ties, few distinct values, NaN, ±∞, −0, constant. */
function awkwardTable(rows: number): { x: Float64Array; features: number } {
  const features = 6;
  const rng = createRng(11, 'kernel');
  const x = new Float64Array(rows * features);
  for (let r = 0; r < rows; r++) {
    const b = r * features;
    x[b] = rng.normal();
    x[b + 1] = Math.round(rng.normal() * 40) / 4; // many ties, more than 255 distinct values
    x[b + 2] = [0, -0, 1, 2.5, 7][r % 5]!; // five distinct values (−0 equal to 0)
    x[b + 3] = rng.uniform() < 0.2 ? NaN : rng.uniform() < 0.05 ? (r % 2 ? Infinity : -Infinity) : rng.normal();
    x[b + 4] = 3; // constant
    x[b + 5] = rng.uniform() < 0.5 ? NaN : r; // half missing, all distinct
  }
  return { x, features };
}

/** The cut points, computed the plain way: sort, then distinct mid-points or quantile ranks. */
function plainEdges(column: number[], maxBin: number): number[] {
  const sorted = column.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
  if (distinct.length === 0) return [Infinity];
  if (distinct.length <= maxBin) return [...distinct.slice(1).map((v, i) => (distinct[i]! + v) / 2), Infinity];
  const cuts: number[] = [];
  for (let k = 1; k < maxBin; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / maxBin))]!;
    if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
  }
  return [...cuts, Infinity];
}

/** The first upper edge ≥ x by a linear scan; NaN → the missing bin. */
const plainBin = (upper: ArrayLike<number>, v: number): number => {
  if (Number.isNaN(v)) return MISSING_BIN;
  for (let b = 0; b < upper.length; b++) if (v <= upper[b]!) return b;
  throw new Error('no edge ≥ x: the last edge must be +∞');
};

describe('sorting a column (radix sort)', () => {
  it('orders doubles as the built-in typed-array sort does, bit for bit (±0, ±∞, ties, subnormals, one digit shared)', () => {
    const rng = createRng(3, 'kernel-sort');
    const cases: number[][] = [
      [],
      [1],
      Array.from({ length: 5000 }, () => rng.normal() * 10 ** Math.floor(rng.uniform() * 12 - 6)),
      Array.from({ length: 3000 }, (_, i) => [0, -0, 1, -2.5, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MIN_VALUE][i % 10]!),
      Array.from({ length: 2000 }, () => Math.round(rng.normal() * 40) / 4),
      Array.from({ length: 2000 }, (_, i) => 1 + i * 2 ** -40), // only the low digits differ
    ];
    const digitCounts = new Int32Array(4 << 16);
    for (const values of cases) {
      const want = Float64Array.from(values).sort();
      const got = Float64Array.from(values);
      sortFloat64(got, new Float64Array(got.length), digitCounts);
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`position ${i}: ${got[i]}, want ${want[i]}`);
    }
  });
});

describe('binning', () => {
  const rows = 3000;
  const { x, features } = awkwardTable(rows);
  const column = (f: number): number[] => Array.from({ length: rows }, (_, r) => x[r * features + f]!);

  for (const maxBin of [255, 16, 2]) {
    it(`cut points match the plain sort-and-quantile computation (max bins ${maxBin})`, () => {
      const edges = fitBinEdges(x, rows, features, maxBin);
      for (let f = 0; f < features; f++) expect(Array.from(edges.upper[f]!)).toEqual(plainEdges(column(f), maxBin));
    });

    it(`every cell's bin is the first upper edge ≥ x, in both layouts (max bins ${maxBin})`, () => {
      const edges = fitBinEdges(x, rows, features, maxBin);
      // Also bin values sitting exactly on every edge and just either side of it.
      const probe: number[] = [];
      for (let f = 0; f < features; f++) for (const e of edges.upper[f]!) if (Number.isFinite(e)) probe.push(e, e - 1e-9, e + 1e-9);
      const extraRows = Math.ceil(probe.length / features);
      const all = new Float64Array((rows + extraRows) * features);
      all.set(x);
      for (let i = 0; i < probe.length; i++) all[rows * features + i] = probe[i]!;
      for (let i = probe.length; i < extraRows * features; i++) all[rows * features + i] = NaN;
      const n = rows + extraRows;
      const binned = binMatrix(edges, all, n, features);
      const missing = new Array<number>(features).fill(0);
      for (let r = 0; r < n; r++) {
        for (let f = 0; f < features; f++) {
          const want = plainBin(edges.upper[f]!, all[r * features + f]!);
          if (want === MISSING_BIN) missing[f]!++;
          if (binned.bins[r * binned.stride + f] !== want || binned.columns[f * n + r] !== want) {
            throw new Error(`row ${r} feature ${f} (x = ${all[r * features + f]}): bins ${binned.bins[r * binned.stride + f]}, columns ${binned.columns[f * n + r]}, want ${want}`);
          }
        }
        for (let p = features; p < binned.stride; p++) if (binned.bins[r * binned.stride + p] !== 0) throw new Error(`row ${r}: padding byte ${p} is not 0`);
      }
      expect(binned.stride).toBe(4 * rowWords(features));
      expect(binned.words.buffer).toBe(binned.bins.buffer);
      expect(Array.from(binned.missing)).toEqual(missing);
    });
  }
});

// Feature counts 8, 5, 6, 7 leave 0, 1, 2, 3 bins in a row's last 32-bit word.
describe.each([7, 8, 5, 6])('gradient histograms (%i features)', (features) => {
  const rows = 4000;
  const rng = createRng(5, 'kernel-hist');
  // Row-major, each row padded to whole words as binMatrix lays it out; the padding holds garbage
  // here, which the histogram loop must never read as a bin.
  const stride = 4 * rowWords(features);
  const bins = new Uint8Array(rows * stride).fill(99);
  for (let r = 0; r < rows; r++) for (let f = 0; f < features; f++) bins[r * stride + f] = rng.uniform() < 0.05 ? MISSING_BIN : Math.floor(rng.uniform() * 40);
  const words = new Uint32Array(bins.buffer);
  // Gradients then hessians (g of row r at r, h at rows + r), as objective.ts writes them.
  const gh = new Float64Array(2 * rows);
  for (let r = 0; r < rows; r++) { gh[r] = rng.normal(); gh[rows + r] = 0.05 + rng.uniform(); }
  const unit = new Float64Array(gh);
  for (let r = 0; r < rows; r++) unit[rows + r] = 1;

  /** Rows kept with probability p, ascending (a node's rows after partitioning). */
  const node = (p: number): Int32Array => Int32Array.from(Array.from({ length: rows }, (_, r) => r).filter(() => rng.uniform() < p));

  /** The plain sum: per row in order, g, h and 1 into the row's bin of each listed feature. */
  function plainHistogram(grads: Float64Array, rowIndex: Int32Array, featureList: number[]): Map<string, [number, number, number]> {
    const out = new Map<string, [number, number, number]>();
    for (const row of rowIndex) {
      for (const f of featureList) {
        const key = `${f}:${bins[row * stride + f]}`;
        const slot = out.get(key) ?? [0, 0, 0];
        slot[0] += grads[row]!; slot[1] += grads[rows + row]!; slot[2] += 1;
        out.set(key, slot);
      }
    }
    return out;
  }

  /** `countsKnown`: Σg only, then count and Σh from the whole table's per-bin counts (the root's path). */
  function check(grads: Float64Array, rowIndex: Int32Array, featureList: number[], unitHessian: boolean, countsKnown = false): void {
    const active = Int32Array.from(featureList);
    const hist = new Float64Array(histogramLength(features)).fill(7); // garbage outside the active features
    clearHistogram(hist, active, active.length);
    accumulateHistogram(words, features, grads, rowIndex, 0, rowIndex.length, active, active.length, hist, unitHessian, countsKnown);
    if (countsKnown) setKnownCounts(hist, tableBinCounts(words, features), active, active.length);
    const want = plainHistogram(grads, rowIndex, featureList);
    for (const f of featureList) {
      for (let b = 0; b < BIN_SLOTS; b++) {
        const k = (f * BIN_SLOTS + b) * SLOT_WIDTH;
        const [g, h, count] = want.get(`${f}:${b}`) ?? [0, 0, 0];
        // Same rows in the same order: the same sums to the last bit.
        if (hist[k] !== g || hist[k + 1] !== h || hist[k + 2] !== count) throw new Error(`feature ${f} bin ${b}: got ${hist[k]}, ${hist[k + 1]}, ${hist[k + 2]}; want ${g}, ${h}, ${count}`);
      }
    }
    for (let f = 0; f < features; f++) if (!featureList.includes(f)) expect(hist[f * BIN_SLOTS * SLOT_WIDTH]).toBe(7);
  }

  const all = Array.from({ length: features }, (_, f) => f);
  const some = (list: number[]): number[] => list.filter((f) => f < features);
  it('a dense node (every row, half the rows) matches the plain sum bit for bit', () => {
    check(gh, node(1), all, false);
    check(gh, node(0.5), all, false);
  });
  it('a sparse node (the touch-ahead path: under a quarter of the rows) matches bit for bit', () => {
    check(gh, node(0.1), all, false);
    check(gh, node(0.004), all, false); // fewer rows than one touch block
  });
  it('a subset of active features leaves the others untouched', () => {
    check(gh, node(0.5), some([1, 4, 6]), false);
    check(gh, node(0.1), some([0, 5]), false);
  });
  it('unit hessians: Σh taken from the count equals the sum of the ones', () => {
    check(unit, node(1), all, true);
    check(unit, node(0.1), all, true);
    check(unit, node(0.1), some([2, 3]), true);
  });
  it('counts known (every row of the table, unit hessians): Σg summed, count and Σh from the table equal the plain sums', () => {
    const every = Int32Array.from({ length: rows }, (_, r) => r);
    check(unit, every, all, true, true);
    check(unit, every, some([0, 3, 6]), true, true);
  });
  it('compact partials of chunks, summed in order (the pool), equal the expanded partials added up, bit for bit', () => {
    const active = Int32Array.from(all);
    for (const countsKnown of [false, true]) {
      const rowIndex = countsKnown ? Int32Array.from({ length: rows }, (_, r) => r) : node(0.3);
      const cuts = [0, Math.floor(rowIndex.length / 3), Math.floor((2 * rowIndex.length) / 3), rowIndex.length];
      const parts = [0, 1, 2].map((c) => {
        const part = new Float64Array(compactLength(features, countsKnown)).fill(5); // zeroed by accumulateCompact
        accumulateCompact(words, features, unit, rowIndex, cuts[c]!, cuts[c + 1]!, countsKnown, part);
        return part;
      });
      const summed = new Float64Array(histogramLength(features));
      sumCompact(summed, parts, 3, features, countsKnown);
      // The node-at-a-time way: each chunk's full histogram, the first copied, the others added.
      const added = new Float64Array(histogramLength(features));
      for (let c = 0; c < 3; c++) {
        const full = new Float64Array(histogramLength(features));
        accumulateHistogram(words, features, unit, rowIndex, cuts[c]!, cuts[c + 1]!, active, features, full, true, countsKnown);
        for (let k = 0; k < added.length; k++) if (k % SLOT_WIDTH < 3 && (!countsKnown || k % SLOT_WIDTH === 0)) added[k] = c === 0 ? full[k]! : added[k]! + full[k]!;
      }
      for (let k = 0; k < added.length; k++) if (k % SLOT_WIDTH < 3 && (!countsKnown || k % SLOT_WIDTH === 0) && summed[k] !== added[k]) throw new Error(`slot field ${k}: ${summed[k]} against ${added[k]}`);
      expect(summed.some((v) => v !== 0)).toBe(true);
    }
  });
});

describe('splitting a node\'s rows', () => {
  const rows = 5000, features = 3;
  const rng = createRng(9, 'kernel-partition');
  const columns = Uint8Array.from({ length: rows * features }, () => (rng.uniform() < 0.1 ? MISSING_BIN : Math.floor(rng.uniform() * 50)));

  for (const chunks of [1, 2, 3]) {
    it(`${chunks} chunk(s) partitioned then gathered give the plain stable partition (left rows in order, then right rows)`, () => {
      for (const [feature, splitBin, missingLeft] of [[0, 20, false], [1, 0, true], [2, 49, false], [2, -1, true]] as const) {
        const nodeRows = Array.from({ length: rows }, (_, r) => r).filter(() => rng.uniform() < 0.6);
        const start = 7, end = start + nodeRows.length;
        const rowIndex = new Int32Array(end + 5).fill(-1);
        rowIndex.set(nodeRows, start);
        const goesLeft = (row: number): boolean => { const b = columns[feature * rows + row]!; return b === MISSING_BIN ? missingLeft : b <= splitBin; };
        const want = [...nodeRows.filter(goesLeft), ...nodeRows.filter((r) => !goesLeft(r))];
        const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => start + Math.floor((c * nodeRows.length) / chunks));
        const leftCounts = new Int32Array(chunks);
        const scratch = new Int32Array(end).fill(-2);
        // Chunks in reverse order: as on threads, any order of doing them gives the same result.
        for (let c = chunks - 1; c >= 0; c--) leftCounts[c] = partitionChunk(columns, feature * rows, rowIndex, bounds[c]!, bounds[c + 1]!, splitBin, missingLeft, scratch, bounds[c]!);
        const mid = gatherChunks(rowIndex, scratch, bounds, leftCounts, chunks);
        expect(mid).toBe(start + nodeRows.filter(goesLeft).length);
        expect(Array.from(rowIndex.subarray(start, end))).toEqual(want);
        expect(Array.from(rowIndex.subarray(0, start))).toEqual(new Array(start).fill(-1));
        expect(Array.from(rowIndex.subarray(end))).toEqual([-1, -1, -1, -1, -1]);
      }
    });
  }
});
