/**
 * Small window statistics over the tail of a history view (the last `n` values of `x`), computed
 * directly each call: O(n), no allocation, no running state, so a model's decision is a pure
 * function of a fixed-length window (nothing depends on where the data or the warm-up started).
 * NaN when fewer than `n` values are available or any value in the window is NaN.
 *
 * `end` (mean, standard deviation, RSI): the window is the n values before `x[end]` instead of the
 * last n of `x` (a rolling copy of a window inside a longer array: lib/tail-window.ts).
 */

/** Mean of the last n values. */
export function tailMean(x: Float64Array, n: number, end = x.length): number {
  const len = end;
  if (n < 1 || len < n) return NaN;
  let s = 0;
  for (let i = len - n; i < len; i++) s += x[i]!;
  return s / n;
}

/** Population standard deviation of the last n values (Bollinger's convention), two-pass. */
export function tailStd(x: Float64Array, n: number, end = x.length): number {
  const m = tailMean(x, n, end);
  if (Number.isNaN(m)) return NaN;
  const len = end;
  let s = 0;
  for (let i = len - n; i < len; i++) {
    const d = x[i]! - m;
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/** Highest of the last n values (NaN if any is NaN). */
export function tailMax(x: Float64Array, n: number): number {
  const len = x.length;
  if (n < 1 || len < n) return NaN;
  let m = -Infinity;
  for (let i = len - n; i < len; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** Lowest of the last n values (NaN if any is NaN). */
export function tailMin(x: Float64Array, n: number): number {
  const len = x.length;
  if (n < 1 || len < n) return NaN;
  let m = Infinity;
  for (let i = len - n; i < len; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) return NaN;
    if (v < m) m = v;
  }
  return m;
}

/**
 * Cutler's RSI over the last `period` close-to-close changes (needs period + 1 closes):
 * `100 · G / (G + L)` with G, L the sums of gains and losses. Using plain sums instead of Wilder's
 * recursive smoothing keeps the value a function of the window alone (Wilder's RSI depends on where
 * the series started). 50 when the window is flat (G = L = 0).
 */
export function tailRsi(close: Float64Array, period: number, end = close.length): number {
  const len = end;
  if (period < 1 || len < period + 1) return NaN;
  let g = 0;
  let l = 0;
  for (let i = len - period; i < len; i++) {
    const d = close[i]! - close[i - 1]!;
    if (Number.isNaN(d)) return NaN;
    if (d > 0) g += d;
    else l -= d;
  }
  return g + l === 0 ? 50 : (100 * g) / (g + l);
}

/**
 * Wilder-style average true range as a plain mean of the last n true ranges (needs n + 1 bars):
 * TR = max(high − low, |high − prevClose|, |low − prevClose|).
 */
export function tailAtr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): number {
  const len = close.length;
  if (n < 1 || len < n + 1 || high.length !== len || low.length !== len) return NaN;
  let s = 0;
  for (let i = len - n; i < len; i++) {
    const pc = close[i - 1]!;
    const h = high[i]!;
    const lo = low[i]!;
    const tr = Math.max(h - lo, Math.abs(h - pc), Math.abs(lo - pc));
    s += tr;
  }
  return s / n;
}
