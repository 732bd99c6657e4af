/**
 * Cross-sectional transforms of a T×N row-major matrix, one row (bar) at a time, over the members
 * of the universe at that bar only (non-members and NaNs are left NaN). A row with fewer than
 * `minMembers` finite members is all NaN.
 */

/** z-score within each row (population sd), clipped to ±`clip`. */
export function crossSectionalZ(x: Float64Array, n: number, member: Uint8Array | null, clip = 3, minMembers = 3): Float64Array {
  const rows = x.length / n;
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = 0; t < rows; t++) {
    const base = t * n;
    let count = 0, sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[base + i]!;
      if (Number.isFinite(v) && (!member || member[base + i])) { count++; sum += v; }
    }
    if (count < minMembers) continue;
    const mean = sum / count;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = x[base + i]!;
      if (Number.isFinite(v) && (!member || member[base + i])) ss += (v - mean) ** 2;
    }
    const sd = Math.sqrt(ss / count);
    for (let i = 0; i < n; i++) {
      const v = x[base + i]!;
      if (!Number.isFinite(v) || (member && !member[base + i])) continue;
      const z = sd > 0 ? (v - mean) / sd : 0;
      out[base + i] = z > clip ? clip : z < -clip ? -clip : z;
    }
  }
  return out;
}

/**
 * Rank within each row, scaled to [−1, 1] (lowest −1, highest +1, ties share their mean rank).
 */
export function crossSectionalRank(x: Float64Array, n: number, member: Uint8Array | null, minMembers = 3): Float64Array {
  const rows = x.length / n;
  const out = new Float64Array(x.length).fill(NaN);
  const idx: number[] = [];
  for (let t = 0; t < rows; t++) {
    const base = t * n;
    idx.length = 0;
    for (let i = 0; i < n; i++) {
      const v = x[base + i]!;
      if (Number.isFinite(v) && (!member || member[base + i])) idx.push(i);
    }
    const m = idx.length;
    if (m < minMembers) continue;
    idx.sort((a, b) => x[base + a]! - x[base + b]! || a - b);
    for (let k = 0; k < m; ) {
      let j = k;
      while (j + 1 < m && x[base + idx[j + 1]!] === x[base + idx[k]!]) j++;
      const meanRank = (k + j) / 2; // 0-based
      for (let q = k; q <= j; q++) out[base + idx[q]!] = (2 * meanRank) / (m - 1) - 1;
      k = j + 1;
    }
  }
  return out;
}
