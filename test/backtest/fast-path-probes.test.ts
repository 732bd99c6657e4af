/**
 * The bias probes' runs on the fast path read the model's decisions from the signal's decision list
 * (fast-path-signal.ts `decisionBars`), and a look-ahead run whose computed signal equals the main
 * signal's first rows byte for byte reuses the main signal (`probeSignalOf`). These tests check:
 * - the trace `traceFromSignal` gives for warm-up variants and truncated prefix views equals the
 *   event engine's trace of the same model (its `decide` called at every step, recorded by
 *   probes.ts `traceModel`), for random signals with NaN stretches, −0, 0 and fractional sides;
 * - the shortcut is taken for a causal signal, and refused for a signal that differs in one bit;
 * - the look-ahead probe still fails for a vectorised model that reads the next bar, naming each
 *   cut, as it does on the event engine (test/backtest/run-backtest.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { runFastPath, traceFromSignal } from '../../src/backtest/fast-path.js';
import { decisionBars, probeSignalOf, signalOf, signalTraceRuns } from '../../src/backtest/fast-path-signal.js';
import { compareLookAhead, compareWarmup, cutTimes, emptyTrace, traceArrays, traceModel, truncateDatasets, type KeyRuns, type SignalTrace } from '../../src/backtest/probes.js';
import type { BacktestInput, EngineSymbol } from '../../src/backtest/types.js';
import type { BarFrame, Dataset } from '../../src/core/table.js';
import type { Model, TargetVector } from '../../src/models/types.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

const SIZING = { mode: 'equity', value: 0.5 } as const;

/**
 * A vectorised model whose side at bar k is `sideAt(close, k)` over the columns it is given. Its
 * `decide` (for the event engine) reads `pattern` and says what the fast path's loop would: the
 * weight side × 0.5 when the side is a number other than the last one, else nothing. `id` names its
 * parameters (signals are remembered per parameters).
 */
function vectorModel(id: string, warmupBars: number, sideAt: (close: Float64Array, k: number) => number, pattern?: readonly number[]): Model {
  let last = NaN;
  return {
    name: 'scripted_vector',
    version: '1.0.0',
    universe: ['X'],
    warmupBars,
    parameters: { id },
    decide(ctx) {
      if (pattern === undefined) throw new Error('this model only runs on the fast path');
      const sd = pattern[ctx.bars[0]!.index] ?? NaN;
      if (sd !== sd || sd === last) return null;
      last = sd;
      return { weights: { X: sd === 0 ? 0 : sd * SIZING.value } };
    },
    targetsVector(columns: BarFrame['columns'], into?: Float64Array): TargetVector {
      const n = columns.close.length;
      const side = into !== undefined && into.length >= n ? into.subarray(0, n) : new Float64Array(n);
      for (let k = 0; k < n; k++) side[k] = sideAt(columns.close, k);
      return { side, sizing: SIZING };
    },
  };
}

/** The same symbol with only its first n rows (prefix views, as probes.ts `truncateDatasets` makes them). */
function prefix(sym: EngineSymbol, n: number): EngineSymbol {
  const columns: Record<string, Float64Array> = {};
  for (const [k, c] of Object.entries(sym.bars.columns)) columns[k] = (c as Float64Array).subarray(0, n);
  return { ...sym, bars: { length: n, columns } as unknown as BarFrame };
}

const inputOf = (sym: EngineSymbol, model: Model): BacktestInput => ({
  symbols: [sym],
  models: [{ model, budget: 1 }],
  config: { ...cfg(), execution: { ...cfg().execution, rebalance_band: Infinity } },
  regimeAt: neutral,
});

/** The event engine's trace: `decide` at every step from the warm-up on, recorded by the probes' wrapper. */
function eventTrace(sym: EngineSymbol, model: Model, warmupBars: number): SignalTrace {
  const trace = emptyTrace(true);
  runBacktest(inputOf(sym, traceModel(model, trace, { warmupBars })));
  return trace;
}

const SIDES = [NaN, -1, 0, -0, 1, 0.5] as const;

describe('probe traces from the decision list = the event engine', () => {
  it('warm-up variants and truncated prefix views of a remembered signal, random signals (fast-check)', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ side: fc.constantFrom(...SIDES), bars: fc.integer({ min: 1, max: 25 }) }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (runs, warmupBars, cutAt, seed) => {
          const pattern = runs.flatMap((r) => Array.from({ length: r.bars }, () => r.side));
          const n = Math.max(2, pattern.length);
          const sym = pathBars({ n, seed, vol: 0.01, tick: 0 });
          const model = vectorModel(`p${seed}`, warmupBars, (_c, k) => pattern[k] ?? NaN, pattern);
          // the main run remembers the signal, as runFastPath does
          const main = signalOf(model, sym.bars.columns);
          const cut = Math.max(1, Math.min(n, Math.floor(cutAt * n)));
          const short = prefix(sym, cut);
          if (cut < n) {
            expect(probeSignalOf(model, short.bars.columns)).toBe(main);
            shortcuts++;
          }
          for (const [s, w] of [[sym, warmupBars], [sym, Math.max(1, Math.floor(warmupBars / 2))], [sym, Math.ceil(warmupBars * 1.5) + 10], [short, warmupBars]] as const) {
            const fromSignal = emptyTrace(true);
            expect(traceFromSignal(inputOf(s, model), { model, warmupBars: w, trace: fromSignal })).toBe(true);
            expect(traceArrays(fromSignal)).toEqual(traceArrays(eventTrace(s, vectorModel(`p${seed}`, warmupBars, (_c, k) => pattern[k] ?? NaN, pattern), w)));
          }
        },
      ),
      { seed: 20_261_206, numRuns: 120 },
    );
    expect(shortcuts).toBeGreaterThan(80);
  });

  it('decision bars: the first number, then each number other than the last one seen (−0 equals 0)', () => {
    const side = Float64Array.of(NaN, NaN, 1, 1, NaN, 1, 0, -0, NaN, -1, -1, 0.5, NaN, 0.5, 1);
    expect(Array.from(decisionBars(side))).toEqual([2, 6, 9, 11, 14]);
    expect(Array.from(decisionBars(new Float64Array(0)))).toEqual([]);
    expect(Array.from(decisionBars(Float64Array.of(NaN, NaN)))).toEqual([]);
  });

  it('a window holding a decision whose weight is not finite is refused (the run is then simulated); one without it is not', () => {
    const side = Float64Array.of(NaN, 1, 1, Infinity, Infinity, 0, 0, 1, 1, 0);
    const tv = { side, sizing: SIZING };
    expect(signalTraceRuns(tv, 0, 9, false)).toBeNull();
    expect(signalTraceRuns(tv, 4, 9, false)).toBeNull(); // the decision at bar 3 holds at bar 4
    expect(signalTraceRuns(tv, 0, 2, false)).not.toBeNull();
    const after = signalTraceRuns(tv, 5, 9, false)!;
    expect(Array.from({ length: after.k.count }, (_, r) => [after.k.key(r), after.k.end(r)])).toEqual([['0', 0], ['0', 2], ['0.5', 4], ['0', 5]]);
    expect(signalTraceRuns({ side, sizing: { mode: 'units', value: 1 } }, 0, 2, false)).toBeNull();
  });

  it('a truncated signal that differs from the main one in one bit is used as computed', () => {
    const sym = pathBars({ n: 80, seed: 3, vol: 0.01, tick: 0 });
    // −0 on the truncated run's last bar, 0 in the full run: equal as numbers, different bytes
    const model = vectorModel('bits', 5, (c, k) => (k === 39 && c.length === 40 ? -0 : k % 10 < 5 ? 0 : 1));
    const main = signalOf(model, sym.bars.columns);
    const got = probeSignalOf(model, prefix(sym, 40).bars.columns);
    expect(got).not.toBe(main);
    expect(Object.is(got.side[39], -0)).toBe(true);
    expect(probeSignalOf(model, prefix(sym, 39).bars.columns)).toBe(main);
  });
});

describe('the look-ahead probe on the fast path', () => {
  it('catches a vectorised model that reads the next bar, at every cut', () => {
    const sym = pathBars({ n: 300, seed: 9, vol: 0.01, tick: 0 });
    // long while the columns hold a next bar: the last bar of every truncated run goes flat
    const peeker = vectorModel('peek', 20, (c, k) => (k + 1 < c.length ? 1 : 0));
    const datasets = new Map<string, Dataset>([
      ['X:1d', { name: 'X:1d', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1d', assetClass: 'etf', source: 'test', table: sym.bars, digest: sym.digest }],
    ]);
    const full = emptyTrace();
    const main = runFastPath(inputOf(sym, peeker), { model: peeker, warmupBars: peeker.warmupBars, trace: full });
    expect(main.ok).toBe(true);
    const traces = new Map([['scripted_vector', full]]);
    const cuts = cutTimes(traces, [0.25, 0.5, 0.75]);
    expect(cuts.length).toBe(3);
    const truncated = cuts.map((cut) => {
      const trace = emptyTrace();
      const bars = truncateDatasets(datasets, cut).get('X:1d')!.table as BarFrame;
      expect(traceFromSignal(inputOf({ ...sym, bars }, peeker), { model: peeker, warmupBars: peeker.warmupBars, trace })).toBe(true);
      return { cut, traces: new Map([['scripted_vector', trace]]) };
    });
    const r = compareLookAhead(traces, truncated);
    expect(r.gate.pass).toBe(false);
    expect(r.gate.value).toBe(3);
    for (const d of r.differences) {
      expect(d.t).toBe(d.cut);
      expect([d.full, d.truncated]).toEqual(['0.5', '0']);
    }
    // the same model without the peek passes at the same cuts
    const honest = vectorModel('honest', 20, (c, k) => (c[k]! > 100 ? 1 : 0));
    const fullH = emptyTrace();
    expect(runFastPath(inputOf(sym, honest), { model: honest, warmupBars: 20, trace: fullH }).ok).toBe(true);
    const truncatedH = cuts.map((cut) => {
      const trace = emptyTrace();
      const bars = truncateDatasets(datasets, cut).get('X:1d')!.table as BarFrame;
      traceFromSignal(inputOf({ ...sym, bars }, honest), { model: honest, warmupBars: 20, trace });
      return { cut, traces: new Map([['scripted_vector', trace]]) };
    });
    expect(compareLookAhead(new Map([['scripted_vector', fullH]]), truncatedH).gate.pass).toBe(true);
  });
});

describe('comparing windows of one signal (SignalRuns.agreeFrom)', () => {
  it('the look-ahead and warm-up comparisons of traces from one signal equal those of the traces as plain arrays (fast-check)', () => {
    let known = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ side: fc.constantFrom(...SIDES), bars: fc.integer({ min: 1, max: 25 }) }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        (runs, warmupBars, cutsAt, seed, peek) => {
          const pattern = runs.flatMap((r) => Array.from({ length: r.bars }, () => r.side));
          const n = Math.max(2, pattern.length);
          const sym = pathBars({ n, seed, vol: 0.01, tick: 0 });
          // a peeking model's truncated signal differs at its last bar: a table of its own (no shortcut)
          const model = vectorModel(`a${seed}:${peek}`, warmupBars, (c, k) => (peek && k === c.length - 1 && c.length < n ? 1 - (pattern[k] === 1 ? 1 : 0) : pattern[k] ?? NaN));
          signalOf(model, sym.bars.columns);
          const traceOf = (s: EngineSymbol, w: number): SignalTrace => {
            const trace = emptyTrace(true);
            expect(traceFromSignal(inputOf(s, model), { model, warmupBars: w, trace })).toBe(true);
            return trace;
          };
          const main = traceOf(sym, warmupBars);
          const full = new Map([['m', main]]);
          const fullPlain = new Map([['m', traceArrays(main)]]);
          // look-ahead: prefix views at random cuts
          const times = main.t;
          const cuts = [...new Set(cutsAt.map((c) => 1 + (c % (n - 1))))].sort((a, b) => a - b);
          if (times.length > 0) {
            const truncated = cuts.map((c) => ({ cut: (sym.bars.columns['ts'] as Float64Array)[c]! + 86_400_000, traces: new Map([['m', traceOf(prefix(sym, c), warmupBars)]]) }));
            const plain = truncated.map(({ cut, traces }) => ({ cut, traces: new Map([...traces].map(([k, t]) => [k, traceArrays(t)])) }));
            expect(compareLookAhead(full, truncated)).toEqual(compareLookAhead(fullPlain, plain));
            // the main signal's windows (a causal model's prefix runs reuse it) are known to agree
            for (const { traces } of truncated) {
              const t = traces.get('m')!;
              if (t.t.length === 0) continue;
              const agree = (main.k as KeyRuns).agreeFrom?.(t.k as KeyRuns, 0) ?? null;
              if (!peek) expect(agree).not.toBeNull();
              if (agree !== null) known++;
            }
          }
          // warm-up: shorter and longer warm-ups on the same bars, by exact keys and by directions
          for (const w of [Math.max(1, Math.floor(warmupBars / 2)), warmupBars + 1, Math.ceil(warmupBars * 1.5) + 10]) {
            const other = new Map([['m', traceOf(sym, w)]]);
            const otherPlain = new Map([['m', traceArrays(other.get('m')!)]]);
            for (const signs of [new Set<string>(), new Set(['m'])]) {
              expect(compareWarmup('v', full, other, signs)).toEqual(compareWarmup('v', fullPlain, otherPlain, signs));
            }
          }
        },
      ),
      { seed: 20_261_207, numRuns: 200 },
    );
    expect(known).toBeGreaterThan(150);
  });
});
