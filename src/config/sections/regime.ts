import { z } from 'zod';

/**
 * 'regime' section of configs/base.yaml: every threshold of the rule regimes (seed 003 §6.3) and the
 * HMM settings (seed 004). The exact rules are in docs/regime.md.
 */

const days = (what: string, dflt: number) => z.number().int().min(1).max(5000).describe(what).default(dflt);

const equity = z
  .object({
    symbol: z.string().min(1).describe("symbol (or dataset name) of the equity index; 'SPY:1d' or SPY's finest bars resampled to UTC days").default('SPY'),
    ma_days: days('moving-average length in daily bars', 200),
    momentum_days: z
      .array(z.number().int().min(1).max(5000))
      .min(1)
      .describe('momentum look-backs in daily bars (6 and 12 months); BULL needs all positive, BEAR all negative')
      .default([126, 252]),
    ma_band: z
      .number()
      .min(0)
      .max(0.5)
      .describe('close within ±band of the MA (fraction) counts as neither above nor below it')
      .default(0),
  })
  .strict();

const vol = z
  .object({
    source: z
      .enum(['auto', 'realized', 'implied'])
      .describe("'implied' uses the first existing implied_datasets entry; 'auto' falls back to realised vol")
      .default('auto'),
    symbol: z.string().min(1).describe('symbol (or dataset) whose daily closes give the realised volatility').default('SPY'),
    window_days: days('realised-vol window in daily returns', 20),
    annualization: z.number().positive().describe('periods per year for annualising realised vol (√252 for equities)').default(252),
    mode: z
      .enum(['level', 'percentile'])
      .describe("'level': compare annualised vol with low/high; 'percentile': its rank among the previous percentile_window_days values")
      .default('level'),
    low: z.number().positive().describe('annualised realised vol below this → LOW').default(0.12),
    high: z.number().positive().describe('annualised realised vol above this → HIGH').default(0.25),
    percentile_window_days: days('history for the percentile mode', 756),
    low_percentile: z.number().min(0).max(1).describe('percentile mode: rank below this → LOW').default(0.2),
    high_percentile: z.number().min(0).max(1).describe('percentile mode: rank above this → HIGH').default(0.8),
    implied_datasets: z
      .array(z.string().min(1))
      .describe('VIX-like datasets tried in order (series value or bar close, in index points)')
      .default(['MACRO:vix', 'VIX:1d']),
    implied_low: z.number().positive().describe('implied vol index below this → LOW').default(15),
    implied_high: z.number().positive().describe('implied vol index above this → HIGH').default(25),
  })
  .strict()
  .refine((v) => v.low < v.high, { message: 'vol.low must be below vol.high', path: ['low'] })
  .refine((v) => v.low_percentile < v.high_percentile, { message: 'vol.low_percentile must be below vol.high_percentile', path: ['low_percentile'] })
  .refine((v) => v.implied_low < v.implied_high, { message: 'vol.implied_low must be below vol.implied_high', path: ['implied_low'] });

const crypto = z
  .object({
    symbol: z.string().min(1).describe("symbol (or dataset) of the crypto bellwether; its daily closes are resampled from the finest bars").default('BTCUSDT'),
    ma_days: days('moving-average length in daily bars', 200),
    momentum_days: days('momentum look-back in daily bars', 60),
  })
  .strict();

const macro = z
  .object({
    pmi_dataset: z.string().min(1).describe('PMI-like series (ts = release time, value in index points)').default('MACRO:pmi'),
    curve_dataset: z.string().min(1).describe('yield-curve slope series, 10Y − 2Y in percentage points').default('MACRO:curve_slope'),
    pmi_threshold: z.number().describe('PMI above this is expansion').default(50),
    curve_inverted_below: z.number().describe('slope below this (percentage points) counts as inverted').default(0),
    inversion_persist_days: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .describe('an inversion is persistent once it has lasted this many calendar days (RECESSION needs it)')
      .default(90),
  })
  .strict();

const hmm = z
  .object({
    on: z.string().min(1).describe('symbol or dataset the HMM runs on (finest bars are resampled to UTC days; intraday bars give daily realised vol)').default('BTCUSDT'),
    states: z.number().int().min(2).max(8).describe('number of hidden states').default(4),
    features: z
      .array(z.enum(['return', 'realized_vol', 'log_realized_vol']))
      .min(1)
      .describe("observation features per day; 'return' is required (state labels use its mean and variance)")
      .default(['return', 'log_realized_vol'])
      .refine((f) => f.includes('return'), { message: "features must include 'return'" })
      .refine((f) => new Set(f).size === f.length, { message: 'features must not repeat' }),
    vol_window_days: days('realised-vol window when the source has only daily bars', 20),
    max_iterations: z.number().int().min(1).max(10000).describe('Baum–Welch iterations per fit').default(200),
    tolerance: z.number().positive().describe('stop when the log-likelihood gain is below tolerance × |log L|').default(1e-6),
    variance_floor: z.number().positive().max(1).describe("emission variance floor as a fraction of each feature's variance").default(0.02),
    restarts: z.number().int().min(0).max(50).describe('seeded k-means++ starts per smoothing window (plus one quantile start per feature)').default(2),
    refit_restarts: z
      .number()
      .int()
      .min(0)
      .max(50)
      .describe('k-means++ starts per smoothing window on refits (besides the previous fit and the quantile starts)')
      .default(0),
    screen_iterations: z.number().int().min(1).max(1000).describe('Baum–Welch steps run from every start before the best is continued').default(10),
    stickiness: z
      .number()
      .min(0)
      .max(1e6)
      .describe('sticky prior: pseudo-transitions added to every self-transition in Baum–Welch (0 = maximum likelihood)')
      .default(100),
    init_stay: z.number().min(0).max(1).describe('diagonal of the initial transition matrix').default(0.9),
    fit_window: z
      .enum(['full', 'expanding', 'rolling'])
      .describe("'full': one fit on all days, then the causal filter (parameters are in-sample); 'expanding'/'rolling': parameters fitted only on days before each evaluation block (strictly point-in-time)")
      .default('full'),
    min_train_days: days('days of observations before the first fit', 365),
    refit_every_days: days('days per evaluation block (refit cadence)', 63),
    window_days: days("training window length for 'rolling'", 730),
  })
  .strict();

export const regimeSection = z
  .object({
    equity: equity.default(equity.parse({})),
    vol: vol.default(vol.parse({})),
    crypto: crypto.default(crypto.parse({})),
    macro: macro.default(macro.parse({})),
    hmm: hmm.default(hmm.parse({})),
  })
  .strict();

export type RegimeConfig = z.infer<typeof regimeSection>;
export type HmmConfig = RegimeConfig['hmm'];
