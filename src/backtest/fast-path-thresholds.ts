/**
 * The fast path's precomputed risk thresholds: what the event engine decides per bar with
 * `nextRiskMode` and `applyRiskLimits`, turned into numbers the loop compares with (a risk mode that
 * leaves NORMAL or a limit that binds makes the fast path stop; fast-path-select.ts then runs the
 * event engine). test/backtest/fast-path-parts.test.ts checks each against what it replaces.
 */
import type { LimitContext } from '../risk/limits.js';
import type { RiskLimits } from '../risk/types.js';

/**
 * The drawdown at which `nextRiskMode(MODE_NORMAL, dd, t, limits)` leaves NORMAL (t before the kill
 * time): dd ≥ reduce_at or dd ≥ halt_at, i.e. dd ≥ the smaller of the two (a NaN limit never fires,
 * as in nextRiskMode). The loop compares each bar's drawdown with it instead of calling nextRiskMode.
 */
export function normalLeavesAt(limits: Pick<RiskLimits, 'reduceAt' | 'haltAt'>): number {
  const a = limits.reduceAt;
  const b = limits.haltAt;
  if (a !== a) return b !== b ? Infinity : b;
  if (b !== b) return a;
  return a < b ? a : b;
}

/**
 * The drawdown check without a division on most bars: with f = drawdownFloor(ddStop), a NAV above
 * peak × f has 1 − NAV/peak < ddStop in floating point (so the loop skips the division), and only a
 * NAV at or below it is checked exactly.
 * - 0 < ddStop ≤ 1 − 1e-6: f = (1 − ddStop)(1 + 1e-9). The relative margin 1e-9 exceeds the rounding
 *   of the product, the quotient and the subtraction (each ≤ 2^-53 relative).
 * - ddStop > 1 − 1e-6 (a single-model run sets reduce_at = halt_at = 1: no drawdown modes):
 *   f = (1 − ddStop) + 1e-9 · max(1, ddStop − 1). An absolute margin, since 1 − ddStop is 0 or
 *   negative there: NAV/peak > f keeps 1 − NAV/peak below ddStop by 1e-9 · max(1, ddStop − 1), far
 *   more than the rounding of the three operations (2^-53 of at most max(1, ddStop) each). Before,
 *   this case returned Infinity, and every bar of a single-model run took the exact check and the
 *   general step.
 * - ddStop = Infinity (no limit): −Infinity, never checked (dd ≥ Infinity never holds).
 * - ddStop ≤ 0 or NaN: Infinity, every bar exact.
 */
export function drawdownFloor(ddStop: number): number {
  if (!(ddStop > 0)) return Infinity;
  if (ddStop === Infinity) return -Infinity;
  if (ddStop <= 1 - 1e-6) return (1 - ddStop) * (1 + 1e-9);
  return 1 - ddStop + 1e-9 * Math.max(1, ddStop - 1);
}

/** The first clock step in [from, to] whose time (times[k] + offset) is at or after `at` (to + 1 when none). */
export function firstStepAt(times: Float64Array, offset: number, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! + offset >= at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The largest |aggregated weight| no risk limit touches in NORMAL mode for a book of one symbol:
 * applyRiskLimits clips or scales only when |w| > per_asset_cap + 1e-12, when a class cap covering
 * the symbol has |w| > cap + 1e-12 (a cap covering nothing binds only if 0 > cap + 1e-12), or when
 * |w| > max_gross + 1e-12. At or below this value the target is the aggregated weight itself and no
 * breach is recorded; above it the fast path calls applyRiskLimits (and stops if anything binds).
 */
export function limitFreeUpTo(lc: LimitContext): number {
  const lim = lc.limits;
  let free = Math.min(lim.perAssetCap + 1e-12, lim.maxGross + 1e-12);
  lim.classCaps.forEach(({ cap }, k) => {
    if (lc.classMembers[k]!.length > 0) free = Math.min(free, cap + 1e-12);
    else if (0 > cap + 1e-12) free = -Infinity;
  });
  return free;
}
