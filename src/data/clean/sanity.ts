/**
 * Row sanity for bars: positive finite prices, high ≥ max(open, close), low ≤ min(open, close),
 * non-negative volume, a readable timestamp. One pass, no allocation per row; returns the first
 * failing reason per row (or null) as a dense array of codes.
 */
import type { QuarantineReason } from './quarantine.js';

export const BAR_REASONS: readonly QuarantineReason[] = [
  'bad_timestamp', 'nan_price', 'non_positive_price', 'high_below_open_close', 'low_above_open_close', 'nan_volume', 'negative_volume',
];

/**
 * Reason code per row: 0 = fine, k > 0 = BAR_REASONS[k - 1].
 * NaN policy: any NaN in ts/open/high/low/close/volume fails the row. O(n).
 */
export function checkBars(
  ts: Float64Array, open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array,
): Uint8Array {
  const n = ts.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (!Number.isFinite(t)) out[i] = 1;
    else if (!Number.isFinite(o) || !Number.isFinite(h) || !Number.isFinite(l) || !Number.isFinite(c)) out[i] = 2;
    else if (o <= 0 || h <= 0 || l <= 0 || c <= 0) out[i] = 3;
    else if (h < (o > c ? o : c)) out[i] = 4;
    else if (l > (o < c ? o : c)) out[i] = 5;
    else if (Number.isNaN(v)) out[i] = 6;
    else if (v < 0) out[i] = 7;
  }
  return out;
}
