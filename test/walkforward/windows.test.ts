/**
 * Walk-forward windows and the stitched curve (must-show 2): over random window settings (fast-check)
 * no test bar is ever inside its fold's training or validation window, and the stitched
 * out-of-sample curve covers exactly the test windows, each bar once, in time order. The evaluator
 * here is a plain function of the bars it is handed, so which bars each call saw is recorded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, foldWindows, parseDuration, type Duration, type WindowSettings } from '../../src/walkforward/windows.js';
import { runWalkForward, type ParamPoint, type TimeWindow, type WalkForwardEvaluator } from '../../src/walkforward/run.js';
import { gridPoints, parseGrid } from '../../src/walkforward/grid.js';

const DAY = 86_400_000;
/** Daily bar times from 2015-01-01, `n` of them, weekends skipped (like an ETF). */
function weekdays(n: number): Float64Array {
  const out: number[] = [];
  for (let t = Date.UTC(2015, 0, 1); out.length < n; t += DAY) if (![0, 6].includes(new Date(t).getUTCDay())) out.push(t);
  return Float64Array.from(out);
}

/** An evaluator over a known return series: a point {k} earns returns[i] · sin(k + i/50). Records every window. */
function recordingEvaluator(ts: Float64Array, base: Float64Array) {
  const seen: { kind: 'evaluate' | 'test'; window: TimeWindow }[] = [];
  const slice = (w: TimeWindow) => {
    const from = ts.findIndex((t) => t >= w.start);
    let to = from;
    while (to < ts.length && ts[to]! <= w.end) to++;
    return { from, to };
  };
  const outcome = (p: ParamPoint, w: TimeWindow) => {
    const { from, to } = slice(w);
    const k = Number(p['k']);
    const returns = Float64Array.from({ length: to - from }, (_, j) => base[from + j]! * Math.sin(k + (from + j) / 50));
    const score = returns.reduce((a, b) => a + b, 0);
    const nav = new Float64Array(returns.length);
    let v = 100;
    returns.forEach((r, j) => (nav[j] = v *= 1 + r));
    return { score, returns, trades: 1, ts: ts.slice(from, to), nav, initialCapital: 100 };
  };
  const evaluator: WalkForwardEvaluator = {
    evaluate: async (points, w) => {
      seen.push({ kind: 'evaluate', window: w });
      return points.map((p) => outcome(p, w));
    },
    test: async (p, w) => {
      seen.push({ kind: 'test', window: w });
      return outcome(p, w);
    },
  };
  return { evaluator, seen };
}

const durationArb: fc.Arbitrary<Duration> = fc.oneof(fc.integer({ min: 1, max: 30 }).map((months) => ({ months })), fc.integer({ min: 20, max: 400 }).map((days) => ({ days })));

describe('walk-forward windows', () => {
  it('parses durations and adds calendar months (clamped to the month end)', () => {
    expect(parseDuration('2y', '--train')).toEqual({ months: 24 });
    expect(parseDuration('6m', '--test')).toEqual({ months: 6 });
    expect(parseDuration('12w', '--step')).toEqual({ days: 84 });
    expect(() => parseDuration('6 months', '--test')).toThrow(/--test.*not a duration/s);
    expect(() => parseDuration('0m', '--test')).toThrow(/not a duration/);
    expect(new Date(addDuration(Date.UTC(2020, 0, 31), { months: 1 })).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(new Date(addDuration(Date.UTC(2020, 0, 31), { months: 3 }, 2)).toISOString()).toBe('2020-07-31T00:00:00.000Z');
  });

  it('rolling 2y/6m/6m on 10 years of weekdays: hand-counted folds, each test window the next half year', () => {
    const ts = weekdays(2610); // 2015-01-01 .. 2024-12-31
    const folds = foldWindows(ts, { train: { months: 24 }, test: { months: 6 }, step: { months: 6 }, anchored: false });
    // test windows start 2017-01-01, 2017-07-01, …, 2024-07-01: 16 of them
    expect(folds.length).toBe(16);
    expect(new Date(folds[0]!.test.start).toISOString().slice(0, 10)).toBe('2017-01-01');
    expect(new Date(folds[15]!.test.start).toISOString().slice(0, 10)).toBe('2024-07-01');
    expect(new Date(folds[3]!.train.start).toISOString().slice(0, 10)).toBe('2016-07-01');
    const anchored = foldWindows(ts, { train: { months: 24 }, test: { months: 6 }, step: { months: 6 }, anchored: true });
    expect(anchored.every((f) => f.train.from === 0)).toBe(true);
    expect(anchored[5]!.train.to).toBe(folds[5]!.train.to);
  });

  it('refuses overlapping test windows and data too short for one fold, naming the flag', () => {
    const ts = weekdays(600);
    expect(() => foldWindows(ts, { train: { months: 12 }, test: { months: 6 }, step: { months: 3 }, anchored: false })).toThrow(/--step 3m is shorter than --test 6m/);
    expect(() => foldWindows(ts, { train: { months: 36 }, test: { months: 6 }, step: { months: 6 }, anchored: false })).toThrow(/too short for one fold of 3y \+ 6m/);
  });

  it('property: no test bar is ever in its training or validation window, and the stitched curve covers exactly the test windows', async () => {
    const ts = weekdays(1500);
    const base = Float64Array.from({ length: ts.length }, (_, i) => 0.01 * Math.cos(i * 0.7));
    const points = gridPoints(parseGrid('k=0..4'));
    await fc.assert(
      fc.asyncProperty(durationArb, durationArb, durationArb, fc.boolean(), fc.option(durationArb, { nil: undefined }), async (train, test, stepExtra, anchored, validation) => {
        const step: Duration = 'months' in test && 'months' in stepExtra ? { months: test.months + stepExtra.months - 1 } : 'days' in test && 'days' in stepExtra ? { days: test.days + stepExtra.days - 20 } : test;
        const settings: WindowSettings = { train, test, step, anchored, ...(validation ? { validation } : {}) };
        let folds;
        try {
          folds = foldWindows(ts, settings);
        } catch {
          return; // settings the data cannot hold are refused, not run
        }
        for (const f of folds) {
          expect(f.train.to).toBeLessThanOrEqual(f.test.from);
          if (f.validation) {
            expect(f.validation.from).toBe(f.train.to);
            expect(f.validation.to).toBeLessThanOrEqual(f.test.from);
          }
          for (let i = f.test.from; i < f.test.to; i++) expect(ts[i]! >= f.train.end && ts[i]! >= (f.validation?.end ?? 0)).toBe(true);
        }
        const { evaluator, seen } = recordingEvaluator(ts, base);
        const wf = await runWalkForward({ ts, settings, points, evaluator, periodsPerYear: 252, pboSlices: 6 });
        // Each fold's choosing calls come before its test call and end before its test window starts.
        // (After a fold's test call, every point is run on that same test window for the PBO matrix.)
        let fold = 0;
        let lastTest: TimeWindow | undefined;
        for (const s of seen) {
          if (s.kind === 'evaluate' && lastTest && s.window.start === lastTest.start && s.window.end === lastTest.end) continue;
          const f = folds[fold]!;
          if (s.kind === 'test') {
            expect(s.window).toEqual({ start: ts[f.test.from], end: ts[f.test.to - 1] });
            lastTest = s.window;
            fold++;
          } else expect(s.window.end).toBeLessThan(f.test.start);
        }
        expect(fold).toBe(folds.length);
        // The stitched curve: exactly the test windows' bars, once each, ascending.
        const expected = folds.flatMap((f) => Array.from(ts.slice(f.test.from, f.test.to)));
        expect(Array.from(wf.ts)).toEqual(expected);
        expect(wf.equity.length).toBe(expected.length);
        for (let i = 1; i < wf.ts.length; i++) expect(wf.ts[i]!).toBeGreaterThan(wf.ts[i - 1]!);
      }),
      { numRuns: 40, seed: 16 },
    );
  });

  it('stitches by chaining each fold’s returns: the stitched equity equals the product of (1 + r) over the test bars', async () => {
    const ts = weekdays(1200);
    const base = Float64Array.from({ length: ts.length }, (_, i) => 0.004 * Math.sin(i * 1.3));
    const { evaluator } = recordingEvaluator(ts, base);
    const points = gridPoints(parseGrid('k=0..6'));
    const wf = await runWalkForward({ ts, settings: { train: { months: 12 }, test: { months: 3 }, step: { months: 3 }, anchored: false }, points, evaluator, periodsPerYear: 252 });
    let v = 100;
    wf.returns.forEach((r, i) => {
      v *= 1 + r;
      expect(wf.equity[i]).toBeCloseTo(v, 8);
    });
    expect(wf.totalReturn).toBeCloseTo(v / 100 - 1, 10);
    // Each fold chose the point with the best in-sample score, computed here independently.
    for (const f of wf.folds) {
      const scores = points.map((p) => {
        let s = 0;
        for (let i = f.fold.train.from; i < f.fold.train.to; i++) s += base[i]! * Math.sin(Number(p['k']) + i / 50);
        return s;
      });
      expect(f.chosenIndex).toBe(scores.indexOf(Math.max(...scores)));
    }
    // With a validation slice: the best on the validation bars among the 5 in-sample leaders.
    const withVal = await runWalkForward({ ts, settings: { train: { months: 12 }, validation: { months: 2 }, test: { months: 3 }, step: { months: 3 }, anchored: false }, points, evaluator, periodsPerYear: 252, pboSlices: 6 });
    const sumOver = (k: number, from: number, to: number) => {
      let s = 0;
      for (let i = from; i < to; i++) s += base[i]! * Math.sin(k + i / 50);
      return s;
    };
    for (const f of withVal.folds) {
      const v = f.fold.validation!;
      const leadersIs = points.map((_, k) => k).sort((a, b) => sumOver(b, f.fold.train.from, f.fold.train.to) - sumOver(a, f.fold.train.from, f.fold.train.to)).slice(0, 5);
      const best = leadersIs.reduce((a, b) => (sumOver(b, v.from, v.to) > sumOver(a, v.from, v.to) ? b : a));
      expect(f.chosenIndex).toBe(best);
      expect(f.validationScore).toBeCloseTo(sumOver(best, v.from, v.to), 12);
    }
    expect(wf.overfit.pbo?.trials).toBe(7);
    expect(wf.overfit.deflated.trials).toBe(7 * wf.folds.length);
  });
});
