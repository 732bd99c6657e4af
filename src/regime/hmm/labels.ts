/**
 * Name HMM states bull / bear / choppy / crash from their emission moments of the return feature
 * (seed 004: "regime-based prediction (bull, bear, choppy, crash)"). The exact rule, in order:
 *
 *   1. bull   = the state with the highest mean return.
 *   2. crash  = (k ≥ 4 only) among the remaining states with a negative mean return, the one with the
 *               highest return variance; when none has a negative mean, the remaining state with the
 *               lowest mean.
 *   3. bear   = (k ≥ 2) the remaining state with the lowest mean return.
 *   4. choppy = every other state (for k > 4 several states share the name; their probabilities add).
 *
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
  if (k === 0) return [];
  labels[argBy(free(), (a, b) => meanReturn[a]! > meanReturn[b]!)] = 'bull';
  if (k >= 4) {
    const neg = free().filter((i) => meanReturn[i]! < 0);
    const crash = neg.length
      ? argBy(neg, (a, b) => varReturn[a]! > varReturn[b]!)
      : argBy(free(), (a, b) => meanReturn[a]! < meanReturn[b]!);
    labels[crash] = 'crash';
  }
  if (k >= 2) labels[argBy(free(), (a, b) => meanReturn[a]! < meanReturn[b]!)] = 'bear';
  for (const i of free()) labels[i] = 'choppy';
  return labels as HmmLabel[];
}
