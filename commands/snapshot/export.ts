import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { exportSnapshot } from '../../src/scale/data-snapshot.js';

export default defineCommand({
  name: 'export',
  summary: "write every dataset of the session to DIR (Parquet + snapshot.json with digests) for a worker on another machine",
  positional: ['dir'],
  job: true,
  schema: z.object({ dir: z.string().min(1).describe('folder to write (created when missing)') }),
  completion: { dir: 'path' },
  examples: ['snapshot export /tmp/snap'],
  async run(session, args, io) {
    const m = await exportSnapshot([...session.datasets.values()], session.resolvePath(args.dir), (done, total) => io.progress({ label: 'snapshot export', fraction: done / total }));
    const line = `exported data snapshot ${m.digest.slice(0, 16)} (${m.datasets.length} datasets) to ${args.dir}`;
    return ok('snapshot export', [text(line)], line);
  },
});
