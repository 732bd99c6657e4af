/**
 * Probe comparisons on hand-made traces (the end-to-end probes with a cheating model run through
 * the real engine in run-backtest.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLookAhead, compareWarmup, cutTimes, recordModel, traceArrays, traceModel, TraceRecorder, truncateDatasets, warmupGate, emptyTrace, type SignalTrace } from '../../src/backtest/probes.js';
import type { Model, ModelContext, ModelDecision } from '../../src/models/types.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';

const tr = (t: number[], k: string[]): SignalTrace => ({ t, k });

describe('traceModel', () => {
  it('records effective targets: null keeps the previous ones; warm-up can be overridden', () => {
    const answers: (ModelDecision | null)[] = [null, { weights: { A: 0.5 } }, null, { weights: { B: -1 } }];
    let i = 0;
    const m: Model = { name: 'm', version: '1', universe: ['A', 'B'], warmupBars: 7, decide: () => answers[i++] ?? null };
    const trace = emptyTrace();
    const w = traceModel(m, trace, { warmupBars: 3 });
    expect(w.warmupBars).toBe(3);
    for (let t = 1; t <= 4; t++) w.decide({ t } as unknown as ModelContext);
    expect(trace).toEqual({ t: [1, 2, 3, 4], k: ['0,0', '0.5,0', '0.5,0', '0,-1'] });
    const s = emptyTrace();
    i = 0;
    const ws = traceModel(m, s, { signsOnly: true });
    for (let t = 1; t <= 4; t++) ws.decide({ t } as unknown as ModelContext);
    expect(s.k).toEqual(['0,0', '1,0', '1,0', '0,-1']);
  });
  it('a TraceRecorder gives, read as arrays, the trace that traceModel appends (past its first 1 024 decisions)', () => {
    // random decisions: null (keep), repeated weights, new weights, with signs
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const answers: (ModelDecision | null)[] = Array.from({ length: 3000 }, (): ModelDecision | null => {
      const u = next();
      if (u < 0.6) return null;
      if (u < 0.8) return { weights: { A: 0.5 } };
      return { weights: { A: Math.round(next() * 4) / 4 - 0.5, B: next() < 0.5 ? 0 : -1 } };
    });
    const run = (wrap: (m: Model) => Model): void => {
      let i = 0;
      const m: Model = { name: 'm', version: '1', universe: ['A', 'B'], warmupBars: 1, decide: () => answers[i++] ?? null };
      const w = wrap(m);
      for (let t = 0; t < answers.length; t++) w.decide({ t: 1000 + 3 * t } as unknown as ModelContext);
    };
    const arrays = emptyTrace(true);
    run((m) => traceModel(m, arrays));
    const recorded = emptyTrace(true);
    const recorder = new TraceRecorder(recorded);
    run((m) => recordModel(m, recorder));
    expect(recorded.t.length).toBe(0); // written at finish, after the run
    recorder.finish();
    expect(recorded.t).toBeInstanceOf(Float64Array);
    expect(Array.isArray(recorded.k)).toBe(false); // runs
    expect(traceArrays(recorded)).toEqual(arrays);
  });
  it('a TraceRecorder whose model never decided leaves the trace empty', () => {
    const trace = emptyTrace();
    new TraceRecorder(trace).finish();
    expect(trace).toEqual({ t: [], k: [] });
  });
});

describe('look-ahead comparison', () => {
  const full = new Map([['m', tr([1, 2, 3, 4, 5], ['a', 'a', 'b', 'b', 'c'])]]);
  it('passes when every decision up to each cut is unchanged', () => {
    const r = compareLookAhead(full, [
      { cut: 2, traces: new Map([['m', tr([1, 2], ['a', 'a'])]]) },
      { cut: 4, traces: new Map([['m', tr([1, 2, 3, 4], ['a', 'a', 'b', 'b'])]]) },
    ]);
    expect(r.gate.pass).toBe(true);
    expect(r.gate.value).toBe(0);
  });
  it('fails and names the first changed decision and its cut', () => {
    const r = compareLookAhead(full, [{ cut: 4, traces: new Map([['m', tr([1, 2, 3, 4], ['a', 'a', 'x', 'b'])]]) }]);
    expect(r.gate.pass).toBe(false);
    expect(r.differences).toEqual([{ cut: 4, model: 'm', t: 3, full: 'b', truncated: 'x' }]);
    expect(r.gate.reason).toMatch(/^m at 1970-01-01T00:00:00.003Z changed when data after/);
  });
  it('a decision missing from the truncated run counts as a change', () => {
    const r = compareLookAhead(full, [{ cut: 3, traces: new Map([['m', tr([1, 3], ['a', 'b'])]]) }]);
    expect(r.gate.pass).toBe(false);
    expect(r.differences[0]!.truncated).toBe('(no decision)');
  });
  it('cut times sit at fractions of the decision span', () => {
    expect(cutTimes(full, [0.25, 0.5, 0.75])).toEqual([2, 3, 4]);
    expect(cutTimes(new Map([['m', tr([1], ['a'])]]), [0.5])).toEqual([]);
  });
});

describe('warm-up comparison', () => {
  const base = new Map([['m', tr([1, 2, 3, 4, 5, 6], ['a', 'b', 'b', 'c', 'c', 'd'])]]);
  it('allows differences until the first agreement, then none', () => {
    const later = new Map([['m', tr([3, 4, 5, 6], ['x', 'c', 'c', 'd'])]]);
    const rows = compareWarmup('longer', base, later);
    expect(rows).toEqual([{ variant: 'longer', model: 'm', settleDecisions: 1, afterSettle: 0, neverSettled: false }]);
    expect(warmupGate(rows).pass).toBe(true);
  });
  it('fails on a difference after settling, and when the runs never agree', () => {
    const drift = compareWarmup('shorter', base, new Map([['m', tr([1, 2, 3, 4, 5, 6], ['a', 'b', 'b', 'c', 'z', 'd'])]]));
    expect(drift[0]!.afterSettle).toBe(1);
    const g = warmupGate(drift);
    expect(g.pass).toBe(false);
    expect(g.reason).toMatch(/differs 1 times after settling/);
    const never = compareWarmup('longer', base, new Map([['m', tr([4, 5, 6], ['q', 'q', 'q'])]]));
    expect(warmupGate(never)).toMatchObject({ pass: false, reason: 'm never agreed with the longer warm-up run' });
  });
});

describe('truncateDatasets', () => {
  it('keeps rows with ts < cut and re-digests; untouched datasets stay the same object', () => {
    const table = { length: 4, columns: { ts: Float64Array.of(0, 10, 20, 30), close: Float64Array.of(1, 2, 3, 4) } };
    const ds: Dataset = { name: 'X:1d', kind: 'bars', stage: 'clean', source: 't', table, digest: tableDigest(table) };
    const out = truncateDatasets(new Map([['X:1d', ds]]), 20);
    const t = out.get('X:1d')!;
    expect(t.table.length).toBe(2);
    expect([...(t.table.columns['close'] as Float64Array)]).toEqual([1, 2]);
    expect(t.digest).not.toBe(ds.digest);
    expect(truncateDatasets(new Map([['X:1d', ds]]), 99).get('X:1d')).toBe(ds);
  });

  it('keeps the rows before the first time not below the cut, on any times (fast-check: ascending with ties, unordered, NaN)', () => {
    const time = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.constant(NaN), fc.constant(-Infinity), fc.constant(Infinity));
    fc.assert(
      fc.property(fc.array(time, { maxLength: 60 }), fc.boolean(), fc.array(fc.oneof(fc.integer({ min: -6, max: 42 }), fc.constant(NaN)), { minLength: 1, maxLength: 6 }), (raw, sorted, cuts) => {
        const times = sorted ? raw.filter((t) => t === t).sort((a, b) => a - b) : raw;
        const ts = Float64Array.from(times);
        const table = { length: ts.length, columns: { ts, close: Float64Array.from(ts, (_, i) => i) } };
        const ds: Dataset = { name: 'X:1d', kind: 'bars', stage: 'clean', source: 't', table, digest: tableDigest(table) };
        // the same column cut several times (its order is checked once and remembered)
        for (const cut of cuts) {
          let n = 0;
          while (n < ts.length && ts[n]! < cut) n++;
          const t = truncateDatasets(new Map([['X:1d', ds]]), cut).get('X:1d')!;
          expect(t.table.length).toBe(n);
          if (n === ts.length) expect(t).toBe(ds);
          else expect([...(t.table.columns['close'] as Float64Array)]).toEqual(Array.from({ length: n }, (_, i) => i));
        }
      }),
      { seed: 4_711, numRuns: 400 },
    );
  });
});

describe('direction keys', () => {
  it('records directions beside exact weights and compares them for NAV-scaled models', () => {
    let i = 0;
    const answers: (ModelDecision | null)[] = [{ weights: { A: 0.0011 } }, null];
    const m: Model = { name: 'u', version: '1', universe: ['A'], warmupBars: 1, decide: () => answers[i++] ?? null };
    const a = emptyTrace(true);
    const w = traceModel(m, a);
    w.decide({ t: 1 } as unknown as ModelContext);
    w.decide({ t: 2 } as unknown as ModelContext);
    expect(a).toEqual({ t: [1, 2], k: ['0.0011', '0.0011'], s: ['1', '1'] });
    const b: SignalTrace = { t: [1, 2], k: ['0.0012', '0.0012'], s: ['1', '1'] };
    expect(compareWarmup('longer', new Map([['u', a]]), new Map([['u', b]]), new Set(['u']))[0]!.settleDecisions).toBe(0);
    expect(compareWarmup('longer', new Map([['u', a]]), new Map([['u', b]]))[0]!.neverSettled).toBe(true);
  });
});

describe('cut times with staggered starts', () => {
  it('start where the last model began deciding', () => {
    const traces = new Map([
      ['early', tr([1, 2, 3, 4, 5, 6, 7, 8, 9], new Array(9).fill('a'))],
      ['late', tr([5, 7, 9], ['b', 'b', 'b'])],
    ]);
    expect(cutTimes(traces, [0, 0.5, 1])).toEqual([5, 7, 9]);
  });
});
