import { describe, expect, it } from 'vitest';
import { confusionMatrix } from '../../../src/regime/hmm/confusion.js';

describe('confusionMatrix', () => {
  it('counts truth × prediction, accuracy and the best-constant chance level', () => {
    const c = confusionMatrix(['a', 'a', 'b', 'a', 'c'], ['a', 'b', 'b', 'a', 'a'], ['a', 'b', 'c']);
    expect(c.matrix).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(c.n).toBe(5);
    expect(c.accuracy).toBeCloseTo(3 / 5, 15);
    expect(c.chance).toBeCloseTo(3 / 5, 15);
    expect(c.chanceLabel).toBe('a');
  });

  it('skips rows outside the classes; empty input gives NaN rates', () => {
    const c = confusionMatrix(['a', 'x'], ['a', 'a'], ['a']);
    expect(c.n).toBe(1);
    const e = confusionMatrix([], [], ['a', 'b']);
    expect(e.n).toBe(0);
    expect(Number.isNaN(e.accuracy)).toBe(true);
  });
});
