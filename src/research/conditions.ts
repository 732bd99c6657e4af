/**
 * Conditions of phase-2 hypotheses: the unconditional event set plus single binned context
 * features (trend up / down, short-vs-long volatility low / mid / high). A hypothesis uses at most
 * `maxConditions` of them (the simplicity cap); two conditions are ANDed.
 */
import type { Observations } from './event-study.js';
import { TREND_NAMES, VOL_NAMES } from './context.js';

export interface Condition {
  /** e.g. 'all', 'trend=up', 'vol=low', 'trend=up&vol=low'. */
  readonly id: string;
  /** Number of context terms (0 for 'all'). */
  readonly terms: number;
  /** Does it hold for a bar with these context codes (context.ts)? */
  holds(trend: number, vol: number): boolean;
}

const single: Condition[] = [
  ...TREND_NAMES.map((name, code): Condition => ({ id: `trend=${name}`, terms: 1, holds: (trend) => trend === code })),
  ...VOL_NAMES.map((name, code): Condition => ({ id: `vol=${name}`, terms: 1, holds: (_, vol) => vol === code })),
];

export function conditions(maxConditions: number): Condition[] {
  const out: Condition[] = [{ id: 'all', terms: 0, holds: () => true }];
  if (maxConditions >= 1) out.push(...single);
  if (maxConditions >= 2) {
    for (const t of single.slice(0, TREND_NAMES.length))
      for (const v of single.slice(TREND_NAMES.length))
        out.push({ id: `${t.id}&${v.id}`, terms: 2, holds: (trend, vol) => t.holds(trend, vol) && v.holds(trend, vol) });
  }
  return out;
}

export function conditionById(id: string): Condition | undefined {
  return conditions(2).find((c) => c.id === id);
}

/** Indices of the observations a condition selects. */
export function select(o: Observations, c: Condition): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < o.length; i++) if (c.holds(o.trend[i]!, o.vol[i]!)) idx.push(i);
  return Int32Array.from(idx);
}
