/**
 * A fast-path result's trades as columns (fast-path-trades.ts) are TradeTracker's records
 * (engine-trades.ts, through fast-path-result.ts `tradesOf`), field by field with Object.is, on
 * random runs: long/short flips (the fee split pro rata), unit sizing, same-close fills, fees,
 * slippage, impact and perpetual funding, a trade still open at the end. The result digest hashes
 * the columns without building the records; it must equal the digest of the records (scheme 4's
 * columns of the same rows), and the report's closed-trade P&L and trade heads equal the records'.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { fastRunOf } from '../../src/backtest/fast-path-result.js';
import { tradesOf } from '../../src/backtest/fast-path-result.js';
import { closedTradePnl, tradesHead } from '../../src/backtest/result-series.js';
import type { BacktestInput, BacktestResult, TradeRecord } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

interface Case {
  readonly n: number;
  readonly seed: number;
  readonly perp: boolean;
  readonly short: boolean;
  readonly size: string;
  readonly fill: 'next_open' | 'same_close';
  readonly taker: number;
  readonly impact: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 20, max: 300 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  perp: fc.boolean(),
  short: fc.boolean(),
  size: fc.constantFrom('equity:0.95', 'equity:1.4', 'units:3'),
  fill: fc.constantFrom('next_open' as const, 'same_close' as const),
  taker: fc.constantFrom(0, 10),
  impact: fc.constantFrom(0, 0.3),
});

function fastRun(c: Case): BacktestResult | null {
  const sym = pathBars({ n: c.n, seed: c.seed, vol: 0.02, tick: 0, ...(c.perp ? { funding: 0.0004 } : {}) }, c.perp ? 'crypto_perp' : 'etf');
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 2, slow: 6, short: c.short, size: c.size }));
  const parsed = cfg({ execution: { fill: c.fill }, costs: { default: { maker_bps: 1, taker_bps: c.taker, slippage_bps: 5, impact_coef: c.impact } } });
  const input: BacktestInput = { symbols: [sym], models: [{ model, budget: 1 }], config: { ...parsed, execution: { ...parsed.execution, rebalance_band: Infinity } }, regimeAt: neutral };
  const out = runFastPath(input, { model, warmupBars: model.warmupBars });
  return out.ok ? out.result : null;
}

/**
 * The checks on one case: the columns' closed P&L, heads and records against TradeTracker's records
 * (the logged fills and payments replayed cell by cell), and the digest from the columns against the
 * digest from the records. Returns the tracker's records (null when the fast path handed over).
 */
function check(c: Case): TradeRecord[] | null {
    const fromColumns = fastRun(c);
    const fromRecords = fastRun(c);
    if (fromColumns === null || fromRecords === null) return null;
    const run = fastRunOf(fromRecords)!.run;
    const tracker = tradesOf(run.book, 'X', run.mark);
    // the digest from the columns, before any record is built
    const digest = resultDigest(fromColumns);
    expect(closedTradePnl(fromColumns)).toEqual(Float64Array.from(tracker.filter((t) => t.exitTs !== null), (t) => t.pnl));
    const head = tradesHead(fromColumns, 5);
    expect(head.count).toBe(tracker.length);
    expect(head.head).toEqual(tracker.slice(0, 5));
    expect(head.open).toEqual(tracker.filter((t) => t.exitTs === null));
    const records = fromColumns.trades;
    expect(records.length).toBe(tracker.length);
    records.forEach((r, i) => {
      const t = tracker[i]!;
      expect(Object.keys(r)).toEqual(Object.keys(t));
      for (const k of Object.keys(t) as (keyof typeof t)[]) expect(Object.is(r[k], t[k]), `trade ${i} ${k}: ${String(r[k])} vs ${String(t[k])}`).toBe(true);
    });
    // the digest from the records (read first, so the digest hashes them)
    expect(fromRecords.trades.length).toBe(tracker.length);
    expect(resultDigest(fromRecords)).toBe(digest);
    return tracker;
}

describe('fast-path trade columns = TradeTracker', () => {
  it('random runs: the records, the digest, the closed P&L and the report heads (fast-check)', () => {
    let trades = 0;
    let flips = 0;
    let open = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const tracker = check(c);
        if (tracker === null) return;
        trades += tracker.length;
        if (tracker.some((t, i) => i > 0 && t.entryTs === tracker[i - 1]!.exitTs && t.side !== tracker[i - 1]!.side)) flips++;
        if (tracker.some((t) => t.exitTs === null)) open++;
      }),
      { seed: 61_207, numRuns: 150 },
    );
    expect(trades).toBeGreaterThan(1000);
    expect(flips).toBeGreaterThan(10);
    expect(open).toBeGreaterThan(10);
  });

  it('long runs: fills and events over many log chunks (64, 128, … 2048 rows), read in place', () => {
    let most = 0;
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 3000, max: 9000 }), (c, n) => {
        const tracker = check({ ...c, n });
        if (tracker === null) return;
        const fills = fastRunOf(fastRun({ ...c, n })!)!.run.book.fills.length;
        most = Math.max(most, fills);
      }),
      { seed: 7_331, numRuns: 8 },
    );
    expect(most).toBeGreaterThan(64 + 128 + 256 + 512); // past four chunk boundaries
  });
});
