/**
 * The deflated Sharpe ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio: Correcting
 * for Selection Bias, Backtest Overfitting and Non-Normality", J. Portfolio Management 40(5)).
 *
 * After N trials, the best observed Sharpe ratio is inflated by selection. The paper's benchmark is
 * the expected maximum of N Sharpe estimates whose true value is zero (eq. 2, from the extreme value
 * theory of Gaussian maxima):
 *
 *   SR0 = √V[{SR_n}] · ( (1 − γ) · Φ⁻¹(1 − 1/N) + γ · Φ⁻¹(1 − 1/(N·e)) )
 *
 * with γ the Euler–Mascheroni constant, V the variance of the trials' Sharpe estimates and Φ⁻¹ the
 * standard normal quantile. The DSR is the probabilistic Sharpe ratio against that benchmark
 * (eq. 1; PSR from src/backtest/metrics/psr.ts):
 *
 *   DSR = Φ( (SR − SR0) · √(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4 · SR²) )
 *
 * Everything is in per-bar units (not annualised), as in the paper; γ3 is the skewness and γ4 the
 * non-excess kurtosis of the selected strategy's returns, T their count. No maintained npm package
 * implements the DSR (the registry lists only Python ones), so it is written here from the paper.
 */
import normal from '@stdlib/stats-base-dists-normal';
import { moments } from '../backtest/metrics/moments.js';

/** Euler–Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio of `trials` unskilled strategies whose Sharpe estimates have
 * variance `sharpeVariance` (eq. 2 above). 0 for a single trial or a zero variance: one trial
 * is not a selection. NaN for a non-finite or negative variance.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!(sharpeVariance >= 0) || !Number.isFinite(sharpeVariance)) return NaN;
  if (trials <= 1 || sharpeVariance === 0) return 0;
  const z1 = normal.quantile(1 - 1 / trials, 0, 1);
  const z2 = normal.quantile(1 - 1 / (trials * Math.E), 0, 1);
  return Math.sqrt(sharpeVariance) * ((1 - EULER_MASCHERONI) * z1 + EULER_MASCHERONI * z2);
}

/** Summary statistics of the selected strategy's per-bar returns (what the paper's example gives). */
export interface SharpeSummary {
  /** Per-bar Sharpe ratio SR = mean / sd. */
  readonly sharpe: number;
  /** Number of returns T. */
  readonly observations: number;
  /** Skewness γ3 (population). */
  readonly skewness: number;
  /** Kurtosis γ4 (non-excess: 3 for normal returns). */
  readonly kurtosis: number;
}

export interface DeflatedSharpe {
  /** The deflated Sharpe ratio: P(true SR > SR0); NaN when undefined. */
  readonly dsr: number;
  /** The benchmark SR0 (per bar). */
  readonly expectedMax: number;
  /** The selected strategy's per-bar Sharpe. */
  readonly sharpe: number;
  readonly trials: number;
  /** Variance of the trials' per-bar Sharpe ratios. */
  readonly sharpeVariance: number;
  readonly observations: number;
}

/** PSR against a benchmark from summary statistics (Bailey & López de Prado 2012, eq. 11). */
export function psrFromSummary(s: SharpeSummary, benchmark: number): number {
  const varTerm = 1 - s.skewness * s.sharpe + ((s.kurtosis - 1) / 4) * s.sharpe * s.sharpe;
  if (!(s.observations >= 2) || !(varTerm > 0) || !Number.isFinite(s.sharpe) || !Number.isFinite(benchmark)) return NaN;
  return normal.cdf(((s.sharpe - benchmark) * Math.sqrt(s.observations - 1)) / Math.sqrt(varTerm), 0, 1);
}

/** The DSR from summary statistics, N trials and the variance of their Sharpe ratios. */
export function deflatedSharpeFromSummary(s: SharpeSummary, trials: number, sharpeVariance: number): DeflatedSharpe {
  const expectedMax = expectedMaxSharpe(trials, sharpeVariance);
  return { dsr: psrFromSummary(s, expectedMax), expectedMax, sharpe: s.sharpe, trials, sharpeVariance, observations: s.observations };
}

/** Per-bar Sharpe ratio mean / sd (sample sd); NaN for fewer than 2 returns or zero spread. */
export function perBarSharpe(returns: Float64Array): number {
  const m = moments(returns);
  const sd = Math.sqrt(m.variance);
  return sd > 0 ? m.mean / sd : NaN;
}

/** Sample variance (n − 1) of the finite values; 0 for fewer than two. */
export function sampleVariance(values: readonly number[]): number {
  const xs = values.filter(Number.isFinite);
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (xs.length - 1);
}

/**
 * The DSR of a selected strategy's per-bar returns, given the per-bar Sharpe ratios of every trial
 * of the search that selected it (the selected one included). N is the number of trials; V the
 * sample variance of their finite Sharpe ratios.
 */
export function deflatedSharpe(returns: Float64Array, trialSharpes: readonly number[]): DeflatedSharpe {
  const m = moments(returns);
  const sd = Math.sqrt(m.variance);
  const summary: SharpeSummary = { sharpe: sd > 0 ? m.mean / sd : NaN, observations: m.n, skewness: m.skewness, kurtosis: m.kurtosis };
  return deflatedSharpeFromSummary(summary, Math.max(1, trialSharpes.length), sampleVariance(trialSharpes));
}
