/**
 * Ordering and de-duplication. `orderRows` returns row indices sorted by timestamp (stable, so
 * equal timestamps keep file order) and which rows were out of order; `dedupe` walks the sorted
 * indices and keeps one row per timestamp.
 */

/** Indices of `keep` rows sorted by ts (stable) and the rows that were earlier than a previous kept row. */
export function orderRows(ts: Float64Array, keep: Uint8Array): { order: Int32Array; outOfOrder: number[] } {
  const idx: number[] = [];
  const outOfOrder: number[] = [];
  let maxSeen = -Infinity;
  let sorted = true;
  for (let i = 0; i < ts.length; i++) {
    if (!keep[i]) continue;
    const t = ts[i]!;
    if (t < maxSeen) {
      outOfOrder.push(i);
      sorted = false;
    } else maxSeen = t;
    idx.push(i);
  }
  if (!sorted) idx.sort((a, b) => ts[a]! - ts[b]! || a - b);
  return { order: Int32Array.from(idx), outOfOrder };
}

/**
 * Walk `order` (sorted by ts) and keep one row per timestamp: the first in file order
 * ('keep_first') or the last ('keep_last'). Returns kept indices and dropped (duplicate) indices
 * paired with the index they duplicate.
 */
export function dedupe(
  ts: Float64Array,
  order: Int32Array,
  policy: 'keep_first' | 'keep_last',
): { kept: Int32Array; duplicates: { row: number; of: number }[] } {
  const kept: number[] = [];
  const duplicates: { row: number; of: number }[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i + 1;
    const t = ts[order[i]!]!;
    while (j < order.length && ts[order[j]!] === t) j++;
    const keepAt = policy === 'keep_first' ? i : j - 1;
    kept.push(order[keepAt]!);
    for (let k = i; k < j; k++) if (k !== keepAt) duplicates.push({ row: order[k]!, of: order[keepAt]! });
    i = j;
  }
  return { kept: Int32Array.from(kept), duplicates };
}

/** Gather `rows` of a Float64 column. */
export function gather(col: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]!]!;
  return out;
}
