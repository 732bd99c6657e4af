/**
 * `export panel NAME PATH`: the fitted model's design matrix and labels as one long table (ts,
 * symbol, member, each signal, y, fold, score, mu) in Parquet (DuckDB) or CSV, so anyone can refit
 * outside edgelab. Rebuilt from the model file and the loaded data, so it works in a new session.
 */
import { extname } from 'node:path';
import { ok, text, type CommandResult } from '../core/result.js';
import { UserError } from '../core/errors.js';
import { writeParquet } from '../data/lake/parquet.js';
import { loadBundle } from './store.js';
import { panelDataset, panelFor, panelTable, type AlphaSessionLike } from './workflow.js';
import { writeCsv } from '../shell/csv-out.js';

interface ExportSession extends AlphaSessionLike {
  addDataset(d: ReturnType<typeof panelDataset>): void;
}

export async function exportPanel(session: ExportSession, name: string, target: string, io: { progress(p: { label: string }): void }): Promise<CommandResult> {
  const ext = extname(target).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UserError(`unknown export format '${ext || '(none)'}': use a path ending in .csv or .parquet`, target);
  const bundle = loadBundle(session.dataRoot, name);
  let ds = session.datasets.get(`panel:${name}`);
  if (!ds || (ds.meta as { digest?: string } | undefined)?.digest !== bundle.digest) {
    io.progress({ label: 'panel' });
    const { panel } = await panelFor(session, bundle.interval, bundle.symbols);
    ds = panelDataset(bundle, panelTable(bundle, panel));
    session.addDataset(ds);
  }
  const path = session.resolvePath(target);
  if (ext === '.csv') writeCsv(ds.table, path);
  else await writeParquet(ds.table, path);
  return ok('export', [text(`exported ${ds.table.length} rows of panel:${name} (ts, symbol, member, ${bundle.signals.join(', ')}, y, fold, score, mu) to ${target}`)]);
}
