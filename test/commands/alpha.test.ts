/**
 * The AlphaBundle commands through the real dispatcher (issue 15): `ingest synthetic --universe N`
 * leaves the demo's digests alone; ingest → fit → fit apply → models → export panel → backtest
 * alpha_bundle, recorded and replayed with the same digests; the model's μ inside a backtest equals
 * `fit apply`'s μ on the same bars; out of sample the planted universe beats the placebo one; bad
 * input gets one clear line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { replayTranscript } from '../../src/shell/replay.js';
import type { TableBlock, TextBlock } from '../../src/core/result.js';
import { loadBundle, modelsDir } from '../../src/alpha/store.js';
import { panelFor } from '../../src/alpha/workflow.js';
import { scorePanel } from '../../src/alpha/apply.js';
import { bundleMuAt } from '../../src/models/alpha-bundle.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import type { Session } from '../../src/shell/session.js';

const config = () => configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], start: '2022-01-01', years: 0.5 } });
const dir = mkdtempSync(join(tmpdir(), 'edgelab-alpha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CUT = '2022-04-20';
const SCRIPT = [
  'ingest synthetic --universe 20',
  `fit --end ${CUT} --out xs`,
  'fit apply xs',
  'models',
  `export panel xs ${join(dir, 'panel.parquet')}`,
  `backtest alpha_bundle --model xs --interval 1h --start ${CUT} --commission-pct 0.05 --skip-probes --no-store`,
];

let shell: Shell;
const transcript = join(dir, 'alpha.jsonl');
const run = (s: Shell, line: string) => s.dispatcher.execute(line).then((e) => e.result);
const errorLine = async (s: Shell, line: string): Promise<string> => {
  const r = await run(s, line);
  expect(r.status, line).toBe('error');
  const text = (r.blocks[0] as TextBlock).text;
  expect(text.split('\n')).toHaveLength(1);
  return text;
};

beforeAll(async () => {
  shell = await createShell({ config: config(), seed: 42, id: 'alpha', transcriptPath: transcript });
  for (const line of SCRIPT) {
    const r = await run(shell, line);
    expect(r.status, `${line}: ${r.status === 'error' ? (r.blocks[0] as TextBlock).text : ''}`).toBe('ok');
  }
  shell.transcript!.close();
}, 600_000);

describe('ingest synthetic --universe', () => {
  it('every demo dataset keeps its digest with and without --universe; the universe adds N bars + N funding datasets', async () => {
    const plain = await createShell({ config: config(), seed: 42 });
    expect((await run(plain, 'ingest synthetic')).status).toBe('ok');
    const demo = [...plain.session.datasets.values()].filter((d) => d.source === 'synthetic');
    expect(demo.length).toBeGreaterThan(3);
    const withUniverse = shell.session.datasets;
    for (const d of demo) expect(withUniverse.get(d.name)?.digest, d.name).toBe(d.digest);
    const added = [...withUniverse.values()].filter((d) => d.symbol?.startsWith('XS'));
    expect(added.filter((d) => d.kind === 'bars')).toHaveLength(20);
    expect(added.filter((d) => d.kind === 'funding')).toHaveLength(20);
  }, 120_000);
});

describe('the script: fit, fit apply, models, export panel, backtest', () => {
  it('fit saved a model whose file checks against its digest; models lists it', async () => {
    const b = loadBundle(shell.session.dataRoot, 'xs');
    expect(b.symbols).toHaveLength(20);
    expect(b.training.to).toBeLessThan(Date.parse(`${CUT}T00:00:00Z`));
    const r = await run(shell, 'models');
    const t = r.blocks.find((x): x is TableBlock => x.kind === 'table')!;
    expect(t.rows.find((row) => row[0] === 'xs')?.at(-1)).toBe(b.digest.slice(0, 12));
  });

  it('export panel wrote one row per bar and symbol with data (counted by DuckDB)', async () => {
    const path = join(dir, 'panel.parquet');
    expect(existsSync(path)).toBe(true);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await (await conn.run(`SELECT count(*)::INTEGER AS n, count(DISTINCT symbol)::INTEGER AS s FROM read_parquet('${path}')`)).getRowObjects())[0]!;
    const bars = [...shell.session.datasets.values()].filter((d) => d.kind === 'bars' && d.symbol?.startsWith('XS')).reduce((s, d) => s + d.table.length, 0);
    expect(rows['n']).toBe(bars);
    expect(rows['s']).toBe(20);
  });

  it('replaying the transcript reproduces every digest', async () => {
    const r = await replayTranscript(transcript);
    expect(r.first, JSON.stringify(r.first)).toBeUndefined();
    expect(r.matched).toBe(SCRIPT.length);
  }, 600_000);
});

describe('alpha_bundle in the backtest', () => {
  it("the model's μ at each decision equals fit apply's μ at that bar (to 1e-9 relative)", async () => {
    const session = shell.session as Session;
    const bundle = loadBundle(session.dataRoot, 'xs');
    const { panel } = await panelFor(session, bundle.interval, bundle.symbols);
    const panelMu = scorePanel(bundle, panel, null).mu;
    const N = panel.symbols.length;
    const row = new Map(Array.from(panel.ts, (t, k) => [t + 3_600_000, k] as const));
    let compared = 0, worst = 0;
    const plan = singleModelPlan(session.config, 'alpha_bundle', { params: { bundle }, interval: '1h' });
    await runBacktestReport({ ...plan, backtest: { ...plan.backtest, start: `${CUT}T00:00:00Z`, end: null } }, session.datasets, {
      probes: false,
      decorate: (model) => ({
        ...model,
        decide(ctx) {
          const { mu } = bundleMuAt(bundle, ctx); // no gating in this bundle: the regime is not read
          const k = row.get(ctx.t)!;
          for (let i = 0; i < N; i++) {
            const a = mu[i]!, b = panelMu[k * N + i]!;
            expect(Number.isFinite(a)).toBe(Number.isFinite(b));
            if (Number.isFinite(a)) { worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-12, Math.abs(b))); compared++; }
          }
          return model.decide(ctx);
        },
      }),
    });
    expect(compared).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-9);
  }, 300_000);

  it('out of sample (fit before the cut, trade after it) the planted universe beats the placebo one', async () => {
    const placebo = await createShell({ config: config(), seed: 42 });
    for (const line of ['ingest synthetic --universe 20 --placebo', `fit --end ${CUT} --out xs`]) expect((await run(placebo, line)).status, line).toBe('ok');
    const bt = `backtest alpha_bundle --model xs --interval 1h --start ${CUT} --commission-pct 0.05 --skip-probes --no-store`;
    const sharpeOf = async (s: Shell): Promise<number> => {
      expect((await run(s, bt)).status).toBe('ok');
      return (s.session.state.get('backtest') as { metrics: Record<string, number> }).metrics['sharpe']!;
    };
    const planted = await sharpeOf(shell);
    const none = await sharpeOf(placebo);
    expect(planted).toBeGreaterThan(1);
    expect(planted).toBeGreaterThan(none + 1);
  }, 600_000);
});

describe('bad input: one clear line, the session survives', () => {
  it('unknown signal, too few rows, unknown model, hand-edited model file', async () => {
    expect(await errorLine(shell, 'fit --signals tsmom,nosuch --out bad')).toMatch(/unknown signal 'nosuch'/);
    expect(await errorLine(shell, 'fit --symbols XS001USDT,XS002USDT --out bad')).toMatch(/only \d+ rows have every signal and a label/);
    expect(await errorLine(shell, 'fit apply nosuch')).toMatch(/no fitted model 'nosuch'.*models: xs/);
    expect(await errorLine(shell, 'backtest alpha_bundle --bundle nosuch --interval 1h')).toMatch(/no fitted model 'nosuch'/);
    const path = join(modelsDir(shell.session.dataRoot), 'xs.json');
    const original = readFileSync(path, 'utf8');
    const edited = JSON.parse(original);
    edited.ridge.coefficients[0] *= 2;
    writeFileSync(path, JSON.stringify(edited));
    try {
      expect(await errorLine(shell, 'fit apply xs')).toMatch(/does not match its digest \(edited by hand or damaged\)/);
    } finally {
      writeFileSync(path, original);
    }
    expect((await run(shell, 'models')).status).toBe('ok');
  }, 120_000);
});
