/**
 * Downsampling for the equity and drawdown charts: at most `maxPoints` points, always keeping the
 * first and last point, and within each bucket the point that matters for the picture (the
 * extreme). For drawdown that is the bucket's deepest point, so the chart's maximum drawdown is the
 * true one; for equity both the bucket's minimum and maximum are kept (in time order), so the
 * chart's range is the true range. Deterministic; O(n).
 */

export interface Downsampled {
  readonly x: number[];
  readonly y: (number | null)[];
}

const cell = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The endpoints plus, for each of `buckets` equal slices [lo, hi) of the interior, the indices
 * `pick` pushes (in time order); every point when there are no more than `maxPoints`.
 */
function downsampleBuckets(
  x: Float64Array,
  y: Float64Array,
  maxPoints: number,
  buckets: number,
  pick: (lo: number, hi: number, idx: number[]) => void,
): Downsampled {
  const n = x.length;
  if (n <= maxPoints) return { x: Array.from(x), y: Array.from(y, cell) };
  const size = (n - 2) / buckets;
  const idx: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor(b * size);
    const hi = Math.min(n - 1, 1 + Math.floor((b + 1) * size));
    if (hi > lo) pick(lo, hi, idx);
  }
  idx.push(n - 1);
  return { x: idx.map((i) => x[i]!), y: idx.map((i) => cell(y[i]!)) };
}

/** Keep min and max of each bucket (time order) plus the endpoints; ≤ maxPoints points. */
export function downsampleMinMax(x: Float64Array, y: Float64Array, maxPoints = 400): Downsampled {
  return downsampleBuckets(x, y, maxPoints, Math.max(1, Math.floor((maxPoints - 2) / 2)), (lo, hi, idx) => {
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (y[i]! < y[iMin]!) iMin = i;
      if (y[i]! > y[iMax]!) iMax = i;
    }
    if (iMin === iMax) idx.push(iMin);
    else idx.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  });
}

/** Keep the largest value of each bucket (for drawdown as a positive fraction) plus the endpoints. */
export function downsampleMax(x: Float64Array, y: Float64Array, maxPoints = 400): Downsampled {
  return downsampleMaxOf(x, (visit) => visit(0, y), maxPoints);
}

/**
 * `downsampleMax` over a series read in consecutive chunks (`scan` calls `visit(from, values)` in
 * step order; result-series.ts `scanSeries`), so the series need not exist as one array. Each
 * bucket keeps its first largest value, as `downsampleMax` does.
 */
export function downsampleMaxOf(x: Float64Array, scan: (visit: (from: number, values: Float64Array) => void) => void, maxPoints = 400): Downsampled {
  const n = x.length;
  if (n <= maxPoints) {
    const y: (number | null)[] = new Array(n);
    scan((from, values) => {
      for (let i = 0; i < values.length; i++) y[from + i] = cell(values[i]!);
    });
    return { x: Array.from(x), y };
  }
  const buckets = maxPoints - 2;
  const size = (n - 2) / buckets;
  const idx: number[] = [0];
  const vals: number[] = [NaN];
  // bucket b covers steps [lo, hi); buckets with hi <= lo are skipped, as in downsampleBuckets
  let b = -1;
  let lo = 0;
  let hi = 0;
  const nextBucket = (): void => {
    do {
      b++;
      lo = 1 + Math.floor(b * size);
      hi = Math.min(n - 1, 1 + Math.floor((b + 1) * size));
    } while (b < buckets && hi <= lo);
  };
  nextBucket();
  let iMax = -1;
  let vMax = NaN;
  let last = NaN;
  // Per chunk, each bucket's part of it is scanned with the running maximum in locals (a loop that
  // writes the closure's variables at every step ran several times slower).
  scan((from, values) => {
    const end = from + values.length;
    if (from === 0 && values.length > 0) vals[0] = values[0]!;
    if (n - 1 >= from && n - 1 < end) last = values[n - 1 - from]!;
    let i = from > lo ? from : lo;
    while (b < buckets && i < end) {
      const stop = hi < end ? hi : end;
      let im = iMax;
      let vm = vMax;
      if (i === lo) {
        im = i;
        vm = values[i - from]!;
        i++;
      }
      for (; i < stop; i++) {
        const v = values[i - from]!;
        if (v > vm) {
          im = i;
          vm = v;
        }
      }
      iMax = im;
      vMax = vm;
      if (stop === hi) {
        idx.push(iMax);
        vals.push(vMax);
        nextBucket();
        if (i < lo) i = lo;
      }
    }
  });
  idx.push(n - 1);
  vals.push(last);
  return { x: idx.map((i) => x[i]!), y: vals.map(cell) };
}

/** Indices 0, k, 2k, … plus the last: at most `maxPoints`, the same for every line of a chart. */
export function strideIndices(n: number, maxPoints = 400): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const step = (n - 1) / (maxPoints - 1);
  const out: number[] = [];
  for (let k = 0; k < maxPoints; k++) out.push(Math.round(k * step));
  return [...new Set(out)];
}
