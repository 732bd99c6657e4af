/**
 * `export predictions NAME PATH`: the out-of-fold state forecasts of `fit --model gbdt --out NAME`
 * (ts, symbol, fold, horizon, p_down, p_flat, p_up or prediction, state, forward_return) as CSV or
 * Parquet. From the session's predictions:NAME dataset, else from the Parquet copy the fit wrote
 * under <data root>/models (so it also works in a new session).
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ok, text, type CommandResult } from '../core/result.js';
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { writeParquet } from '../data/lake/parquet.js';
import { duckMessage, sqlString, withDuck } from '../data/lake/duck.js';
import { writeCsv } from '../shell/csv-out.js';

interface ExportSession { readonly dataRoot: string; readonly datasets: ReadonlyMap<string, Dataset>; resolvePath(p: string): string }

export async function exportPredictions(session: ExportSession, name: string, target: string): Promise<CommandResult> {
  const ext = extname(target).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UserError(`unknown export format '${ext || '(none)'}': use a path ending in .csv or .parquet`, target);
  const path = session.resolvePath(target);
  const ds = session.datasets.get(`predictions:${name}`);
  if (ds) {
    if (ext === '.csv') writeCsv(ds.table, path); else await writeParquet(ds.table, path);
    return ok('export', [text(`exported ${ds.table.length} out-of-fold predictions of ${name} to ${target}`)]);
  }
  const saved = join(session.dataRoot, 'models', `${name}.predictions.parquet`);
  if (!existsSync(saved)) throw new UserError(`no predictions for '${name}': fit --model gbdt --out ${name} first`, 'export predictions');
  const n = await withDuck(async (conn) => {
    try {
      await conn.run(`COPY (SELECT * FROM read_parquet(${sqlString(saved)})) TO ${sqlString(path)} (FORMAT ${ext === '.csv' ? 'csv, HEADER true' : 'parquet'})`);
      const r = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlString(saved)})`);
      return Number(r.getRows()[0]![0]);
    } catch (err) {
      throw new UserError(`cannot write (${duckMessage(err)})`, target);
    }
  });
  return ok('export', [text(`exported ${n} out-of-fold predictions of ${name} to ${target}`)]);
}
