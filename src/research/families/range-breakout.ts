/**
 * Range breakout: the bar's log return leaves its trailing band, |r_t| ≥ k · sd(r_{t−L} … r_{t−1})
 * (sample sd). Direction: the sign of r_t. One event per cooldown.
 */
import { DAY } from '../../core/time.js';
import { columnProblem, type EventFamily, type FamilyEvent } from '../types.js';

export const rangeBreakout: EventFamily = {
  id: 'range_breakout',
  title: 'range breakout',
  rule: '|bar return| ≥ k × sd of the previous L returns; direction = sign of the return',
  defaults: (barMs) => (barMs >= DAY ? { k: 1.5, lookback_bars: 20, cooldown_bars: 1 } : { k: 4, lookback_bars: 96, cooldown_bars: 16 }),
  perturb: (p) => [
    { ...p, k: p['k']! * 0.85 },
    { ...p, k: p['k']! * 1.2 },
    { ...p, lookback_bars: Math.round(p['lookback_bars']! * 1.5) },
  ],
  unusable: (a) => columnProblem(a, 'close', a.close),
  detect(a, p): FamilyEvent[] {
    const c = a.close;
    const L = p['lookback_bars']!;
    const k = p['k']!;
    const out: FamilyEvent[] = [];
    const r = new Float64Array(c.length).fill(NaN);
    for (let t = 1; t < c.length; t++) r[t] = Math.log(c[t]! / c[t - 1]!);
    let busyUntil = -1;
    for (let t = L + 1; t < c.length; t++) {
      if (t <= busyUntil || !Number.isFinite(r[t]!)) continue;
      let mean = 0;
      let cnt = 0;
      for (let j = t - L; j < t; j++) if (Number.isFinite(r[j]!)) (mean += r[j]!), cnt++;
      if (cnt < L / 2) continue;
      mean /= cnt;
      let ss = 0;
      for (let j = t - L; j < t; j++) if (Number.isFinite(r[j]!)) ss += (r[j]! - mean) ** 2;
      const sd = Math.sqrt(ss / (cnt - 1));
      if (sd > 0 && Math.abs(r[t]!) >= k * sd) {
        out.push({ row: t, direction: r[t]! > 0 ? 1 : -1 });
        busyUntil = t + p['cooldown_bars']! - 1;
      }
    }
    return out;
  },
};
