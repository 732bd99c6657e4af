/**
 * The rows `models` shows for fitted AlphaBundles: one per file under <data root>/models, with its
 * digest; a file that fails to load (bad JSON, digest mismatch) is listed as unreadable with the
 * reason instead of failing the whole listing. Kept apart from the command so other listings (e.g.
 * a model's lifecycle stage) can add columns to the same rows.
 */
import { shortUtc } from '../core/time.js';
import { UserError, messageOf } from '../core/errors.js';
import type { Cell } from '../core/result.js';
import { listModelFiles, loadBundle } from './store.js';

export const MODEL_COLUMNS = ['name', 'kind', 'interval', 'symbols', 'signals', 'orth', 'lambda', 'OOF IC', 'trained', 'digest'] as const;

export interface ModelRow {
  readonly name: string;
  /** Full digest of the model file ('' when unreadable). */
  readonly digest: string;
  /** Cells in MODEL_COLUMNS order. */
  readonly cells: Cell[];
}

export function alphaModelRows(dataRoot: string): ModelRow[] {
  return listModelFiles(dataRoot).map(({ name }) => {
    try {
      const b = loadBundle(dataRoot, name);
      const best = b.cv.curve.find((p) => p.lambda === b.ridge.lambda);
      return {
        name, digest: b.digest,
        cells: [name, 'alpha_bundle', b.interval, b.symbols.length, b.signals.join(','), b.orth.method, b.ridge.lambda, best ? Math.round(best.icMean * 1e4) / 1e4 : null, `${shortUtc(b.training.from, true)}..${shortUtc(b.training.to, true)}`, b.digest.slice(0, 12)],
      };
    } catch (err) {
      return { name, digest: '', cells: [name, err instanceof UserError ? `unreadable: ${messageOf(err)}` : 'unreadable', null, null, null, null, null, null, null, null] };
    }
  });
}
