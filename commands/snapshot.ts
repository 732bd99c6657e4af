import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { snapshotDigest } from '../src/scale/data-snapshot.js';

export default defineCommand({
  name: 'snapshot',
  summary: "the session's data snapshot digest (what BullMQ workers must hold); `snapshot export DIR`, `snapshot import DIR`",
  subcommands: true,
  schema: z.object({}),
  examples: ['snapshot', 'snapshot export /tmp/snap', 'snapshot import /tmp/snap'],
  async run(session) {
    const line = `data snapshot ${snapshotDigest(session.datasets.values()).slice(0, 16)}: ${session.datasets.size} datasets`;
    return ok('snapshot', [text(line)], line);
  },
});
