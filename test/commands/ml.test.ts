/**
 * The ML commands through the real dispatcher: ingest a synthetic universe → fit --model gbdt
 * (multiclass state forecasts, walk-forward OOF) → fit meta → export predictions → backtest
 * hybrid_alpha → paper start hybrid_alpha (same result digest as the backtest over the same bars); the exported OOF file holds only predicted rows with probabilities summing to 1;
 * bad input gets one clear line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { MetricsBlock, TableBlock, TextBlock } from '../../src/core/result.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-ml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let shell: Shell;
const run = (line: string) => shell.dispatcher.execute(line).then((e) => e.result);

beforeAll(async () => {
  shell = await createShell({ config: configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], start: '2022-01-01', years: 0.5 } }), seed: 42, dataRoot: dir });
  const r = await run('ingest synthetic --universe 6');
  expect(r.status).toBe('ok');
}, 120_000);

describe('fit --model gbdt → fit meta → export predictions → backtest hybrid_alpha', () => {
  it('runs end to end', async () => {
    const fit = await run('fit --model gbdt --horizons 1d --rounds 30 --depth 3 --folds 4 --out state');
    expect(fit.status, JSON.stringify(fit.blocks[0])).toBe('ok');
    const oof = fit.blocks.find((b): b is TableBlock => b.kind === 'table' && (b.title ?? '').startsWith('out-of-fold scores'))!;
    const [, rows, accuracy, logLoss] = oof.rows[0]! as number[];
    expect(rows).toBeGreaterThan(100);
    expect(accuracy).toBeGreaterThan(0.2);
    expect(logLoss).toBeLessThan(Math.log(3) * 1.2); // near or below the uniform guess, never absurd
    expect(fit.blocks.some((b) => b.kind === 'series' && b.pane === 'learning')).toBe(true);
    const out = join(dir, 'oof.csv');
    const exp = await run(`export predictions state ${out}`);
    expect(exp.status).toBe('ok');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const head = lines[0]!.split(',');
    expect(head).toEqual(expect.arrayContaining(['ts', 'symbol', 'fold', 'horizon', 'p_down', 'p_flat', 'p_up', 'state', 'forward_return']));
    for (const line of lines.slice(1, 200)) {
      const v = line.split(',');
      const s = ['p_down', 'p_flat', 'p_up'].reduce((a, k) => a + Number(v[head.indexOf(k)]), 0);
      expect(Math.abs(s - 1)).toBeLessThan(1e-9);
      expect(Number(v[head.indexOf('fold')])).toBeGreaterThan(0); // block 0 has no past: never predicted
    }
    const meta = await run('fit meta state --out meta');
    expect(meta.status, JSON.stringify(meta.blocks[0])).toBe('ok');
    const bt = await run('backtest hybrid_alpha --model meta --interval 1h --skip-probes --no-store');
    expect(bt.status, JSON.stringify(bt.blocks[0])).toBe('ok');
    // paper start loads the same meta-model by name: its replay over the same bars ends on the backtest's result digest
    const window = '--interval 1h --from 2022-03-01 --to 2022-05-01';
    const paper = await run(`paper start hybrid_alpha --model meta ${window} --id hybrid`);
    expect(paper.status, JSON.stringify(paper.blocks[0])).toBe('ok');
    const paperDigest = (paper.blocks.find((b): b is MetricsBlock => b.kind === 'metrics')!.items.find((m) => m.name === 'result digest')!.value as string);
    const same = await run(`backtest hybrid_alpha --model meta ${window.replace('--from', '--start').replace('--to', '--end')} --skip-probes --no-store`);
    expect(same.status).toBe('ok');
    const report = shell.session.state.get('backtest') as { result: BacktestResult };
    expect(report.result.fills.length).toBeGreaterThan(0);
    expect(paperDigest).toBe(resultDigest(report.result).slice(0, 12));
  }, 300_000);

  it('bad input: unknown objective, unknown meta weights, missing predictions', async () => {
    for (const [line, pattern] of [
      ['fit --model gbdt --objective poisson', /unknown objective 'poisson' \(objectives: regression, binary, multiclass\)/],
      ['fit meta nothing', /no out-of-fold predictions predictions:nothing/],
      ['paper start hybrid_alpha --model nothing', /no meta-model 'nothing' \(fit meta --out nothing\)/],
      ['paper start sma_cross --model meta', /--model NAME names the fitted meta-model of hybrid_alpha/],
      ['export predictions nothing /tmp/x.csv', /no predictions for 'nothing'/],
      ['fit --model gbdt --target regime --objective binary', /--target regime forecasts the four HMM states: use --objective multiclass, not binary/],
      // half a year of data: the point-in-time HMM fit needs more than min_train_days of history
      ['fit --model gbdt --target regime --horizons 1d', /fit_window 'expanding' needs more than min_train_days \(365\)/],
    ] as const) {
      const r = await run(line);
      expect(r.status, line).toBe('error');
      const t = (r.blocks[0] as TextBlock).text;
      expect(t.split('\n')).toHaveLength(1);
      expect(t).toMatch(pattern);
    }
  });
});
