import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { type Block, type CommandResult, ok, text } from '../src/core/result.js';
import type { CommandIO } from '../src/shell/command.js';
import { readScript } from '../src/shell/script.js';
import { realpathSync } from 'node:fs';
import { throwIfAborted, UserError } from '../src/core/errors.js';
import type { Session } from '../src/shell/session.js';

/** Scripts being run, per session, outermost first: a script that runs itself is refused. */
const activeScripts = new WeakMap<Session, string[]>();
/** Deepest nesting of `run` inside `run` (a chain of distinct scripts). */
export const MAX_RUN_DEPTH = 8;

function enterScript(session: Session, path: string): () => void {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // readScript below reports a missing file with its own message
  }
  const stack = activeScripts.get(session) ?? [];
  if (stack.includes(real)) throw new UserError(`script runs itself (${[...stack, real].join(' → ')}); nothing more was run`, path);
  if (stack.length >= MAX_RUN_DEPTH) throw new UserError(`scripts nested more than ${MAX_RUN_DEPTH} deep (${stack.join(' → ')})`, path);
  activeScripts.set(session, [...stack, real]);
  return () => activeScripts.set(session, stack);
}

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
    const path = session.resolvePath(args.path);
    const leave = enterScript(session, path);
    try {
      return await runLines(path, args, io);
    } finally {
      leave();
    }
  },
});

async function runLines(path: string, args: { path: string; keepGoing: boolean }, io: CommandIO): Promise<CommandResult> {
  const lines = readScript(path);
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
}
