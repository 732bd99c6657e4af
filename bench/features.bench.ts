/**
 * Features workload (issue 4, must-show 5): the 20 bar indicators of the registry (default
 * parameters) over 50 symbols × 100k bars each, in indicator values per second (one value per
 * bar per indicator; multi-column indicators such as bb count once), beside a plain inline
 * typed-array SMA(50) loop and our `sma` kernel on the same closes, in the same run (those two
 * best of 5 interleaved passes; the 20-indicator suite is one pass, outputs allocated per call as
 * in real use).
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { INDICATORS, type KernelInput } from '../src/features/registry.js';
import { sma } from '../src/features/indicators/sma.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const SYMBOLS = 50;
const BARS = 100_000;
const PERIOD = 50;

interface Bars {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

function makeBars(symbol: number): Bars {
  const rng = createRng(4, `bench-features-${symbol}`);
  const b = { open: new Float64Array(BARS), high: new Float64Array(BARS), low: new Float64Array(BARS), close: new Float64Array(BARS), volume: new Float64Array(BARS) };
  let c = 100 + symbol;
  for (let i = 0; i < BARS; i++) {
    const o = c;
    c = o * Math.exp(0.004 * rng.normal());
    b.open[i] = o;
    b.close[i] = c;
    b.high[i] = Math.max(o, c) * (1 + 0.002 * rng.uniform());
    b.low[i] = Math.min(o, c) * (1 - 0.002 * rng.uniform());
    b.volume[i] = 1000 * rng.uniform();
  }
  return b;
}

/** The baseline: the simplest correct SMA, a sliding sum in one loop, no NaN handling. */
function plainSma(x: Float64Array, p: number, out: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]!;
    if (i >= p) s -= x[i - p]!;
    out[i] = i >= p - 1 ? s / p : NaN;
  }
}

let sink = 0;

export const workloads: BenchWorkload[] = [
  {
    name: 'features',
    description: `20 indicators × ${SYMBOLS} symbols × ${BARS / 1000}k bars (values/s), beside a plain typed-array SMA(${PERIOD}) loop on the same data`,
    async run(): Promise<BenchFigure[]> {
      const data = Array.from({ length: SYMBOLS }, (_, s) => makeBars(s));
      const defs = [...INDICATORS.values()].filter((d) => d.input !== 'funding');
      if (defs.length !== 20) throw new Error(`expected 20 bar indicators in the registry, found ${defs.length}`);
      const out = new Float64Array(BARS);

      // warm both code paths once so the JIT has compiled them before timing
      plainSma(data[0]!.close, PERIOD, out);
      sma(data[0]!.close, PERIOD, out);

      // best of 5 interleaved passes, so a busy machine penalises both loops alike
      let plainSeconds = Infinity;
      let smaSeconds = Infinity;
      for (let pass = 0; pass < 5; pass++) {
        let t = performance.now();
        for (const b of data) {
          plainSma(b.close, PERIOD, out);
          sink += out[BARS - 1]!;
        }
        plainSeconds = Math.min(plainSeconds, (performance.now() - t) / 1000);
        t = performance.now();
        for (const b of data) {
          sma(b.close, PERIOD, out);
          sink += out[BARS - 1]!;
        }
        smaSeconds = Math.min(smaSeconds, (performance.now() - t) / 1000);
      }

      const perIndicator = new Map<string, number>();
      const t0 = performance.now();
      for (const def of defs) {
        const params = def.params.map((p) => p.default);
        const t1 = performance.now();
        for (const b of data) {
          const input: KernelInput = { ...b, series: b.close, interval: '15m', assetClass: 'crypto_perp' };
          const cols = def.compute(input, params);
          sink += cols[0]![BARS - 1]!;
        }
        perIndicator.set(def.name, (performance.now() - t1) / 1000);
      }
      const allSeconds = (performance.now() - t0) / 1000;
      if (sink === 0.123456789) console.log(sink); // keep results observable

      const values = SYMBOLS * BARS;
      const figures: BenchFigure[] = [
        { name: `all 20 indicators (${defs.length * values / 1e6} M values)`, value: (defs.length * values) / allSeconds, unit: 'values/s' },
        { name: 'all 20 indicators, wall time', value: allSeconds, unit: 's' },
        { name: `sma kernel, SMA(${PERIOD})`, value: values / smaSeconds, unit: 'values/s' },
        { name: `plain typed-array loop, SMA(${PERIOD}) (baseline)`, value: values / plainSeconds, unit: 'values/s' },
      ];
      for (const [name, s] of [...perIndicator.entries()].sort((a, b) => b[1] - a[1])) {
        figures.push({ name: `  ${name}`, value: values / s, unit: 'values/s' });
      }
      return figures;
    },
  },
];
