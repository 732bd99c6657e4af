/**
 * The spot twin: spot bars for each synthetic perpetual, from their own random streams
 * (`synthetic/spot/<SYMBOL>`), built after the market, so every other dataset keeps its bytes and
 * digest. Opt-in (`ingest synthetic --spot`).
 *
 *   basis (perp − spot, log)  b_t = b_{t−1} − b_{t−1}/5000 + 1 bp · n_t + J_t,   b_0 = 3 bp
 *   desync jumps              J_t = ±U(30, 50) bp with probability 0.001 per bar (sign ½ / ½), else 0
 *   spot log close            s_t = log perp close_t − b_t + D_t
 *
 * The reversion is slow (half-life ≈ 3 500 bars), so the basis alone carries no tradable drift
 * over a few hours. The planted edge `cross_venue_desync`: the rule is evaluated online on the
 * published closes — z = (x_t − mean) / sd of x = log(spot / perp) over the previous 96 bars,
 * |z| ≥ 3, one event per horizon — and the spot then drifts against the sign of z by 20 bp over
 * the next 16 bars (D_t, the same size/H per bar as every planted edge, docs/synthetic.md). In
 * placebo mode the size is 0 and the events the rule finds are still recorded. Spot open = the
 * previous spot close; high and low scale the perp's by spot/perp close and cover open and close;
 * volume = 0.4 × the perp's.
 */
import { tableDigest, type Dataset } from '../../core/table.js';
import type { RngFactory, SyntheticMarket, SyntheticTruth } from './types.js';
import { dailyRegimeRuns } from './datasets.js';

export const SPOT_DESYNC = { size_bps: 20, horizon_bars: 16, z: 3, lookback_bars: 96 } as const;

export const spotName = (symbol: string): string => `${symbol}-SPOT`;

export function spotDatasets(market: SyntheticMarket, rngFactory: RngFactory): Dataset[] {
  const out: Dataset[] = [];
  const size = market.options.placebo ? 0 : SPOT_DESYNC.size_bps;
  for (const t of market.tables) {
    if (t.kind !== 'bars' || t.assetClass !== 'crypto_perp' || t.symbol === undefined) continue;
    const c = t.table.columns as Record<string, Float64Array>;
    const { table, events } = spotTable(c, rngFactory(`synthetic/spot/${t.symbol}`), size);
    const truth: SyntheticTruth = {
      version: 1,
      generator: 'edgelab-synthetic',
      seed: market.options.seed,
      placebo: market.options.placebo,
      regimeRuns: t.regimeRuns,
      dailyRegime: dailyRegimeRuns(market),
      chain: market.chain,
      edges: [],
      events: {},
    };
    const sym = spotName(t.symbol);
    out.push({
      name: `${sym}:${t.interval}`,
      kind: 'bars',
      stage: 'clean',
      symbol: sym,
      interval: t.interval!,
      assetClass: 'crypto_spot',
      source: 'synthetic',
      table,
      digest: tableDigest(table),
      meta: {
        truth,
        spotOf: t.symbol,
        desync: { ...SPOT_DESYNC, size_bps: size, nominal_size_bps: SPOT_DESYNC.size_bps, events },
        units: 'spot prices in USDT; volume in base units',
      },
    });
  }
  return out;
}

function spotTable(perp: Record<string, Float64Array>, rng: ReturnType<RngFactory>, sizeBps: number) {
  const n = perp['close']!.length;
  const ts = perp['ts']!;
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const x = new Float64Array(n); // log(spot / perp)
  const events: number[] = [];
  const L = SPOT_DESYNC.lookback_bars;
  const H = SPOT_DESYNC.horizon_bars;
  const perBar = sizeBps / 1e4 / H;
  let b = 3e-4;
  let drift = 0; // cumulative planted drift D_t
  let driftLeft = 0;
  let driftSign = 0;
  let busyUntil = -1;
  for (let t = 0; t < n; t++) {
    b += -b / 5000 + 1e-4 * rng.normal();
    if (rng.uniform() < 0.001) b += (rng.uniform() < 0.5 ? -1 : 1) * (30 + 20 * rng.uniform()) * 1e-4;
    if (driftLeft > 0) {
      drift += driftSign * perBar;
      driftLeft--;
    }
    const pc = perp['close']![t]!;
    x[t] = -b + drift;
    close[t] = pc * Math.exp(x[t]!);
    open[t] = t === 0 ? perp['open']![0]! * Math.exp(x[0]!) : close[t - 1]!;
    const ratio = close[t]! / pc;
    high[t] = Math.max(perp['high']![t]! * ratio, open[t]!, close[t]!);
    low[t] = Math.min(perp['low']![t]! * ratio, open[t]!, close[t]!);
    volume[t] = 0.4 * perp['volume']![t]!;
    // the desync rule on the published closes (known at this bar's close)
    if (t >= L && t > busyUntil) {
      let mean = 0;
      for (let j = t - L; j < t; j++) mean += x[j]!;
      mean /= L;
      let ss = 0;
      for (let j = t - L; j < t; j++) ss += (x[j]! - mean) ** 2;
      const sd = Math.sqrt(ss / (L - 1));
      const z = sd > 0 ? (x[t]! - mean) / sd : 0;
      if (Math.abs(z) >= SPOT_DESYNC.z) {
        const sign = z > 0 ? -1 : 1; // spot rich → drifts down
        events.push(sign * (t + 1));
        driftSign = sign;
        driftLeft = H;
        busyUntil = t + H;
      }
    }
  }
  return { table: { length: n, columns: { ts: Float64Array.from(ts), open, high, low, close, volume } }, events };
}
