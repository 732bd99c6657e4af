import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { UserError } from '../../src/core/errors.js';
import { paperPaths, readJson } from '../../src/paper/files.js';
import type { PaperHead } from '../../src/paper/head.js';
import { headBlocks, headLine, resolveSessionId, sessionsTable } from '../../src/paper/report.js';

export default defineCommand({
  name: 'status',
  summary: 'a paper session\'s book (NAV, positions, open orders, risk mode), or every session when none is named',
  positional: ['id'],
  schema: z.object({
    id: z.string().optional().describe("session id (see `paper status`), or 'last'"),
  }),
  examples: ['paper status', 'paper status paper-1', 'paper status last'],
  run(session, args) {
    if (args.id === undefined) return ok('paper status', [sessionsTable(session.dataRoot)]);
    const id = resolveSessionId(session.dataRoot, args.id);
    const head = id !== undefined ? readJson<PaperHead>(paperPaths(session.dataRoot, id).head) : undefined;
    if (!id || !head) throw new UserError(`no paper session '${args.id}' with a committed bar (see \`paper status\`)`, 'paper status');
    return ok(`paper status ${id}`, [...headBlocks(head), text(`logs: ${id}/{trades,orders,performance,errors}.jsonl under the data root's paper/ folder`)], headLine(head));
  },
});
