/**
 * The run-by-run probe comparisons (src/backtest/probes-runs.ts), taken when both traces' times are
 * views of one clock array, give exactly what the decision-by-decision walk gives on the same
 * traces written out as plain arrays: random traces (random starts, lengths, key runs, planted
 * differences), compared by compareLookAhead and compareWarmup both ways.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayRuns, compareLookAhead, compareWarmup, traceArrays, type KeyRuns, type SignalTrace } from '../../src/backtest/probes.js';

const clock = Float64Array.from({ length: 400 }, (_, i) => 1_600_000_000_000 + i * 3_600_000);

/** A trace on `clock` from `start` for `length` decisions, keys as runs of random lengths. */
function runTrace(start: number, length: number, runs: readonly [number, string][], withSigns: boolean): SignalTrace {
  const keys: string[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const [len, key] of runs) {
    if (at >= length) break;
    at = Math.min(length, at + len);
    keys.push(key);
    ends.push(at);
  }
  if (at < length) {
    keys.push('0');
    ends.push(length);
  }
  const k: KeyRuns = new ArrayRuns(keys, ends);
  return { t: clock.subarray(start, start + length), k, ...(withSigns ? { s: new ArrayRuns(keys.map((x) => x.replace(/0\.\d+/, '1')), ends) } : {}) };
}

const plain = (t: SignalTrace): SignalTrace => traceArrays(t);

const runsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('0', '0.95', '-0.95', '0.5')), { maxLength: 30 });
const traceArb = fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 0, max: 300 }), runs: runsArb });

describe('probe comparisons run by run = decision by decision', () => {
  it('look-ahead: same compared count, same first differences (fast-check)', () => {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 0, max: 300 }), runsArb, fc.array(fc.integer({ min: 0, max: 399 }), { minLength: 1, maxLength: 3 }), (f, cutLen, other, cutIdx) => {
        const full = runTrace(f.start, f.length, f.runs, false);
        // a truncated run: same start, shorter or equal, keys partly the full run's, partly other
        const truncated = runTrace(f.start, Math.min(f.length, cutLen), [...f.runs.slice(0, 3), ...other], false);
        const cuts = [...new Set(cutIdx)].sort((a, b) => a - b).map((i) => clock[i]!);
        const runs = compareLookAhead(new Map([['m', full]]), cuts.map((cut) => ({ cut, traces: new Map([['m', truncated]]) })));
        const arrays = compareLookAhead(new Map([['m', plain(full)]]), cuts.map((cut) => ({ cut, traces: new Map([['m', plain(truncated)]]) })));
        expect(runs).toEqual(arrays);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('warm-up: same settle counts, changes after settling and first difference, by keys and by directions (fast-check)', () => {
    fc.assert(
      fc.property(traceArb, traceArb, fc.boolean(), (a, b, directions) => {
        const base = runTrace(a.start, a.length, a.runs, true);
        const other = runTrace(b.start, b.length, b.runs, true);
        const only = directions ? new Set(['m']) : new Set<string>();
        const runs = compareWarmup('shorter', new Map([['m', base]]), new Map([['m', other]]), only);
        const arrays = compareWarmup('shorter', new Map([['m', plain(base)]]), new Map([['m', plain(other)]]), only);
        expect(runs).toEqual(arrays);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('traces whose times are copies (each run its own array of the same clock), or not the same times, compare as arrays do (fast-check)', () => {
    // a copy of a trace's times in its own buffer; `bend` moves one time (a run on another clock)
    const copied = (tr: SignalTrace, bend: number): SignalTrace => {
      const t = Float64Array.from(tr.t);
      if (bend >= 0 && bend < t.length) t[bend] = t[bend]! + 1_000;
      return { ...tr, t };
    };
    fc.assert(
      fc.property(traceArb, traceArb, fc.boolean(), fc.integer({ min: -1, max: 320 }), fc.integer({ min: 0, max: 399 }), (a, b, directions, bend, cutIdx) => {
        const base = runTrace(a.start, a.length, a.runs, true);
        const other = copied(runTrace(b.start, b.length, b.runs, true), bend);
        const only = directions ? new Set(['m']) : new Set<string>();
        expect(compareWarmup('longer', new Map([['m', base]]), new Map([['m', other]]), only)).toEqual(
          compareWarmup('longer', new Map([['m', plain(base)]]), new Map([['m', plain(other)]]), only),
        );
        const truncated = copied(runTrace(a.start, Math.min(a.length, b.length), b.runs, false), bend);
        const cut = [{ cut: clock[cutIdx]!, traces: new Map([['m', truncated]]) }];
        expect(compareLookAhead(new Map([['m', base]]), cut)).toEqual(compareLookAhead(new Map([['m', plain(base)]]), cut.map((c) => ({ ...c, traces: new Map([['m', plain(truncated)]]) }))));
      }),
      { seed: 11, numRuns: 400 },
    );
  });

  it('a hand-made case: a change after settling is found at its time', () => {
    const base = runTrace(10, 100, [[20, '0'], [30, '0.95'], [50, '0']], false);
    const other = runTrace(15, 95, [[10, '0.95'], [10, '0'], [20, '0.95'], [10, '-0.95'], [45, '0']], false);
    // other's decision j is base's decision j + 5 (shared: base 5..99). Base 5..14 '0' vs '0.95':
    // 10 before settling; 15..19 agree; 20..24 '0.95' vs '0' (first after settling, at clock 30);
    // 25..44 agree; 45..49 '0.95' vs '-0.95' and 50..54 '0' vs '-0.95'; 55..99 agree: 15 after.
    const [row] = compareWarmup('longer', new Map([['m', base]]), new Map([['m', other]]));
    const [want] = compareWarmup('longer', new Map([['m', plain(base)]]), new Map([['m', plain(other)]]));
    expect(row).toEqual(want);
    expect(row).toEqual({ variant: 'longer', model: 'm', settleDecisions: 10, afterSettle: 15, firstDifference: clock[30], neverSettled: false });
  });
});
