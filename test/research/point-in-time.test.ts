/**
 * Perturb the future: every family's events up to bar T, and the context codes up to T, are the
 * same whether or not the bars after T are scrambled. (Forward returns and the regime baseline look
 * ahead on purpose: they are the outcome being measured, never an input to a trigger.)
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { assetBars } from '../../src/research/inputs.js';
import { FAMILIES } from '../../src/research/families/index.js';
import { barContext } from '../../src/research/context.js';
import { FAMILY_IDS, type AssetBars } from '../../src/research/types.js';

const seed = 42;
const all = toDatasets(generateSyntheticMarket({ seed, symbols: ['BTCUSDT', 'SPY'], years: 1 }, (s) => createRng(seed, s)));
const map = new Map(all.map((d) => [d.name, d]));

/** A copy whose bars after `cut` (and funding settlements after its close) are scrambled. */
function scrambleAfter(a: AssetBars, cut: number): AssetBars {
  const rng = createRng(1, 'scramble');
  const mess = (x: Float64Array): Float64Array => Float64Array.from(x, (v, i) => (i > cut ? v * (0.5 + rng.uniform()) : v));
  const high = mess(a.high);
  const low = Float64Array.from(mess(a.low), (v, i) => Math.min(v, high[i]!));
  const extra = Object.fromEntries(Object.entries(a.extra).map(([k, v]) => [k, mess(v)]));
  return {
    ...a,
    open: mess(a.open), high, low, close: Float64Array.from(mess(a.close), (v, i) => Math.min(Math.max(v, low[i]!), high[i]!)), volume: mess(a.volume), extra,
    ...(a.funding ? { funding: { ...a.funding, rates: Float64Array.from(a.funding.rates, (r, k) => (a.funding!.rows[k]! > cut ? r * 3 - 1e-4 : r)) } } : {}),
    ...(a.spot ? { spot: { ...a.spot, close: mess(a.spot.close) } } : {}),
  };
}

describe.each(['BTCUSDT:15m', 'SPY:1d'])('%s: nothing at or before T depends on bars after T', (name) => {
  const a = assetBars(map.get(name)!, map);
  const cut = Math.floor(a.close.length * 0.6);
  const b = scrambleAfter(a, cut);

  it('the scramble really changes the future (the test can fail)', () => {
    expect(b.close[cut + 10]).not.toBe(a.close[cut + 10]);
    expect(b.close[cut]).toBe(a.close[cut]);
  });

  it.each(FAMILY_IDS.filter((f) => f !== 'cross_venue_desync'))('%s events', (id) => {
    const f = FAMILIES[id];
    if (f.unusable(a)) return; // e.g. funding on SPY: nothing to compare
    const d = f.defaults(a.barMs);
    // a year of bars has few vacuums at the default ratios: loosen them so there is something to compare
    const p = id === 'liquidity_vacuum' ? { ...d, volume_ratio: 0.9, range_ratio: 0.9 } : d;
    const before = (evs: { row: number }[]) => evs.filter((e) => e.row <= cut);
    const orig = f.detect(a, p);
    expect(orig.length).toBeGreaterThan(0);
    expect(before(f.detect(b, p))).toEqual(before(orig));
  });

  it('context codes (trend, vol)', () => {
    const x = barContext(a);
    const y = barContext(b);
    expect([...y.trend.subarray(0, cut + 1)]).toEqual([...x.trend.subarray(0, cut + 1)]);
    expect([...y.vol.subarray(0, cut + 1)]).toEqual([...x.vol.subarray(0, cut + 1)]);
    expect([...y.trend.subarray(cut + 1)]).not.toEqual([...x.trend.subarray(cut + 1)]);
  });
});
