/**
 * The common clock is the sorted, duplicate-free union of every symbol's close times: merged from the
 * symbols' ascending closes (and remembered per set of columns), it must equal the plain definition
 * (collect, sort, dedupe) on any set of symbols (fast-check), with close_ts columns too. A prefix
 * view of checked columns (how the probes truncate datasets) skips the checks only when it is a view
 * of those very columns: bad rows in a view of unchecked columns are still found.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonClock, prepareSymbol } from '../../src/backtest/engine-data.js';
import type { BarFrame } from '../../src/core/table.js';
import type { EngineSymbol } from '../../src/backtest/types.js';

const HOUR = 3_600_000;

function symbol(name: string, ts: number[], closeTs?: number[], step = HOUR): EngineSymbol {
  const n = ts.length;
  const cols: Record<string, Float64Array> = {
    ts: Float64Array.from(ts),
    open: new Float64Array(n).fill(100),
    high: new Float64Array(n).fill(101),
    low: new Float64Array(n).fill(99),
    close: new Float64Array(n).fill(100),
    volume: new Float64Array(n).fill(1),
  };
  if (closeTs) cols['close_ts'] = Float64Array.from(closeTs);
  return { symbol: name, assetClass: 'etf', interval: step === HOUR ? '1h' : '4h', bars: { length: n, columns: cols } as unknown as BarFrame, dataset: `${name}:1h`, digest: name };
}

/** The plain definition: every close time, sorted, duplicates dropped. */
function plainClock(symbols: readonly EngineSymbol[]): number[] {
  const all: number[] = [];
  for (const s of symbols) {
    const c = s.bars.columns as Record<string, Float64Array>;
    for (let i = 0; i < s.bars.length; i++) all.push(c['close_ts'] ? c['close_ts'][i]! : c['ts']![i]! + (s.interval === '1h' ? HOUR : 4 * HOUR));
  }
  return [...new Set(all)].sort((a, b) => a - b);
}

describe('commonClock', () => {
  it('equals collect-sort-dedupe for any set of symbols (fast-check)', () => {
    const times = fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }).map((xs) => xs.sort((a, b) => a - b).map((x) => x * HOUR));
    const sym = fc.record({ ts: times, irregular: fc.boolean(), four: fc.boolean() });
    fc.assert(
      fc.property(fc.array(sym, { minLength: 2, maxLength: 7 }), (specs) => {
        const symbols = specs.map((s, i) => (s.irregular ? symbol(`S${i}`, s.ts, s.ts.map((t) => t + 30 * 60_000)) : symbol(`S${i}`, s.ts, undefined, s.four ? 4 * HOUR : HOUR)));
        const clock = commonClock(symbols.map(prepareSymbol));
        expect(clock.offset).toBe(0);
        expect([...clock.times]).toEqual(plainClock(symbols));
        // the same columns again: the remembered clock, the same values
        expect([...commonClock(symbols.map(prepareSymbol)).times]).toEqual(plainClock(symbols));
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});

describe('checks on prefix views', () => {
  it('a prefix view of checked columns passes; a view of columns never checked is checked', () => {
    const good = symbol('A', [0, HOUR, 2 * HOUR, 3 * HOUR]);
    prepareSymbol(good);
    const view = (s: EngineSymbol, n: number): EngineSymbol => {
      const cols = Object.fromEntries(Object.entries(s.bars.columns as Record<string, Float64Array>).map(([k, c]) => [k, c.subarray(0, n)]));
      return { ...s, bars: { length: n, columns: cols } as unknown as BarFrame };
    };
    expect(prepareSymbol(view(good, 2)).n).toBe(2);
    const bad = symbol('B', [0, HOUR, HOUR, 3 * HOUR]); // not ascending at row 2, never checked
    expect(() => prepareSymbol(view(bad, 3))).toThrow(/not strictly ascending at row 2/);
    const badPrice = symbol('C', [0, HOUR, 2 * HOUR]);
    (badPrice.bars.columns as Record<string, Float64Array>)['low']![1] = -1;
    expect(() => prepareSymbol(view(badPrice, 2))).toThrow(/non-positive \(-1\) low/);
  });
});
