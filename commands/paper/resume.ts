import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { controlSession } from '../../src/paper/control-command.js';

export default defineCommand({
  name: 'resume',
  summary: 'resume a paused paper loop',
  positional: ['id'],
  schema: z.object({
    id: z.string().optional().describe("session id (default: the latest, 'last')"),
  }),
  examples: ['paper resume', 'paper resume paper-1'],
  run(session, args) {
    return controlSession(session.dataRoot, args.id, 'resume');
  },
});
