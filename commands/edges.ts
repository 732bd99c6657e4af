import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { resultsDbPath } from '../src/store/index.js';
import { listCandidates } from '../src/store/ledger.js';
import { candidatesTable } from '../src/research/report.js';

export default defineCommand({
  name: 'edges',
  summary: 'edge candidates found by `discover`; `edges show ID` for one, `export edges PATH` to write them',
  subcommands: true,
  schema: z.object({
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    standing: z.boolean().default(false).describe('only candidates that survived all four robustness probes'),
  }),
  completion: { db: 'path' },
  examples: ['edges', 'edges --standing', 'edges show E1', 'export edges /tmp/edges.csv'],
  async run(session, args) {
    const path = resultsDbPath(session, args.db);
    const all = await listCandidates(path);
    const shown = args.standing ? all.filter((c) => c.stands) : all;
    if (shown.length === 0) return ok('edges', [text(`no ${args.standing ? 'standing ' : ''}edge candidates in ${path} yet (run \`discover\`)`)]);
    const summary = `${shown.length} edge candidates in ${path}${args.standing ? ' (standing only)' : ''}`;
    return ok('edges', [text(summary), candidatesTable(shown, 'edge candidates')], summary);
  },
});
