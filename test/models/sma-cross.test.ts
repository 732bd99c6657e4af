import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSmaCross, smaCrossParams } from '../../src/models/index.js';
import type { ModelContext } from '../../src/models/types.js';
import { barsFromCloses, decisionsOf, drive } from './fake-context.js';

// Hand-worked (fast 2, slow 4): i=3 window 10,10,10,10 → tie (not above) → flat; i=4 fast 10.5 >
// slow 10.25 → long; i=7 fast 10 < slow 10.75 → exit; i=10 fast 10.5 > slow 9.5 → long again.
const closes = [10, 10, 10, 10, 11, 12, 11, 9, 8, 9, 12, 13];
const bars = { SPY: barsFromCloses(closes) };
const params = (o: Record<string, unknown>) => smaCrossParams.parse({ symbol: 'SPY', fast: 2, slow: 4, ...o });

describe('sma_cross', () => {
  it('long-only: speaks only when the direction changes', () => {
    const d = decisionsOf(drive(createSmaCross(params({})), bars));
    expect(d).toEqual([
      [3, { SPY: 0 }],
      [4, { SPY: 0.95 }],
      [7, { SPY: 0 }],
      [10, { SPY: 0.95 }],
    ]);
  });
  it('long/short: a tie or a down-cross is short', () => {
    const d = decisionsOf(drive(createSmaCross(params({ short: true, size: 'equity:0.5' })), bars));
    expect(d).toEqual([
      [3, { SPY: -0.5 }],
      [4, { SPY: 0.5 }],
      [7, { SPY: -0.5 }],
      [10, { SPY: 0.5 }],
    ]);
  });
  it('equity sizing: one frozen decision per direction, equal to {weights: {sym: dir × F}}; units sizing: a new one each time', () => {
    const steps = drive(createSmaCross(params({ short: true, size: 'equity:0.5' })), bars).filter((s) => s.decision !== null);
    expect(steps.map((s) => s.decision)).toEqual([-0.5, 0.5, -0.5, 0.5].map((w) => ({ weights: { SPY: w } })));
    expect(steps[0]!.decision).toBe(steps[2]!.decision);
    expect(steps[1]!.decision).toBe(steps[3]!.decision);
    expect(Object.isFrozen(steps[0]!.decision) && Object.isFrozen(steps[0]!.decision!.weights)).toBe(true);
    const flat = drive(createSmaCross(params({})), bars).filter((s) => s.decision !== null);
    expect(Object.is(flat[0]!.decision!.weights['SPY'], 0)).toBe(true); // +0, as 0 was written before
    const units = drive(createSmaCross(params({ size: 'units:10' })), bars, { budgetValue: 100_000 }).filter((s) => s.decision !== null);
    expect(units[0]!.decision).not.toBe(units[2]!.decision);
  });
  it('units sizing: weight = units × close / budget value', () => {
    const d = decisionsOf(drive(createSmaCross(params({ size: 'units:10' })), bars, { budgetValue: 100_000 }));
    expect(d[1]![1]['SPY']).toBeCloseTo((10 * 11) / 100_000, 15);
    expect(d[3]![1]['SPY']).toBeCloseTo((10 * 12) / 100_000, 15);
  });
  it('stays silent before it has `slow` closes (shorter warm-up) and on NaN closes', () => {
    const steps = drive(createSmaCross(params({})), bars, { start: 0 });
    expect(steps.slice(0, 3).every((s) => s.decision === null)).toBe(true);
    const nanBars = { SPY: barsFromCloses([10, 10, NaN, 10, 11, 12]) };
    const d = decisionsOf(drive(createSmaCross(params({})), nanBars));
    expect(d).toEqual([]); // every window up to i=5 contains the NaN
  });
  it('rejects fast ≥ slow and bad sizes', () => {
    expect(smaCrossParams.safeParse({ symbol: 'SPY', fast: 30, slow: 10 }).success).toBe(false);
    expect(smaCrossParams.safeParse({ symbol: 'SPY', size: 'lots:3' }).success).toBe(false);
    expect(smaCrossParams.parse({ symbol: 'SPY' })).toMatchObject({ fast: 10, slow: 30, short: false, size: 'equity:0.95' });
  });
});

/**
 * The rule by its definition, written here independently: at each bar the fast and slow windows
 * summed oldest close first from 0, long when fast / F > slow / N, no decision while the window is
 * short or holds a NaN, a decision only when the direction changes. `decide` keeps running sums and
 * sums the window only near a tie; its decisions must be these, bit for bit.
 */
function definedDecisions(closes: readonly number[], fast: number, slow: number, short: boolean, calls: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let dir = NaN;
  for (const t of calls) {
    if (t + 1 < slow) continue;
    let sumSlow = 0;
    let sumFast = 0;
    for (let i = t - slow + 1; i <= t; i++) {
      sumSlow += closes[i]!;
      if (i > t - fast) sumFast += closes[i]!;
    }
    const f = sumFast / fast;
    const s = sumSlow / slow;
    if (Number.isNaN(f) || Number.isNaN(s)) continue;
    const d = f > s ? 1 : short ? -1 : 0;
    if (d === dir) continue;
    dir = d;
    out.push([t, d * 0.95 + 0]);
  }
  return out;
}

/** Call `decide` at the given bar indices only (a gap in the indices is a bar the engine did not decide at). */
function decideAt(closes: readonly number[], fast: number, slow: number, short: boolean, calls: readonly number[]): [number, number][] {
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'S', fast, slow, short }));
  const close = Float64Array.from(closes);
  let cur = -1;
  const bar = {
    get index() { return cur; },
    get close() { return close[cur]!; },
    fresh: true,
  };
  const ctx = {
    bars: [bar],
    history: (_sym: string, n: number) => close.subarray(Math.max(0, cur + 1 - n), cur + 1),
    budget: { fraction: 1, value: 100_000 },
    state: {},
  } as unknown as ModelContext;
  const out: [number, number][] = [];
  for (const t of calls) {
    cur = t;
    const d = model.decide(ctx);
    if (d) out.push([t, d.weights['S']! + 0]);
  }
  return out;
}

describe('sma_cross decide: running sums give the defined decisions, ties included', () => {
  /** A walk on a coarse price grid with flat stretches: exact ties between the averages are common. */
  const gridWalk = fc
    .record({
      steps: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 50, maxLength: 2600 }),
      tick: fc.constantFrom(1 / 8, 0.01, 0.1, 0.3),
      flatEvery: fc.integer({ min: 20, max: 400 }),
      odd: fc.option(fc.record({ at: fc.nat({ max: 2599 }), value: fc.constantFrom(NaN, 0, -1, Infinity) }), { nil: undefined, freq: 5 }),
    })
    .map(({ steps, tick, flatEvery, odd }) => {
      let p = 400;
      const out = steps.map((d, i) => {
        if (i % flatEvery >= 40) p = Math.max(1, p + d);
        return p * tick;
      });
      if (odd && odd.at < out.length) out[odd.at] = odd.value;
      return out;
    });

  it('random grids past several 1024-bar rebuilds, with gaps in the bars decided at (fast-check)', () => {
    let tiesAfterWarmup = 0;
    fc.assert(
      fc.property(gridWalk, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.array(fc.nat({ max: 2599 }), { maxLength: 4 }), (closes, fast, extra, short, gaps) => {
        const slow = fast + extra;
        const skip = new Set(gaps);
        const calls = closes.map((_, i) => i).filter((i) => !skip.has(i));
        expect(decideAt(closes, fast, slow, short, calls)).toEqual(definedDecisions(closes, fast, slow, short, calls));
        for (let t = slow + 1; t < closes.length; t++) {
          let sf = 0;
          let ss = 0;
          for (let i = t - slow + 1; i <= t; i++) {
            ss += closes[i]!;
            if (i > t - fast) sf += closes[i]!;
          }
          if (sf / fast === ss / slow) tiesAfterWarmup++;
        }
      }),
      { seed: 20_261_206, numRuns: 150 },
    );
    // the sample holds exact ties away from the first bars, where decide is on its running sums
    expect(tiesAfterWarmup).toBeGreaterThan(1000);
  });

  it('a tie right after each rebuild and right before the next, and prices from 1e-3 to 1e6', () => {
    const closes: number[] = [];
    let p = 3200;
    for (let i = 0; i < 7000; i++) {
      // flat (all-equal windows: a tie) around bar 1024·j from the first full window on
      const flat = i % 1024 > 980 || i % 1024 < 45;
      if (!flat) p = Math.max(16, p + ((i * 7919) % 23) - 11);
      closes.push(p * (i < 3000 ? 1 / 16 : i < 5000 ? 312.5 : 1 / 2048));
    }
    const calls = closes.map((_, i) => i);
    for (const [fast, slow] of [[10, 30], [1, 2], [50, 200], [300, 1500]] as const) {
      for (const short of [false, true]) expect(decideAt(closes, fast, slow, short, calls)).toEqual(definedDecisions(closes, fast, slow, short, calls));
    }
  });
});
