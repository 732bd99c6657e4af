import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';

export default defineCommand({
  name: 'exit',
  summary: 'leave the shell (Ctrl+D does the same)',
  schema: z.object({}),
  unrecorded: true,
  run() {
    return ok('exit', [text('bye')]);
  },
});
