import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { ioReason } from '../src/shell/io-reason.js';
import { resultsDbPath } from '../src/store/index.js';
import { loadRunData } from '../src/store/run-extras.js';
import { tearSheet } from '../src/report/tear-sheet.js';
import { tearSheetHtml } from '../src/report/html.js';
import { reportBlocks } from '../src/report/blocks.js';
import { reportConfigOf } from '../src/config/sections/report.js';

export default defineCommand({
  name: 'report',
  summary: 'the full report of a stored run; --html PATH writes a self-contained HTML tear sheet (opens offline)',
  usage: 'RUN [--html PATH]',
  positional: ['id'],
  schema: z.object({
    id: z.string().min(1).describe("run id, a unique prefix of it (see `runs`), or 'last'"),
    html: z.string().optional().describe('write the tear sheet to this .html file'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { id: 'run', html: 'path', db: 'path' },
  examples: ['report bt-1a2b', 'report bt-1a2b --html /tmp/tearsheet.html'],
  async run(session, args) {
    const run = await loadRunData(resultsDbPath(session, args.db), args.id);
    const sheet = tearSheet(run, reportConfigOf(session.config).rolling_window);
    const blocks = reportBlocks(sheet);
    let line = `report ${run.id} · ${run.label}`;
    if (args.html !== undefined) {
      if (!args.html.toLowerCase().endsWith('.html')) throw new UserError('the tear sheet path must end in .html', args.html);
      const path = session.resolvePath(args.html);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, tearSheetHtml(sheet));
      } catch (err) {
        throw new UserError(`cannot write the tear sheet (${ioReason(err)})`, args.html);
      }
      line = `tear sheet of ${run.id} written to ${args.html}`;
    }
    return ok(`report ${run.id}`, [text(line), ...blocks], line);
  },
});
