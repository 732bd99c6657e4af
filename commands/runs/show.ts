import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { gates as gatesBlock, metrics, ok, table, text, type Block } from '../../src/core/result.js';
import { isoUtc } from '../../src/core/time.js';
import { describeProfile } from '../../src/execution/profile.js';
import type { ExecutionProfile } from '../../src/execution/types.js';
import { loadEquity, loadRun, metricCell, resultsDbPath, thin } from '../../src/store/index.js';
import { loadRunData } from '../../src/store/run-extras.js';
import { tearSheet } from '../../src/report/tear-sheet.js';
import { reportBlocks } from '../../src/report/blocks.js';
import { reportConfigOf } from '../../src/config/sections/report.js';
import { REGIME_SPLIT_COLUMNS } from '../../src/backtest/report-regime.js';
import { MODE_CHANGE_COLUMNS } from '../../src/backtest/report-tables.js';

export default defineCommand({
  name: 'show',
  summary: 'the full report of a stored run: profile, record, metrics, benchmark, rolling ratios, monthly returns, drawdowns, trades, costs by model, regimes, gates',
  positional: ['id'],
  schema: z.object({
    id: z.string().min(1).describe("run id, a unique prefix of it (see `runs`), or 'last'"),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { id: 'run', db: 'path' },
  examples: ['runs show bt-1a2b3c'],
  async run(session, args) {
    const path = resultsDbPath(session, args.db);
    const run = await loadRun(path, args.id);
    const blocks: Block[] = [];
    const head = `${run.id} · ${run.kind} · ${run.label}${run.start !== null && run.end !== null ? ` · ${isoUtc(run.start)} .. ${isoUtc(run.end)} · ${run.steps} steps` : ''}`;
    const profile = run.profile as ExecutionProfile | null;
    const profileLines = profile && typeof profile === 'object' && 'fillPrice' in profile ? describeProfile(profile) : [];
    blocks.push(text([head, ...profileLines].join('\n')));
    blocks.push(
      table(
        ['record', 'value'],
        [
          ['config digest', run.configDigest],
          ['code revision', run.codeRevision],
          ['seed', run.seed],
          ['result digest', run.resultDigest],
          ...Object.entries(run.dataDigests).map(([k, v]): [string, string] => [`data ${k}`, v]),
        ],
        'reproducibility',
      ),
    );
    blocks.push(
      metrics(
        Object.keys(run.metrics)
          .sort()
          .map((name) => ({ name, value: metricCell(run.metrics[name]) as number | string | null })),
        'metrics',
      ),
    );
    const models = run.summary['models'];
    if (Array.isArray(models) && models.length) {
      type StoredModel = { name: string; version: string; budget: number; pnl: number; fees: number; slippage?: number; impact?: number; funding?: number; borrow?: number; decisions: number };
      blocks.push(
        table(
          ['model', 'version', 'budget', 'pnl', 'fees', 'slippage', 'impact', 'funding', 'borrow', 'decisions'],
          (models as StoredModel[]).map((m) => [
            m.name, m.version, m.budget, metricCell(m.pnl), metricCell(m.fees), metricCell(m.slippage), metricCell(m.impact), metricCell(m.funding), metricCell(m.borrow), m.decisions,
          ]),
          'attribution and costs by model',
        ),
      );
    }
    if (run.kind === 'backtest' && run.summary['report'] !== undefined) {
      // the full report from the stored run data (src/report)
      const data = await loadRunData(path, run.id);
      const c = data.facts.costs;
      blocks.push(table(['component', 'amount'], ['gross', 'fees', 'slippage', 'impact', 'funding', 'borrow', 'net'].map((k) => [k, metricCell(['gross', 'net'].includes(k) ? c[k]! : -c[k]!)]), 'cost decomposition'));
      blocks.push(...reportBlocks(tearSheet(data, reportConfigOf(session.config).rolling_window)));
      if (data.facts.regimes.length) blocks.push(table(REGIME_SPLIT_COLUMNS, data.facts.regimes, 'performance by regime'));
      if (data.facts.modeChanges.length) blocks.push(table(MODE_CHANGE_COLUMNS, data.facts.modeChanges.slice(0, 50), 'risk-mode timeline', data.facts.modeChanges.length));
      if (data.facts.gates.length) blocks.push(gatesBlock('bias probes', data.facts.gates));
      return ok(`runs show ${run.id}`, blocks, head);
    }
    if (run.kind === 'backtest') {
      const eq = await loadEquity(path, run.id);
      const idx = thin(eq.ts.length, 2000);
      blocks.push({ kind: 'series', title: `equity ${run.id}`, x: idx.map((i) => eq.ts[i]!), series: [{ name: 'nav', values: idx.map((i) => eq.nav[i]!) }], pane: 'equity' });
      blocks.push({ kind: 'series', title: `drawdown ${run.id}`, x: idx.map((i) => eq.ts[i]!), series: [{ name: 'drawdown', values: idx.map((i) => eq.drawdown[i]!) }], pane: 'drawdown' });
    }
    return ok(`runs show ${run.id}`, blocks, head);
  },
});
