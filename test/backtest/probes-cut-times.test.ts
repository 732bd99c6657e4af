/**
 * `cutTimes` (probes.ts) picks the look-ahead cut times from the decision times of the full run. It
 * now collects them into one typed array, sorts only when several models interleave, and dedupes in
 * place. It must pick exactly what the plain definition picks: the distinct decision times from the
 * last model's first decision on, ascending, at the given fractions (fast-check, with several models,
 * duplicates, unsorted interleaving, short traces), plus hand-worked cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutTimes, type SignalTrace } from '../../src/backtest/probes.js';

/** The plain definition (what cutTimes computed before: a Set, then a sort with a comparator). */
function reference(full: ReadonlyMap<string, SignalTrace>, fractions: readonly number[]): number[] {
  let from = -Infinity;
  for (const tr of full.values()) if (tr.t.length > 0 && tr.t[0]! > from) from = tr.t[0]!;
  const times = new Set<number>();
  for (const tr of full.values()) for (const t of tr.t) if (t >= from) times.add(t);
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length < 2) return [];
  const cuts = fractions.map((f) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(f * (sorted.length - 1))))]!);
  return [...new Set(cuts)].sort((a, b) => a - b);
}

const trace = (t: number[]): SignalTrace => ({ t, k: t.map(() => '0') });

describe('cutTimes', () => {
  it('equals the plain definition (fast-check: one or several models, ascending traces, duplicates)', () => {
    const traceArb = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }).map((xs) => xs.sort((a, b) => a - b).map((x) => x * 1000));
    fc.assert(
      fc.property(
        fc.array(traceArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: -0.2, max: 1.2, noNaN: true }), { maxLength: 6 }),
        (traces, fractions) => {
          const full = new Map(traces.map((t, i) => [`m${i}`, trace(t)]));
          expect(cutTimes(full, fractions)).toEqual(reference(full, fractions));
        },
      ),
      { seed: 3, numRuns: 2000 },
    );
  });

  it('equals the plain definition for models on one clock, each with its own array of its times (fast-check: starts, ends, a time moved off the clock)', () => {
    const clock = Array.from({ length: 80 }, (_, i) => 1000 * i + 500 * (i % 3));
    const rangeArb = fc.tuple(fc.integer({ min: 0, max: 79 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: -1, max: 80 }));
    fc.assert(
      fc.property(fc.array(rangeArb, { minLength: 2, maxLength: 4 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (ranges, fractions) => {
        const full = new Map(
          ranges.map(([a, b, moved], i) => {
            const t = Float64Array.from(clock.slice(Math.min(a, b), Math.max(a, b)));
            if (moved >= 0 && moved < t.length) t[moved] = t[moved]! + 250; // still ascending, off the clock
            return [`m${i}`, { t, k: Array.from(t, () => '0') } as SignalTrace];
          }),
        );
        const plain = new Map([...full].map(([name, tr]) => [name, trace(Array.from(tr.t))]));
        expect(cutTimes(full, fractions)).toEqual(reference(plain, fractions));
      }),
      { seed: 5, numRuns: 1000 },
    );
  });

  it('hand-worked: two models interleaved, one warming up later', () => {
    const full = new Map([
      ['a', trace([1, 2, 3, 4, 5, 6])],
      ['b', trace([3, 3.5, 4, 5, 6, 7])],
    ]);
    // times from 3 on: 3, 3.5, 4, 5, 6, 7 → fractions 0, 0.5, 1 → indices 0, 2 (floor 2.5), 5
    expect(cutTimes(full, [0, 0.5, 1])).toEqual([3, 4, 7]);
    expect(cutTimes(new Map([['a', trace([5])]]), [0.5])).toEqual([]);
    expect(cutTimes(new Map([['a', trace([])]]), [0.5])).toEqual([]);
  });
});
