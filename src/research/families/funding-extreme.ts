/**
 * Funding extreme: at a settlement, z = (F − mean of the previous L settlements) / their sample
 * sd; |z| ≥ zMin is an event at the settlement bar (the bar whose close is the settlement time).
 * Direction: the sign of z (crowded longs pay → +1). Needs funding rates.
 */
import { type EventFamily, type FamilyEvent } from '../types.js';

export const fundingExtreme: EventFamily = {
  id: 'funding_extreme',
  title: 'funding extreme',
  rule: '|z of the settled funding rate vs the previous L settlements| ≥ z; direction = sign of z',
  defaults: () => ({ z: 2, lookback: 90 }),
  perturb: (p) => [
    { ...p, z: p['z']! * 0.875 },
    { ...p, z: p['z']! * 1.25 },
    { ...p, lookback: Math.round(p['lookback']! * 1.5) },
  ],
  unusable(a) {
    if (!a.funding) return `${a.name} has no funding rates (load ${a.symbol}:funding or bars with a funding_rate column)`;
    if (!a.funding.rates.some((r) => Number.isFinite(r))) return `funding rates of ${a.symbol} are all NaN`;
    return undefined;
  },
  detect(a, p): FamilyEvent[] {
    const { rows, rates } = a.funding!;
    const L = p['lookback']!;
    const zMin = p['z']!;
    const out: FamilyEvent[] = [];
    for (let k = L; k < rates.length; k++) {
      let mean = 0;
      let cnt = 0;
      for (let j = k - L; j < k; j++) if (Number.isFinite(rates[j]!)) (mean += rates[j]!), cnt++;
      if (cnt < 3 || !Number.isFinite(rates[k]!) || rows[k]! < 0) continue;
      mean /= cnt;
      let ss = 0;
      for (let j = k - L; j < k; j++) if (Number.isFinite(rates[j]!)) ss += (rates[j]! - mean) ** 2;
      const sd = Math.sqrt(ss / (cnt - 1));
      if (!(sd > 0)) continue;
      const z = (rates[k]! - mean) / sd;
      if (Math.abs(z) >= zMin) out.push({ row: rows[k]!, direction: z > 0 ? 1 : -1 });
    }
    return out;
  },
};
