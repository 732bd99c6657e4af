import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text, gates as gatesBlock } from '../src/core/result.js';
import { timeRange } from '../src/shell/table-view.js';
import { shortUtc } from '../src/core/time.js';
import { short } from '../src/core/canonical.js';

export default defineCommand({
  name: 'datasets',
  summary: 'list loaded datasets with their rows, time range and readiness gate',
  positional: ['name'],
  schema: z.object({
    name: z.string().optional().describe('one dataset: show its readiness gate in full'),
  }),
  completion: { name: 'dataset' },
  examples: ['datasets', 'datasets BTCUSDT:15m'],
  run(session, args) {
    if (args.name) {
      const ds = session.dataset(args.name);
      const facts = ds.gate ? Object.entries(ds.gate.facts).map(([k, v]) => `${k} ${v}`).join(' · ') : 'no readiness gate computed';
      return ok('datasets', [
        text(`${ds.name}: ${ds.kind} · ${ds.stage} · ${ds.table.length} rows · source ${ds.source} · digest ${short(ds.digest)}\n${facts}`),
        ...(ds.gate ? [gatesBlock(`readiness ${ds.name}`, ds.gate.gates)] : []),
      ]);
    }
    if (session.datasets.size === 0) return ok('datasets', [text('no datasets loaded (try `ingest synthetic` or `ingest file PATH`)')]);
    const rows = [...session.datasets.values()].map((ds) => {
      const r = timeRange(ds.table);
      const gate = ds.gate ? (ds.gate.pass ? 'ready' : 'FAILED') : '–';
      return [ds.name, ds.kind, ds.stage, ds.table.length, r ? shortUtc(r.from) : null, r ? shortUtc(r.to) : null, gate, short(ds.digest)];
    });
    const all = [...session.datasets.values()];
    const failing = all.filter((d) => d.gate && !d.gate.pass).length;
    const summary = `${all.length} datasets · ${all.filter((d) => d.gate?.pass).length} ready${failing ? ` · ${failing} failed the readiness gate` : ''}`;
    return ok('datasets', [text(summary), table(['name', 'kind', 'stage', 'rows', 'from', 'to', 'gate', 'digest'], rows)], summary);
  },
});
