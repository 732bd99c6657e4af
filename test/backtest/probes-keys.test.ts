/**
 * A traced model's keys (src/backtest/probes.ts `KeyTexts`, which reuses the text of weights seen
 * before) are the text of its effective weights formatted afresh at every decision: each weight
 * `w[symbol] ?? 0` plus 0 (its sign plus 0 for direction keys) through String, joined by commas.
 * Random decision streams over values that format alike or nearly so (±0, NaN, ±Infinity, the
 * smallest subnormal, neighbours of 0.5), weights repeated, missing, not numbers, and streams of
 * ever new weights (past the table's 4 096 keys and the switch to formatting each), through both
 * sinks (traceModel's arrays, the recorder's runs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyTrace, recordModel, traceArrays, traceModel, TraceRecorder } from '../../src/backtest/probes.js';
import type { Model, ModelContext, ModelDecision } from '../../src/models/types.js';

const universe = ['A', 'B', 'C'];

/** The key of weights `w` as the module doc defines it, formatted here without any table. */
const plainKey = (w: Readonly<Record<string, unknown>>, signs: boolean): string =>
  universe
    .map((s) => {
      const v = (w[s] ?? 0) as number;
      return String(signs ? Math.sign(v) + 0 : v + 0);
    })
    .join(',');

/** The keys a stream of decisions should give (a null decision keeps the last weights). */
function expectedKeys(answers: readonly (ModelDecision | null)[], signs: boolean): string[] {
  let key = plainKey({}, signs);
  return answers.map((d) => (d ? (key = plainKey(d.weights, signs)) : key));
}

/** Run the answers through a traced model and read its keys (and direction keys) as arrays. */
function tracedKeys(answers: readonly (ModelDecision | null)[], how: 'arrays' | 'recorder', signsOnly: boolean): { k: string[]; s: string[] } {
  let i = 0;
  const model: Model = { name: 'm', version: '1', universe, warmupBars: 1, decide: () => answers[i++] ?? null };
  const trace = emptyTrace(true);
  if (how === 'arrays') {
    const w = traceModel(model, trace, { signsOnly });
    for (let t = 0; t < answers.length; t++) w.decide({ t } as unknown as ModelContext);
  } else {
    const recorder = new TraceRecorder(trace);
    const w = recordModel(model, recorder, { signsOnly });
    for (let t = 0; t < answers.length; t++) w.decide({ t } as unknown as ModelContext);
    recorder.finish();
  }
  if (answers.length === 0) return { k: [], s: [] };
  const a = traceArrays(trace);
  return { k: a.k, s: a.s! };
}

const edgeValues = [0, -0, 0.5, 0.5000000000000001, 0.49999999999999994, 1, -1, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1e21, 0.1 + 0.2];
const weight = fc.oneof(fc.constantFrom(...edgeValues), fc.double(), fc.integer({ min: -4, max: 4 }).map((q) => q / 4));
const weights = fc.record({ A: weight, B: weight, C: weight }, { requiredKeys: [] });
const decision = fc.oneof(fc.constant(null), weights.map((w): ModelDecision => ({ weights: w })));

describe('trace keys', () => {
  it('equal the weights formatted afresh, for repeated, near and odd values, through both sinks (fast-check, 300 streams)', () => {
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 300 }), fc.boolean(), (answers, signsOnly) => {
        for (const how of ['arrays', 'recorder'] as const) {
          const got = tracedKeys(answers, how, signsOnly);
          if (answers.length === 0) continue;
          expect(got.k).toEqual(expectedKeys(answers, signsOnly));
          expect(got.s).toEqual(expectedKeys(answers, true));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('equal them for ever new weights (past 4 096 keys) and for weights that are not numbers', () => {
    const answers: (ModelDecision | null)[] = [];
    for (let i = 0; i < 6000; i++) answers.push({ weights: { A: i / 7, B: i % 3 ? 0.25 : -0 } });
    // back to weights seen before, then a faulty model's text weights among them
    for (let i = 0; i < 3000; i++) answers.push({ weights: { A: (i % 5) / 4 } });
    const odd = { A: '0.5', B: 0.5 } as unknown as Record<string, number>;
    answers.push({ weights: odd }, null, { weights: { A: 0.5, B: 0.5 } }, { weights: odd });
    for (const how of ['arrays', 'recorder'] as const) {
      const got = tracedKeys(answers, how, false);
      expect(got.k).toEqual(expectedKeys(answers, false));
      expect(got.s).toEqual(expectedKeys(answers, true));
    }
    expect(plainKey(odd, false)).toBe('0.50,0.5,0');
  });
});
