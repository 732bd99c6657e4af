import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text, type Block, type Cell } from '../src/core/result.js';
import { UserError, throwIfAborted } from '../src/core/errors.js';
import { shortUtc } from '../src/core/time.js';
import type { Dataset } from '../src/core/table.js';
import { assertReady } from '../src/data/ready.js';
import {
  INDICATORS,
  buildFeatureDataset,
  dailyFromIntraday,
  downsampleIndices,
  featureDatasetName,
  parseSpecs,
  type FeatureSources,
} from '../src/features/index.js';

const round = (v: number): Cell => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

export default defineCommand({
  name: 'features',
  summary: 'compute indicators on a bars dataset (sma:50 rsi:14 bb:20,2 daily:sma:200 …) into features:DATASET',
  job: true,
  usage: 'SPEC... --on DATASET [--force] [--rows N]',
  positional: ['specs'],
  schema: z.object({
    specs: z
      .array(z.string())
      .default([])
      .describe(`specs like sma:50 bb:20,2 sma:20@volume daily:sma:200 (none: config features.specs); indicators: ${[...INDICATORS.keys()].sort().join(', ')}`),
    on: z.string().optional().describe('bars dataset to compute on, e.g. BTCUSDT:4h (default: features.on in the config)'),
    force: z.boolean().default(false).describe('compute even when the dataset failed its readiness gate'),
    rows: z.coerce.number().int().positive().max(1000).optional().describe('how many of the last bars to show (default: features.rows)'),
  }),
  completion: { on: 'dataset' },
  examples: ['features sma:50 rsi:14 atr:14 bb:20,2 --on BTCUSDT:15m', 'features daily:sma:200 macd --on SPY:4h', 'features --on SPY:1d'],
  run(session, args, io) {
    const cfg = session.config.features;
    const specTexts = args.specs.length > 0 ? args.specs : cfg.specs;
    if (specTexts.length === 0) throw new UserError('give at least one SPEC (e.g. sma:50) or set features.specs in the config', 'features');
    const on = args.on ?? cfg.on;
    if (on === undefined) throw new UserError('say which bars to compute on with --on DATASET (e.g. --on BTCUSDT:4h)', 'features');
    const bars = session.dataset(on);
    if (bars.kind !== 'bars') throw new UserError(`is a ${bars.kind} dataset; features run on bars (e.g. ${bars.symbol ?? 'BTCUSDT'}:4h)`, bars.name);
    assertReady(bars, args.force);
    const specs = parseSpecs(specTexts);
    const symbol = bars.symbol ?? bars.name.split(':')[0]!;

    // other timeframes the specs draw on
    const sources: { daily?: Dataset; funding?: Dataset } = {};
    const notes: string[] = [];
    if (specs.some((s) => s.timeframe === 'daily') && bars.interval !== '1d') {
      const loaded = session.datasets.get(`${symbol}:1d`);
      if (loaded) {
        assertReady(loaded, args.force);
        sources.daily = loaded;
        notes.push(`daily specs from ${loaded.name}`);
      } else {
        sources.daily = dailyFromIntraday(bars);
        notes.push(`daily specs from ${bars.name} grouped by UTC day (no ${symbol}:1d loaded)`);
      }
    }
    if (specs.some((s) => INDICATORS.get(s.indicator)!.input === 'funding')) {
      const events = session.datasets.get(`${symbol}:funding`);
      if (events) sources.funding = events;
      notes.push(events ? `funding specs from ${events.name}` : `funding specs from ${bars.name}'s funding_rate column`);
    }
    throwIfAborted(io.signal);
    io.progress({ label: `features on ${bars.name}` });

    const run = buildFeatureDataset(bars, specs, sources as FeatureSources, session.datasets.get(featureDatasetName(bars.name)));
    session.addDataset(run.dataset);
    session.state.set('features', { dataset: run.dataset.name, specs: run.dataset.meta?.['specs'], columns: run.columns });

    // the last rows, one line per feature column (wide specs such as bb stay readable)
    const t = run.dataset.table;
    const ts = t.columns['ts'] as Float64Array;
    const n = t.length;
    const shown = Math.min(n, args.rows ?? cfg.rows);
    const daily = bars.interval === '1d';
    const last = Array.from({ length: shown }, (_, k) => n - shown + k);
    const rows: Cell[][] = [];
    for (const spec of run.specs) {
      for (const col of spec.columns) {
        const v = t.columns[col] as Float64Array;
        let first = -1;
        for (let i = 0; i < n; i++) if (Number.isFinite(v[i]!)) { first = i; break; }
        rows.push([col, spec.text, first >= 0 ? shortUtc(ts[first]!, daily) : 'never', ...last.map((i) => round(v[i]!))]);
      }
    }
    const close = bars.table.columns['close'] as Float64Array;
    rows.unshift(['close', '', n > 0 ? shortUtc(ts[0]!, daily) : 'never', ...last.map((i) => round(close[i]!))]);
    const blocks: Block[] = [];
    const summary = `${run.dataset.name}: ${specs.length} spec${specs.length === 1 ? '' : 's'} → ${run.columns.length} column${run.columns.length === 1 ? '' : 's'} on ${n} bars`;
    blocks.push(text([summary, ...notes].join('\n')));
    blocks.push(table(['feature', 'spec', 'first value', ...last.map((i) => shortUtc(ts[i]!, daily))], rows, `last ${shown} bars of ${bars.name}`));

    // chart: the close and the first feature column from the end of its warm-up, at most
    // chart_points points (the warm-up is left out: nothing to draw there)
    const firstCol = run.columns[0];
    if (n > 0 && firstCol !== undefined) {
      const f = t.columns[firstCol] as Float64Array;
      let start = 0;
      while (start < n && !Number.isFinite(f[start]!)) start++;
      const hasFeature = start < n;
      if (!hasFeature) start = 0;
      const idx = downsampleIndices(n - start, cfg.chart_points).map((i) => i + start);
      const val = (x: number): number | null => (Number.isFinite(x) ? x : null);
      blocks.push({
        kind: 'series',
        title: hasFeature ? `${bars.name} close and ${firstCol}` : `${bars.name} close (${firstCol} has no values yet)`,
        x: idx.map((i) => ts[i]!),
        xKind: 'time',
        series: [
          { name: 'close', values: idx.map((i) => val(close[i]!)) },
          ...(hasFeature ? [{ name: firstCol, values: idx.map((i) => val(f[i]!)) }] : []),
        ],
        pane: 'equity',
      });
    }
    blocks.push(text(`stored as ${run.dataset.name} (${Object.keys(t.columns).length - 1} feature columns): show ${run.dataset.name} --tail, export ${run.dataset.name} …`, 'info'));
    return ok(`features ${bars.name}`, blocks, summary);
  },
});
