/**
 * Result blocks for the data commands (ingest file, clean, gate): plain data the TUI shows as the
 * gates pane and tables, and the headless renderer prints.
 */
import { gates as gatesBlock, table, text, type Block, type Cell } from '../core/result.js';
import type { Dataset } from '../core/table.js';
import { isoUtc, shortUtc } from '../core/time.js';
import { REASON_TEXT, type QuarantinedRow } from './clean/quarantine.js';
import type { RejectedRow } from './files/rejects.js';

const QUARANTINE_ROWS_SHOWN = 50;

/** The gates pane block plus a facts table for one dataset. */
export function readinessBlocks(ds: Dataset): Block[] {
  if (!ds.gate) return [text(`${ds.name}: no readiness gate`)];
  const verdict = ds.gate.pass ? 'passed' : `FAILED (${ds.gate.gates.filter((g) => !g.pass).map((g) => g.name).join(', ')})`;
  return [
    gatesBlock(`readiness ${ds.name}: ${verdict}`, ds.gate.gates),
    table(
      ['fact', 'value'],
      Object.entries(ds.gate.facts).map(([k, v]) => [k, v] as Cell[]),
      `facts ${ds.name}`,
    ),
  ];
}

/** One line per dataset: rows, range, gate verdict. */
export function datasetLine(ds: Dataset): string {
  const ts = ds.table.columns['ts'];
  const range = ts instanceof Float64Array && ts.length ? `${shortUtc(ts[0]!)} .. ${shortUtc(ts[ts.length - 1]!)}` : 'empty';
  const gate = ds.gate ? (ds.gate.pass ? 'gate passed' : 'gate FAILED') : 'no gate';
  return `${ds.name}: ${ds.table.length} rows, ${range}, ${gate}`;
}

/** The quarantine as a table (first 50 rows; totalRows says how many). `file` prefixes line numbers. */
export function quarantineBlock(rows: readonly QuarantinedRow[], file: string | undefined): Block {
  const shown = rows.slice(0, QUARANTINE_ROWS_SHOWN).map((r): Cell[] => [
    r.line !== null ? (file ? `${file}:${r.line}` : r.line) : r.row >= 0 ? `row ${r.row + 1}` : null,
    Number.isFinite(r.ts) ? isoUtc(r.ts) : null,
    r.reason,
    r.detail || REASON_TEXT[r.reason],
  ]);
  return table(['where', 'ts', 'reason', 'detail'], shown, `quarantined rows (${rows.length})`, rows.length);
}

/** Rows the CSV reader could not parse, with their file lines. */
export function rejectsBlock(rows: readonly RejectedRow[], file: string): Block {
  return table(
    ['where', 'reason', 'text'],
    rows.slice(0, QUARANTINE_ROWS_SHOWN).map((r) => [`${file}:${r.line}`, r.reason, r.text]),
    `unreadable rows (${rows.length}), set aside`,
    rows.length,
  );
}
