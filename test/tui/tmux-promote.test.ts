/**
 * Promotion to live in a real terminal: a model at paper stage whose every gate passes (a stored
 * walk-forward, and a paper record whose NAV is its backtest's over the same period: tracking error
 * 0) is promoted with `promote sma_cross --to live` typed at the prompt. The confirm dialog asks on
 * the prompt's line; Esc (like Enter or n) says no and the refusal is recorded; y promotes it.
 * The records are written here, before the shell starts, on the same data root and demo data the
 * shell loads (`ingest synthetic` is deterministic). Skips with a message when tmux or the build
 * is missing. A headless `promote … --to live` without --yes-live is refused: test/commands/promote.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import promote from '../../commands/promote.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO } from '../../src/shell/command.js';
import { storeWalkForward } from '../../src/walkforward/store.js';
import { stageHistory } from '../../src/lifecycle/stages.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { REPO, TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux promote test');
const shell = new TmuxShell('promote');
const dataRoot = mkdtempSync(join(tmpdir(), 'edgelab-promote-tmux-'));
const db = join(dataRoot, 'edgelab.duckdb');
afterAll(() => {
  shell.kill();
  rmSync(dataRoot, { recursive: true, force: true });
});

const io: CommandIO = { signal: new AbortController().signal, progress: () => {}, log: () => {}, execute: () => Promise.reject(new Error('not used')) };

/** sma_cross at paper stage with a paper record that tracks its backtest exactly. */
async function modelAtPaper(): Promise<void> {
  const local = await createShell({ root: REPO, cwd: dataRoot, dataRoot });
  expect((await local.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
  const session = local.session;
  await storeWalkForward(db, {
    model: 'sma_cross',
    settings: { train: '2y', test: '6m' },
    summary: { oosSharpe: 0.8, oosMaxDrawdown: 0.12, oosTotalReturn: 0.3, oosTrades: 40, folds: 12, dsr: 0.95, pbo: 0.2, lastParams: { fast: 10, slow: 50 }, objective: 'bps', from: '2012-01-01', to: '2021-12-31' },
    folds: [],
    probes: [{ name: 'look-ahead', value: 0, threshold: '0', pass: true }],
    readiness: { 'SPY:1d': true },
    dataDigests: { 'SPY:1d': session.datasets.get('SPY:1d')!.digest },
    configDigest: session.configDigest,
    seed: session.seed,
    resultDigest: 'res',
    sessionId: session.id,
    transcript: [{ line: 'walkforward sma_cross', status: 'ok' }],
  });
  for (const to of ['candidate', 'paper']) expect((await promote.run(session, promote.schema.parse({ model: 'sma_cross', to }), io)).status).toBe('ok');
  const spec: PaperSpec = { format: 1, id: 'paper-1', model: 'sma_cross', params: { symbol: 'SPY', fast: 10, slow: 50 }, mode: 'replay', from: '2019-01-01', to: '2020-06-30', speed: null, broker: 'sim', seed: 42, interval: '1d', config: session.config };
  const bt = await runBacktestReport(planOf(spec), session.datasets, { probes: false });
  const folder = join(dataRoot, 'paper', 'paper-1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'spec.json'), JSON.stringify(spec));
  writeFileSync(join(folder, 'performance.jsonl'), Array.from(bt.result.ts, (t, i) => JSON.stringify({ step: i, t, nav: bt.result.nav[i] })).join('\n'));
}

describe.skipIf(skip !== '')('promote --to live in tmux', () => {
  it('asks y/N on the prompt line; Esc refuses (recorded), y promotes', async () => {
    await modelAtPaper();
    shell.start({ columns: 120, rows: 40, dataRoot });
    await shell.ready();

    shell.line('promote sma_cross --to live');
    const asking = await shell.waitFor(/y confirms · n, Enter or Esc = No \(the default\)/, 120_000, 'the confirm dialog');
    expect(asking).toMatch(/^ \? Promote sma_cross@1\.0\.0 to LIVE \(real capital\)\? \[y\/N\]/m); // on the prompt's line
    expect(asking).not.toMatch(/^ edgelab> /m);
    shell.keys('Escape');
    await shell.waitFor((s) => /N — not confirmed/.test(s) && /refused: sma_cross@1\.0\.0 stays at paper/.test(s), 60_000, 'the refusal');
    await shell.waitFor(/edgelab> {2}/, 60_000, 'the prompt back');

    shell.line('promote sma_cross --to live');
    // the first question is still in the log: wait for the dialog's own key line
    await shell.waitFor(/y confirms · n, Enter or Esc = No/, 120_000, 'the dialog again');
    shell.type('y');
    await shell.waitFor((s) => /y — confirmed/.test(s) && /promoted sma_cross@1\.0\.0: paper → live/.test(s), 60_000, 'the promotion');
    await shell.waitFor(/edgelab> {2}/, 60_000, 'the prompt back');

    const history = await stageHistory(db, 'sma_cross');
    expect(history.slice(-2).map((d) => [d.toStage, d.decision, d.reason])).toEqual([
      ['live', 'refused', 'promotion to live was not confirmed'],
      ['live', 'pass', '8/8 gates pass'],
    ]);
  }, 900_000);
});
