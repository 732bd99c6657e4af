import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';

export default defineCommand({
  name: 'seed',
  summary: 'show or set the session seed (every random draw derives from it)',
  positional: ['value'],
  schema: z.object({
    // Decimal digits only: Number() would read '0x1F' as 31 and '1e3' as 1000 without saying so.
    value: z
      .preprocess(
        (v) => (typeof v === 'string' && /^-?[0-9]+$/.test(v) ? Number(v) : v),
        z.number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number written in decimal digits (0x…, 1e…, 7.0 are not seeds)' : undefined) }).int().min(0).max(2 ** 31 - 1),
      )
      .optional()
      .describe('new seed, a whole number from 0 to 2147483647'),
  }),
  examples: ['seed', 'seed 7'],
  run(session, args) {
    if (args.value === undefined) return ok('seed', [text(`seed ${session.seed}`)]);
    const before = session.seed;
    session.seed = args.value;
    return ok('seed', [text(`seed ${before} → ${session.seed} (commands from now on draw from the new seed)`)]);
  },
});
