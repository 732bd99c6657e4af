import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { type Block, ok, text } from '../src/core/result.js';
import { readScript } from '../src/shell/script.js';
import { throwIfAborted } from '../src/core/errors.js';

export default defineCommand({
  name: 'run',
  summary: 'run a session script’s commands in this session',
  positional: ['path'],
  schema: z.object({
    path: z.string().describe('a *.edgelab script'),
    keepGoing: z.boolean().default(false).describe('continue after a command fails'),
  }),
  completion: { path: 'path' },
  examples: ['run sessions/demo.edgelab'],
  async run(session, args, io) {
    const lines = readScript(session.resolvePath(args.path));
    const blocks: Block[] = [];
    let done = 0;
    let failedLine: string | undefined;
    for (const l of lines) {
      throwIfAborted(io.signal);
      io.progress({ label: `run ${args.path}: ${l.text}`, fraction: done / lines.length });
      const r = await io.execute(l.text);
      blocks.push(text(`> ${l.text}`), ...r.blocks);
      done++;
      const bad = r.status !== 'ok';
      if (bad !== l.expectError && !args.keepGoing) {
        failedLine = `line ${l.lineNo}: '${l.text}' ${bad ? 'failed' : 'was expected to fail'}`;
        break;
      }
    }
    const head = failedLine ? text(`stopped at ${failedLine} (${done}/${lines.length} lines run)`, 'bad') : text(`ran ${done} lines from ${args.path}`);
    return failedLine ? { title: 'run', status: 'error', blocks: [head, ...blocks], summary: head.text } : ok('run', [head, ...blocks]);
  },
});
