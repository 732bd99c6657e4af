/**
 * Cross-venue desync: the log price gap to the other venue, b_t = log(close / other venue's close)
 * (a perpetual against its spot twin, or a spot twin against its perpetual), moves away from its
 * recent level, z = (b_t − mean(b_{t−L} … b_{t−1})) / sd(…) with |z| ≥ zMin. Direction: the sign
 * of z (this venue rich → +1). Needs the other venue's bars aligned. One event per cooldown.
 */
import { DAY } from '../../core/time.js';
import { type EventFamily, type FamilyEvent } from '../types.js';

export const crossVenueDesync: EventFamily = {
  id: 'cross_venue_desync',
  title: 'cross-venue desync (perpetual vs spot basis)',
  rule: '|z of the log gap to the other venue vs its previous L bars| ≥ z; direction = sign of z (this venue rich: +1)',
  defaults: (barMs) => (barMs >= DAY ? { z: 2.5, lookback_bars: 20, cooldown_bars: 1 } : { z: 3, lookback_bars: 96, cooldown_bars: 16 }),
  perturb: (p) => [
    { ...p, z: p['z']! * 0.85 },
    { ...p, z: p['z']! * 1.2 },
    { ...p, lookback_bars: Math.round(p['lookback_bars']! * 1.5) },
  ],
  unusable(a) {
    if (!a.spot) return `${a.name} has no other venue to compare with (load spot bars for ${a.symbol}, e.g. \`ingest synthetic --spot\`)`;
    if (!a.spot.close.some((x) => Number.isFinite(x))) return `${a.spot.source} closes are all NaN`;
    return undefined;
  },
  detect(a, p): FamilyEvent[] {
    const spot = a.spot!.close;
    const n = a.close.length;
    const L = p['lookback_bars']!;
    const basis = new Float64Array(n);
    for (let t = 0; t < n; t++) basis[t] = Math.log(a.close[t]! / spot[t]!);
    // running sums over finite values of the previous L bars
    let s = 0;
    let s2 = 0;
    let cnt = 0;
    const add = (x: number, sign: number): void => {
      if (!Number.isFinite(x)) return;
      s += sign * x;
      s2 += sign * x * x;
      cnt += sign;
    };
    const out: FamilyEvent[] = [];
    let busyUntil = -1;
    for (let t = 0; t < n; t++) {
      if (t >= L && t > busyUntil && cnt >= L / 2 && Number.isFinite(basis[t]!)) {
        const mean = s / cnt;
        const sd = Math.sqrt(Math.max(0, (s2 - cnt * mean * mean) / (cnt - 1)));
        const z = sd > 0 ? (basis[t]! - mean) / sd : 0;
        if (Math.abs(z) >= p['z']!) {
          out.push({ row: t, direction: z > 0 ? 1 : -1 });
          busyUntil = t + p['cooldown_bars']! - 1;
        }
      }
      add(basis[t]!, 1);
      if (t >= L) add(basis[t - L]!, -1);
    }
    return out;
  },
};
