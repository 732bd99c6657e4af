/**
 * Strategy against benchmark on aligned period returns s and b (n periods, P periods per year):
 *
 *   beta  = Σ(s − s̄)(b − b̄) / Σ(b − b̄)²            (OLS slope of s on b)
 *   alpha = (s̄ − beta · b̄) · P                      (OLS intercept, annualised arithmetically as quantstats does)
 *   TE    = sd(s − b) · √P                            (sample sd, n − 1)
 *   IR    = mean(s − b) / sd(s − b) · √P
 *   up capture   = annual(s | b > 0) / annual(b | b > 0)   with annual(x) = Π(1 + x)^(P / len x) − 1
 *   down capture = annual(s | b < 0) / annual(b | b < 0)   (empyrical's up_capture / down_capture)
 *
 * Hand-written: a dozen lines of arithmetic, checked in test/report/analytics.test.ts against an
 * independent computation.
 */
export interface BenchmarkStats {
  readonly alpha: number;
  readonly beta: number;
  readonly correlation: number;
  readonly informationRatio: number;
  readonly trackingError: number;
  readonly upCapture: number;
  readonly downCapture: number;
  readonly periods: number;
}

const mean = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
};

/** Annualised geometric return of a run of period returns. */
export function annualReturn(x: readonly number[], periodsPerYear: number): number {
  if (x.length === 0) return NaN;
  let g = 1;
  for (const r of x) g *= 1 + r;
  return g ** (periodsPerYear / x.length) - 1;
}

function capture(s: Float64Array, b: Float64Array, up: boolean, P: number): number {
  const xs: number[] = [];
  const xb: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (up ? b[i]! > 0 : b[i]! < 0) {
      xs.push(s[i]!);
      xb.push(b[i]!);
    }
  }
  return annualReturn(xs, P) / annualReturn(xb, P);
}

export function benchmarkStats(s: Float64Array, b: Float64Array, periodsPerYear: number): BenchmarkStats {
  const n = Math.min(s.length, b.length);
  const ms = mean(s.subarray(0, n));
  const mb = mean(b.subarray(0, n));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  const active = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ds = s[i]! - ms;
    const db = b[i]! - mb;
    sxy += ds * db;
    sxx += db * db;
    syy += ds * ds;
    active[i] = s[i]! - b[i]!;
  }
  const beta = sxy / sxx;
  const ma = mean(active);
  let va = 0;
  for (let i = 0; i < n; i++) va += (active[i]! - ma) ** 2;
  const sdActive = Math.sqrt(va / (n - 1));
  const root = Math.sqrt(periodsPerYear);
  return {
    alpha: (ms - beta * mb) * periodsPerYear,
    beta,
    correlation: sxy / Math.sqrt(sxx * syy),
    informationRatio: (ma / sdActive) * root,
    trackingError: sdActive * root,
    upCapture: capture(s.subarray(0, n), b.subarray(0, n), true, periodsPerYear),
    downCapture: capture(s.subarray(0, n), b.subarray(0, n), false, periodsPerYear),
    periods: n,
  };
}
