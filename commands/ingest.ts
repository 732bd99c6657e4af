import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { sharedRegistry } from '../src/shell/runtime.js';

export default defineCommand({
  name: 'ingest',
  summary: 'load data into the session: synthetic demo data, files or exchanges',
  subcommands: true,
  schema: z.object({}),
  examples: ['ingest synthetic', 'ingest file data.csv --preset yahoo --symbol ORCL', 'help ingest file'],
  async run() {
    const subs = (await sharedRegistry()).subcommands('ingest') ?? new Map();
    return ok('ingest', [
      text('ingest SOURCE …: choose a source (help ingest SOURCE for its arguments)'),
      table(['source', 'what it loads'], [...subs.values()].map((s) => [s.name, s.summary])),
    ]);
  },
});
