import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { alphaModelRows, MODEL_COLUMNS } from '../src/alpha/models-list.js';
import { resultsDbPath } from '../src/store/index.js';
import { stageHistory, stageOf } from '../src/lifecycle/stages.js';
import { historyTable } from './promote.js';

export default defineCommand({
  name: 'models',
  summary: 'list fitted models (AlphaBundles under <data root>/models) with their digests, and each model\'s lifecycle stage and stage history',
  positional: ['model'],
  schema: z.object({
    model: z.string().optional().describe('show the stage history of this model only'),
    db: z.string().optional().describe('results database holding the stage history (default: config session.results_db)'),
  }),
  examples: ['models', 'models sma_cross'],
  async run(session, args) {
    const lifecycle = await lifecycleBlocks(resultsDbPath(session, args.db), args.model);
    const rows = alphaModelRows(session.dataRoot);
    if (rows.length === 0) return ok('models', [text('no fitted models in the data root\'s models folder yet (run `fit`)'), ...lifecycle]);
    return ok('models', [table([...MODEL_COLUMNS], rows.map((r) => r.cells)), ...lifecycle], `${rows.length} models`);
  },
});

/** Each model's current stage and its decisions (docs/lifecycle.md); one line when none are recorded. */
async function lifecycleBlocks(db: string, model: string | undefined) {
  const history = await stageHistory(db, model);
  if (history.length === 0) return [text(model ? `no lifecycle decisions for ${model} (every model starts at research; \`promote ${model} --to candidate\`)` : 'no lifecycle decisions yet (`promote MODEL --to candidate`)')];
  const keys = [...new Set(history.map((d) => `${d.model}@${d.version}`))];
  const rows = keys.map((key) => {
    const mine = history.filter((d) => `${d.model}@${d.version}` === key);
    const last = mine[mine.length - 1]!;
    return [last.model, last.version, stageOf(mine).stage, mine.length, mine.filter((d) => d.decision === 'refused').length, `${last.action} ${last.decision}: ${last.reason}`];
  });
  return [table(['model', 'version', 'stage', 'decisions', 'refused', 'latest'], rows, 'lifecycle stages'), historyTable(history)];
}
