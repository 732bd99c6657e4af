/**
 * coverage.ts coveredLookup, built once over breakpoints, against its definition read directly at
 * each time: the timeline's snapshot at t, and `noData` = the dimensions whose coverage does not
 * cover t (in DIMENSIONS order), the snapshot itself when every dimension has data, NO_DATA_SNAPSHOT
 * before the first breakpoint; one object per combination of values and missing dimensions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, LEVELS, type RegimeDimension } from '../../src/regime/codes.js';
import { coveredLookup, covers, NO_DATA_SNAPSHOT } from '../../src/regime/coverage.js';
import type { DimensionSeries } from '../../src/regime/rules/series.js';
import { mergeTimeline } from '../../src/regime/timeline.js';
import { DAY } from '../../src/core/time.js';
import { T0 } from './fixtures.js';

/** A dimension's rows: ascending whole days (gaps up to 15 days), codes NaN (warming up) or a level. */
const dimension = (levels: number) =>
  fc.array(fc.record({ gap: fc.integer({ min: 0, max: 15 }), code: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: levels - 1 })) }), { maxLength: 25 }).map(
    (rows): DimensionSeries => {
      const knownAt: number[] = [];
      let t = T0;
      for (const r of rows) knownAt.push((t += r.gap * DAY + (r.gap === 0 ? DAY : 0)));
      return { knownAt: Float64Array.from(knownAt), code: Float64Array.from(rows.map((r) => r.code)), sources: ['X:1d'], method: 'test' };
    },
  );

describe('coveredLookup', () => {
  it('equals the timeline and the coverage read directly at every breakpoint and between', () => {
    const inputs = fc.record({
      equity: fc.option(dimension(3), { nil: undefined }),
      vol: fc.option(dimension(3), { nil: undefined }),
      crypto: fc.option(dimension(2), { nil: undefined }),
      macro: fc.option(dimension(3), { nil: undefined }),
    });
    fc.assert(
      fc.property(inputs, (series) => {
        const tl = mergeTimeline(series);
        const at = coveredLookup(tl);
        const probes = new Set<number>([T0 - 1]);
        for (const t of tl.ts) [t - 1, t, t + 1].forEach((x) => probes.add(x));
        for (const d of DIMENSIONS) for (const x of [...tl.coverage[d].from, ...tl.coverage[d].to]) [x - 1, x, x + 1].forEach((y) => probes.add(y));
        const seen = new Map<string, unknown>();
        for (const t of probes) {
          const got = at(t);
          if (tl.ts.length === 0 || t < tl.ts[0]!) {
            if (t < Math.min(tl.ts[0] ?? Infinity, ...DIMENSIONS.map((d) => tl.coverage[d].from[0] ?? Infinity))) expect(got).toBe(NO_DATA_SNAPSHOT);
            continue;
          }
          const base = tl.lookup(t);
          const missing: RegimeDimension[] = DIMENSIONS.filter((d) => !covers(tl.coverage[d], t));
          if (missing.length === 0) expect(got).toBe(base);
          else expect(got).toEqual({ equity: base.equity, vol: base.vol, crypto: base.crypto, macro: base.macro, noData: missing });
          const key = `${DIMENSIONS.map((d) => base[d]).join()}|${missing.join()}`;
          if (!seen.has(key)) seen.set(key, got);
          expect(got).toBe(seen.get(key));
          expect(LEVELS.equity).toContain(got.equity);
        }
      }),
      { numRuns: 300 },
    );
  });
});
