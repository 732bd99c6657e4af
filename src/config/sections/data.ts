import { z } from 'zod';

/** Readiness thresholds: a clean dataset passes its gate when every one holds. */
const readiness = z
  .object({
    min_coverage: z
      .number()
      .min(0)
      .max(1)
      .describe('smallest allowed fraction of expected bars present between the first and last bar')
      .default(0.95),
    max_gaps: z.number().int().min(0).describe('largest allowed number of gaps (runs of missing bars)').default(20),
    max_longest_gap_bars: z.number().int().min(0).describe('largest allowed gap, in missing bars of the dataset interval').default(96),
    max_quarantined_fraction: z
      .number()
      .min(0)
      .max(1)
      .describe('largest allowed fraction of input rows quarantined by clean')
      .default(0.01),
    min_rows: z.number().int().min(0).describe('fewest bars a dataset may have').default(30),
    min_series_values: z
      .number()
      .int()
      .min(0)
      .describe('fewest values an observation series (macro, open interest) may have')
      .default(12),
    session_gap_weekdays: z
      .number()
      .int()
      .min(0)
      .describe('equity daily bars: missing weekdays tolerated before a run counts as a gap (holidays are 1–2)')
      .default(3),
    fail_on_funding_modes: z
      .array(z.enum(['missing', 'constant', 'misaligned', 'partial']))
      .describe('funding alignment modes that fail the gate of a perpetual-swap dataset')
      .default(['missing', 'misaligned']),
  })
  .strict();

/** Funding expectations used by clean and the gate. */
const funding = z
  .object({
    interval_hours: z.number().positive().describe('expected hours between funding settlements (dYdX is 1)').default(8),
    jitter_ms: z
      .number()
      .int()
      .min(0)
      .describe('settlement stamps up to this many ms after the hour are floored to it (exchanges add 0–50 ms)')
      .default(60_000),
    phase_hours: z
      .array(z.number().int().min(0).max(23))
      .describe('settlement hours (UTC, modulo interval_hours) that are on schedule: 0 = 00/08/16, 4 = 04/12/20 (KuCoin)')
      .default([0, 4]),
    max_abs_rate: z.number().positive().describe('rates beyond ±this per period are quarantined as implausible').default(0.05),
    max_off_schedule_fraction: z
      .number()
      .min(0)
      .max(1)
      .describe('settlements off the schedule (or inside bars) beyond this fraction name the mode "misaligned"')
      .default(0.01),
    max_longest_gap_settlements: z
      .number()
      .int()
      .min(0)
      .describe('funding datasets: largest allowed run of missing settlements')
      .default(3),
    max_missing_fraction: z
      .number()
      .min(0)
      .max(1)
      .describe('settlements missing beyond this fraction of the expected count name the mode "partial"')
      .default(0.01),
  })
  .strict();

/** Clean-stage behaviour. */
const clean = z
  .object({
    out_of_order: z
      .enum(['sort', 'quarantine'])
      .describe('rows earlier than a previous row: sort them into place (reported) or quarantine them')
      .default('sort'),
    duplicates: z
      .enum(['keep_first', 'keep_last'])
      .describe('which row of a repeated timestamp stays; the others are quarantined')
      .default('keep_first'),
    max_rejected_fraction: z
      .number()
      .min(0)
      .max(1)
      .describe('ingest refuses a file when more than this fraction of its rows cannot be parsed')
      .default(0.05),
    oi_max_staleness_bars: z
      .number()
      .int()
      .min(0)
      .describe('open interest is forward-filled for at most this many bars, then NaN (0 = unlimited)')
      .default(0),
  })
  .strict();

/** 'data' section of configs/base.yaml: readiness gate thresholds, funding expectations, clean behaviour. */
export const dataSection = z
  .object({
    readiness: readiness.default(readiness.parse({})),
    funding: funding.default(funding.parse({})),
    clean: clean.default(clean.parse({})),
  })
  .strict();

export type DataConfig = z.infer<typeof dataSection>;
