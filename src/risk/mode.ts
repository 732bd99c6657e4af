/**
 * Global drawdown → risk mode (seed 003 §5.3 "global drawdown limit").
 *
 *   drawdown = 1 − NAV / peak NAV (marked at closes)
 *   NORMAL   when drawdown < reduce_at
 *   REDUCED  when reduce_at ≤ drawdown < halt_at   (targets scaled by reduce_scale)
 *   HALT     when drawdown ≥ halt_at, or the kill switch fired; latched for the rest of the run
 *
 * REDUCED is not latched, but it has hysteresis: it returns to NORMAL only once the drawdown is back
 * below recover_at (≤ reduce_at; by default ¾ of it), so a book hovering at the threshold does not
 * flip between full and half size every bar.
 * HALT is latched because after 'flatten' the drawdown can no longer recover by itself, and a
 * capital-preservation stop should be lifted by a person, not by a price bounce.
 */
import { MODE_HALT, MODE_NORMAL, MODE_REDUCED, type RiskLimits } from './types.js';

export function nextRiskMode(prev: number, drawdown: number, t: number, limits: RiskLimits): number {
  if (prev === MODE_HALT) return MODE_HALT;
  if (t >= limits.killAt) return MODE_HALT;
  if (drawdown >= limits.haltAt) return MODE_HALT;
  if (drawdown >= limits.reduceAt) return MODE_REDUCED;
  if (prev === MODE_REDUCED && drawdown >= limits.recoverAt) return MODE_REDUCED;
  return MODE_NORMAL;
}
