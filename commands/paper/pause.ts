import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { controlSession } from '../../src/paper/control-command.js';

export default defineCommand({
  name: 'pause',
  summary: 'pause a running paper loop (it commits its state and waits)',
  positional: ['id'],
  schema: z.object({
    id: z.string().optional().describe("session id (default: the latest, 'last')"),
  }),
  examples: ['paper pause', 'paper pause paper-1'],
  run(session, args) {
    return controlSession(session.dataRoot, args.id, 'pause');
  },
});
