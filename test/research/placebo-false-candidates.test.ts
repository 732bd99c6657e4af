/**
 * Must-show 1, placebo side, in bounded time: `discover all` on the placebo demo market (no planted
 * edges) of a handful of seeds, each with a fresh ledger, gives no false candidate — the average
 * stays at or below the BH level 0.1. The 20-seed average is the `discover-placebo` bench.
 *
 * The test can fail: seed 10's placebo market fools a per-hypothesis Benjamini–Hochberg (written
 * out here over the gates table's p-values, with the table's other gates) — the same events under
 * several conditions and horizons pass together. The cluster adjustment (src/research/clusters.ts:
 * Simes within a cluster of hypotheses sharing events, Benjamini–Yekutieli across clusters) does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { TableBlock } from '../../src/core/result.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-placebo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LEVEL = 0.1;

/** Per-hypothesis BH written out: how many rows have q ≤ level and pass every other gate. */
function plainBhCandidates(gates: TableBlock): number {
  const col = (name: string): number => gates.columns.indexOf(name);
  const ps = gates.rows.map((r) => Number(r[col('p')]));
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const m = ps.length;
  const q = new Array<number>(m);
  let running = 1;
  for (let j = m; j >= 1; j--) q[order[j - 1]![1]] = running = Math.min(running, (m * order[j - 1]![0]) / j);
  // the gate columns come last ('n' is also the event-count column before them)
  const others = ['n', 'ci_costs', 'stability', 'simplicity'].map((name) => gates.columns.lastIndexOf(name));
  return gates.rows.filter((r, i) => q[i]! <= LEVEL && others.every((c) => r[c] === 'pass')).length;
}

describe('placebo demo market: false candidates per run', () => {
  it(`seeds 1, 2, 10: none (average ≤ ${LEVEL}); a plain per-hypothesis BH finds some on seed 10`, async () => {
    const counts: number[] = [];
    const plain: number[] = [];
    for (const seed of [1, 2, 10]) {
      const db = join(dir, `seed-${seed}.duckdb`);
      const shell = await createShell({ config: configSchema.parse({ session: { results_db: db } }), seed });
      expect((await shell.dispatcher.execute('ingest synthetic --placebo')).result.status).toBe('ok');
      const r = (await shell.dispatcher.execute(`discover all --q ${LEVEL}`)).result;
      expect(r.status, r.summary).toBe('ok');
      const m = /; (\d+) candidates at q ≤/.exec(r.summary ?? '');
      expect(m, r.summary).not.toBeNull();
      counts.push(Number(m![1]));
      plain.push(plainBhCandidates(r.blocks.find((b): b is TableBlock => b.kind === 'table' && (b.title ?? '').startsWith('gates'))!));
    }
    expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeLessThanOrEqual(LEVEL);
    expect(counts).toEqual([0, 0, 0]);
    expect(plain[2], `plain BH candidates per seed: ${plain.join(', ')}`).toBeGreaterThan(0);
  }, 600_000);
});
