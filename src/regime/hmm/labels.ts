/**
 * Name HMM states bull / bear / choppy / crash (seed 004) from the return feature's per-state mean
 * and variance. Variances are estimated far more precisely than means (a rare, volatile state's mean
 * over a few dozen days is mostly noise), so the rule ranks by variance where it can:
 *
 *   1. crash  = (k ≥ 4) the state with the highest return variance.
 *   2. bull   = the remaining state with the highest mean return.
 *   3. bear   = (k ≥ 3) the remaining state with the highest variance; for k = 2, the other state.
 *   4. choppy = every other state (for k > 4 several states share the name; their probabilities add).
 *
 * On the synthetic market this matches the generator: crash has by far the largest volatility,
 * bull the largest drift, and bear is more volatile than choppy for both crypto and equities (while
 * bull is calmer than choppy for equities and not for crypto, so bull cannot be picked by variance).
 * Ties break towards the lower state index, so the naming is deterministic.
 */
export type HmmLabel = 'bull' | 'bear' | 'choppy' | 'crash';

/** Display order of the labels (tables, series codes: index in this list). */
export const HMM_LABELS: readonly HmmLabel[] = ['bull', 'choppy', 'bear', 'crash'];

/** Label of each state, given the return feature's per-state mean and variance. */
export function labelStates(meanReturn: readonly number[], varReturn: readonly number[]): HmmLabel[] {
  const k = meanReturn.length;
  const labels: (HmmLabel | undefined)[] = new Array(k).fill(undefined);
  const free = (): number[] => labels.map((l, i) => (l === undefined ? i : -1)).filter((i) => i >= 0);
  const argBy = (idx: number[], better: (a: number, b: number) => boolean): number =>
    idx.reduce((b, i) => (better(i, b) ? i : b), idx[0]!);
  const byVar = (a: number, b: number): boolean => varReturn[a]! > varReturn[b]!;
  if (k === 0) return [];
  if (k >= 4) labels[argBy(free(), byVar)] = 'crash';
  labels[argBy(free(), (a, b) => meanReturn[a]! > meanReturn[b]!)] = 'bull';
  if (k >= 3) labels[argBy(free(), byVar)] = 'bear';
  else if (k === 2) labels[free()[0]!] = 'bear';
  for (const i of free()) labels[i] = 'choppy';
  return labels as HmmLabel[];
}
