/**
 * `sma_cross`'s vectorised signal (`crossSide`, behind `targetsVector`) says what `decide` says:
 * the decisions replayed from the side column (a decision wherever the side is a number different
 * from the last one said) equal the decisions `decide` makes when driven bar by bar through the
 * models room's independent fake context — ties, flat stretches, NaN and non-positive closes
 * included, from any first call. Plus: an exact integer reference away from ties, the features
 * room's `sma` kernel away from ties, causality (a prefix of the data gives a prefix of the column),
 * and the edge cases (empty, shorter than the window, constant).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sma } from '../../src/features/indicators/sma.js';
import { createSmaCross, crossSide, smaCrossParams } from '../../src/models/sma-cross.js';
import type { TargetVector } from '../../src/models/types.js';
import type { BarFrame } from '../../src/core/table.js';
import { barsFromCloses, decisionsOf, drive } from '../models/fake-context.js';

const paramsOf = (fast: number, slow: number, short: boolean, size = 'equity:0.95') => smaCrossParams.parse({ symbol: 'S', fast, slow, short, size });

/** The decisions the side column implies from bar `start` on, as [bar, weight] (equity sizing: weight = side × F). */
function replay(v: TargetVector, start: number): [number, number][] {
  const out: [number, number][] = [];
  let last = NaN;
  for (let t = start; t < v.side.length; t++) {
    const s = v.side[t]!;
    if (s === s && s !== last) {
      last = s;
      out.push([t, s === 0 ? 0 : s * v.sizing.value]);
    }
  }
  return out;
}

const vectorOf = (closes: readonly number[], fast: number, slow: number, short: boolean): TargetVector => {
  const b = barsFromCloses(closes);
  const columns = { ...b, volume: new Float64Array(closes.length) } as unknown as BarFrame['columns'];
  return createSmaCross(paramsOf(fast, slow, short)).targetsVector!(columns);
};

const decided = (closes: readonly number[], fast: number, slow: number, short: boolean, start: number): [number, number][] =>
  decisionsOf(drive(createSmaCross(paramsOf(fast, slow, short)), { S: barsFromCloses(closes) }, { start })).map(([i, w]) => [i, w['S']!]);

/** Prices on a grid (exact ties possible), with flat stretches, occasionally a NaN or a non-positive close. */
const closesArb = fc
  .record({
    steps: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 0, maxLength: 160, size: 'max' }),
    tick: fc.constantFrom(1 / 8, 0.01, 0.1),
    flat: fc.array(fc.nat({ max: 159 }), { minLength: 1, maxLength: 3 }),
    odd: fc.option(fc.record({ at: fc.nat({ max: 159 }), value: fc.constantFrom(NaN, 0, -1, Infinity) }), { nil: undefined, freq: 4 }),
  })
  .map(({ steps, tick, flat, odd }) => {
    let p = 40;
    const out = steps.map((d, i) => {
      if (!flat.some((f) => i >= f && i < f + 25)) p = Math.max(1, p + d);
      return Math.round(p) * tick;
    });
    if (odd && odd.at < out.length) out[odd.at] = odd.value;
    return out;
  });

describe('crossSide = sma_cross.decide', () => {
  it('random grids with ties, flat stretches, NaN and non-positive closes, any first call (fast-check)', () => {
    let ties = 0;
    fc.assert(
      fc.property(closesArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.nat({ max: 60 }), (closes, fast, extra, short, start) => {
        const slow = fast + extra;
        const v = vectorOf(closes, fast, slow, short);
        expect(v.side.length).toBe(closes.length);
        expect(replay(v, start)).toEqual(decided(closes, fast, slow, short, start));
        for (let t = slow - 1; t < closes.length; t++) {
          let sf = 0;
          let ss = 0;
          for (let i = t - slow + 1; i <= t; i++) ss += closes[i]!;
          for (let i = t - fast + 1; i <= t; i++) sf += closes[i]!;
          if (sf / fast === ss / slow) ties++;
        }
      }),
      { seed: 424_242, numRuns: 400 },
    );
    expect(ties).toBeGreaterThan(50); // the sample does contain exact ties
  });

  it('matches exact integer arithmetic away from ties, and the features sma kernel away from near-ties', () => {
    const rng = fc.sample(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 3000, maxLength: 3000 }), { seed: 5, numRuns: 1 })[0]!;
    let p = 5000;
    const cents = rng.map((d) => (p = Math.max(100, p + d)));
    const closes = cents.map((c) => c / 100);
    for (const [fast, slow] of [[10, 30], [3, 7], [1, 2]] as const) {
      const side = crossSide(Float64Array.from(closes), fast, slow, true);
      const f = sma(Float64Array.from(closes), fast);
      const s = sma(Float64Array.from(closes), slow);
      let checked = 0;
      for (let t = slow - 1; t < closes.length; t++) {
        let sf = 0;
        let ss = 0;
        for (let i = t - fast + 1; i <= t; i++) sf += cents[i]!;
        for (let i = t - slow + 1; i <= t; i++) ss += cents[i]!;
        const exact = slow * sf - fast * ss; // sign of mean(fast) − mean(slow), in integers
        if (exact !== 0) {
          expect(side[t], `bar ${t}`).toBe(exact > 0 ? 1 : -1);
          checked++;
        }
        if (Math.abs(f[t]! - s[t]!) > 1e-9) expect(side[t]).toBe(f[t]! > s[t]! ? 1 : -1);
      }
      expect(checked).toBeGreaterThan(2500);
    }
  });

  it('crosses the running sums\' rebuild points (1024 bars) with ties planted after them', () => {
    const closes: number[] = [];
    let p = 800;
    for (let i = 0; i < 4000; i++) {
      if (!(i > 2100 && i < 2200) && !(i > 3070 && i < 3110)) p = Math.max(8, p + ((i * 7919) % 13) - 6);
      closes.push(p / 8);
    }
    expect(replay(vectorOf(closes, 10, 30, true), 0)).toEqual(decided(closes, 10, 30, true, 0));
    expect(replay(vectorOf(closes, 10, 30, false), 29)).toEqual(decided(closes, 10, 30, false, 29));
  });

  it('per-block tolerance: ties at block starts and ends, a NaN / zero / negative close in a later block, prices spanning 1e-3 … 1e6', () => {
    // blocks start at slow − 1 + 1024·j; flat stretches of 60 bars end exactly on the first and last bar of blocks
    const slow = 30;
    const closes: number[] = [];
    let p = 1600;
    for (let i = 0; i < 6000; i++) {
      const flat = (i > slow - 1 + 1024 - 60 && i <= slow - 1 + 1024) || (i > slow - 1 + 2048 + 1023 - 60 && i <= slow - 1 + 2048 + 1023);
      if (!flat) p = Math.max(8, p + ((i * 7919) % 17) - 8);
      const scale = i < 4100 ? 1 / 16 : i < 5000 ? 625 : 1 / 4096; // a block with 1e5-size prices, then tiny ones
      closes.push(p * scale);
    }
    for (const odd of [NaN, 0, -1, Infinity]) {
      const c = closes.slice();
      c[3500] = odd;
      for (const short of [false, true]) expect(replay(vectorOf(c, 7, slow, short), 0)).toEqual(decided(c, 7, slow, short, 0));
    }
    expect(replay(vectorOf(closes, 10, slow, false), 0)).toEqual(decided(closes, 10, slow, false, 0));
    // a window longer than a block
    expect(replay(vectorOf(closes, 300, 1500, true), 0)).toEqual(decided(closes, 300, 1500, true, 0));
  });

  it('is causal: the column over a prefix is the prefix of the column', () => {
    fc.assert(
      fc.property(closesArb, fc.nat({ max: 160 }), (closes, cut) => {
        const full = crossSide(Float64Array.from(closes), 4, 11, true);
        const part = crossSide(Float64Array.from(closes.slice(0, cut)), 4, 11, true);
        expect(Array.from(part)).toEqual(Array.from(full.subarray(0, Math.min(cut, closes.length))));
      }),
      { seed: 99, numRuns: 200 },
    );
  });

  it('edge cases: empty, shorter than the slow window, constant, a NaN inside the window', () => {
    expect(crossSide(new Float64Array(0), 2, 4, false).length).toBe(0);
    expect(Array.from(crossSide(Float64Array.from([1, 2, 3]), 2, 4, false))).toEqual([NaN, NaN, NaN]);
    // constant closes: every window ties → "not above" → flat, or short with `short`
    expect(Array.from(crossSide(new Float64Array(6).fill(0.1), 2, 4, false))).toEqual([NaN, NaN, NaN, 0, 0, 0]);
    expect(Array.from(crossSide(new Float64Array(6).fill(0.1), 2, 4, true))).toEqual([NaN, NaN, NaN, -1, -1, -1]);
    // hand-worked (fast 2, slow 4) as in test/models/sma-cross.test.ts: tie at 3, long 4–6, out 7–9, long 10–11
    expect(Array.from(crossSide(Float64Array.from([10, 10, 10, 10, 11, 12, 11, 9, 8, 9, 12, 13]), 2, 4, false))).toEqual([NaN, NaN, NaN, 0, 1, 1, 1, 0, 0, 0, 1, 1]);
    expect(Array.from(crossSide(Float64Array.from([10, 11, NaN, 12, 13, 14, 15, 16]), 2, 4, false))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 1, 1]);
  });
});

describe('targetsVector into scratch memory', () => {
  it('writes every entry of a reused buffer: the same column as a fresh one, warm-up NaNs, ties and NaN closes included', () => {
    const closes = [...Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 3) * 5), NaN, 101, 101, 101, 101, 101, 101, 101, -1, 100, 102, 98, 99];
    const b = barsFromCloses(closes);
    const columns = { ...b, volume: new Float64Array(closes.length) } as unknown as BarFrame['columns'];
    for (const short of [false, true]) {
      const model = createSmaCross(paramsOf(3, 8, short));
      const fresh = model.targetsVector!(columns).side;
      // scratch longer than the bars and full of a value the column never holds
      const scratch = new Float64Array(closes.length + 17).fill(7);
      const side = model.targetsVector!(columns, scratch).side;
      expect(side.buffer).toBe(scratch.buffer);
      expect(side.length).toBe(closes.length);
      expect(Array.from(side)).toEqual(Array.from(fresh));
      expect(fresh.filter((v) => Number.isNaN(v)).length).toBeGreaterThan(7);
      // too short: a fresh column, the scratch untouched
      const small = new Float64Array(3).fill(7);
      expect(Array.from(model.targetsVector!(columns, small).side)).toEqual(Array.from(fresh));
      expect(Array.from(small)).toEqual([7, 7, 7]);
    }
  });
});
