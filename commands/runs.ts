import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { shortUtc } from '../src/core/time.js';
import { short } from '../src/core/canonical.js';
import { listRuns, metricCell, resultsDbPath } from '../src/store/index.js';
import { resultsDbLabel } from '../src/store/path.js';

export default defineCommand({
  name: 'runs',
  summary: 'list stored runs (backtests…) from the results database; `runs show ID`, `runs diff A B`',
  subcommands: true,
  schema: z.object({
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    last: z.coerce.number().int().positive().default(20).describe('show only the latest N runs'),
  }),
  completion: { db: 'path' },
  examples: ['runs', 'runs --last 5', 'runs show bt-1a2b', 'runs diff bt-1a2b bt-3c4d'],
  async run(session, args, io) {
    const path = resultsDbPath(session, args.db);
    const label = resultsDbLabel(session, args.db);
    io.log(`results database: ${path}`);
    const all = await listRuns(path);
    if (all.length === 0) return ok('runs', [text(`no runs stored in ${label} yet (run a backtest)`)]);
    const shown = all.slice(-args.last);
    const rows = shown.map((r) => [
      r.id,
      r.label,
      r.steps,
      r.start === null ? null : shortUtc(r.start),
      r.end === null ? null : shortUtc(r.end),
      metricCell(r.metrics['total_return']),
      metricCell(r.metrics['max_drawdown']),
      metricCell(r.metrics['sharpe']),
      short(r.configDigest).slice(0, 8),
      r.codeRevision.slice(0, 8),
      r.seed,
    ]);
    const summary = `${all.length} runs in ${label}${shown.length < all.length ? ` (latest ${shown.length} shown)` : ''}`;
    return ok(
      'runs',
      [text(summary), table(['id', 'label', 'steps', 'from', 'to', 'return', 'max DD', 'sharpe', 'config', 'code', 'seed'], rows, undefined, all.length)],
      summary,
    );
  },
});
