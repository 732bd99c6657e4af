/**
 * Forced-flow exhaustion: long liquidations reach ratio × their mean over the previous L bars
 * (forced selling, direction −1), else short liquidations do (forced buying, +1). One event per
 * cooldown. Running window sums, O(n).
 */
import { DAY } from '../../core/time.js';
import { columnProblem, type EventFamily, type FamilyEvent } from '../types.js';

export const forcedFlow: EventFamily = {
  id: 'forced_flow',
  title: 'forced-flow exhaustion (liquidation spikes)',
  rule: 'liquidations ≥ ratio × their L-bar mean; direction = the forced flow (long liquidations: −1)',
  defaults: (barMs) => (barMs >= DAY ? { ratio: 5, lookback_bars: 20, cooldown_bars: 2 } : { ratio: 25, lookback_bars: 672, cooldown_bars: 16 }),
  perturb: (p) => [
    { ...p, ratio: p['ratio']! * 0.8 },
    { ...p, ratio: p['ratio']! * 1.25 },
    { ...p, lookback_bars: Math.round(p['lookback_bars']! * 1.5) },
  ],
  unusable: (a) =>
    columnProblem(a, 'liquidations_long', a.extra['liquidations_long']) ?? columnProblem(a, 'liquidations_short', a.extra['liquidations_short']),
  detect(a, p): FamilyEvent[] {
    const long = a.extra['liquidations_long']!;
    const short = a.extra['liquidations_short']!;
    const L = p['lookback_bars']!;
    const ratio = p['ratio']!;
    const out: FamilyEvent[] = [];
    let sumL = 0;
    let sumS = 0;
    let busyUntil = -1;
    const v = (x: number): number => (Number.isFinite(x) ? x : 0);
    for (let t = 0; t < long.length; t++) {
      if (t >= L && t > busyUntil) {
        if (v(long[t]!) > 0 && long[t]! >= (ratio * sumL) / L) {
          out.push({ row: t, direction: -1 });
          busyUntil = t + p['cooldown_bars']!;
        } else if (v(short[t]!) > 0 && short[t]! >= (ratio * sumS) / L) {
          out.push({ row: t, direction: 1 });
          busyUntil = t + p['cooldown_bars']!;
        }
      }
      sumL += v(long[t]!);
      sumS += v(short[t]!);
      if (t >= L) {
        sumL -= v(long[t - L]!);
        sumS -= v(short[t - L]!);
      }
    }
    return out;
  },
};
