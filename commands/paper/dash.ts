import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok } from '../../src/core/result.js';
import { UserError } from '../../src/core/errors.js';
import { existsSync } from 'node:fs';
import { paperPaths } from '../../src/paper/files.js';
import { resolveSessionId } from '../../src/paper/report.js';
import { dashBlocks } from '../../src/tui/paper/dash-open.js';

export default defineCommand({
  name: 'dash',
  summary: 'the paper dashboard, full screen: equity and drawdown, positions, orders and fills, risk mode, models, drift, feed; keys p r k q',
  positional: ['id'],
  schema: z.object({
    id: z.string().optional().describe("session id (default: the latest, 'last')"),
  }),
  examples: ['paper dash', 'paper dash paper-1'],
  run(session, args) {
    const id = resolveSessionId(session.dataRoot, args.id);
    if (!id || !existsSync(paperPaths(session.dataRoot, id).spec)) throw new UserError(args.id ? `no paper session '${args.id}' (see \`paper status\`)` : 'no paper session yet (`paper start` starts one)', 'paper dash');
    return ok(`paper dash ${id}`, dashBlocks(session.dataRoot, id), `paper dash ${id}`);
  },
});
