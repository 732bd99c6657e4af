import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import type { Session } from '../src/shell/session.js';

/**
 * The lines of this session before the running one, with their outcome (`running` for one still
 * running, e.g. a background job). Outcomes used to enter the session only when a line's transcript
 * record was written, in typing order, so behind a running `CMD &` the later lines were missing and
 * the list was cut short. The last recorded line is the one running now (this `history`, or the
 * `run SCRIPT` that contains it), so it is left out: a sequential script lists the lines before it.
 */
export function historyRows(session: Pick<Session, 'results'>): [number, string, string][] {
  return session.results.slice(0, -1).map((r, i) => [i + 1, r.line, r.status]);
}

export default defineCommand({
  name: 'history',
  summary: 'list the commands run in this session, with their outcome',
  schema: z.object({
    last: z.coerce.number().int().positive().optional().describe('show only the last N lines'),
  }),
  examples: ['history', 'history --last 5'],
  run(session, args) {
    const all = historyRows(session);
    const rows = args.last ? all.slice(-args.last) : all;
    if (rows.length === 0) return ok('history', [text('no commands yet')]);
    return ok('history', [table(['#', 'line', 'status'], rows)], `${all.length} commands`);
  },
});
