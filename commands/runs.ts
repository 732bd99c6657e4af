import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { parseUtc, shortUtc } from '../src/core/time.js';
import { UserError } from '../src/core/errors.js';
import { short } from '../src/core/canonical.js';
import { listRuns, metricCell, resultsDbPath, type RunListRow } from '../src/store/index.js';
import { resultsDbLabel } from '../src/store/path.js';

export default defineCommand({
  name: 'runs',
  summary: 'list stored runs (backtests…) from the results database; `runs show ID`, `runs diff A B`',
  subcommands: true,
  schema: z.object({
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    last: z.coerce.number().int().positive().default(20).describe('show only the latest N runs'),
    model: z.string().optional().describe('only runs that traded this model'),
    since: z.string().optional().describe('only runs stored after this run id, or (a UTC date) whose period ends on or after it'),
    sort: z.string().optional().describe('order by this metric, highest first (e.g. sharpe, total_return); runs without it last'),
    asc: z.boolean().default(false).describe('with --sort: lowest first'),
  }),
  completion: { since: 'run', db: 'path' },
  examples: ['runs', 'runs --last 5', 'runs --model sma_cross --sort sharpe', 'runs --since 2021-01-01', 'runs show bt-1a2b', 'runs diff bt-1a2b bt-3c4d'],
  async run(session, args, io) {
    const path = resultsDbPath(session, args.db);
    const label = resultsDbLabel(session, args.db);
    io.log(`results database: ${path}`);
    const all = await listRuns(path);
    if (all.length === 0) return ok('runs', [text(`no runs stored in ${label} yet (run a backtest)`)]);
    const picked = filterRuns(all, args);
    const shown = picked.slice(args.sort !== undefined ? 0 : -args.last, args.sort !== undefined ? args.last : undefined);
    const rows = shown.map((r) => [
      r.id,
      r.label,
      r.steps,
      r.start === null ? null : shortUtc(r.start),
      r.end === null ? null : shortUtc(r.end),
      metricCell(r.metrics['total_return']),
      metricCell(r.metrics['max_drawdown']),
      metricCell(r.metrics['sharpe']),
      ...(args.sort !== undefined && !SHOWN.includes(args.sort) ? [metricCell(r.metrics[args.sort])] : []),
      short(r.configDigest).slice(0, 8),
      r.codeRevision.slice(0, 8),
      r.seed,
    ]);
    const filtered = picked.length < all.length ? `, ${picked.length} match` : '';
    const summary = `${all.length} runs in ${label}${filtered}${shown.length < picked.length ? ` (${args.sort !== undefined ? 'first' : 'latest'} ${shown.length} shown)` : ''}`;
    return ok(
      'runs',
      [text(summary), table(['id', 'label', 'steps', 'from', 'to', 'return', 'max DD', 'sharpe', ...(args.sort !== undefined && !SHOWN.includes(args.sort) ? [args.sort] : []), 'config', 'code', 'seed'], rows, undefined, picked.length)],
      summary,
    );
  },
});

/** Metrics the list always shows. */
const SHOWN = ['total_return', 'max_drawdown', 'sharpe'];

/** --model, --since and --sort applied to the stored runs (in stored order). */
export function filterRuns(all: readonly RunListRow[], o: { model?: string | undefined; since?: string | undefined; sort?: string | undefined; asc?: boolean }): RunListRow[] {
  let out = [...all];
  if (o.model !== undefined) out = out.filter((r) => r.models.includes(o.model!));
  if (o.since !== undefined) {
    const run = all.filter((r) => r.id.startsWith(o.since!));
    if (run.length === 1) out = out.filter((r) => r.seq > run[0]!.seq);
    else if (/^\d{4}-\d{2}-\d{2}/.test(o.since) || /^\d+$/.test(o.since)) {
      const t = parseUtc(o.since);
      out = out.filter((r) => r.end !== null && r.end >= t);
    } else throw new UserError(run.length > 1 ? `run id prefix '${o.since}' matches ${run.length} runs; give more characters` : `no run '${o.since}' and not a date (try 2024-01-31)`, '--since');
  }
  if (o.sort !== undefined) {
    const key = o.sort;
    if (!all.some((r) => typeof r.metrics[key] === 'number')) {
      const names = [...new Set(all.flatMap((r) => Object.keys(r.metrics).filter((k) => typeof r.metrics[k] === 'number')))].sort();
      throw new UserError(`no stored run has a numeric metric '${key}' (metrics: ${names.join(', ')})`, '--sort');
    }
    const sign = o.asc ? 1 : -1;
    const val = (r: RunListRow): number | null => (typeof r.metrics[key] === 'number' ? (r.metrics[key] as number) : null);
    out.sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (va === null || vb === null) return va === null ? (vb === null ? a.seq - b.seq : 1) : -1;
      return sign * (va - vb) || a.seq - b.seq;
    });
  }
  return out;
}
