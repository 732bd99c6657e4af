/**
 * Plain typed-array baselines that benchmarks put beside the engine in the same run, so every
 * engine figure is read against a reference measured under the same conditions.
 */

/**
 * A 10/30 SMA crossover with running sums over one Float64Array: the signal only, no accounting.
 * Returns the number of direction changes so the work cannot be optimised away.
 */
export function plainCross(c: Float64Array): number {
  let sf = 0;
  let ss = 0;
  let pos = 0;
  let flips = 0;
  for (let i = 0; i < c.length; i++) {
    sf += c[i]!;
    ss += c[i]!;
    if (i >= 10) sf -= c[i - 10]!;
    if (i >= 30) ss -= c[i - 30]!;
    if (i >= 29) {
      const d = sf / 10 > ss / 30 ? 1 : 0;
      if (d !== pos) {
        pos = d;
        flips++;
      }
    }
  }
  return flips;
}
