/**
 * The sweep kernel's quiet loops in WebAssembly (src/optimize/sweep-scan.wat) compute what the
 * JavaScript loops they replaced computed (kept here as the reference, as they stood in
 * sma-block.ts `ComboRun.run`), bit for bit: the bar where the stretch stops and every figure
 * handed back, on adversarial averages (NaN, ±0, exact ties at the gate, values just either side
 * of it), both sides (dir 1 and −1), a gate of +∞, stretches that end at `end` or at its first bar,
 * and blocks far from bar 0 (byte bases below 0 wrap in i32).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CROSS_BLOCK as BLOCK } from '../../src/models/sma-cross.js';
import {
  LOW_SLOT, PEAK_SLOT, SUM_SLOT, WORST_SLOT, closeBase, loadCloses, meanRows, rowBase, scanFlat, scanHeld, scanHeldBounded, scanHeldLow, slots,
} from '../../src/optimize/sweep-scan.js';

interface Figures {
  sum: number;
  peak: number;
  low: number;
  worst: number;
}

type Kind = 'flat' | 'heldBounded' | 'heldLow' | 'held';

/** The JavaScript loops the WebAssembly ones replaced (sma-block.ts before 7668f1f). */
function reference(kind: Kind, means: Float64Array, fastAt: number, slowAt: number, close: Float64Array, k: number, end: number, dir: number, gate: number, cash: number, q: number, f: Figures): number {
  let { sum, peak, low, worst } = f;
  const flat = cash + 0;
  for (; k < end; k++) {
    if (!((means[fastAt + k]! - means[slowAt + k]!) * dir > gate)) break;
    if (kind === 'flat') {
      sum += flat;
      continue;
    }
    if (kind === 'heldBounded') {
      sum += cash + q * close[k]!;
      continue;
    }
    const nav = cash + q * close[k]!;
    sum += nav;
    if (kind === 'held' && nav > peak) {
      peak = nav;
      low = nav;
    } else if (nav < low) {
      low = nav;
      const dd = 1 - nav / peak;
      if (dd > worst) worst = dd;
    }
  }
  Object.assign(f, { sum, peak, low, worst });
  return k;
}

function wasm(kind: Kind, fastAt: number, slowAt: number, base: number, k: number, end: number, dir: number, gate: number, cash: number, q: number, f: Figures): number {
  const fb = rowBase(fastAt);
  const sb = rowBase(slowAt);
  const cb = closeBase(base);
  let at: number;
  if (kind === 'flat') at = scanFlat(fb, sb, k, end, dir, gate, f.sum, cash + 0);
  else if (kind === 'heldBounded') at = scanHeldBounded(fb, sb, cb, k, end, dir, gate, f.sum, cash, q);
  else if (kind === 'heldLow') at = scanHeldLow(fb, sb, cb, k, end, dir, gate, f.sum, cash, q, f.peak, f.low, f.worst);
  else at = scanHeld(fb, sb, cb, k, end, dir, gate, f.sum, cash, q, f.peak, f.low, f.worst);
  f.sum = slots[SUM_SLOT]!;
  if (kind === 'held') f.peak = slots[PEAK_SLOT]!;
  if (kind === 'heldLow' || kind === 'held') {
    f.low = slots[LOW_SLOT]!;
    f.worst = slots[WORST_SLOT]!;
  }
  return at;
}

const GATE = 0.25;

/** Averages around the gate: NaN, ±0, exact ties, the neighbours of ±gate, decisive values. */
const meanValue = fc.constantFrom(NaN, 0, -0, GATE, -GATE, 0.5, -0.5, 1e300, -1e300, 3, -3, Number.MIN_VALUE, 0.25000000000000006, 0.24999999999999997);

/** Mostly "the last side holds" (long stretches), with adversarial bars mixed in. */
const bar = fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(meanValue, meanValue) });

const kinds: Kind[] = ['flat', 'heldBounded', 'heldLow', 'held'];

describe('the quiet loops in WebAssembly equal the JavaScript loops', () => {
  it('on adversarial averages, both sides, any gate, at any block', () => {
    fc.assert(
      fc.property(
        fc.array(bar, { minLength: BLOCK, maxLength: BLOCK }),
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: BLOCK, maxLength: BLOCK }),
        fc.constantFrom(1, -1),
        fc.constantFrom(GATE, 0, Infinity),
        fc.nat({ max: 3000 }),
        fc.nat({ max: BLOCK }),
        fc.nat({ max: BLOCK }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (bars, closes, dir, gate, blockIndex, a, b, cash, q, peakScale, lowScale, worst) => {
          const base = blockIndex * BLOCK;
          const from = base + Math.min(a, b);
          const end = base + Math.max(a, b);
          // bar k of the block: row 0 holds the fast average, row 1 the slow one
          const means = meanRows(2);
          for (let i = 0; i < BLOCK; i++) {
            const pair = bars[i];
            const quiet = dir * (GATE + 1 + (i % 5));
            means[i] = pair ? pair[0] : quiet;
            means[BLOCK + i] = pair ? pair[1] : 0;
          }
          const close = new Float64Array(base + BLOCK);
          close.set(closes, base);
          loadCloses(close, base, base + BLOCK);
          const peak = (cash + q * 1000) * peakScale;
          const start: Figures = { sum: 12345.678, peak, low: peak * lowScale, worst };
          const fastAt = -base;
          const slowAt = BLOCK - base;
          for (const kind of kinds) {
            const want = { ...start };
            const got = { ...start };
            const wantK = reference(kind, means, fastAt, slowAt, close, from, end, dir, gate, cash, q, want);
            const gotK = wasm(kind, fastAt, slowAt, base, from, end, dir, gate, cash, q, got);
            expect({ kind, k: gotK, ...got }).toEqual({ kind, k: wantK, ...want });
            for (const key of ['sum', 'peak', 'low', 'worst'] as const) expect(Object.is(got[key], want[key])).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });

  it('stops at the first bar whose test fails, at end, or not at all for an empty range', () => {
    const base = 5 * BLOCK;
    const means = meanRows(2);
    means.fill(1, 0, BLOCK);
    means.fill(0, BLOCK, 2 * BLOCK);
    means[10] = GATE; // a tie at the gate: (0.25 − 0) · 1 > 0.25 is false
    means[20] = NaN;
    const close = new Float64Array(base + BLOCK).fill(100);
    loadCloses(close, base, base + BLOCK);
    const f = (): Figures => ({ sum: 0, peak: 1000, low: 1000, worst: 0 });
    expect(wasm('flat', -base, BLOCK - base, base, base, base + BLOCK, 1, GATE, 7, 0, f())).toBe(base + 10);
    expect(wasm('held', -base, BLOCK - base, base, base + 11, base + BLOCK, 1, GATE, 7, 1, f())).toBe(base + 20);
    expect(wasm('heldLow', -base, BLOCK - base, base, base + 21, base + BLOCK, 1, GATE, 7, 1, f())).toBe(base + BLOCK);
    expect(wasm('heldBounded', -base, BLOCK - base, base, base + 30, base + 30, 1, GATE, 7, 1, f())).toBe(base + 30);
    // the other side: (1 − 0) · −1 > 0.25 is false at once
    expect(wasm('flat', -base, BLOCK - base, base, base, base + BLOCK, -1, GATE, 7, 0, f())).toBe(base);
    // a gate of +∞ (no side yet) stops at the first bar
    expect(wasm('held', -base, BLOCK - base, base, base + 3, base + BLOCK, 1, Infinity, 7, 1, f())).toBe(base + 3);
  });
});
