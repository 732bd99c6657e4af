import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { resultsDbPath } from '../../src/store/index.js';
import { loadRunData } from '../../src/store/run-extras.js';
import { exportRun } from '../../src/report/export-run.js';
import { reportConfigOf } from '../../src/config/sections/report.js';

export default defineCommand({
  name: 'export',
  summary: 'write a stored run to a folder: fills, orders, trades, equity, positions, model equity, metrics, config, manifest',
  positional: ['id', 'dir'],
  schema: z.object({
    id: z.string().min(1).describe("run id, a unique prefix of it (see `runs`), or 'last'"),
    dir: z.string().min(1).describe('folder to write the files into (created when missing)'),
    format: z.enum(['csv', 'parquet']).default('csv').describe('format of the tables: csv or parquet'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { id: 'run', dir: 'path', db: 'path', format: ['csv', 'parquet'] },
  examples: ['runs export bt-1a2b /tmp/run-1a2b', 'runs export bt-1a2b /tmp/run-1a2b --format parquet'],
  async run(session, args) {
    const run = await loadRunData(resultsDbPath(session, args.db), args.id);
    const files = await exportRun(run, session.resolvePath(args.dir), args.format, reportConfigOf(session.config).rolling_window);
    const line = `exported run ${run.id} to ${args.dir}: ${files.join(', ')}`;
    return ok(`runs export ${run.id}`, [text(line)], line);
  },
});
