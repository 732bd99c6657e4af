/**
 * The design matrix of a pooled panel regression: one row per (bar, symbol) where the symbol is a
 * member, every signal is finite and (for fitting) the label is finite; rows ordered by bar, then
 * symbol. X is rows × K, row-major.
 */
export interface Design {
  readonly names: readonly string[];
  readonly rows: number;
  /** Bar index of each row. */
  readonly bar: Int32Array;
  /** Symbol index of each row. */
  readonly symbol: Int32Array;
  readonly x: Float64Array;
  /** Label per row (NaN when built without labels). */
  readonly y: Float64Array;
}

export function buildDesign(signals: ReadonlyMap<string, Float64Array>, names: readonly string[], n: number, member: Uint8Array, label: Float64Array | null): Design {
  const cols = names.map((k) => signals.get(k)!);
  const K = cols.length;
  const cells = member.length;
  const keep: number[] = [];
  for (let c = 0; c < cells; c++) {
    if (!member[c]) continue;
    if (label && !Number.isFinite(label[c]!)) continue;
    let ok = true;
    for (let k = 0; k < K && ok; k++) ok = Number.isFinite(cols[k]![c]!);
    if (ok) keep.push(c);
  }
  const rows = keep.length;
  const x = new Float64Array(rows * K);
  const y = new Float64Array(rows).fill(NaN);
  const bar = new Int32Array(rows);
  const symbol = new Int32Array(rows);
  keep.forEach((c, r) => {
    bar[r] = Math.floor(c / n);
    symbol[r] = c % n;
    for (let k = 0; k < K; k++) x[r * K + k] = cols[k]![c]!;
    if (label) y[r] = label[c]!;
  });
  return { names, rows, bar, symbol, x, y };
}

/** The subset of a design's rows named by `rows` (ascending indices). */
export function selectRows(d: Design, rows: Int32Array): Design {
  const K = d.names.length;
  const x = new Float64Array(rows.length * K);
  const y = new Float64Array(rows.length);
  const bar = new Int32Array(rows.length);
  const symbol = new Int32Array(rows.length);
  rows.forEach((r, j) => {
    for (let k = 0; k < K; k++) x[j * K + k] = d.x[r * K + k]!;
    y[j] = d.y[r]!;
    bar[j] = d.bar[r]!;
    symbol[j] = d.symbol[r]!;
  });
  return { names: d.names, rows: rows.length, bar, symbol, x, y };
}
