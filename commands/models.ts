import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { alphaModelRows, MODEL_COLUMNS } from '../src/alpha/models-list.js';

export default defineCommand({
  name: 'models',
  summary: 'list fitted models (AlphaBundles under <data root>/models) with their digests',
  schema: z.object({}),
  examples: ['models'],
  run(session) {
    const rows = alphaModelRows(session.dataRoot);
    if (rows.length === 0) return ok('models', [text('no fitted models in the data root\'s models folder yet (run `fit`)')]);
    return ok('models', [table([...MODEL_COLUMNS], rows.map((r) => r.cells))], `${rows.length} models`);
  },
});
