/**
 * Discovery workloads on the demo data (the seeded synthetic market, all symbols, default span):
 *
 *   discover-all      `discover all` through the shell on seed 42: hypotheses tested per second,
 *                     beside the same number of plain one-sample t statistics over the pooled
 *                     event returns (a loop with no bootstrap, ledger or probes) as the reference
 *   discover-placebo  `discover all` on the placebo market (no planted edges) of seeds 1…20, each
 *                     with a fresh ledger: false candidates per run, averaged, against the BH level
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../src/shell/runtime.js';
import { configSchema } from '../src/config/schema.js';
import { meanTTest } from '../src/research/stats/index.js';
import { listCandidates } from '../src/store/ledger.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const Q = 0.1;

async function discoverOnce(seed: number, placebo: boolean, db: string): Promise<{ ms: number; tested: number; candidates: number; standing: number; edges: number }> {
  const shell = await createShell({ config: configSchema.parse({}), seed });
  const ing = (await shell.dispatcher.execute(`ingest synthetic${placebo ? ' --placebo' : ''}`)).result;
  if (ing.status !== 'ok') throw new Error(`ingest failed: ${ing.summary}`);
  const t0 = performance.now();
  const r = (await shell.dispatcher.execute(`discover all --q ${Q} --db ${db}`)).result;
  const ms = performance.now() - t0;
  if (r.status !== 'ok') throw new Error(`discover failed: ${r.summary}`);
  const m = /: (\d+) hypotheses tested.*; (\d+) candidates at q ≤ [\d.]+, (\d+) stand/.exec(r.summary ?? '');
  if (!m) throw new Error(`unexpected summary ${r.summary}`);
  // clusters: candidates sharing events (same family, parameters and group) are one discovery
  const edges = new Set((await listCandidates(db)).map((c) => `${c.family}|${c.params}|${c.grp}`)).size;
  return { ms, tested: Number(m[1]), candidates: Number(m[2]), standing: Number(m[3]), edges };
}

let sink = 0;

export const workloads: BenchWorkload[] = [
  {
    name: 'discover-all',
    description: '`discover all` on the seed-42 demo market: hypotheses tested/s, beside plain t statistics/s over the same number of event-return samples',
    async run(): Promise<BenchFigure[]> {
      const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-discover-'));
      try {
        const r = await discoverOnce(42, false, join(dir, 'results.duckdb'));
        // reference: as many plain t statistics over 1 000 returns each
        const xs = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.01);
        const t0 = performance.now();
        for (let k = 0; k < r.tested; k++) sink += meanTTest(xs).t;
        const plainMs = performance.now() - t0;
        return [
          { name: 'hypotheses tested', value: r.tested, unit: 'count' },
          { name: 'discover all', value: r.ms, unit: 'ms' },
          { name: 'hypotheses tested/s', value: (r.tested / r.ms) * 1000, unit: 'hypotheses/s' },
          { name: 'plain t statistics/s (reference)', value: (r.tested / Math.max(plainMs, 1e-3)) * 1000, unit: 't/s' },
          { name: 'candidates', value: r.candidates, unit: 'count' },
        ];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'discover-placebo',
    description: `\`discover all\` on the placebo market of seeds 1…20 (no planted edges), fresh ledger each: false candidates per run, averaged, against the level ${Q} (cluster-adjusted q)`,
    async run(): Promise<BenchFigure[]> {
      const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-placebo-'));
      const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
      const counts: number[] = [];
      const standing: number[] = [];
      const edges: number[] = [];
      let tested = 0;
      try {
        for (const seed of seeds) {
          const r = await discoverOnce(seed, true, join(dir, `seed-${seed}.duckdb`));
          counts.push(r.candidates);
          standing.push(r.standing);
          edges.push(r.edges);
          tested += r.tested;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      const sd = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1));
      return [
        { name: 'runs', value: seeds.length, unit: 'count' },
        { name: 'hypotheses tested per run', value: tested / seeds.length, unit: 'count' },
        { name: 'false candidates per run (mean)', value: mean, unit: 'count' },
        { name: 'false candidates per run (standard error)', value: sd / Math.sqrt(counts.length), unit: 'count' },
        { name: 'runs with any false candidate', value: counts.filter((c) => c > 0).length, unit: 'count' },
        { name: 'false clusters (family, parameters, group) per run (mean)', value: edges.reduce((a, b) => a + b, 0) / seeds.length, unit: 'count' },
        { name: 'false candidates standing all probes per run (mean)', value: standing.reduce((a, b) => a + b, 0) / seeds.length, unit: 'count' },
        { name: 'q level', value: Q, unit: 'q' },
      ];
    },
  },
];
