/**
 * The event families against the synthetic market's recorded trigger events: with the planted
 * rule's parameters, funding_extreme, forced_flow and range_breakout (written independently of the
 * generator's trigger code) find exactly the truth's events, with direction = −(planted drift sign)
 * — each planted edge trades against its event. Plus hand-worked cases on tiny series.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { edgeEvents, generateSyntheticMarket, toDatasets, truthOf, type EdgeId } from '../../src/data/synthetic/index.js';
import { assetBars } from '../../src/research/inputs.js';
import { FAMILIES } from '../../src/research/families/index.js';
import type { AssetBars, FamilyId } from '../../src/research/types.js';

const seed = 7;
const all = toDatasets(generateSyntheticMarket({ seed, symbols: ['BTCUSDT', 'SPY'], years: 2 }, (s) => createRng(seed, s)));
const map = new Map(all.map((d) => [d.name, d]));

const CASES: [FamilyId, EdgeId, string, Record<string, number>][] = [
  ['funding_extreme', 'funding_extreme_reversal', 'BTCUSDT:15m', { z: 2, lookback: 90 }],
  ['forced_flow', 'liquidation_exhaustion', 'BTCUSDT:15m', { ratio: 25, lookback_bars: 672, cooldown_bars: 16 }],
  ['range_breakout', 'equity_reversal', 'SPY:1d', { k: 1.5, lookback_bars: 20, cooldown_bars: 1 }],
];

describe('families reproduce the planted triggers', () => {
  it.each(CASES)('%s = the truth events of %s on %s', (family, edge, name, params) => {
    const ds = map.get(name)!;
    const truth = edgeEvents(truthOf(ds)!, edge);
    expect(truth.length).toBeGreaterThan(50);
    const found = FAMILIES[family].detect(assetBars(ds, map), params);
    expect(found.map((e) => [e.row, e.direction])).toEqual(truth.map((e) => [e.row, -e.sign]));
  });
});

/** Bars from closes (open = previous close, high/low around them), for hand-worked cases. */
function bars(close: number[], extra: Record<string, number[]> = {}): AssetBars {
  const c = Float64Array.from(close);
  const o = Float64Array.from(close, (x, i) => (i ? close[i - 1]! : x));
  return {
    name: 'T:1d', symbol: 'T', assetClass: 'etf', interval: '1d', barMs: 86_400_000,
    ts: Float64Array.from(close, (_, i) => i * 86_400_000), open: o,
    high: Float64Array.from(close, (x, i) => Math.max(x, o[i]!) * 1.001), low: Float64Array.from(close, (x, i) => Math.min(x, o[i]!) * 0.999),
    close: c, volume: Float64Array.from(close, () => 100),
    extra: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Float64Array.from(v)])),
  };
}

describe('hand-worked events', () => {
  it('range_breakout: returns +1 %, −1 % alternating, then +3 %: |r| = 3 % ≥ 1.5 × sd (≈ 1.095 %) → one up event at the last bar', () => {
    const close = [100];
    for (let i = 0; i < 10; i++) close.push(close[close.length - 1]! * Math.exp(i % 2 ? -0.01 : 0.01));
    close.push(close[close.length - 1]! * Math.exp(0.03));
    // previous 5 returns: −1 +1 −1 +1 −1 (%): mean −0.2 %, sample sd √((3·0.64 + 2·1.44)/4) = √1.2 ≈ 1.095 %
    const ev = FAMILIES.range_breakout.detect(bars(close), { k: 1.5, lookback_bars: 5, cooldown_bars: 1 });
    expect(ev).toEqual([{ row: 11, direction: 1 }]);
    // k = 2.8: 3 % ≥ 2.8 × 1.095 % = 3.07 % fails
    expect(FAMILIES.range_breakout.detect(bars(close), { k: 2.8, lookback_bars: 5, cooldown_bars: 1 })).toEqual([]);
  });

  it('forced_flow: long liquidations 10 → 300 with ratio 25 over 4 bars: 300 ≥ 25 × 10 → an event, direction −1; cooldown blocks the next', () => {
    const long = [10, 10, 10, 10, 300, 300, 10, 10];
    const short = [10, 10, 10, 10, 10, 10, 10, 10];
    const a = bars(long.map(() => 100), { liquidations_long: long, liquidations_short: short });
    expect(FAMILIES.forced_flow.detect(a, { ratio: 25, lookback_bars: 4, cooldown_bars: 2 })).toEqual([{ row: 4, direction: -1 }]);
    // without the cooldown the second spike (mean of 10,10,10,300 = 82.5; 300 < 25 × 82.5) does not fire either
    expect(FAMILIES.forced_flow.detect(a, { ratio: 25, lookback_bars: 4, cooldown_bars: 0 })).toEqual([{ row: 4, direction: -1 }]);
  });
});
