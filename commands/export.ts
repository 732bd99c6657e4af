import { z } from 'zod';
import { extname } from 'node:path';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { ioReason } from '../src/shell/io-reason.js';
import { resolveTable, selectRows } from '../src/shell/table-view.js';
import { writeCsv } from '../src/shell/csv-out.js';
import { writeParquet } from '../src/data/lake/parquet.js';
import { sliceRows } from '../src/shell/slice-rows.js';
import { exportCandidates } from '../src/store/ledger.js';
import { resultsDbPath } from '../src/store/index.js';
import { exportPanel } from '../src/alpha/export-panel.js';
import { exportPredictions } from '../src/ml/export-predictions.js';

export default defineCommand({
  name: 'export',
  summary: 'write a dataset to CSV or Parquet (chosen by the file extension)',
  positional: ['table', 'path', 'target'],
  schema: z.object({
    table: z.string().describe("dataset name (see `datasets`), a table kind with --symbol, 'edges' (discover's edge candidates), or 'panel' (then NAME PATH)"),
    path: z.string().describe('output file ending in .csv or .parquet (after panel: the fitted model name)'),
    target: z.string().optional().describe('export panel NAME PATH: the output file'),
    symbol: z.string().optional().describe('symbol: picks SYMBOL:TABLE, or keeps only its rows'),
  }),
  completion: { table: 'dataset', symbol: 'symbol', path: 'path' },
  examples: ['export SPY:1d /tmp/spy.csv', 'export BTCUSDT:15m /tmp/btc.parquet', 'export panel alpha_bundle /tmp/panel.parquet', 'export predictions state /tmp/oof.csv'],
  async run(session, args, io) {
    if (args.table === 'panel' && args.target !== undefined) return exportPanel(session, args.path, args.target, io);
    if (args.table === 'predictions' && args.target !== undefined) return exportPredictions(session, args.path, args.target);
    if (args.table === 'edges' && args.target === undefined && !session.datasets.has('edges')) return exportEdges(session, args.path);
    if (args.target !== undefined) throw new UserError(`unexpected third argument '${args.target}' (only \`export panel NAME PATH\` takes three)`, 'export');
    const ds = resolveTable(session, args.table, args.symbol);
    const ext = extname(args.path).toLowerCase();
    if (ext !== '.csv' && ext !== '.parquet') {
      throw new UserError(`unknown export format '${ext || '(none)'}': use a path ending in .csv or .parquet`, args.path);
    }
    const path = session.resolvePath(args.path);
    const filter = args.symbol !== undefined && Array.isArray(ds.table.columns['symbol']);
    const rows = filter ? selectRows(ds.table, { rows: Infinity, symbol: args.symbol! }) : undefined;
    let n: number;
    try {
      if (ext === '.csv') n = writeCsv(ds.table, path, rows);
      else {
        const t = rows ? sliceRows(ds.table, rows) : ds.table;
        await writeParquet(t, path);
        n = t.length;
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`cannot write (${ioReason(err)})`, args.path);
    }
    return ok('export', [text(`exported ${n} rows of ${ds.name} to ${args.path}`)]);
  },
});

/** `export edges PATH`: one row per edge candidate, written by DuckDB (COPY … TO) as CSV or Parquet. */
async function exportEdges(session: Parameters<typeof resolveTable>[0] & Parameters<typeof resultsDbPath>[0], out: string) {
  const ext = extname(out).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UserError(`unknown export format '${ext || '(none)'}': use a path ending in .csv or .parquet`, out);
  const n = await exportCandidates(resultsDbPath(session), session.resolvePath(out), ext === '.csv' ? 'csv' : 'parquet').catch((err: unknown) => {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot write (${ioReason(err)})`, out);
  });
  return ok('export', [text(`exported ${n} edge candidates to ${out}`)]);
}
