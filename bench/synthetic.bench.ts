/**
 * Synthetic market workloads: generating the default demo market (what `npm start` loads through
 * `ingest synthetic`) and turning it into datasets (content digests included), with the plain
 * cost of the random draws beside it as the baseline.
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { generateSyntheticMarket, toDatasets } from '../src/data/synthetic/index.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export const workloads: BenchWorkload[] = [
  {
    name: 'synthetic-default-market',
    description: 'generate the default synthetic market (5 crypto 15m × 3 years, SPY/QQQ 1d/4h from 2010, macro) and build its datasets',
    async run(): Promise<BenchFigure[]> {
      const gen: number[] = [];
      const build: number[] = [];
      let bars = 0;
      let rows = 0;
      for (let rep = 0; rep < 5; rep++) {
        const t0 = performance.now();
        const market = generateSyntheticMarket({ seed: 42 + rep }, (s) => createRng(42 + rep, s));
        const t1 = performance.now();
        const ds = toDatasets(market);
        const t2 = performance.now();
        gen.push(t1 - t0);
        build.push(t2 - t1);
        bars = ds.filter((d) => d.kind === 'bars').reduce((a, d) => a + d.table.length, 0);
        rows = ds.reduce((a, d) => a + d.table.length, 0);
      }
      const total = gen.map((g, i) => g + build[i]!);
      // Baseline: the same number of uniform draws the crypto part needs (≈ 5.3 per 15m bar), nothing else.
      const rng = createRng(1, 'bench');
      const draws = Math.round(bars * 5.3);
      const b0 = performance.now();
      let sink = 0;
      for (let i = 0; i < draws; i++) sink += rng.uniform();
      const baseline = performance.now() - b0;
      if (sink < 0) throw new Error('unreachable');
      return [
        { name: 'generate (median of 5)', value: median(gen), unit: 'ms' },
        { name: 'datasets + digests (median of 5)', value: median(build), unit: 'ms' },
        { name: 'total, first run (cold JIT)', value: total[0]!, unit: 'ms' },
        { name: 'total (median of 5)', value: median(total), unit: 'ms' },
        { name: 'bars generated', value: bars, unit: 'bars' },
        { name: 'rows in all datasets', value: rows, unit: 'rows' },
        { name: 'throughput', value: bars / (median(total) / 1000), unit: 'bars/s' },
        { name: `baseline: ${draws} bare rng.uniform() draws`, value: baseline, unit: 'ms' },
      ];
    },
  },
];
