import { z } from 'zod';

/**
 * 'synthetic' section of configs/base.yaml: the embedded demo market (`ingest synthetic`).
 * Flags of the command override these; the generative model is in docs/synthetic.md.
 */
const sizeBps = z.number().min(-1000).max(1000).describe('planted total log-return drift over the horizon, in basis points');
const bars = (what: string) => z.number().int().min(1).max(100_000).describe(what);

export const syntheticSection = z
  .object({
    seed: z.number().int().min(0).nullable().default(null).describe('generator seed; null uses the session seed'),
    start: z.string().default('2019-01-01').describe('first UTC day of the 15m crypto bars (YYYY-MM-DD)'),
    years: z.number().positive().max(10).default(3).describe('years after start; every series ends at start + years'),
    equity_start: z
      .string()
      .default('2010-01-01')
      .describe('first UTC day of the ETF and macro series (earlier than start so 200-day averages warm up)'),
    symbols: z
      .array(z.string())
      .min(1)
      .default(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'SPY', 'QQQ'])
      .describe('symbols to generate: *USDT are crypto perpetuals (15m), the others US ETFs (1d and session 4h)'),
    placebo: z.boolean().default(false).describe('generate the same process with every planted edge switched off'),
    edges: z
      .object({
        funding_extreme_reversal: z
          .object({
            size_bps: sizeBps.default(50),
            horizon_bars: bars('15m bars after the settlement bar that carry the drift').default(32),
            z: z.number().positive().default(2).describe('|z| threshold on the funding z-score'),
            lookback: bars('earlier settlements in the z-score mean and sd').default(90),
          })
          .strict()
          .prefault({})
          .describe('after an extreme funding z-score, drift against its sign'),
        vol_compression_breakout: z
          .object({
            size_bps: sizeBps.default(20),
            horizon_bars: bars('15m bars after the breakout bar that carry the drift').default(16),
            channel_bars: bars('bars in the high/low channel').default(32),
            percentile: z.number().gt(0).lt(1).default(0.1).describe('compression: channel width percentile rank at most this'),
            history: bars('earlier channel widths in the percentile').default(180),
            step_bars: bars('spacing of the earlier widths').default(16),
          })
          .strict()
          .prefault({})
          .describe('after a compressed channel breaks, drift in the breakout direction'),
        liquidation_exhaustion: z
          .object({
            size_bps: sizeBps.default(50),
            horizon_bars: bars('15m bars after the spike bar that carry the drift').default(16),
            ratio: z.number().positive().default(25).describe('spike: liquidations at least ratio × their trailing mean'),
            lookback_bars: bars('bars in the trailing mean').default(672),
          })
          .strict()
          .prefault({})
          .describe('after a liquidation spike, drift against the forced flow'),
        equity_reversal: z
          .object({
            size_bps: sizeBps.default(30),
            sigma: z.number().positive().default(1.5).describe('trigger: |daily return| at least sigma × trailing sd'),
            lookback_days: bars('daily returns in the trailing sd').default(20),
          })
          .strict()
          .prefault({})
          .describe('after a large daily move, the next session drifts back'),
      })
      .strict()
      .prefault({})
      .describe('planted edges: sizes and trigger parameters (ground truth is recorded in each dataset)'),
  })
  .strict();

export type SyntheticConfig = z.infer<typeof syntheticSection>;
