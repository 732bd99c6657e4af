/**
 * Regime workload: the HMM fit (defaults: 4 states, multi-start, sticky Baum–Welch) on three years
 * of synthetic BTCUSDT daily observations, the forward filter alone, and the rule-regime timeline on
 * the synthetic market; each in ms (median of a few runs), beside a plain loop over the same
 * observations (one pass computing the four Gaussian log-densities per row) as the reference.
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { generateSyntheticMarket, toDatasets } from '../src/data/synthetic/index.js';
import { regimeSection } from '../src/config/sections/regime.js';
import { computeRuleRegimes, ruleInputsFrom } from '../src/regime/compute.js';
import { dailySeries } from '../src/regime/daily.js';
import { hmmObservations } from '../src/regime/hmm/observations.js';
import { fitGaussianHmm } from '../src/regime/hmm/fit.js';
import { forwardFilter } from '../src/regime/hmm/forward.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const RUNS = 5;

function median(fn: () => void): number {
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(RUNS / 2)]!;
}

let sink = 0;

export const workloads: BenchWorkload[] = [
  {
    name: 'regime',
    description: 'HMM fit and forward filter on 3 years of synthetic BTCUSDT days, rule timeline on the synthetic market (ms, median of 5), beside a plain log-density loop',
    async run(): Promise<BenchFigure[]> {
      const market = generateSyntheticMarket({ seed: 42, symbols: ['BTCUSDT', 'SPY'] }, (s) => createRng(42, s));
      const datasets = new Map(toDatasets(market).map((d) => [d.name, d]));
      const cfg = regimeSection.parse({});
      const obs = hmmObservations(dailySeries(datasets.get('BTCUSDT:15m')!), cfg.hmm);
      const { x, n, d } = obs;
      const opts = {
        k: cfg.hmm.states,
        maxIterations: cfg.hmm.max_iterations,
        tolerance: cfg.hmm.tolerance,
        varianceFloorFraction: cfg.hmm.variance_floor,
        restarts: cfg.hmm.restarts,
        screenIterations: cfg.hmm.screen_iterations,
        stay: cfg.hmm.init_stay,
        stickiness: cfg.hmm.stickiness,
        seed: 42,
      };
      let params = fitGaussianHmm(x, n, d, opts).params;
      const fitMs = median(() => {
        params = fitGaussianHmm(x, n, d, opts).params;
      });
      const filterMs = median(() => {
        sink += forwardFilter(x, n, params).logLik;
      });
      const plainMs = median(() => {
        let s = 0;
        for (let t = 0; t < n; t++) {
          for (let j = 0; j < params.k; j++) {
            let q = 0;
            for (let f = 0; f < d; f++) {
              const z = x[t * d + f]! - params.means[j * d + f]!;
              q += (z * z) / params.vars[j * d + f]!;
            }
            s += q;
          }
        }
        sink += s;
      });
      const rulesMs = median(() => {
        sink += computeRuleRegimes(ruleInputsFrom(datasets, cfg), cfg).ts.length;
      });
      if (sink === 0.123456789) console.log(sink);
      return [
        { name: `hmm fit (${n} days, ${d} features, 4 states)`, value: fitMs, unit: 'ms' },
        { name: 'hmm forward filter', value: filterMs, unit: 'ms' },
        { name: 'baseline: plain log-density loop, same rows', value: plainMs, unit: 'ms' },
        { name: 'rule timeline (SPY 1d + BTCUSDT 15m + macro)', value: rulesMs, unit: 'ms' },
      ];
    },
  },
];
