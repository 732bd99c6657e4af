import { describe, expect, it } from 'vitest';
import { labelStates } from '../../../src/regime/hmm/labels.js';

describe('labelStates', () => {
  it('four states: crash = highest variance, bull = highest mean of the rest, bear = more volatile of the last two', () => {
    // means        bull     crash    choppy   bear
    expect(labelStates([0.001, -0.004, 0.0002, -0.001], [1e-4, 1e-3, 2e-4, 3e-4])).toEqual(['bull', 'crash', 'choppy', 'bear']);
  });

  it('crash is the most volatile state even when its (noisy) mean is positive', () => {
    expect(labelStates([0.0015, 0.0053, -0.0042, 0.0012], [0.026 ** 2, 0.06 ** 2, 0.036 ** 2, 0.02 ** 2])).toEqual(['bull', 'crash', 'bear', 'choppy']);
  });

  it('bear is chosen by variance, not by mean, among the two states left after bull', () => {
    // state 0 has the lower mean but the smaller variance: it is choppy
    expect(labelStates([-0.0001, 0.0027, 0.0026, 0.0118], [0.0186 ** 2, 0.0244 ** 2, 0.0362 ** 2, 0.0549 ** 2])).toEqual(['choppy', 'bull', 'bear', 'crash']);
  });

  it('two and three states: bull by mean; bear by variance (three) or the other state (two)', () => {
    expect(labelStates([-0.001, 0.001], [1, 1])).toEqual(['bear', 'bull']);
    expect(labelStates([0.0, 0.002, -0.002], [2, 1, 1])).toEqual(['bear', 'bull', 'choppy']);
  });

  it('more than four states: the extra ones are choppy', () => {
    expect(labelStates([0.003, -0.01, -0.001, 0.0, 0.001], [1, 5, 2, 1, 1])).toEqual(['bull', 'crash', 'bear', 'choppy', 'choppy']);
  });

  it('breaks ties towards the lower state index', () => {
    expect(labelStates([0.001, 0.001], [1, 1])).toEqual(['bull', 'bear']);
    expect(labelStates([0, 0, 0, 0], [1, 1, 1, 1])).toEqual(['crash', 'bull', 'bear', 'choppy']);
    expect(labelStates([], [])).toEqual([]);
  });
});
