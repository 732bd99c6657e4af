import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { shortUtc } from '../src/core/time.js';
import { listModelFiles, loadBundle } from '../src/alpha/store.js';
import { UserError, messageOf } from '../src/core/errors.js';

export default defineCommand({
  name: 'models',
  summary: 'list fitted models (AlphaBundles under <data root>/models) with their digests',
  schema: z.object({}),
  examples: ['models'],
  run(session) {
    const files = listModelFiles(session.dataRoot);
    if (files.length === 0) return ok('models', [text(`no fitted models in ${session.dataRoot}/models yet (run \`fit\`)`)]);
    const rows = files.map(({ name }) => {
      try {
        const b = loadBundle(session.dataRoot, name);
        const best = b.cv.curve.find((p) => p.lambda === b.ridge.lambda);
        return [name, 'alpha_bundle', b.interval, b.symbols.length, b.signals.join(','), b.orth.method, b.ridge.lambda, best ? Math.round(best.icMean * 1e4) / 1e4 : null, `${shortUtc(b.training.from, true)}..${shortUtc(b.training.to, true)}`, b.digest.slice(0, 12)];
      } catch (err) {
        return [name, err instanceof UserError ? `unreadable: ${messageOf(err)}` : 'unreadable', null, null, null, null, null, null, null, null];
      }
    });
    return ok('models', [table(['name', 'kind', 'interval', 'symbols', 'signals', 'orth', 'lambda', 'OOF IC', 'trained', 'digest'], rows)], `${files.length} models`);
  },
});
