/** `gate`: the readiness gate of one dataset (recomputed under the current config), or every dataset's verdict. */
import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { computeReadiness } from '../src/data/readiness/compute.js';
import { readinessBlocks } from '../src/data/report.js';

export default defineCommand({
  name: 'gate',
  summary: 'show the readiness gate of a dataset (recomputed with the current thresholds), or of all datasets',
  usage: '[DATASET]',
  positional: ['dataset'],
  schema: z.object({
    dataset: z.string().optional().describe('dataset to gate; without it, every loaded dataset with its verdict'),
  }),
  completion: { dataset: 'dataset' },
  examples: ['gate', 'gate DEMO:1d', 'config set data.readiness.min_coverage 0.99'],
  run(session, args) {
    if (args.dataset) {
      const ds = session.dataset(args.dataset);
      if (ds.stage === 'raw') return ok(`gate ${ds.name}`, [text(`${ds.name} is raw: clean it first (clean ${ds.name})`, 'warn')]);
      if (ds.kind !== 'bars' && ds.kind !== 'funding' && ds.kind !== 'series')
        return ok(`gate ${ds.name}`, [text(`${ds.name} is a ${ds.kind} dataset: the readiness gate applies to bars, funding and series`)]);
      const gated = { ...ds, gate: computeReadiness(ds, session.config) };
      session.addDataset(gated);
      return ok(`gate ${ds.name}`, readinessBlocks(gated), `${ds.name}: gate ${gated.gate.pass ? 'passed' : 'failed'}`);
    }
    const all = [...session.datasets.values()];
    if (all.length === 0) return ok('gate', [text('no datasets loaded')]);
    const rows = all.map((d) => [
      d.name,
      d.stage,
      d.gate ? (d.gate.pass ? 'pass' : 'FAIL') : '–',
      d.gate ? d.gate.gates.filter((g) => !g.pass).map((g) => `${g.name} ${g.value}`).join(', ') : d.stage === 'raw' ? 'not cleaned' : '',
    ]);
    const failed = all.filter((d) => d.gate && !d.gate.pass).length;
    return ok('gate', [text(`${all.length} datasets, ${failed} failing their readiness gate`), table(['dataset', 'stage', 'gate', 'failing'], rows)]);
  },
});
