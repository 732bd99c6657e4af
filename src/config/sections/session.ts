import { z } from 'zod';

/** Shell/session settings. */
export const sessionSection = z
  .object({
    seed: z.number().int().describe('default seed for the session').default(42),
    results_db: z.string().describe('DuckDB results database, relative to the project root').default('data/edgelab.duckdb'),
    lake_dir: z.string().describe('Parquet lake root, relative to the project root').default('data/lake'),
    history_file: z.string().describe('prompt history file').default('~/.edgelab_history'),
  })
  .strict();
