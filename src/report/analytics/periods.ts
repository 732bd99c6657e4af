/**
 * Calendar views of an equity curve: values at the end of each UTC day, month and year, and the
 * simple returns between them. The first period's return is measured from `base` (the value before
 * the first step: the initial capital, or 1 for a benchmark), so the period returns compound to
 * the total return: Π(1 + r) − 1 = last / base − 1.
 */
const DAY_MS = 86_400_000;

export interface PeriodReturns {
  /** Period keys: day start (epoch ms), 'YYYY-MM' or 'YYYY'. */
  readonly keys: readonly (number | string)[];
  /** Time of the last step in each period (epoch ms). */
  readonly ts: Float64Array;
  /** Value at the end of each period. */
  readonly end: Float64Array;
  /** end[i] / end[i − 1] − 1 (the first against `base`). */
  readonly returns: Float64Array;
}

function byKey<K extends number | string>(ts: Float64Array, values: Float64Array, base: number, keyOf: (t: number) => K): PeriodReturns {
  const keys: K[] = [];
  const last: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const k = keyOf(ts[i]!);
    if (keys.length && keys[keys.length - 1] === k) last[last.length - 1] = i;
    else {
      keys.push(k);
      last.push(i);
    }
  }
  const end = Float64Array.from(last, (i) => values[i]!);
  const returns = Float64Array.from(end, (v, i) => v / (i === 0 ? base : end[i - 1]!) - 1);
  return { keys, ts: Float64Array.from(last, (i) => ts[i]!), end, returns };
}

export const dayKey = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;
export const monthKey = (t: number): string => new Date(t).toISOString().slice(0, 7);
export const yearKey = (t: number): string => new Date(t).toISOString().slice(0, 4);

export const dailyReturns = (ts: Float64Array, values: Float64Array, base: number): PeriodReturns => byKey(ts, values, base, dayKey);
export const monthlyReturns = (ts: Float64Array, values: Float64Array, base: number): PeriodReturns => byKey(ts, values, base, monthKey);
export const yearlyReturns = (ts: Float64Array, values: Float64Array, base: number): PeriodReturns => byKey(ts, values, base, yearKey);

/** Monthly returns as a years × months grid (null where the run has no such month). */
export function monthGrid(m: PeriodReturns): { years: string[]; cells: (number | null)[][] } {
  const years = [...new Set(m.keys.map((k) => String(k).slice(0, 4)))];
  const cells = years.map(() => new Array<number | null>(12).fill(null));
  m.keys.forEach((k, i) => {
    const key = String(k);
    cells[years.indexOf(key.slice(0, 4))]![Number(key.slice(5, 7)) - 1] = m.returns[i]!;
  });
  return { years, cells };
}
