/**
 * Liquidity vacuum: volume and range collapse together. Over the last W bars the mean volume is at
 * most vRatio × its mean over the L bars before, and the mean bar range log(high/low) at most
 * rRatio × its mean over those L bars. Direction: the sign of the W-bar return. One event per
 * cooldown. Running sums, O(n).
 */
import { DAY } from '../../core/time.js';
import { columnProblem, type EventFamily, type FamilyEvent } from '../types.js';

export const liquidityVacuum: EventFamily = {
  id: 'liquidity_vacuum',
  title: 'liquidity vacuum (volume and range collapse)',
  rule: 'W-bar mean volume ≤ v × and mean range ≤ r × their means over the L bars before; direction = sign of the W-bar return',
  defaults: (barMs) =>
    barMs >= DAY
      ? { window_bars: 5, lookback_bars: 60, volume_ratio: 0.6, range_ratio: 0.6, cooldown_bars: 5 }
      : { window_bars: 16, lookback_bars: 672, volume_ratio: 0.5, range_ratio: 0.5, cooldown_bars: 16 },
  perturb: (p) => [
    { ...p, volume_ratio: p['volume_ratio']! * 1.15, range_ratio: p['range_ratio']! * 1.15 },
    { ...p, volume_ratio: p['volume_ratio']! * 0.85, range_ratio: p['range_ratio']! * 0.85 },
    { ...p, window_bars: Math.round(p['window_bars']! * 1.5) },
  ],
  unusable: (a) => columnProblem(a, 'volume', a.volume) ?? columnProblem(a, 'high', a.high),
  detect(a, p): FamilyEvent[] {
    const W = p['window_bars']!;
    const L = p['lookback_bars']!;
    const n = a.close.length;
    const vol = new Float64Array(n + 1);
    const rng = new Float64Array(n + 1);
    for (let t = 0; t < n; t++) {
      const v = a.volume[t]!;
      const r = Math.log(a.high[t]! / a.low[t]!);
      vol[t + 1] = vol[t]! + (Number.isFinite(v) ? v : 0);
      rng[t + 1] = rng[t]! + (Number.isFinite(r) ? r : 0);
    }
    const out: FamilyEvent[] = [];
    let busyUntil = -1;
    for (let t = W + L - 1; t < n; t++) {
      if (t <= busyUntil) continue;
      // window t−W+1 … t against t−W−L+1 … t−W
      const vNow = (vol[t + 1]! - vol[t + 1 - W]!) / W;
      const vBefore = (vol[t + 1 - W]! - vol[t + 1 - W - L]!) / L;
      const rNow = (rng[t + 1]! - rng[t + 1 - W]!) / W;
      const rBefore = (rng[t + 1 - W]! - rng[t + 1 - W - L]!) / L;
      if (!(vBefore > 0 && rBefore > 0)) continue;
      if (vNow <= p['volume_ratio']! * vBefore && rNow <= p['range_ratio']! * rBefore) {
        const ret = Math.log(a.close[t]! / a.close[t - W]!);
        if (!Number.isFinite(ret) || ret === 0) continue;
        out.push({ row: t, direction: ret > 0 ? 1 : -1 });
        busyUntil = t + p['cooldown_bars']! - 1;
      }
    }
    return out;
  },
};
