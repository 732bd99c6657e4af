/**
 * AlphaBundle workload: a panel of 50 synthetic perpetuals × 100,000 hourly bars and 6 signals
 * (tsmom, xsmom, meanrev, carry, orderflow, xsz:flow). Signal building (kernels + cross-sectional
 * rank/z) and the solve (centred moments of the design rows, then Löwdin orthogonalisation and the
 * ridge normal equations with ml-matrix's Cholesky on K×K matrices, one λ over every design row) are timed separately, each beside a plain
 * baseline from the same run: one typed-array pass over the same panel (a log return and a running
 * mean per cell) for the signals, one pass over the design rows (Σ x·y per column) for the solve.
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { generateUniverse } from '../src/data/synthetic/universe.js';
import { buildPanel, universeDatasets } from '../src/alpha/panel.js';
import { universeMembership, DEFAULT_UNIVERSE } from '../src/alpha/universe.js';
import { buildSignals } from '../src/alpha/signals.js';
import { demeanAcross, forwardReturns } from '../src/alpha/labels.js';
import { buildDesign } from '../src/alpha/design.js';
import { orthFromMoments, orthLinearMap } from '../src/alpha/orth.js';
import { solveRidge } from '../src/alpha/ridge.js';
import { momentsOf, transformMoments } from '../src/alpha/moments.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const SYMBOLS = 50;
const BARS = 100_000;
const SIGNALS = ['tsmom', 'xsmom', 'meanrev', 'carry', 'orderflow', 'xsz:flow'];
let sink = 0;

const time = (fn: () => void): number => { const t0 = performance.now(); fn(); return performance.now() - t0; };

export const workloads: BenchWorkload[] = [
  {
    name: 'alpha',
    description: `AlphaBundle fit over ${SYMBOLS} symbols × ${BARS / 1000}k 1h bars × ${SIGNALS.length} signals: signal building and the solve (ms), each beside a plain typed-array pass`,
    async run(): Promise<BenchFigure[]> {
      const list = generateUniverse({ symbols: SYMBOLS, startMs: Date.UTC(2015, 0, 1), bars: BARS }, createRng(1, 'synthetic/universe'));
      const datasets = new Map(list.map((d) => [d.name, d]));
      const base = buildPanel(universeDatasets(datasets, '1h'), datasets, '1h');
      const panel = { ...base, extra: new Map([['flow', base.takerBuy]]) };
      const cells = panel.close.length;
      const plainPanelMs = time(() => {
        // one pass per symbol column: log return and a 24-bar running mean of it
        const N = SYMBOLS;
        let s = 0;
        for (let i = 0; i < N; i++) {
          let run = 0;
          for (let t = 1; t < BARS; t++) {
            const r = Math.log(panel.close[t * N + i]! / panel.close[(t - 1) * N + i]!);
            run += r;
            if (t > 24) run -= Math.log(panel.close[(t - 24) * N + i]! / panel.close[(t - 25) * N + i]!);
            s += run;
          }
        }
        sink += s;
      });
      let signals = new Map<string, Float64Array>();
      let member: Uint8Array = new Uint8Array(0);
      const signalsMs = time(() => {
        member = universeMembership(panel, DEFAULT_UNIVERSE);
        signals = buildSignals(panel, SIGNALS, member);
      });
      const y = demeanAcross(forwardReturns(panel, { horizon: 4, volScaled: false, volWindow: 168 }), SYMBOLS, member);
      let design = buildDesign(signals, SIGNALS, SYMBOLS, member, y);
      const designMs = time(() => { design = buildDesign(signals, SIGNALS, SYMBOLS, member, y); });
      const K = SIGNALS.length;
      const plainRowsMs = time(() => {
        const acc = new Float64Array(K);
        for (let r = 0; r < design.rows; r++) for (let k = 0; k < K; k++) acc[k]! += design.x[r * K + k]! * design.y[r]!;
        sink += acc[0]!;
      });
      const solveMs = time(() => {
        const moments = momentsOf(design.x, K, design.y);
        const spec = orthFromMoments('lowdin', SIGNALS, moments);
        sink += solveRidge(transformMoments(moments, orthLinearMap(spec)), 0.01).coefficients[0]!;
      });
      if (sink === 0.123456789) console.log(sink);
      return [
        { name: `panel cells (${SYMBOLS} × ${BARS})`, value: cells, unit: 'cells' },
        { name: 'design rows (members with every signal and a label)', value: design.rows, unit: 'rows' },
        { name: 'plain pass over the panel (log return + running mean)', value: plainPanelMs, unit: 'ms' },
        { name: 'signals: universe + 6 signals, cross-sectional', value: signalsMs, unit: 'ms' },
        { name: 'signals ÷ plain panel pass', value: signalsMs / plainPanelMs, unit: '×' },
        { name: 'design matrix build', value: designMs, unit: 'ms' },
        { name: 'plain pass over the design rows (Σ x·y)', value: plainRowsMs, unit: 'ms' },
        { name: 'solve: moments + Löwdin + ridge (one λ)', value: solveMs, unit: 'ms' },
        { name: 'solve ÷ plain design pass', value: solveMs / plainRowsMs, unit: '×' },
      ];
    },
  },
];
