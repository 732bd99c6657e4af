import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';

export default defineCommand({
  name: 'history',
  summary: 'list the commands run in this session, with their outcome',
  schema: z.object({
    last: z.coerce.number().int().positive().optional().describe('show only the last N lines'),
  }),
  examples: ['history', 'history --last 5'],
  run(session, args) {
    const all = session.results.map((r, i) => [i + 1, r.line, r.status] as const);
    const rows = args.last ? all.slice(-args.last) : all;
    if (rows.length === 0) return ok('history', [text('no commands yet')]);
    return ok('history', [table(['#', 'line', 'status'], rows)], `${all.length} commands`);
  },
});
