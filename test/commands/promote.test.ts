/**
 * The model lifecycle (must-show 5): promotion refuses with clear reasons when a gate fails, the
 * chain cannot skip a stage, passes and refusals are both recorded, `models` shows the history,
 * and a headless `promote … --to live` without --yes-live is refused. Walk-forward records are
 * stored by hand (their figures are the gates' inputs); the paper record for the live gate is a
 * paper session's files, its NAV either the backtest's own (tracking error 0) or perturbed by a
 * known amount (tracking error computed here independently).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import promote from '../../commands/promote.js';
import demote from '../../commands/demote.js';
import models from '../../commands/models.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO } from '../../src/shell/command.js';
import type { Dataset } from '../../src/core/table.js';
import type { GatesBlock, TableBlock } from '../../src/core/result.js';
import { storeWalkForward, type WalkForwardRecord } from '../../src/walkforward/store.js';
import { currentStage, stageHistory } from '../../src/lifecycle/stages.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { pairedReturns, trackingError } from '../../src/lifecycle/evidence.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-promote-'));
const dataRoot = join(dir, 'data');
const db = join(dir, 'results.duckdb');
let demo: Dataset[] = [];

const io = (confirm?: (q: string) => Promise<boolean>): CommandIO & { logged: string[] } => {
  const logged: string[] = [];
  return { signal: new AbortController().signal, progress: () => {}, log: (m) => logged.push(m), execute: () => Promise.reject(new Error('not used')), ...(confirm ? { confirm } : {}), logged };
};
function session(): Session {
  const s = new Session({ root, cwd: dir, dataRoot });
  for (const d of demo) s.addDataset(d);
  return s;
}
const run = (s: Session, raw: Record<string, unknown>, o = io()) => promote.run(s, promote.schema.parse({ db, ...raw }), o);

function wfRecord(model: string, summary: Partial<WalkForwardRecord['summary']>, probesPass = true): WalkForwardRecord {
  return {
    model,
    settings: { train: '2y', test: '6m' },
    summary: { oosSharpe: 0.8, oosMaxDrawdown: 0.12, oosTotalReturn: 0.3, oosTrades: 40, folds: 12, dsr: 0.95, pbo: 0.2, lastParams: { fast: 10, slow: 80 }, objective: 'bps', from: '2014-01-01', to: '2021-12-31', ...summary },
    folds: [],
    probes: [
      { name: 'look-ahead', value: 0, threshold: '0', pass: true },
      { name: 'warm-up', value: probesPass ? 0 : 3, threshold: '0', pass: probesPass },
    ],
    readiness: { 'SPY:1d': true },
    dataDigests: { 'SPY:1d': 'abc' },
    configDigest: 'cfg',
    seed: 42,
    resultDigest: 'res',
    sessionId: 'session-42',
    transcript: [{ line: 'walkforward sma_cross', status: 'ok' }],
  };
}

beforeAll(async () => {
  const shell = await createShell({ root, cwd: dir, dataRoot });
  const out = await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2015-01-01');
  expect(out.result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('promote / demote / models', () => {
  it('refuses without a walk-forward, refuses a skipped stage, passes candidate, refuses paper naming the failed gate; all recorded', async () => {
    const s = session();
    const none = await run(s, { model: 'sma_cross', to: 'candidate' });
    expect(none.status).toBe('error');
    expect(none.summary).toMatch(/refused: sma_cross@1\.0\.0 stays at research — failed 3 of 3 gates: readiness \(no walk-forward record: run `walkforward MODEL` first\)/);

    await storeWalkForward(db, wfRecord('sma_cross', { oosSharpe: 0.31 }));
    const skip = await run(s, { model: 'sma_cross', to: 'paper' });
    expect(skip.summary).toMatch(/the chain is hard: sma_cross@1\.0\.0 is at research; promote it to candidate first/);

    const cand = await run(s, { model: 'sma_cross', to: 'candidate' });
    expect(cand.status).toBe('ok');
    expect(cand.summary).toBe('promoted sma_cross@1.0.0: research → candidate (3/3 gates pass)');
    expect(await currentStage(db, 'sma_cross')).toBe('candidate');

    const paper = await run(s, { model: 'sma_cross', to: 'paper' });
    expect(paper.status).toBe('error');
    const g = paper.blocks.find((b) => b.kind === 'gates') as GatesBlock;
    expect(g.gates.map((x) => [x.name, x.pass])).toEqual([
      ['readiness', true], ['bias probes', true], ['walk-forward', true],
      ['OOS Sharpe', false], ['OOS trades', true], ['OOS max drawdown', true], ['deflated Sharpe', true],
    ]);
    expect(paper.summary).toMatch(/failed 1 of 7 gates: OOS Sharpe \(0\.31 vs ≥ 0\.5\)/);

    const h = await stageHistory(db, 'sma_cross');
    expect(h.map((d) => [d.action, d.fromStage, d.toStage, d.decision])).toEqual([
      ['promote', 'research', 'candidate', 'refused'],
      ['promote', 'research', 'paper', 'refused'],
      ['promote', 'research', 'candidate', 'pass'],
      ['promote', 'candidate', 'paper', 'refused'],
    ]);
    // the evidence is kept with the decision: the walk-forward's figures and digests
    expect((h[3]!.evidence as { walkForward: { summary: { oosSharpe: number } } }).walkForward.summary.oosSharpe).toBe(0.31);
  });

  it('a failed bias probe is a refusal reason; demote records and moves down', async () => {
    const s = session();
    await storeWalkForward(db, wfRecord('vol_compression_v1', {}, false));
    const r = await run(s, { model: 'vol_compression_v1', to: 'candidate' });
    expect(r.summary).toMatch(/bias probes \(failed: warm-up\)/);
    const d = await demote.run(s, demote.schema.parse({ db, model: 'sma_cross' }), io());
    expect(d.summary).toBe('demoted sma_cross@1.0.0: candidate → research (demoted by hand)');
    expect(await currentStage(db, 'sma_cross')).toBe('research');
    const again = await demote.run(s, demote.schema.parse({ db, model: 'sma_cross' }), io());
    expect(again.status).toBe('error');
    expect(again.summary).toMatch(/at research already/);
  });

  it('live: no paper record → refused saying so; a paper record tracking its backtest passes only with --yes-live or a confirmation; the dossier holds gates, digests and transcripts', async () => {
    const s = session();
    const model = 'sma_cross@2.0.0';
    await storeWalkForward(db, wfRecord('sma_cross', {}));
    expect((await run(s, { model: 'sma_cross', version: '2.0.0', to: 'candidate' })).status).toBe('ok');
    expect((await run(s, { model: 'sma_cross', version: '2.0.0', to: 'paper' })).status).toBe('ok');
    expect(await currentStage(db, model)).toBe('paper');
    const noPaper = await run(s, { model: 'sma_cross', version: '2.0.0', to: 'live', yesLive: true });
    expect(noPaper.summary).toMatch(/paper tracking error \(no paper record for sma_cross: run it in paper mode first/);

    // A paper session whose NAV is exactly its backtest's over the same period: tracking error 0.
    const spec: PaperSpec = { format: 1, id: 'paper-1', model: 'sma_cross', params: { symbol: 'SPY', fast: 10, slow: 50 }, mode: 'replay', from: '2019-01-01', to: '2020-06-30', speed: null, broker: 'sim', seed: 42, interval: '1d', config: s.config };
    const bt = await runBacktestReport(planOf(spec), s.datasets, { probes: false });
    const folder = join(dataRoot, 'paper', 'paper-1');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'spec.json'), JSON.stringify(spec));
    const nav = Array.from(bt.result.nav);
    const ts = Array.from(bt.result.ts);
    writeFileSync(join(folder, 'performance.jsonl'), ts.map((t, i) => JSON.stringify({ step: i, t, nav: nav[i] })).join('\n'));

    // headless (no confirm hook), no flag: refused though every gate passes
    const shell = await createShell({ root, cwd: dir, dataRoot });
    for (const d of demo) shell.session.addDataset(d);
    const headless = await shell.dispatcher.execute(`promote sma_cross --version 2.0.0 --to live --db ${db}`);
    expect(headless.result.status).toBe('error');
    expect(headless.result.summary).toMatch(/promotion to live needs confirmation: headless runs must pass --yes-live/);
    const gates = headless.result.blocks.find((b) => b.kind === 'gates') as GatesBlock;
    expect(gates.gates.find((x) => x.name === 'paper tracking error')).toMatchObject({ value: 0, pass: true });

    const declined = await run(s, { model: 'sma_cross', version: '2.0.0', to: 'live' }, io(async () => false));
    expect(declined.summary).toMatch(/not confirmed/);
    const asked: string[] = [];
    const dossier = join(dir, 'dossier', 'sma.json');
    const live = await run(s, { model: 'sma_cross', version: '2.0.0', to: 'live', dossier }, io(async (q) => (asked.push(q), true)));
    expect(live.summary).toBe('promoted sma_cross@2.0.0: paper → live (8/8 gates pass)');
    expect(asked).toEqual(['Promote sma_cross@2.0.0 to LIVE (real capital)?']);
    const bundle = JSON.parse(readFileSync(dossier, 'utf8')) as { format: string; gates: unknown[]; evidence: { walkForward: { dataDigests: Record<string, string> } }; transcript: { walkForward: { line: string }[] }; digest: string };
    expect(bundle.format).toBe('edgelab-dossier/1');
    expect(bundle.gates.length).toBe(8);
    expect(bundle.evidence.walkForward.dataDigests['SPY:1d']).toBe('abc');
    expect(bundle.transcript.walkForward[0]!.line).toBe('walkforward sma_cross');
    expect(bundle.digest).toMatch(/^[0-9a-f]{64}$/);

    // A perturbed paper NAV: tracking error from an independent computation.
    const bumped = nav.map((v, i) => v * (1 + 0.008 * Math.sin(i)));
    const pairs = pairedReturns(ts, bumped, ts, nav);
    let sum = 0;
    const diffs = pairs.a.map((a, i) => a - pairs.b[i]!);
    for (const x of diffs) sum += x;
    const mean = sum / diffs.length;
    const expected = Math.sqrt(diffs.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (diffs.length - 1)) * Math.sqrt(bt.periodsPerYear);
    expect(trackingError(pairs.a, pairs.b, bt.periodsPerYear)).toBeCloseTo(expected, 12);
    expect(expected).toBeGreaterThan(0.05);
  }, 120_000);

  it('models shows each model’s stage and its history, refusals included', async () => {
    const r = await models.run(session(), models.schema.parse({ db }), io());
    const stages = r.blocks.find((b) => b.kind === 'table' && b.title === 'lifecycle stages') as TableBlock;
    const byKey = Object.fromEntries(stages.rows.map((row) => [`${row[0]}@${row[1]}`, row]));
    expect(byKey['sma_cross@1.0.0']!.slice(2, 5)).toEqual(['research', 5, 3]);
    expect(byKey['sma_cross@2.0.0']![2]).toBe('live');
    expect(byKey['vol_compression_v1@1.0.0']![2]).toBe('research');
    const history = r.blocks.find((b) => b.kind === 'table' && b.title === 'stage history') as TableBlock;
    expect(history.rows.length).toBe((await stageHistory(db)).length);
  });
});
