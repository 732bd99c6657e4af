/**
 * The discovery q-value promotion gate (docs/lifecycle.md, "Gates"): a model that comes from an
 * edge (edge:ID) reaches candidate only when the edge's Benjamini–Hochberg q-value over its ledger
 * is at most lifecycle.max_q (0.1 by default). The q-values are those of Benjamini & Hochberg's
 * (1995) worked example of 15 p-values (4 rejections at 0.05), computed here by hand from the
 * step-up formula and checked against src/research/stats; the candidates are stored as `discover`
 * stores them, and both the refusal and the pass are recorded with their reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import promote from '../../commands/promote.js';
import { Session } from '../../src/shell/session.js';
import type { CommandIO } from '../../src/shell/command.js';
import type { GatesBlock } from '../../src/core/result.js';
import { storeWalkForward, type WalkForwardRecord } from '../../src/walkforward/store.js';
import { storeCandidates, type CandidateRow } from '../../src/store/ledger.js';
import { currentStage, stageHistory } from '../../src/lifecycle/stages.js';
import { benjaminiHochberg, bhRejections } from '../../src/research/stats/index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-promote-q-'));
const db = join(dir, 'results.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Benjamini & Hochberg (1995), section 4: the 15 ordered p-values of their worked example. */
const BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];

const io: CommandIO = { signal: new AbortController().signal, progress: () => {}, log: () => {}, execute: () => Promise.reject(new Error('not used')) };

function wfRecord(model: string): WalkForwardRecord {
  return {
    model,
    settings: { train: '1y', test: '3m' },
    summary: { oosSharpe: 0.9, oosMaxDrawdown: 0.1, oosTotalReturn: 0.2, oosTrades: 60, folds: 8, dsr: 0.97, pbo: 0.1, lastParams: {}, objective: 'bps', from: '2016-01-01', to: '2021-12-31' },
    folds: [],
    probes: [{ name: 'look-ahead', value: 0, threshold: '0', pass: true }],
    readiness: { 'BTCUSDT:15m': true },
    dataDigests: { 'BTCUSDT:15m': 'abc' },
    configDigest: 'cfg',
    seed: 42,
    resultDigest: 'res',
    sessionId: 'session-q',
    transcript: [{ line: `walkforward ${model}`, status: 'ok' }],
  };
}

function candidate(rank: number, q: number): CandidateRow {
  return {
    run_id: 'run-q', ledger: 'funding', test_seq: rank, family: 'funding_ext', params: '{}', grp: 'g', datasets: 'BTCUSDT:15m', condition: 'c', action: 'short', horizon: 8, baseline: 'unconditional',
    n: 400, days: 300, mean_bps: 12, sd_bps: 40, se_bps: 2, hit_rate: 0.56, t: 3, df: 399, p: BH_1995[rank - 1]!, bh_rank: rank, ledger_size: BH_1995.length, q, q_level: 0.1,
    ci_lo_bps: 8, ci_hi_bps: 16, cost_bps: 4, expectancy_bps: 8, stability: 0.8, probe_perturbation: 'pass', probe_time_split: 'pass', probe_double_costs: 'pass', probe_placebo: 'pass', stands: true,
  };
}

describe('promotion: the discovery q-value gate', () => {
  it('q by the step-up formula, by hand: the published 4 rejections at 0.05; rank 4 → 0.0356, rank 10 → 0.486', () => {
    const m = BH_1995.length;
    // q_(i) = min over j ≥ i of m·p_(j)/j (the p-values are already ascending)
    const qByHand = BH_1995.map((_, i) => Math.min(1, ...BH_1995.slice(i).map((p, k) => (m * p) / (i + k + 1))));
    expect(qByHand.filter((q) => q <= 0.05).length).toBe(4);
    expect(qByHand[3]).toBeCloseTo((15 * 0.0095) / 4, 12); // 0.035625
    expect(qByHand[9]).toBeCloseTo((15 * 0.324) / 10, 12); // 0.486
    const { q } = benjaminiHochberg(BH_1995);
    for (let i = 0; i < m; i++) expect(q[i]).toBeCloseTo(qByHand[i]!, 12);
    expect(bhRejections(BH_1995, 0.05)).toBe(4);
  });

  it('an edge whose q exceeds max_q is refused naming the q and recorded; one under it passes and is recorded', async () => {
    const { q } = benjaminiHochberg(BH_1995);
    const [strong, weak] = await storeCandidates(db, [candidate(4, q[3]!), candidate(10, q[9]!)]);
    const session = new Session({ root, cwd: dir, dataRoot: join(dir, 'data') });
    for (const id of [strong!, weak!]) await storeWalkForward(db, wfRecord(`edge:${id}`));

    const refused = await promote.run(session, promote.schema.parse({ db, model: `edge:${weak}`, to: 'candidate' }), io);
    expect(refused.status).toBe('error');
    expect(refused.summary).toBe(`refused: edge:${weak}@1.0.0 stays at research — failed 1 of 4 gates: discovery q (${weak}: q 0.486 over the ledger)`);
    const gate = (refused.blocks.find((b) => b.kind === 'gates') as GatesBlock).gates.find((g) => g.name === 'discovery q')!;
    expect(gate).toMatchObject({ value: 0.486, threshold: '≤ 0.1', pass: false });
    expect(await currentStage(db, `edge:${weak}`)).toBe('research');

    const passed = await promote.run(session, promote.schema.parse({ db, model: `edge:${strong}`, to: 'candidate' }), io);
    expect(passed.status).toBe('ok');
    expect(passed.summary).toBe(`promoted edge:${strong}@1.0.0: research → candidate (4/4 gates pass)`);
    const ok = (passed.blocks.find((b) => b.kind === 'gates') as GatesBlock).gates.find((g) => g.name === 'discovery q')!;
    expect(ok).toMatchObject({ value: 0.0356, pass: true });
    expect(await currentStage(db, `edge:${strong}`)).toBe('candidate');

    // Both decisions are in the store, with the reason and the gate's evidence.
    const history = await stageHistory(db);
    const byModel = Object.fromEntries(history.map((d) => [d.model, d]));
    expect(byModel[`edge:${weak}`]).toMatchObject({ decision: 'refused', toStage: 'candidate', reason: `failed 1 of 4 gates: discovery q (${weak}: q 0.486 over the ledger)` });
    expect(byModel[`edge:${strong}`]).toMatchObject({ decision: 'pass', toStage: 'candidate' });
    expect((byModel[`edge:${weak}`]!.evidence as { edge: { q: number } }).edge.q).toBeCloseTo(0.486, 12);
  }, 60_000);
});
