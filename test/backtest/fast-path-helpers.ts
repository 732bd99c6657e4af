/**
 * Shared pieces of the fast-path equivalence tests: bars from a seeded price path (optionally on a
 * price grid with flat stretches, so exact SMA ties happen), and a field-by-field comparison of
 * two backtest results — exact for counts, times, quantities and statuses, ≤ 1e-9 relative for
 * money — followed by the result digest, which must be identical byte for byte.
 */
import { expect } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type AssetClass, type BarFrame } from '../../src/core/table.js';
import { intervalMs, type Interval } from '../../src/core/time.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import type { BacktestResult, EngineSymbol } from '../../src/backtest/types.js';

export interface PathSpec {
  readonly n: number;
  readonly seed: number;
  /** Per-bar log volatility. */
  readonly vol: number;
  /**
   * Price grid: 0 (none), 0.01 (cents) or 1/16 (sixteenths: binary-exact, so the window sums are
   * exact and equal real averages tie exactly in floating point too, as ORCL's 11.375 does).
   */
  readonly tick: number;
  /** Hold the price flat for 40 bars starting at this fraction of the path (ties while the window is inside). */
  readonly flatAt?: number;
  /** Bars carry a close_ts column (irregular session bars: close half an interval after the open). */
  readonly closeTs?: boolean;
  /** Funding rate on every third bar (perpetuals). */
  readonly funding?: number;
}

export const T0 = Date.UTC(2021, 0, 4);

/** OHLCV bars of symbol X following the spec (prices stay positive). */
export function pathBars(p: PathSpec, assetClass: AssetClass = 'etf', interval: Interval = '1d'): EngineSymbol {
  const rng = createRng(p.seed, 'fast-path-bars');
  const step = intervalMs(interval);
  const n = p.n;
  const c: Record<string, Float64Array> = {};
  for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume']) c[k] = new Float64Array(n);
  const round = (x: number): number => (p.tick > 0 ? Math.max(p.tick, Math.round(x / p.tick) * p.tick) : x);
  const flatFrom = p.flatAt === undefined ? -1 : Math.floor(p.flatAt * n);
  let px = round(50 + 50 * rng.uniform());
  for (let i = 0; i < n; i++) {
    const o = px;
    if (!(i >= flatFrom && i < flatFrom + 40)) px = round(px * Math.exp(p.vol * rng.normal()));
    c['ts']![i] = T0 + i * step;
    c['open']![i] = o;
    c['close']![i] = px;
    c['high']![i] = round(Math.max(o, px) * (1 + p.vol / 3));
    c['low']![i] = Math.max(0.005, round(Math.min(o, px) * (1 - p.vol / 3)));
    c['volume']![i] = 1e4 + Math.floor(1e5 * rng.uniform());
  }
  if (p.closeTs) c['close_ts'] = Float64Array.from(c['ts']!, (t) => t + step / 2);
  if (p.funding !== undefined) c['funding_rate'] = Float64Array.from({ length: n }, (_, i) => (i % 3 === 2 ? p.funding! * (i % 2 ? 1 : -0.5) : 0));
  const bars = { length: n, columns: c } as unknown as BarFrame;
  return { symbol: 'X', assetClass, interval, bars, dataset: `X:${interval}`, digest: tableDigest(bars) };
}

const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectMoney(what: string, a: number | null, b: number | null): void {
  if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) {
    expect(a, what).toEqual(b);
    return;
  }
  if (!close(a, b)) expect(a, what).toBe(b);
}

function expectSeries(what: string, a: ArrayLike<number>, b: ArrayLike<number>, exact: boolean): void {
  expect(a.length, `${what} length`).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (exact ? a[i] !== b[i] : !close(a[i]!, b[i]!)) expect(a[i], `${what}[${i}]`).toBe(b[i]);
  }
}

/** `fast` is the result `event` is: field by field, then the digest. */
export function expectSameResult(fast: BacktestResult, event: BacktestResult): void {
  expect(fast.profile).toEqual(event.profile);
  expect(fast.symbols).toEqual(event.symbols);
  expect(fast.interval).toBe(event.interval);
  expectSeries('ts', fast.ts, event.ts, true);
  expectSeries('mode', fast.mode, event.mode, true);
  expectSeries('breachCount', fast.breachCount, event.breachCount, true);
  for (const k of ['nav', 'cash', 'gross', 'net', 'drawdown'] as const) expectSeries(k, fast[k], event[k], false);
  expect(fast.breaches).toEqual(event.breaches);
  expect(fast.orders).toEqual(event.orders); // ids, quantities, times, statuses: exact
  expect(fast.fills.length, 'fills').toBe(event.fills.length);
  fast.fills.forEach((f, i) => {
    const e = event.fills[i]!;
    expect({ ...f, refPrice: 0, price: 0, notional: 0, fee: 0, slippage: 0, impact: 0 }, `fill ${i}`).toEqual({ ...e, refPrice: 0, price: 0, notional: 0, fee: 0, slippage: 0, impact: 0 });
    for (const k of ['refPrice', 'price', 'notional', 'fee', 'slippage', 'impact'] as const) expectMoney(`fill ${i} ${k}`, f[k], e[k]);
  });
  expect(fast.trades.length, 'trades').toBe(event.trades.length);
  fast.trades.forEach((t, i) => {
    const e = event.trades[i]!;
    expect([t.symbol, t.side, t.entryTs, t.exitTs, t.maxQty], `trade ${i}`).toEqual([e.symbol, e.side, e.entryTs, e.exitTs, e.maxQty]);
    for (const k of ['entryPrice', 'exitPrice', 'pnl', 'fees', 'funding'] as const) expectMoney(`trade ${i} ${k}`, t[k], e[k]);
  });
  for (const k of Object.keys(event.costs) as (keyof BacktestResult['costs'])[]) expectMoney(`costs.${k}`, fast.costs[k], event.costs[k]);
  expect(fast.models.length).toBe(event.models.length);
  fast.models.forEach((m, i) => {
    const e = event.models[i]!;
    expect([m.name, m.version, m.parameters, m.budget, m.decisions]).toEqual([e.name, e.version, e.parameters, e.budget, e.decisions]);
    for (const k of ['total', 'fees', 'slippage', 'impact', 'funding'] as const) expectMoney(`model ${k}`, m[k], e[k]);
    expectSeries('model pnl', m.pnl, e.pnl, false);
  });
  fast.assets.forEach((a, i) => {
    const e = event.assets[i]!;
    expect([a.symbol, a.assetClass, a.finalQty]).toEqual([e.symbol, e.assetClass, e.finalQty]);
    for (const k of ['total', 'fees', 'slippage', 'impact', 'funding', 'tradedNotional', 'finalWeight'] as const) expectMoney(`asset ${k}`, a[k], e[k]);
  });
  expect(fast.finalMode).toBe(event.finalMode);
  expect(resultDigest(fast)).toBe(resultDigest(event));
}
