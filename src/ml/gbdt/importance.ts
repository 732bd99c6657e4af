/**
 * Feature importance (docs/ml.md "Importance"):
 *  - gain: the sum of split gains (split.ts) over every split on the feature, in every tree,
 *    reported as a share of the total (XGBoost's `total_gain`, normalised);
 *  - permutation (Breiman 2001; Fisher, Rudin & Dominici 2019): the rise in a table's mean loss when
 *    one feature's column is shuffled (seeded), averaged over `repeats` shuffles. Computed on a
 *    held-out table it measures what the model uses that generalises.
 */
import { createRng } from '../../core/rng.js';
import { predictRaw, type GbdtModelFile } from './model.js';
import { meanLoss, outputsPerRow } from './objective.js';
import type { Table } from './train.js';

export interface Importance { readonly feature: string; readonly gainShare: number; readonly splits: number }

export function gainImportance(model: GbdtModelFile): Importance[] {
  const F = model.featureNames.length;
  const gain = new Float64Array(F), splits = new Float64Array(F);
  for (const t of model.trees) for (let n = 0; n < t.feature.length; n++) if (t.feature[n]! >= 0) { gain[t.feature[n]!]! += t.gain[n]!; splits[t.feature[n]!]!++; }
  let total = 0;
  for (const g of gain) total += g;
  return model.featureNames.map((feature, f) => ({ feature, gainShare: total > 0 ? gain[f]! / total : 0, splits: splits[f]! }));
}

export interface PermutationRow { readonly feature: string; readonly baseLoss: number; readonly lossIncrease: number }

export function permutationImportance(model: GbdtModelFile, table: Table, repeats = 3, seed = 0): PermutationRow[] {
  const k = outputsPerRow(model.objective, model.numClass);
  const F = table.features;
  const baseLoss = meanLoss(model.objective, table.y, predictRaw(model, table.x, table.rows), k);
  const rng = createRng(seed, 'permutation-importance');
  const x = new Float64Array(table.x);
  const perm = new Int32Array(table.rows);
  return model.featureNames.map((feature, f) => {
    let rise = 0;
    for (let rep = 0; rep < repeats; rep++) {
      for (let r = 0; r < table.rows; r++) perm[r] = r;
      for (let r = table.rows - 1; r > 0; r--) { const j = rng.int(0, r); const t = perm[r]!; perm[r] = perm[j]!; perm[j] = t; }
      for (let r = 0; r < table.rows; r++) x[r * F + f] = table.x[perm[r]! * F + f]!;
      rise += meanLoss(model.objective, table.y, predictRaw(model, x, table.rows), k) - baseLoss;
    }
    for (let r = 0; r < table.rows; r++) x[r * F + f] = table.x[r * F + f]!;
    return { feature, baseLoss, lossIncrease: rise / repeats };
  });
}
