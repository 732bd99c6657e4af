/**
 * A Trader that grows in place (engine/grow.ts): built over the first bars of a session, stepped,
 * then given the later bars one close at a time (`appendBars`, then one step per new close), it must
 * end exactly where a Trader built from scratch over all those bars ends — result digest, every
 * per-step series byte for byte, every record, the data digests the result names. The data is
 * OHLCV only, as a live session's is (paper/live-source.ts).
 */
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { prepareBacktest } from '../../src/backtest/run-backtest.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { intervalMs } from '../../src/core/time.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { appendBars, type NewBar } from '../../src/engine/grow.js';
import { Trader } from '../../src/engine/trader.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { specOf, syntheticData } from '../paper/helpers.js';

const OHLCV = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The traded symbols' datasets cut to OHLCV rows closing at or before `until`, the rest of the data as it is. */
function cut(spec: PaperSpec, until: number): Map<string, Dataset> {
  const base = syntheticData();
  const { input } = prepareBacktest({ ...planOf(spec), backtest: { ...planOf(spec).backtest, start: null, end: null } }, base, false, (m) => m);
  const out = new Map(base);
  for (const s of input.symbols) {
    const step = intervalMs(s.interval);
    const ts = s.bars.columns.ts;
    let n = 0;
    while (n < s.bars.length && ts[n]! + step <= until) n++;
    const columns = Object.fromEntries(OHLCV.map((k) => [k, Float64Array.from(s.bars.columns[k].subarray(0, n))]));
    const table = { length: n, columns } as unknown as BarFrame;
    // as live-source.ts builds a live session's dataset
    const ds = base.get(s.dataset);
    out.set(s.dataset, {
      name: s.dataset, kind: 'bars', stage: ds?.stage ?? 'derived', symbol: s.symbol, interval: s.interval, assetClass: s.assetClass,
      ...(ds?.gate ? { gate: ds.gate } : {}), source: 'test:cut', table, digest: tableDigest(table),
    });
  }
  return out;
}

function traderOver(spec: PaperSpec, data: ReadonlyMap<string, Dataset>): Trader {
  const { input } = prepareBacktest(planOf(spec), data, false, (m) => m);
  return new Trader(input, prepareRun(input));
}

function stepTo(trader: Trader, last: number): void {
  const { times, offset } = trader.prep.clock;
  const clock = new HistoricalClock(times, offset, trader.progress.lastStep + 1, last);
  for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
}

/** Grow from `from` to `to` (epoch ms of closes), one clock close of the full data at a time. */
function grown(spec: PaperSpec, from: number, to: number): { result: BacktestResult; appended: number } {
  const trader = traderOver(spec, cut(spec, from));
  stepTo(trader, trader.prep.kEnd);
  const full = traderOver(spec, cut(spec, to)); // only for its bars and clock, never stepped
  const { times, offset } = full.prep.clock;
  let appended = 0;
  for (let k = 0; k < full.prep.clock.length; k++) {
    const close = times[k]! + offset;
    if (close <= from || close > to) continue;
    const bars: NewBar[] = [];
    full.prep.data.forEach((d) => {
      for (let j = 0; j < d.n; j++) {
        if (d.ts[j]! + d.step !== close) continue;
        bars.push({ symbol: d.symbol, ts: d.ts[j]!, open: d.open[j]!, high: d.high[j]!, low: d.low[j]!, close: d.close[j]!, volume: d.volume[j]! });
      }
    });
    appended += bars.length;
    stepTo(trader, appendBars(trader, bars));
  }
  return { result: trader.finish(), appended };
}

function expectSame(got: BacktestResult, want: BacktestResult): void {
  const bytes = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  expect(resultDigest(got)).toBe(resultDigest(want));
  for (const k of ['ts', 'nav', 'cash', 'gross', 'net', 'drawdown'] as const) expect(bytes(got[k]).equals(bytes(want[k])), k).toBe(true);
  expect(got.models.map((m) => Array.from(m.pnl))).toEqual(want.models.map((m) => Array.from(m.pnl)));
  expect({ orders: got.orders, fills: got.fills, trades: got.trades, breaches: got.breaches, costs: got.costs, symbols: got.symbols })
    .toEqual({ orders: want.orders, fills: want.fills, trades: want.trades, breaches: want.breaches, costs: want.costs, symbols: want.symbols });
}

/** The result of a Trader built over the bars up to `to` and stepped to their end: what growing must equal. */
function builtFromScratch(spec: PaperSpec, to: number) {
  const scratch = traderOver(spec, cut(spec, to));
  stepTo(scratch, scratch.prep.kEnd);
  return scratch.finish();
}

describe('a Trader grown in place = a Trader built over the same bars', () => {
  it('one model on one symbol (the clock is the symbol\'s own ts column)', () => {
    const spec = specOf('grow-sma', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40 } });
    const from = Date.parse('2021-04-01');
    const to = Date.parse('2021-08-01');
    const { result, appended } = grown(spec, from, to);
    expect(appended).toBeGreaterThan(500);
    const want = builtFromScratch(spec, to);
    expect(want.fills.length).toBeGreaterThan(4);
    expectSame(result, want);
  });

  it('the demo portfolio (several symbols and intervals: a merged clock)', () => {
    const spec = specOf('grow-portfolio');
    const from = Date.parse('2021-06-01');
    const to = Date.parse('2021-09-01');
    const { result, appended } = grown(spec, from, to);
    expect(appended).toBeGreaterThan(500);
    const want = builtFromScratch(spec, to);
    expect(want.fills.length).toBeGreaterThan(4);
    expect(want.symbols.length).toBeGreaterThan(1);
    expectSame(result, want);
  }, 120_000);

  it('refuses a bar that is not after the last one, or without a price, and changes nothing', () => {
    const spec = specOf('grow-bad', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40 } });
    const trader = traderOver(spec, cut(spec, Date.parse('2021-04-01')));
    const d = trader.prep.data[0]!;
    const n = d.n;
    const last = { symbol: 'BTCUSDT', ts: d.ts[n - 1]!, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    expect(() => appendBars(trader, [last])).toThrow(/not after its last bar/);
    expect(() => appendBars(trader, [{ ...last, ts: last.ts + d.step, close: Number.NaN }])).toThrow(/non-positive or missing price/);
    expect(() => appendBars(trader, [{ ...last, symbol: 'NOPE', ts: last.ts + d.step }])).toThrow(/does not trade/);
    expect(trader.prep.data[0]!.n).toBe(n);
    expect(trader.prep.clock.length).toBe(n);
  });
});
