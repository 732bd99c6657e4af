import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { importSnapshot } from '../../src/scale/data-snapshot.js';

export default defineCommand({
  name: 'import',
  summary: 'load every dataset of a snapshot folder into the session (each checked against its digest)',
  positional: ['dir'],
  job: true,
  schema: z.object({ dir: z.string().min(1).describe('a folder written by `snapshot export`') }),
  completion: { dir: 'path' },
  examples: ['snapshot import /tmp/snap'],
  async run(session, args, io) {
    const { manifest, datasets } = await importSnapshot(session.resolvePath(args.dir), (done, total) => io.progress({ label: 'snapshot import', fraction: done / total }));
    for (const ds of datasets) session.addDataset(ds);
    const line = `imported data snapshot ${manifest.digest.slice(0, 16)}: ${datasets.length} datasets`;
    return ok('snapshot import', [text(line)], line);
  },
});
