/**
 * Input checks shared by the indicator kernels (the role of spectra-processing's `xCheck`): run
 * once per call, before the hot loop, never inside it.
 */
import { UserError } from '../../core/errors.js';

/** Throws unless `period` is an integer ≥ `min` (default 1), naming the indicator and the value. */
export function checkPeriod(indicator: string, period: number, min = 1, what = 'period'): void {
  if (!Number.isInteger(period) || period < min) {
    const expected = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw new UserError(`${indicator}: ${what} must be ${expected}, got ${period}`, indicator);
  }
}

/** Throws unless `value` is a finite number (multipliers such as Bollinger's k). */
export function checkFinite(indicator: string, value: number, what: string): void {
  if (!Number.isFinite(value)) throw new UserError(`${indicator}: ${what} must be a finite number, got ${value}`, indicator);
}

/** Throws unless every column has the same length as the first. */
export function checkSameLength(indicator: string, ...columns: readonly Float64Array[]): number {
  const n = columns[0]?.length ?? 0;
  for (const c of columns) {
    if (c.length !== n) throw new UserError(`${indicator}: input columns differ in length (${n} vs ${c.length})`, indicator);
  }
  return n;
}

/**
 * The output array: `out` when given (it must have length `n`; reused to avoid allocation in
 * repeated calls, as spectra-processing's `getOutputArray`), else a fresh Float64Array(n).
 */
export function outputArray(indicator: string, n: number, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new UserError(`${indicator}: output array has length ${out.length}, expected ${n}`, indicator);
  return out;
}
