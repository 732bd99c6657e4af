/**
 * Quarantine: rows clean sets aside, each with the reason. Reasons are stable identifiers (they
 * appear in gate facts, the quarantine table and the lake); `REASON_TEXT` says them in words.
 */
export type QuarantineReason =
  | 'bad_timestamp'
  | 'nan_price'
  | 'non_positive_price'
  | 'high_below_open_close'
  | 'low_above_open_close'
  | 'nan_volume'
  | 'negative_volume'
  | 'duplicate_timestamp'
  | 'out_of_order'
  | 'nan_rate'
  | 'implausible_rate'
  | 'negative_amount'
  | 'unparseable_row';

export const REASON_TEXT: Readonly<Record<QuarantineReason, string>> = {
  bad_timestamp: 'timestamp missing or unreadable',
  nan_price: 'a price is NaN or empty',
  non_positive_price: 'a price is zero or negative',
  high_below_open_close: 'high is below max(open, close)',
  low_above_open_close: 'low is above min(open, close)',
  nan_volume: 'volume is NaN or empty',
  negative_volume: 'volume is negative',
  duplicate_timestamp: 'repeats an earlier timestamp',
  out_of_order: 'earlier than a previous row',
  nan_rate: 'funding rate is NaN or empty',
  implausible_rate: 'funding rate beyond the configured maximum',
  negative_amount: 'trade amount is negative',
  unparseable_row: 'the row could not be parsed',
};

export interface QuarantinedRow {
  /** 0-based row index in the raw table (-1 for rows the reader rejected). */
  readonly row: number;
  /** 1-based file line when known. */
  readonly line: number | null;
  readonly ts: number;
  readonly reason: QuarantineReason;
  readonly detail: string;
}

/** Counts by reason, in a fixed (alphabetical) order. */
export function countByReason(rows: readonly QuarantinedRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const formatReasonCounts = (counts: Readonly<Record<string, number>>): string =>
  Object.keys(counts).length === 0 ? 'none' : Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');

/** The quarantine as a table for the lake (row and line 1-based; NaN when unknown). */
export function quarantineTable(rows: readonly QuarantinedRow[]): { length: number; columns: { row: Float64Array; line: Float64Array; ts: Float64Array; reason: string[]; detail: string[] } } {
  const n = rows.length;
  const row = new Float64Array(n);
  const line = new Float64Array(n);
  const ts = new Float64Array(n);
  const reason: string[] = [];
  const detail: string[] = [];
  rows.forEach((r, i) => {
    row[i] = r.row >= 0 ? r.row + 1 : NaN;
    line[i] = r.line ?? NaN;
    ts[i] = r.ts;
    reason.push(r.reason);
    detail.push(r.detail);
  });
  return { length: n, columns: { row, line, ts, reason, detail } };
}
