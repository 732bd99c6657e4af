import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { controlSession } from '../../src/paper/control-command.js';

export default defineCommand({
  name: 'kill',
  summary: 'kill switch: the paper loop cancels its working orders, closes its positions at the last close and stops',
  positional: ['id'],
  schema: z.object({
    id: z.string().optional().describe("session id (default: the latest, 'last')"),
  }),
  examples: ['paper kill', 'paper kill paper-1'],
  run(session, args) {
    return controlSession(session.dataRoot, args.id, 'kill');
  },
});
