/**
 * Must-show 1: on the demo data (the full synthetic market) of seeds 7 and 42, `discover all`
 * finds each of the four planted edges as an edge candidate — the family whose rule matches the
 * planted trigger, at the planted horizon, unconditioned — with the right sign (its action's mean
 * is positive) and a bootstrap CI that covers the planted size read from the dataset's truth.
 * The placebo side (false candidates per run over 20 seeds) is the `discover-placebo` bench.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { truthOf, type EdgeId } from '../../src/data/synthetic/index.js';
import { listCandidates, type StoredCandidate } from '../../src/store/ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Planted edge → the family, action and asset group that express it (docs/discovery.md). */
const EXPECTED: [EdgeId, string, 'with' | 'against', string, string][] = [
  ['funding_extreme_reversal', 'funding_extreme', 'against', 'crypto_perp 15m', 'BTCUSDT:15m'],
  ['vol_compression_breakout', 'vol_compression', 'with', 'crypto_perp 15m', 'BTCUSDT:15m'],
  ['liquidation_exhaustion', 'forced_flow', 'against', 'crypto_perp 15m', 'BTCUSDT:15m'],
  ['equity_reversal', 'range_breakout', 'against', 'etf 1d', 'SPY:1d'],
];

describe.each([7, 42])('seed %i: the four planted edges are found', (seed) => {
  it('each as a candidate with the right sign and a CI covering the planted size', async () => {
    const db = join(dir, `seed-${seed}.duckdb`);
    const shell = await createShell({ config: configSchema.parse({ session: { results_db: db } }), seed });
    expect((await shell.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
    const r = (await shell.dispatcher.execute('discover all')).result;
    expect(r.status, r.summary).toBe('ok');
    const cands = await listCandidates(db);
    const report: string[] = [];
    for (const [edge, family, action, group, dataset] of EXPECTED) {
      const truth = truthOf(shell.session.dataset(dataset))!.edges.find((e) => e.id === edge)!;
      expect(truth.sizeBps).toBeGreaterThan(0);
      const c: StoredCandidate | undefined = cands.find(
        (x) => x.family === family && x.action === action && x.grp === group && x.horizon === truth.horizonBars && x.condition === 'all',
      );
      expect(c, `${edge}: no candidate ${family} ${action} h${truth.horizonBars} on ${group}`).toBeDefined();
      report.push(`${edge}: ${c!.mean_bps.toFixed(1)} bp [${c!.ci_lo_bps.toFixed(1)}, ${c!.ci_hi_bps.toFixed(1)}] planted ${truth.sizeBps}, q ${c!.q.toPrecision(3)}`);
      expect(c!.mean_bps, report.at(-1)).toBeGreaterThan(0);
      expect(c!.ci_lo_bps, report.at(-1)).toBeLessThanOrEqual(truth.sizeBps);
      expect(c!.ci_hi_bps, report.at(-1)).toBeGreaterThanOrEqual(truth.sizeBps);
      expect(c!.q).toBeLessThanOrEqual(0.1);
    }
    console.log(`seed ${seed}\n${report.join('\n')}`);
  }, 300_000);
});
