import { z } from 'zod';

/**
 * 'features' section of configs/base.yaml: what `features` computes when it is given no SPEC and
 * no --on. Spec strings are checked when the command runs (src/features/spec.ts), where a bad one
 * gets the same message as on the command line.
 */
export const featuresSection = z
  .object({
    specs: z
      .array(z.string().min(1))
      .describe('feature specs computed by `features` with no SPEC, e.g. [sma:50, rsi:14, atr:14, bb:20,2, daily:sma:200]')
      .default(['sma:50', 'ema:20', 'rsi:14', 'atr:14', 'bb:20,2', 'macd:12,26,9', 'rvol:30', 'daily:sma:200']),
    on: z.string().optional().describe('dataset `features` runs on when --on is not given, e.g. BTCUSDT:4h'),
    rows: z.number().int().positive().max(1000).describe('how many of the last rows `features` shows').default(5),
    chart_points: z
      .number()
      .int()
      .min(10)
      .max(5000)
      .describe('most points in the chart series of `features` (downsampled by taking every k-th bar)')
      .default(400),
  })
  .strict();

export type FeaturesConfig = z.infer<typeof featuresSection>;
