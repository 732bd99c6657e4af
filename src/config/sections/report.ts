import { z } from 'zod';

/**
 * Report settings (docs/reports.md). The section is optional: a config that leaves it out parses to
 * the same object as before it existed (so config digests do not move) and the defaults apply.
 */
export const reportSection = z
  .object({
    rolling_window: z.number().int().min(2).default(126).describe('window of the rolling Sharpe and Sortino, in daily returns'),
  })
  .strict();

export type ReportConfig = z.infer<typeof reportSection>;

/** The report settings of a config, defaults filled in when the section is absent. */
export const reportConfigOf = (config: { readonly report?: ReportConfig | undefined }): ReportConfig => config.report ?? reportSection.parse({});
