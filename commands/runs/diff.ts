import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, table, text, type Block } from '../../src/core/result.js';
import { diffRuns, loadRun, metricCell, resultsDbPath } from '../../src/store/index.js';

export default defineCommand({
  name: 'diff',
  summary: 'what differs between two stored runs: record, execution profile, config keys, metrics side by side',
  positional: ['a', 'b'],
  schema: z.object({
    a: z.string().min(1).describe('first run id (or unique prefix)'),
    b: z.string().min(1).describe('second run id (or unique prefix)'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    all: z.boolean().default(false).describe('list equal metrics too'),
  }),
  completion: { a: 'run', b: 'run', db: 'path' },
  examples: ['runs diff bt-1a2b bt-3c4d'],
  async run(session, args) {
    const path = resultsDbPath(session, args.db);
    const a = await loadRun(path, args.a);
    const b = await loadRun(path, args.b);
    const d = diffRuns(a, b);
    const metricRows = d.metrics.filter((m) => args.all || m.a !== m.b);
    const summary =
      a.id === b.id
        ? `${a.id} is the same run`
        : `${a.id} vs ${b.id}: ${d.config.length} config difference${d.config.length === 1 ? '' : 's'} · ${d.profile.length} in the execution profile · ${metricRows.length} metric${metricRows.length === 1 ? '' : 's'} differ`;
    const blocks: Block[] = [text(summary)];
    if (d.record.length) blocks.push(table(['record', a.id, b.id], d.record.map((r) => [r.key, r.a, r.b]), 'reproducibility'));
    if (d.profile.length) blocks.push(table(['execution profile', a.id, b.id], d.profile.map((r) => [r.key, r.a, r.b]), 'execution profile'));
    if (d.config.length) blocks.push(table(['config key', a.id, b.id], d.config.map((r) => [r.key, r.a, r.b]), 'config'));
    if (metricRows.length) {
      blocks.push(table(['metric', a.id, b.id, 'Δ'], metricRows.map((m) => [m.name, metricCell(m.a), metricCell(m.b), metricCell(m.delta)]), 'metrics'));
    }
    return ok(`runs diff ${a.id} ${b.id}`, blocks, summary);
  },
});
