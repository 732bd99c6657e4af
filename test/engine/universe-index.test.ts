/**
 * A model's universe as its decisions' keys are looked up (engine/targets.ts `UniverseIndex`): the
 * first symbols compared in order, the map for the rest and for any other string.
 */
import { describe, expect, it } from 'vitest';
import { UniverseIndex } from '../../src/engine/targets.js';

describe('UniverseIndex', () => {
  it("gives each symbol's portfolio index, whether the key is the universe's own string or an equal one, and −1 otherwise", () => {
    for (const n of [1, 3, 8, 9, 30]) {
      const symbols = Array.from({ length: n }, (_, u) => `SYM${u}`);
      const indices = symbols.map((_, u) => 100 - 3 * u);
      const index = new UniverseIndex(symbols, indices);
      symbols.forEach((sym, u) => {
        expect(index.indexOf(sym)).toBe(indices[u]);
        // an equal string made apart from the universe's (not the same object)
        expect(index.indexOf(['S', 'Y', 'M', String(u)].join(''))).toBe(indices[u]);
      });
      for (const other of ['', 'SYM', `SYM${n}`, 'sym0', '__proto__', 'constructor']) expect(index.indexOf(other)).toBe(-1);
      expect(index.symbols).toEqual(symbols);
    }
  });
});
