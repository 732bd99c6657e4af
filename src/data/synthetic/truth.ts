/** Typed access to the ground truth of synthetic datasets. */
import type { Dataset } from '../../core/table.js';
import { UserError } from '../../core/errors.js';
import type { EdgeId, RegimeName, SyntheticTruth } from './types.js';
import { REGIME_NAMES } from './types.js';
import { expandRuns } from './rle.js';

const isTruth = (v: unknown): v is SyntheticTruth =>
  typeof v === 'object' && v !== null && (v as { generator?: unknown }).generator === 'edgelab-synthetic';

/** The truth of a synthetic dataset, or undefined when the dataset is not synthetic. */
export function truthOf(ds: Dataset): SyntheticTruth | undefined {
  const t = ds.meta?.['truth'];
  return isTruth(t) ? t : undefined;
}

/** Like truthOf, but a UserError naming the dataset when it has none (for commands). */
export function requireTruth(ds: Dataset): SyntheticTruth {
  const t = truthOf(ds);
  if (!t) throw new UserError('has no ground truth (only `ingest synthetic` datasets carry one)', ds.name);
  return t;
}

/** Regime code (index into REGIME_NAMES) of every row of the dataset. */
export function regimeCodes(ds: Dataset, truth: SyntheticTruth = requireTruth(ds)): Uint8Array {
  return expandRuns(truth.regimeRuns, ds.table.length);
}

/** Regime name of one row (binary search over the runs). */
export function regimeAt(truth: SyntheticTruth, row: number): RegimeName {
  const runs = truth.regimeRuns;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid]![0] <= row) lo = mid;
    else hi = mid - 1;
  }
  return runs[lo]?.[1] ?? REGIME_NAMES[0];
}

/** The market regime on the UTC day containing `ms` (from the daily path). */
export function dailyRegimeAt(truth: SyntheticTruth, ms: number): RegimeName {
  const runs = truth.dailyRegime;
  let found: RegimeName = runs[0]?.[1] ?? REGIME_NAMES[0];
  for (const [from, name] of runs) {
    if (from > ms) break;
    found = name;
  }
  return found;
}

/** Decoded trigger events of one edge: row of the trigger bar and direction (+1 up, −1 down). */
export function edgeEvents(truth: SyntheticTruth, id: EdgeId): { row: number; sign: 1 | -1 }[] {
  return (truth.events[id] ?? []).map((e) => ({ row: Math.abs(e) - 1, sign: e > 0 ? 1 : -1 }));
}
