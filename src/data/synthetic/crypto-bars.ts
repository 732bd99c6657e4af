/**
 * Final crypto tables from the edge-free path plus the planted drift:
 *
 *   log close_t = log close_{t−1} + r⁰_t + drift_t,   open_t = close_{t−1}
 *   high_t = open_t · exp(max(0, r_t) + up_t),  low_t = open_t · exp(min(0, r_t) − dn_t)
 *
 * so high ≥ max(open, close) and low ≤ min(open, close) by construction (clamped against rounding).
 * The compression-breakout rule runs online on the published high, low and close, and each
 * trigger adds its drift to the following bars before they are built.
 */
import type { EdgeId, PlantedEdge, RegimeRuns, SyntheticTable } from './types.js';
import type { CryptoBase } from './crypto-path.js';
import { BAR_MS } from './crypto-path.js';
import { createCompressionDetector, type CompressionParams } from './triggers/vol-compression.js';
import { addEventDrift } from './edges.js';

export interface CryptoPrices {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Compression-breakout events ±(row + 1) found on the published bars. */
  readonly compressionEvents: number[];
}

/**
 * Build the published prices. `drift` holds the drift of the price-independent edges (funding,
 * liquidations) and receives the compression edge's drift as its triggers fire.
 */
export function cryptoPrices(base: CryptoBase, drift: Float64Array, compression: CompressionParams, compressionSizeBps: number): CryptoPrices {
  const n = base.ts.length;
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const detector = createCompressionDetector(n, compression);
  const events: number[] = [];
  const one: number[] = [0];
  let logC = Math.log(base.profile.price0);
  let prev = Math.exp(logC);
  for (let t = 0; t < n; t++) {
    const r = base.ret[t]! + drift[t]!;
    const logO = logC;
    logC = logO + r;
    const o = prev;
    const c = Math.exp(logC);
    let h = Math.exp(logO + (r > 0 ? r : 0) + base.up[t]!);
    let l = Math.exp(logO + (r < 0 ? r : 0) - base.dn[t]!);
    const mx = o > c ? o : c;
    const mn = o < c ? o : c;
    if (h < mx) h = mx;
    if (l > mn) l = mn;
    open[t] = o;
    high[t] = h;
    low[t] = l;
    close[t] = c;
    prev = c;
    const dir = detector.observe(t, h, l, c);
    if (dir !== 0) {
      events.push(dir * (t + 1));
      one[0] = dir * (t + 1);
      addEventDrift(drift, one, compression.horizon_bars, compressionSizeBps);
    }
  }
  return { open, high, low, close, compressionEvents: events };
}

export function cryptoTables(
  base: CryptoBase,
  prices: CryptoPrices,
  barRuns: RegimeRuns,
  fundingRuns: RegimeRuns,
  edges: readonly PlantedEdge[],
  events: Partial<Record<EdgeId, readonly number[]>>,
): SyntheticTable[] {
  const n = base.ts.length;
  const { open, high, low, close } = prices;
  const sym = base.profile.symbol;
  const bars: SyntheticTable = {
    name: `${sym}:15m`,
    kind: 'bars',
    symbol: sym,
    interval: '15m',
    assetClass: 'crypto_perp',
    table: {
      length: n,
      columns: {
        ts: base.ts,
        open,
        high,
        low,
        close,
        volume: base.volume,
        taker_buy_volume: base.takerBuy,
        open_interest: base.openInterest,
        liquidations_long: base.liqLong,
        liquidations_short: base.liqShort,
        funding_rate: base.fundingRate,
      },
    },
    regimeRuns: barRuns,
    edges,
    events,
    notes: {
      units: 'prices in USDT; volume, taker_buy_volume, open_interest and liquidations in base units',
      funding_rate: 'rate settled at the bar close (00:00, 08:00, 16:00 UTC), else 0; fraction per 8 h',
      intrabar: 'high/low from a Brownian bridge with the bar’s conditional volatility (docs/synthetic.md)',
    },
  };
  const m = base.settlementRows.length;
  const fts = new Float64Array(m);
  const rate = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const row = base.settlementRows[k]!;
    fts[k] = base.ts[row]! + BAR_MS;
    rate[k] = base.fundingRate[row]!;
  }
  const funding: SyntheticTable = {
    name: `${sym}:funding`,
    kind: 'funding',
    symbol: sym,
    assetClass: 'crypto_perp',
    table: { length: m, columns: { ts: fts, rate } },
    regimeRuns: fundingRuns,
    edges: [],
    events: {},
    notes: { rate: 'fraction per 8 h, settled at ts (00:00, 08:00, 16:00 UTC)', regime: 'label of the settlement bar' },
  };
  return [bars, funding];
}
