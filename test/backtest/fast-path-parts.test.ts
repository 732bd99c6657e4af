/**
 * The fast path's parts, each against what it replaces: the columnar log (growth across chunk
 * boundaries, copies out), the precomputed risk thresholds (the drawdown at which the mode leaves
 * NORMAL against `nextRiskMode`, the NAV floor against the exact drawdown, the first step at the kill
 * time, the weight up to which no limit binds against `applyRiskLimits`), the run stopping exactly at
 * a drawdown equal to reduce_at and exactly at the kill time (and the event engine's result
 * then), the result's derived fields (read once, kept, enumerable like the event engine's), and the
 * bar checks done once per set of columns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { InvariantError } from '../../src/core/errors.js';
import type { BarFrame } from '../../src/core/table.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { drawdownFloor, firstStepAt, limitFreeUpTo, normalLeavesAt } from '../../src/backtest/fast-path-thresholds.js';
import { ColumnLog } from '../../src/backtest/fast-path-log.js';
import { runBacktestAuto } from '../../src/backtest/fast-path-select.js';
import type { BacktestInput } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { applyRiskLimits } from '../../src/risk/limits.js';
import { nextRiskMode } from '../../src/risk/mode.js';
import { MODE_NORMAL, type RiskBreach, type RiskLimits } from '../../src/risk/types.js';
import { bars, cfg, neutral, T0, type Row } from './engine-helpers.js';
import { expectSameResult, pathBars } from './fast-path-helpers.js';

describe('ColumnLog', () => {
  it('keeps every row across chunk boundaries (64, 128, … 2048 rows per chunk: 64, 192, … 4032, 6080, 8128) and copies columns out', () => {
    for (const n of [0, 1, 63, 64, 65, 191, 192, 193, 4031, 4032, 4033, 8128, 8129, 20_000]) {
      const log = new ColumnLog(3);
      for (let i = 0; i < n; i++) {
        expect(log.add()).toBe(i);
        log.cur[0]![log.at] = i;
        log.cur[1]![log.at] = -i * 0.5;
        // column 2 left at 0
      }
      expect(log.length).toBe(n);
      const a = log.column(0);
      const b = log.column(1);
      const c = log.column(2);
      expect(a.length).toBe(n);
      for (let i = 0; i < n; i++) {
        if (a[i] !== i || b[i] !== -i * 0.5 || c[i] !== 0) expect([i, a[i], b[i], c[i]]).toEqual([i, i, -i * 0.5, 0]);
      }
      // the chunks in row order hold the same rows (read in place), and no more than `length` are written
      const chunks = log.chunkList;
      expect(chunks.every((ch) => ch.length === 3 && ch.every((col) => col.length === ch[0]!.length))).toBe(true);
      const joined = chunks.flatMap((ch) => [...ch[0]!]);
      expect(joined.length).toBeGreaterThanOrEqual(n);
      expect(joined.slice(0, n)).toEqual([...a]);
      if (chunks.length > 0) expect(joined.length - chunks[chunks.length - 1]![0]!.length).toBeLessThan(n);
      // a copy: writing it does not change the log
      if (n > 0) {
        a[0] = 99;
        expect(log.column(0)[0]).toBe(0);
      }
    }
  });

  it('anyBelow and column(i, into) read the rows written, across chunk boundaries, and nothing past the last row', () => {
    for (const n of [0, 1, 64, 65, 192, 193, 4033]) {
      for (const at of [-1, 0, n - 1, n >> 1]) {
        if (at >= n) continue;
        const log = new ColumnLog(2);
        for (let i = 0; i < n; i++) {
          log.add();
          log.cur[0]![log.at] = i === at ? -1 : i;
          log.cur[1]![log.at] = NaN;
        }
        expect(log.anyBelow(0, 0), `n ${n}, negative at ${at}`).toBe(at >= 0);
        expect(log.anyBelow(1, 0)).toBe(false);
        const into = new Float64Array(n + 5).fill(7);
        const copy = log.column(0, into);
        expect(copy.buffer).toBe(into.buffer);
        expect(Array.from(copy)).toEqual(Array.from(log.column(0)));
        expect(into[n]).toBe(7);
      }
    }
    // a released chunk handed to a new log keeps the old rows past the new log's length: not read
    const old = new ColumnLog(1);
    for (let i = 0; i < 64; i++) {
      old.add();
      old.cur[0]![old.at] = -5;
    }
    old.release();
    const fresh = new ColumnLog(1);
    fresh.add();
    fresh.cur[0]![fresh.at] = 3;
    expect(fresh.anyBelow(0, 0)).toBe(false);
  });

  it('cell reads a row in place in any order: forwards, backwards, jumping across chunks, interleaved with adds, after release', () => {
    const log = new ColumnLog(2);
    const n = 9000;
    for (let i = 0; i < n; i++) {
      log.add();
      log.cur[0]![log.at] = i;
      log.cur[1]![log.at] = -i;
    }
    const rng = createRng(4, 'column-log-cell');
    const order = [
      ...Array.from({ length: n }, (_, i) => i),
      ...Array.from({ length: n }, (_, i) => n - 1 - i),
      ...Array.from({ length: 3000 }, () => Math.floor(rng.uniform() * n)),
      0, 63, 64, 8999, 191, 192, 4031, 4032, 6079, 6080, 0,
    ];
    for (const r of order) {
      if (log.cell(0, r) !== r || log.cell(1, r) !== -r) expect([r, log.cell(0, r), log.cell(1, r)]).toEqual([r, r, -r]);
    }
    // rows added after a read are found too
    log.add();
    log.cur[0]![log.at] = n;
    expect(log.cell(0, n)).toBe(n);
    expect(log.cell(0, 5)).toBe(5);
    log.release();
    const next = new ColumnLog(2);
    next.add();
    next.cur[0]![next.at] = 7;
    expect(next.cell(0, 0)).toBe(7);
    expect(log.length).toBe(0);
  });

  it('the last row stays writable through cur/at until the next add (status updates of the working order)', () => {
    const log = new ColumnLog(2, 2);
    for (let i = 0; i < 7; i++) {
      log.add();
      log.cur[0]![log.at] = i;
      log.cur[1]![log.at] = 1;
      log.cur[1]![log.at] = 2; // updated later, same row
    }
    expect(Array.from(log.column(0))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(log.column(1))).toEqual([2, 2, 2, 2, 2, 2, 2]);
  });
});

const limits = (reduceAt: number, haltAt: number, killAt = Infinity): RiskLimits =>
  ({ reduceAt, haltAt, recoverAt: 0.75 * reduceAt, killAt }) as unknown as RiskLimits;

describe('precomputed risk thresholds', () => {
  it('normalLeavesAt: dd ≥ it exactly when nextRiskMode leaves NORMAL (boundaries, NaN limits)', () => {
    const grid = [0, 1e-12, 0.05, 0.1, 0.2, 0.2 + 1e-12, 0.25, 0.5, 0.999999, 1, NaN];
    for (const reduceAt of grid) {
      for (const haltAt of grid) {
        const lim = limits(reduceAt, haltAt);
        const at = normalLeavesAt(lim);
        for (const dd of [...grid, -0.1, 0.3, 0.2 + 2 ** -55, 0.2 - 2 ** -55]) {
          expect(dd >= at, `reduce ${reduceAt} halt ${haltAt} dd ${dd}`).toBe(nextRiskMode(MODE_NORMAL, dd, 0, lim) !== MODE_NORMAL);
        }
      }
    }
  });

  it('drawdownFloor: a NAV above peak × floor has 1 − NAV/peak < ddStop (fast-check, near the boundary)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 0.999, noNaN: true }),
        fc.double({ min: 1, max: 1e12, noNaN: true }),
        fc.double({ min: -1e-8, max: 1e-8, noNaN: true }),
        (ddStop, peak, nudge) => {
          const f = drawdownFloor(ddStop);
          const nav = peak * (1 - ddStop) * (1 + nudge);
          if (nav > peak * f) expect(1 - nav / peak).toBeLessThan(ddStop);
          // at the exact boundary the NAV is never above the floor (it is checked exactly)
          expect(peak * (1 - ddStop) > peak * f).toBe(false);
        },
      ),
      { seed: 7, numRuns: 3000 },
    );
    expect(drawdownFloor(0)).toBe(Infinity);
    expect(drawdownFloor(-0.5)).toBe(Infinity);
    expect(drawdownFloor(NaN)).toBe(Infinity);
    expect(drawdownFloor(Infinity)).toBe(-Infinity);
  });

  it('drawdownFloor from 1 − 1e-6 up (1 = no drawdown modes, as a single-model run sets): the same promise with an absolute margin', () => {
    const stops = fc.oneof(fc.constant(1), fc.constant(1 - 1e-7), fc.constant(2), fc.double({ min: 1 - 1e-6, max: 1e9, noNaN: true }));
    fc.assert(
      fc.property(stops, fc.double({ min: 1, max: 1e12, noNaN: true }), fc.double({ min: -1e-8, max: 1e-8, noNaN: true }), (ddStop, peak, nudge) => {
        const f = drawdownFloor(ddStop);
        const boundary = peak * (1 - ddStop);
        for (const nav of [boundary + peak * nudge * Math.max(1, ddStop - 1), boundary * (1 + nudge), peak * nudge, 0, -Number.MIN_VALUE, Number.MIN_VALUE]) {
          if (nav > peak * f) expect(1 - nav / peak, `ddStop ${ddStop} peak ${peak} nav ${nav}`).toBeLessThan(ddStop);
        }
        expect(boundary > peak * f).toBe(false);
      }),
      { seed: 11, numRuns: 3000 },
    );
    // ddStop = 1: any NAV of at least a billionth of the peak skips the division; 0 and below are checked
    expect(1e-9 * 1000 > 1000 * drawdownFloor(1)).toBe(false);
    expect(2e-9 * 1000 > 1000 * drawdownFloor(1)).toBe(true);
  });

  it('firstStepAt: the first clock step at or after a time (exact times, between, before, after)', () => {
    const times = Float64Array.from([10, 20, 30, 40]);
    expect(firstStepAt(times, 5, 0, 3, 25)).toBe(1);
    expect(firstStepAt(times, 5, 0, 3, 26)).toBe(2);
    expect(firstStepAt(times, 5, 0, 3, -Infinity)).toBe(0);
    expect(firstStepAt(times, 5, 0, 3, Infinity)).toBe(4);
    expect(firstStepAt(times, 0, 2, 3, 10)).toBe(2);
    expect(firstStepAt(times, 0, 0, 3, 41)).toBe(4);
  });

  it('limitFreeUpTo: no breach at or below it, a breach just above (per-asset cap, class cap, max gross)', () => {
    const cases = [
      { perAssetCap: 0.5, maxGross: 1.2, classCaps: [] as { key: string; cap: number }[], members: [] as Int32Array[] },
      { perAssetCap: 1, maxGross: 0.8, classCaps: [], members: [] },
      { perAssetCap: 1, maxGross: 1.2, classCaps: [{ key: 'crypto', cap: 0.3 }], members: [Int32Array.of(0)] },
      { perAssetCap: 1, maxGross: 1.2, classCaps: [{ key: 'equities', cap: 0.3 }], members: [Int32Array.of()] }, // covers nothing
    ];
    for (const c of cases) {
      const lc = { symbols: ['X'], classMembers: c.members, limits: { perAssetCap: c.perAssetCap, maxGross: c.maxGross, classCaps: c.classCaps } as unknown as RiskLimits };
      const free = limitFreeUpTo(lc);
      for (const w of [free, -free, free * (1 + 1e-15), free + 1e-9, -(free + 1e-9), free / 2]) {
        const breaches: RiskBreach[] = [];
        const out = new Float64Array(1);
        applyRiskLimits(lc, Float64Array.of(w), new Float64Array(1), MODE_NORMAL, false, 0, 0, out, breaches);
        const binds = breaches.length > 0 || out[0] !== w;
        expect(binds, `${JSON.stringify(c.classCaps)} w=${w}`).toBe(!(Math.abs(w) <= free));
      }
    }
  });
});

/** sma_cross 1/2 on closes 10, 20, 40, 30, …: long from bar 1 (units:10, same-close fills, whole units, no band). */
function boundaryInput(reduceAt: number, killAt: string | null = null): BacktestInput {
  const closes = [10, 20, 40, 30, 25, 35, 50, 45];
  const rows: Row[] = closes.map((c) => [c, c, c, c]);
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'SPY', fast: 1, slow: 2, size: 'units:10' }));
  const parsed = cfg({
    initial_capital: 1000,
    execution: { fill: 'same_close', lots: { default: { lot_size: 1, min_qty: 0, min_notional: 0 } } },
    costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0 } },
    risk: { per_asset_cap: 1, drawdown: { reduce_at: reduceAt, reduce_scale: 0.5, halt_at: 0.99 }, ...(killAt ? { kill_switch: { enabled: true, at: killAt } } : {}) },
  });
  // hold until the signal changes (no drift rebalancing), as singleModelPlan sets it
  const config = { ...parsed, execution: { ...parsed.execution, rebalance_band: Infinity } };
  return { symbols: [bars('SPY', rows)], models: [{ model, budget: 1 }], config, regimeAt: neutral };
}

describe('the fast path stops exactly where the event engine leaves NORMAL', () => {
  // bar 1 buys 10 at 20 (cash 800); bar 2 marks 1200 (the peak); bar 3 marks 800 + 300 = 1100 before selling
  const exact = 1 - 1100 / 1200;

  it('a drawdown equal to reduce_at stops it (then the event engine runs); just above, it runs through', () => {
    const at = boundaryInput(exact);
    const stopped = runFastPath(at, { model: at.models[0]!.model, warmupBars: 2 });
    expect(stopped.ok).toBe(false);
    if (!stopped.ok) expect(stopped.reason).toMatch(/^the drawdown reaches 0\.0833 at 2021-01-05T00:00:00Z/);
    const auto = runBacktestAuto(at, { model: at.models[0]!.model, warmupBars: 2 });
    expect(auto.engine.path).toBe('event');
    const event = runBacktest(at);
    expect(Array.from(event.mode).some((m) => m !== MODE_NORMAL)).toBe(true);
    expectSameResult(auto.result, event);

    const above = boundaryInput(exact + 2 ** -50);
    const ran = runFastPath(above, { model: above.models[0]!.model, warmupBars: 2 });
    expect(ran.ok).toBe(true);
    const eventAbove = runBacktest(above);
    expect(Array.from(eventAbove.mode).every((m) => m === MODE_NORMAL)).toBe(true);
    if (ran.ok) expectSameResult(ran.result, eventAbove);
  });

  it('the kill switch at exactly a bar close stops it at that step (the last one too); one millisecond after the last close, it runs through', () => {
    // bar i closes at T0 + (i + 1) days
    const closeOf = (i: number): string => new Date(T0 + (i + 1) * 86_400_000).toISOString();
    const at = boundaryInput(0.5, closeOf(4));
    const stopped = runFastPath(at, { model: at.models[0]!.model, warmupBars: 2 });
    expect(stopped).toEqual({ ok: false, reason: `the kill switch fires at ${closeOf(4).replace('.000Z', 'Z')}` });
    expectSameResult(runBacktestAuto(at, { model: at.models[0]!.model, warmupBars: 2 }).result, runBacktest(at));

    // exactly at the last close: the last step is already HALT in the event engine
    const last = boundaryInput(0.5, closeOf(7));
    expect(runFastPath(last, { model: last.models[0]!.model, warmupBars: 2 }).ok).toBe(false);
    expect(runBacktest(last).finalMode).toBe('HALT');
    expectSameResult(runBacktestAuto(last, { model: last.models[0]!.model, warmupBars: 2 }).result, runBacktest(last));

    const late = boundaryInput(0.5, new Date(T0 + 8 * 86_400_000 + 1).toISOString());
    const ran = runFastPath(late, { model: late.models[0]!.model, warmupBars: 2 });
    expect(ran.ok).toBe(true);
    if (ran.ok) expectSameResult(ran.result, runBacktest(late));
  });
});

describe('the fast path result', () => {
  const sym = pathBars({ n: 400, seed: 21, vol: 0.02, tick: 0.01 });
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 3, slow: 11, short: true }));
  const input: BacktestInput = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg(), regimeAt: neutral };

  it('derives its series and records once, keeps them, and lists the same fields as the event engine', () => {
    const out = runFastPath(input, { model, warmupBars: model.warmupBars });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const r = out.result;
    const event = runBacktest(input);
    expect(Object.keys(r)).toEqual(Object.keys(event));
    expect(Object.keys(r.models[0]!)).toEqual(Object.keys(event.models[0]!));
    for (const k of ['ts', 'cash', 'gross', 'net', 'drawdown', 'mode', 'breachCount', 'orders', 'fills', 'trades'] as const) {
      expect(r[k], k).toBe(r[k]); // the same object on the second read
    }
    expect(r.models[0]!.pnl).toBe(r.models[0]!.pnl);
    expect(r.fills.length).toBeGreaterThan(20);
    // a plain copy carries the values
    const copy = { ...r };
    expect(copy.fills).toBe(r.fills);
    expectSameResult(r, event);
  });
});

describe('bar checks', () => {
  it('are done once per set of columns: the same arrays pass again, new arrays are checked again', () => {
    const good = bars('SPY', [[10, 10, 10, 10], [11, 11, 11, 11], [12, 12, 12, 12]]);
    const model = createSmaCross(smaCrossParams.parse({ symbol: 'SPY', fast: 1, slow: 2 }));
    const run = (sym: typeof good) => runBacktest({ symbols: [sym], models: [{ model, budget: 1 }], config: cfg(), regimeAt: neutral });
    expect(run(good).nav.length).toBe(3);
    expect(run(good).nav.length).toBe(3);
    // new ts column (swapped rows): checked, refused
    const ts = Float64Array.from(good.bars.columns.ts as Float64Array);
    [ts[1], ts[2]] = [ts[2]!, ts[1]!];
    const swapped = { ...good, bars: { length: 3, columns: { ...good.bars.columns, ts } } as unknown as BarFrame };
    expect(() => run(swapped)).toThrow(InvariantError);
    // the checked ts column with a new close column holding a NaN: checked, refused
    const close = Float64Array.from([10, NaN, 12]);
    const nan = { ...good, bars: { length: 3, columns: { ...good.bars.columns, close } } as unknown as BarFrame };
    expect(() => run(nan)).toThrow(/NaN close/);
  });
});
