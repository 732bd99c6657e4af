import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { replayTranscript, describeMismatch } from '../src/shell/replay.js';

export default defineCommand({
  name: 'replay',
  summary: 're-run a transcript in a fresh session and compare every digest',
  positional: ['path'],
  schema: z.object({
    path: z.string().describe('a transcript (*.jsonl)'),
    check: z.boolean().default(false).describe('stop at the first difference and report it as an error'),
  }),
  completion: { path: 'path' },
  examples: ['replay sessions/demo.jsonl --check'],
  async run(session, args, io) {
    const report = await replayTranscript(session.resolvePath(args.path), {
      root: session.root,
      cwd: session.cwd,
      signal: io.signal,
      stopAtFirst: args.check,
    });
    const rows = report.rows.map((r) => [r.seq, r.line, r.status, r.match]);
    const summary = `${report.matched}/${report.commands} commands reproduce their digests (seed ${report.seed})`;
    const notes = [
      ...(report.configMatches ? [] : ['note: the configuration differs from the one recorded']),
      ...(report.damagedLines.length ? [`note: unreadable transcript lines ${report.damagedLines.join(', ')} skipped`] : []),
    ];
    const blocks = [text([summary, ...notes].join('\n')), table(['#', 'line', 'status', 'match'], rows)];
    const first = report.mismatches[0];
    if (first && args.check) {
      const msg = `replay: ${describeMismatch(first)}`;
      return { title: 'replay', status: 'error', blocks: [text(msg, 'bad'), ...blocks], summary: msg };
    }
    return ok('replay', first ? [text(describeMismatch(first), 'warn'), ...blocks] : blocks, summary);
  },
});
