/**
 * The `backtest` command, called directly with a typed session and a fake io, and through the
 * shell's dispatcher for the one-line error messages. The demo data is generated once by
 * `ingest synthetic` with the project's configs/base.yaml; runs are stored in a temporary database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cmd from '../../commands/backtest.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import type { Dataset } from '../../src/core/table.js';
import { digestOf } from '../../src/core/canonical.js';
import type { CommandResult, GatesBlock, MetricsBlock, SeriesBlock, StatusBlock, TableBlock, TextBlock } from '../../src/core/result.js';
import type { BacktestReport } from '../../src/backtest/run-backtest.js';
import { listRuns } from '../../src/store/index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-backtest-'));
const db = join(dir, 'results.duckdb');
let demo: Dataset[] = [];

function fakeIo(signal = new AbortController().signal): CommandIO & { progressed: Progress[]; logged: string[] } {
  const progressed: Progress[] = [];
  const logged: string[] = [];
  return { signal, progress: (p) => progressed.push(p), log: (m) => logged.push(m), execute: () => Promise.reject(new Error('not used')), progressed, logged };
}

/** A session on the project's config with the demo datasets loaded (datasets are immutable facts). */
function demoSession(): Session {
  const s = new Session({ root, cwd: dir });
  for (const d of demo) s.addDataset(d);
  return s;
}

const args = (raw: Record<string, unknown> = {}) => cmd.schema.parse({ db, ...raw });
const run = (s: Session, raw: Record<string, unknown> = {}, io: CommandIO = fakeIo()) => Promise.resolve().then(() => cmd.run(s, args(raw), io));
const block = <T>(r: CommandResult, pred: (b: CommandResult['blocks'][number]) => boolean): T => r.blocks.find(pred) as T;

beforeAll(async () => {
  const shell = await createShell({ root, cwd: dir });
  const out = await shell.dispatcher.execute('ingest synthetic');
  expect(out.result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backtest: the seed-003 portfolio on the demo data (must-show 3)', () => {
  it('runs the three models as one budgeted portfolio with regime budgets and the risk engine, and shows mode changes', async () => {
    const s = demoSession();
    const io = fakeIo();
    const r = await run(s, { rows: 5 }, io);
    expect(r.status).toBe('ok');
    const report = s.state.get('backtest') as BacktestReport;
    // three models, their configured budgets, and regime budgets in force
    expect(report.plan.models.map((m) => [m.name, m.budget])).toEqual([
      ['crypto_momentum', 0.15],
      ['equity_trend', 0.6],
      ['index_mean_reversion', 0.25],
    ]);
    expect(Object.keys(report.plan.backtest.regime_budgets).length).toBeGreaterThan(0);
    expect(report.result.symbols.map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'QQQ', 'SPY']);
    expect(report.result.symbols.find((x) => x.symbol === 'BTCUSDT')!.dataset).toBe('BTCUSDT:4h'); // resampled from 15m
    for (const m of report.result.models) expect(m.decisions).toBeGreaterThan(0);
    // the risk engine acted: mode changes in the timeline, each with a reason
    const timeline = block<TableBlock>(r, (b) => b.kind === 'table' && b.title === 'risk-mode timeline');
    expect(timeline.totalRows!).toBeGreaterThan(2);
    expect(timeline.rows[1]![2]).toMatch(/REDUCED|HALT/);
    expect(timeline.rows[1]![4]).toMatch(/^drawdown_(reduce|halt)/);
    // blocks in order: profile text, metrics, gates, equity, drawdown, P&L by model, risk status, tables
    expect(r.blocks.map((b) => b.kind).slice(0, 7)).toEqual(['text', 'metrics', 'gates', 'series', 'series', 'series', 'status']);
    const perModel = r.blocks[5] as SeriesBlock;
    expect(perModel.series.map((x) => x.name)).toEqual(['crypto_momentum', 'equity_trend', 'index_mean_reversion']);
    const lastSum = perModel.series.reduce((a, x) => a + (x.values[x.values.length - 1] as number), 0);
    expect(lastSum).toBeCloseTo(report.costs.net, 0);
    expect((r.blocks[0] as TextBlock).text.split('\n')[0]).toMatch(/^execution: decide at bar close · market fills next open/);
    const m = r.blocks[1] as MetricsBlock;
    expect(m.items.map((i) => i.name)).toEqual(['CAGR', 'Volatility', 'Sharpe', 'PSR', 'Sortino', 'Max drawdown', 'Calmar', 'Win rate', 'Profit factor', 'Average trade', 'Exposure', 'Turnover', 'BPS']);
    const g = r.blocks[2] as GatesBlock;
    expect(g.gates.map((x) => [x.name, x.pass])).toEqual([
      ['look-ahead', true],
      ['warm-up', true],
    ]);
    const [eq, dd] = [r.blocks[3] as SeriesBlock, r.blocks[4] as SeriesBlock];
    expect([eq.pane, dd.pane]).toEqual(['equity', 'drawdown']);
    expect(eq.x.length).toBeLessThanOrEqual(400);
    expect(Math.max(...(dd.series[0]!.values as number[]))).toBeCloseTo(report.metrics['max_drawdown']!, 12);
    const st = r.blocks[6] as StatusBlock;
    expect(st.title).toBe('risk');
    expect(st.fields.map((f) => f.name)).toEqual(['mode', 'gross', 'DD']);
    expect(['NORMAL', 'REDUCED', 'HALT']).toContain(st.fields[0]!.value);
    const titles = r.blocks.filter((b): b is TableBlock => b.kind === 'table').map((b) => b.title);
    expect(titles).toEqual([
      'risk-mode timeline', 'cost decomposition', 'attribution by model', 'attribution by asset', 'performance by regime', 'trades', 'orders',
      // the report (src/report/blocks.ts)
      'monthly returns %', 'yearly returns', 'top 5 drawdowns',
    ]);
    const trades = block<TableBlock>(r, (b) => b.kind === 'table' && b.title === 'trades');
    expect(trades.rows.length).toBe(5);
    expect(trades.totalRows).toBe(report.result.trades.length);
    // attribution sums to the portfolio, costs decompose the P&L
    const total = report.result.models.reduce((a, x) => a + x.total, 0);
    expect(total).toBeCloseTo(report.costs.net, 4);
    expect(report.costs.gross - report.costs.fees - report.costs.slippage - report.costs.impact - report.costs.funding).toBeCloseTo(report.costs.net, 6);
    // progress was reported and the run was stored with its reproducibility record
    expect(io.progressed.length).toBeGreaterThan(0);
    expect(io.progressed.at(-1)!.fraction).toBeCloseTo(1, 9);
    // Two log lines: which engine ran (a portfolio always takes the event engine), then where the run was stored.
    expect(io.logged[0]).toBe('engine: event (3 models (the fast path runs one))');
    expect(io.logged[1]).toMatch(/^stored as run bt-[0-9a-f]{16} in /);
    const stored = (await listRuns(db)).find((x) => io.logged[1]!.includes(x.id))!;
    expect(stored.metrics['probe_look-ahead']).toBe('pass');
    expect(stored.seed).toBe(s.seed);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  }, 240_000);
});

describe('backtest: reproducible (must-show 4)', () => {
  it('the same backtest twice gives identical report, result and run digests', async () => {
    const a = demoSession();
    const b = demoSession();
    const ioA = fakeIo();
    const ioB = fakeIo();
    const line = { model: 'sma_cross', symbol: 'SPY', fast: 10, slow: 30, interval: '1d', commissionPct: 0.1 };
    const ra = await run(a, line, ioA);
    const rb = await run(b, line, ioB);
    expect(digestOf(ra)).toBe(digestOf(rb));
    expect((a.state.get('backtest') as BacktestReport).digest).toBe((b.state.get('backtest') as BacktestReport).digest);
    expect(ioA.logged[0]).toBe(ioB.logged[0]); // same run id, stored once
    const pa = await run(demoSession(), { skipProbes: true, noStore: true });
    const pb = await run(demoSession(), { skipProbes: true, noStore: true });
    expect(digestOf(pa)).toBe(digestOf(pb));
    // a different input gives a different digest
    const rc = await run(demoSession(), { ...line, fast: 11 });
    expect(digestOf(rc)).not.toBe(digestOf(ra));
  }, 240_000);
});

describe('backtest: bad input (must-show 5)', () => {
  it('unknown model → did-you-mean; symbol without data → clear message; one line through the dispatcher', async () => {
    const shell = await createShell({ root, cwd: dir });
    for (const d of demo) shell.session.addDataset(d);
    const typo = await shell.dispatcher.execute('backtest sma_crss --symbol SPY');
    expect(typo.result.status).toBe('error');
    expect(typo.result.summary).toMatch(/model: unknown model 'sma_crss'; did you mean 'sma_cross'\?/);
    const nodata = await shell.dispatcher.execute(`backtest sma_cross --symbol DOGE --db ${db}`);
    expect(nodata.result.status).toBe('error');
    expect(nodata.result.summary).toMatch(/DOGE: no data for symbol DOGE: load it first/);
    const coarse = await shell.dispatcher.execute(`backtest sma_cross --symbol SPY --interval 1h --db ${db}`);
    expect(coarse.result.summary).toMatch(/no 1h bars for SPY \(loaded: SPY:1d, SPY:4h\)/);
  });
  it('model flags without a model, and bad model parameters, name the flag', async () => {
    const s = demoSession();
    await expect(run(s, { symbol: 'SPY' })).rejects.toThrow(/--symbol: --symbol applies to one model/);
    await expect(run(s, { model: 'sma_cross', fast: 30, slow: 10 })).rejects.toThrow(/--fast: fast must be shorter than slow/);
    await expect(run(s, { model: 'sma_cross', size: 'lots:3' })).rejects.toThrow(/--size: expected 'units:N' or 'equity:F'/);
    await expect(run(s, { model: 'vol_compression_v1', params: 'atr_fsat=3' })).rejects.toThrow(/--params/);
    await expect(run(s, { model: 'vol_compression_v1', params: 'novalue' })).rejects.toThrow(/--params: expected key=value/);
    await expect(run(s, { borrowBps: 30 })).rejects.toThrow(/--borrow-bps: --borrow-bps applies to one model/);
    expect(() => args({ model: 'sma_cross', maxParticipation: 0 })).toThrow();
  });

  it('--borrow-bps charges shorts and --max-participation splits fills; both are declared in the execution profile', async () => {
    const s = demoSession();
    const base = { model: 'sma_cross', symbol: 'SPY', short: true, skipProbes: true, noStore: true };
    type Rep = { costs: { borrow: number; net: number }; result: { orders: readonly { qty: number; filled?: number }[] } };
    const report = async (raw: Record<string, unknown>): Promise<{ r: CommandResult; rep: Rep }> => {
      const r = await run(s, raw);
      expect(r.status).toBe('ok');
      return { r, rep: s.state.get('backtest') as Rep };
    };
    const plain = (await report(base)).rep;
    const { r: borrowedR, rep: borrowed } = await report({ ...base, borrowBps: 100 });
    expect(plain.costs.borrow).toBe(0);
    expect(borrowed.costs.borrow).toBeGreaterThan(0);
    // The same orders; the borrow fee lowers the net result.
    expect(borrowed.result.orders.length).toBe(plain.result.orders.length);
    expect(borrowed.costs.net).toBeLessThan(plain.costs.net);
    const { r: capped, rep: cappedRep } = await report({ ...base, maxParticipation: 0.000001 });
    const orders = cappedRep.result.orders;
    expect(orders.every((o) => o.filled !== undefined && Math.abs(o.filled) <= Math.abs(o.qty))).toBe(true);
    expect(orders.some((o) => Math.abs(o.filled!) < Math.abs(o.qty))).toBe(true);
    const profile = (r: CommandResult): string => (r.blocks[0] as TextBlock).text;
    expect(profile(capped)).toMatch(/ · ≤ 0.000001 of bar volume per order\n/);
    expect(profile(borrowedR)).toMatch(/equities 1\/0 bps taker\/maker · slip 1 · impact 0.1√\(q\/ADV20d\) · borrow 100 bps\/yr/);
  });
  it('an empty session says how to load data', async () => {
    const s = new Session({ root, cwd: dir });
    await expect(run(s, { model: 'sma_cross' })).rejects.toThrow(/no data for symbol SPY/);
  });
  it('Ctrl+C (an aborted signal) cancels', async () => {
    const c = new AbortController();
    c.abort();
    await expect(run(demoSession(), { model: 'sma_cross', interval: '1d' }, fakeIo(c.signal))).rejects.toThrow(/cancelled/);
  });
});
