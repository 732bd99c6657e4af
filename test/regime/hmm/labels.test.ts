import { describe, expect, it } from 'vitest';
import { labelStates } from '../../../src/regime/hmm/labels.js';

describe('labelStates', () => {
  it('names four states: bull = highest mean, crash = most volatile negative, bear = lowest of the rest', () => {
    expect(labelStates([0.001, -0.004, 0.0002, -0.001], [1e-4, 1e-3, 2e-4, 3e-4])).toEqual(['bull', 'crash', 'choppy', 'bear']);
  });

  it('crash is the highest-variance negative state even when another state has a lower mean', () => {
    // state 2 has the lowest mean but a small variance: it is bear; state 1 is crash
    expect(labelStates([0.002, -0.003, -0.005, 0.0], [1e-4, 9e-4, 1e-4, 2e-4])).toEqual(['bull', 'crash', 'bear', 'choppy']);
  });

  it('with no negative mean, crash is the lowest-mean remaining state', () => {
    expect(labelStates([0.004, 0.001, 0.002, 0.003], [1, 1, 1, 1])).toEqual(['bull', 'crash', 'bear', 'choppy']);
  });

  it('two and three states use bull / bear (/ choppy)', () => {
    expect(labelStates([-0.001, 0.001], [1, 1])).toEqual(['bear', 'bull']);
    expect(labelStates([0.0, 0.002, -0.002], [1, 1, 1])).toEqual(['choppy', 'bull', 'bear']);
  });

  it('more than four states: the extra ones are choppy', () => {
    expect(labelStates([0.003, -0.01, -0.001, 0.0, 0.001], [1, 5, 1, 1, 1])).toEqual(['bull', 'crash', 'bear', 'choppy', 'choppy']);
  });

  it('breaks ties towards the lower state index', () => {
    expect(labelStates([0.001, 0.001], [1, 1])).toEqual(['bull', 'bear']);
    expect(labelStates([], [])).toEqual([]);
  });
});
