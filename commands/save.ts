import { z } from 'zod';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { ioReason } from '../src/shell/io-reason.js';

/** Lines that make no sense in a saved script. */
const SKIP = /^(save|exit|replay|history)\b/;

export default defineCommand({
  name: 'save',
  summary: 'save this session’s successful commands as a script (replay it with `run`)',
  positional: ['path'],
  schema: z.object({
    path: z.string().describe('where to write the script, e.g. sessions/mywork.edgelab'),
  }),
  completion: { path: 'path' },
  examples: ['save sessions/mywork.edgelab'],
  run(session, args) {
    const lines = session.results.filter((r) => r.status === 'ok' && !SKIP.test(r.line)).map((r) => r.line);
    const body = `# edgelab session script (saved from session ${session.id}, seed ${session.seed})\nseed ${session.seed}\n${lines.join('\n')}\n`;
    const path = session.resolvePath(args.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
    } catch (err) {
      throw new UserError(`cannot write (${ioReason(err)})`, args.path);
    }
    return ok('save', [text(`saved ${lines.length} commands to ${args.path}`)]);
  },
});
