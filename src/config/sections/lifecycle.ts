import { z } from 'zod';

/**
 * Promotion gate thresholds (docs/lifecycle.md). The section is optional: a config that leaves it
 * out parses to the same object as before it existed (config digests do not move) and the defaults
 * apply.
 */
export const lifecycleSection = z
  .object({
    min_oos_sharpe: z.number().default(0.5).describe('paper gate: smallest annualised Sharpe of the stitched walk-forward out-of-sample curve'),
    min_trades: z.number().int().min(0).default(20).describe('paper gate: fewest closed trades over the walk-forward test windows'),
    max_drawdown: z.number().min(0).max(1).default(0.25).describe('paper gate: largest drawdown of the stitched out-of-sample curve (fraction)'),
    min_dsr: z.number().min(0).max(1).default(0.9).describe('paper gate: smallest deflated Sharpe ratio of the stitched out-of-sample returns'),
    max_q: z.number().min(0).max(1).default(0.1).describe('candidate gate for models from an edge: largest discovery q-value (BH over the ledger)'),
    max_tracking_error: z.number().min(0).default(0.05).describe('live gate: largest annualised tracking error of paper returns against the backtest of the same period'),
  })
  .strict();

export type LifecycleConfig = z.infer<typeof lifecycleSection>;

/** The lifecycle settings of a config, defaults filled in when the section is absent. */
export const lifecycleConfigOf = (config: { readonly lifecycle?: LifecycleConfig | undefined }): LifecycleConfig => config.lifecycle ?? lifecycleSection.parse({});
