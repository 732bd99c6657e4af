/**
 * The single-asset fast path gives the event engine's result (must-show 6 equivalence): for
 * randomised price paths (cent and 1/16 grids with flat stretches, so the averages tie exactly; irregular
 * close_ts bars; perpetuals with funding) and randomised configurations (fast/slow, long-only or
 * long/short, equity or unit sizing, budget, next-open or same-close fills, fees, slippage, impact,
 * lot sizes and minimums, rebalance band, start time, warm-up overrides as the probes use them),
 * `runFastPath` and `runBacktest` agree on every order, fill, trade, series point, ledger and
 * attribution total (exact counts and quantities, ≤ 1e-9 relative money), on the result digest, and
 * on the signal trace the probes read. Plus the hand-over: when the drawdown leaves NORMAL the fast
 * path stops, `runBacktestAuto` runs the event engine and the partial trace is discarded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/errors.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { runFastPath, traceFromSignal } from '../../src/backtest/fast-path.js';
import { chooseEngine, runBacktestAuto } from '../../src/backtest/fast-path-select.js';
import { emptyTrace, traceArrays, traceModel } from '../../src/backtest/probes.js';
import type { BacktestInput } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { expectSameResult, pathBars, type PathSpec } from './fast-path-helpers.js';

interface Case {
  readonly path: PathSpec;
  readonly perp: boolean;
  readonly fast: number;
  readonly slowExtra: number;
  readonly short: boolean;
  readonly size: string;
  readonly budget: number;
  readonly fill: 'next_open' | 'same_close';
  readonly taker: number;
  readonly slippage: number;
  readonly impact: number;
  readonly lot: number;
  readonly minQty: number;
  readonly minNotional: number;
  readonly band: number;
  readonly startAt: number;
  readonly warmup: 'model' | 'shorter' | 'longer';
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  path: fc.record({
    n: fc.integer({ min: 30, max: 260 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    vol: fc.constantFrom(0.002, 0.01, 0.03),
    tick: fc.constantFrom(0, 0.01, 1 / 16, 1 / 16),
    flatAt: fc.option(fc.double({ min: 0, max: 0.9, noNaN: true }), { nil: undefined }),
    closeTs: fc.boolean(),
  }),
  perp: fc.boolean(),
  fast: fc.integer({ min: 1, max: 12 }),
  slowExtra: fc.integer({ min: 1, max: 30 }),
  short: fc.boolean(),
  size: fc.constantFrom('equity:0.95', 'equity:0.5', 'equity:1.4', 'units:3', 'units:40', 'units:0.37'),
  budget: fc.constantFrom(1, 0.6),
  fill: fc.constantFrom('next_open' as const, 'same_close' as const),
  taker: fc.constantFrom(0, 10),
  slippage: fc.constantFrom(0, 5),
  impact: fc.constantFrom(0, 0.3),
  lot: fc.constantFrom(1, 0.01, 1e-8),
  minQty: fc.constantFrom(0, 2),
  minNotional: fc.constantFrom(0, 300),
  band: fc.constantFrom(Infinity, 0.05, 0),
  startAt: fc.constantFrom(0, 0, 0.3),
  warmup: fc.constantFrom('model' as const, 'model' as const, 'shorter' as const, 'longer' as const),
});

function inputOf(c: Case) {
  const sym = pathBars({ ...c.path, ...(c.perp ? { funding: 0.0004 } : {}) }, c.perp ? 'crypto_perp' : 'etf');
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: c.fast, slow: c.fast + c.slowExtra, short: c.short, size: c.size }));
  const parsed = cfg({
    execution: { fill: c.fill, lots: { default: { lot_size: c.lot, min_qty: c.minQty, min_notional: c.minNotional } } },
    costs: { default: { maker_bps: 1, taker_bps: c.taker, slippage_bps: c.slippage, impact_coef: c.impact } },
  });
  // an infinite band (hold until the signal changes) is what singleModelPlan sets after parsing
  const config = { ...parsed, execution: { ...parsed.execution, rebalance_band: c.band } };
  const warmupBars = c.warmup === 'model' ? model.warmupBars : c.warmup === 'shorter' ? Math.max(1, Math.floor(model.warmupBars / 2)) : Math.ceil(model.warmupBars * 1.5) + 10;
  const startRow = Math.floor(c.startAt * c.path.n);
  const closes = sym.bars.columns['close_ts'] as Float64Array | undefined;
  const start = startRow > 0 ? (closes ? closes[startRow]! : sym.bars.columns.ts[startRow]! + 86_400_000) : undefined;
  return { sym, model, config, warmupBars, ...(start !== undefined ? { start } : {}) };
}

/** Both engines on one case; returns what happened for the tallies. */
function compare(c: Case): { fills: number; ties: boolean; handedOver: boolean } {
  const { sym, model, config, warmupBars, start } = inputOf(c);
  const traceE = emptyTrace(true);
  const traceF = emptyTrace(true);
  const wrapped = traceModel(model, traceE, { warmupBars });
  const input: BacktestInput = { symbols: [sym], models: [{ model: wrapped, budget: c.budget }], config, regimeAt: neutral, ...(start !== undefined ? { start } : {}) };
  const event = runBacktest(input);
  // The probes' trace from the signal alone equals the event engine's, in every risk mode, where
  // the sizing is a fraction of equity; with NAV-scaled sizing it declines.
  const traceS = emptyTrace(true);
  const fromSignal = traceFromSignal(input, { model, warmupBars, trace: traceS });
  expect(fromSignal).toBe(model.targetsVector!(sym.bars.columns).sizing.mode === 'equity');
  if (fromSignal) expect(traceArrays(traceS)).toEqual(traceE);
  const fast = runFastPath(input, { model, warmupBars, trace: traceF });
  if (!fast.ok) {
    // Only the risk mode leaving NORMAL may stop it here (limits are wide open in these configs).
    expect(fast.reason).toMatch(/drawdown|kill switch/);
    expect(event.mode.some((m) => m !== 0)).toBe(true);
    return { fills: event.fills.length, ties: false, handedOver: true };
  }
  expectSameResult(fast.result, event);
  expect(traceArrays(traceF)).toEqual(traceE);
  const side = model.targetsVector!(sym.bars.columns).side;
  const close = sym.bars.columns.close;
  let ties = false;
  for (let t = model.warmupBars - 1; t < close.length && !ties; t++) {
    let sf = 0;
    let ss = 0;
    for (let i = t - (c.fast + c.slowExtra) + 1; i <= t; i++) ss += close[i]!;
    for (let i = t - c.fast + 1; i <= t; i++) sf += close[i]!;
    ties = side[t] === side[t] && sf / c.fast === ss / (c.fast + c.slowExtra);
  }
  return { fills: event.fills.length, ties, handedOver: false };
}

describe('fast path = event engine', () => {
  it('randomised price paths and configurations (fast-check, fixed seed)', () => {
    let runs = 0;
    let fills = 0;
    let withTies = 0;
    let handedOver = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = compare(c);
        runs++;
        fills += r.fills;
        if (r.ties) withTies++;
        if (r.handedOver) handedOver++;
      }),
      { seed: 20_240_605, numRuns: 150 },
    );
    // The sample must exercise trading, exact ties, and rarely hand over.
    expect(fills).toBeGreaterThan(1000);
    expect(withTies).toBeGreaterThan(5);
    expect(handedOver).toBeLessThan(runs / 10);
  });

  it('a long path crosses the running sums\' rebuild points (long/short, units, funding, band, same close)', () => {
    const c: Case = {
      path: { n: 5000, seed: 7, vol: 0.004, tick: 1 / 16, flatAt: 0.55 },
      perp: true, fast: 7, slowExtra: 23, short: true, size: 'units:20', budget: 1, fill: 'same_close',
      taker: 10, slippage: 5, impact: 0.3, lot: 0.01, minQty: 0, minNotional: 0, band: 0.05, startAt: 0.1, warmup: 'model',
    };
    const r = compare(c);
    expect(r.handedOver).toBe(false);
    expect(r.fills).toBeGreaterThan(150);
    expect(r.ties).toBe(true);
  });

  it('reports progress like the event engine and stops on an aborted signal', () => {
    const sym = pathBars({ n: 300, seed: 9, vol: 0.01, tick: 0 });
    const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 3, slow: 9 }));
    const seen: number[] = [];
    const input: BacktestInput = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg(), regimeAt: neutral, checkEvery: 100, onProgress: (p) => seen.push(p.step) };
    expect(runFastPath(input, { model, warmupBars: 9 }).ok).toBe(true);
    expect(seen).toEqual([0, 100, 200, 300]);
    const ac = new AbortController();
    ac.abort();
    expect(() => runFastPath({ ...input, signal: ac.signal }, { model, warmupBars: 9 })).toThrow(CancelledError);
  });

  it('hands over to the event engine when the drawdown leaves NORMAL, and drops the partial trace', () => {
    const c: Case = {
      path: { n: 400, seed: 3, vol: 0.03, tick: 0 }, perp: false, fast: 3, slowExtra: 7, short: true, size: 'equity:1', budget: 1,
      fill: 'next_open', taker: 10, slippage: 0, impact: 0, lot: 1e-8, minQty: 0, minNotional: 0, band: Infinity, startAt: 0, warmup: 'model',
    };
    const { sym, model } = inputOf(c);
    const config = cfg({ risk: { drawdown: { reduce_at: 0.02, reduce_scale: 0.5, halt_at: 0.5 } }, costs: { default: { maker_bps: 0, taker_bps: 10, slippage_bps: 0, impact_coef: 0 } } });
    const traceA = emptyTrace(true);
    const traceB = emptyTrace(true);
    const input = (tr: typeof traceA): BacktestInput => ({ symbols: [sym], models: [{ model: traceModel(model, tr), budget: 1 }], config, regimeAt: neutral });
    expect(chooseEngine(input(traceA), { model, warmupBars: model.warmupBars, trace: traceA }).path).toBe('fast');
    const auto = runBacktestAuto(input(traceA), { model, warmupBars: model.warmupBars, trace: traceA });
    expect(auto.engine.path).toBe('event');
    expect(auto.engine.reason).toMatch(/^the fast path stopped: the drawdown reaches 0\.0\d+ at \d{4}-/);
    const event = runBacktest(input(traceB));
    expect(event.mode.some((m) => m === 1)).toBe(true); // REDUCED happened: the fast path could not have run it
    expectSameResult(auto.result, event);
    expect(traceA).toEqual(traceB);
  });
});
