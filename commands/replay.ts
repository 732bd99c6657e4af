import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { replayTranscript, replayVerdict } from '../src/shell/replay.js';

export default defineCommand({
  name: 'replay',
  summary: 're-run a transcript in a fresh session (own temporary data root) and compare every digest',
  positional: ['path'],
  schema: z.object({
    path: z.string().describe('a transcript (*.jsonl)'),
    check: z.boolean().default(false).describe('check the hash chain and end record too, stop at the first difference and fail naming its line and field'),
  }),
  completion: { path: 'path' },
  examples: ['replay sessions/demo.jsonl --check'],
  async run(session, args, io) {
    const report = await replayTranscript(session.resolvePath(args.path), { cwd: session.cwd, signal: io.signal, stopAtFirst: args.check });
    const verdict = replayVerdict(report, args.check);
    const summary = verdict.lines[verdict.lines.length - 1]!;
    const notes = verdict.lines.filter((l) => !/^[✓✗] #/.test(l));
    const blocks = [text(notes.join('\n')), table(['line', '#', 'command', 'status', 'match'], report.rows.map((r) => [r.lineNo, r.seq, r.line, r.status, r.match]))];
    if (verdict.failure) return { title: 'replay', status: 'error', blocks: [text(verdict.failure, 'bad'), ...blocks], summary: verdict.failure };
    return ok('replay', blocks, summary);
  },
});
