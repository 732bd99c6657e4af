/**
 * A synthetic cross-sectional universe: N crypto perpetuals on hourly bars whose next-bar returns
 * load on two planted cross-sectional signals of known size (docs/alpha.md "The planted universe"):
 *
 *   r[i, t+1] = β_i · f[t+1] + σ_i · (a_carry · C[i, t] + a_rev · R[i, t]) + σ_i · ε[i, t+1]
 *
 * where f is a common market factor (Student-t, unit variance × market vol), ε is idiosyncratic
 * Student-t noise with unit variance, C[·, t] is the cross-sectional z-score of −(latest settled
 * funding rate) and R[·, t] the cross-sectional z-score of −(the last 4 bars' log return): carry
 * (crowded longs pay and later give back) and short-horizon reversal. Both are known at bar t's
 * close, so a point-in-time model can use them. With a_carry = a_rev = 0 (placebo) the universe has
 * no cross-sectional edge at all.
 *
 * Everything comes from the RNG stream 'synthetic/universe', so generating a universe never moves
 * a draw of the default demo market: every demo dataset keeps its digest.
 */
import { DAY } from '../../core/time.js';
import { UserError } from '../../core/errors.js';
import { tableDigest, type Dataset } from '../../core/table.js';
import type { Rng } from '../../core/rng.js';

export const UNIVERSE_BAR_MS = 3_600_000;
/** Bars in the reversal signal's look-back. */
export const REVERSAL_BARS = 4;

export interface UniverseOptions {
  /** Number of perpetuals (2..500). */
  readonly symbols: number;
  /** First UTC day (epoch ms). */
  readonly startMs: number;
  /** Number of hourly bars. */
  readonly bars: number;
  /** Loading on the carry signal, in units of σ_i per bar. @default 0.03 */
  readonly carryLoading?: number;
  /** Loading on the reversal signal, in units of σ_i per bar. @default 0.03 */
  readonly reversalLoading?: number;
  /** True: both loadings are 0. */
  readonly placebo?: boolean;
}

/** What was planted: the loadings and the per-bar IC they imply on idiosyncratic returns. */
export interface UniverseTruth {
  readonly generator: 'edgelab-synthetic-universe';
  readonly placebo: boolean;
  readonly loadings: { readonly carry: number; readonly reversal: number };
  /**
   * Expected cross-sectional IC of each signal against the next bar's σ-scaled idiosyncratic return:
   * a / √(1 + a_carry² + a_rev²) (both signals are unit-variance cross-sectional z-scores).
   */
  readonly expectedIc: { readonly carry: number; readonly reversal: number };
  readonly symbols: readonly string[];
}

export const universeSymbol = (i: number): string => `XS${String(i + 1).padStart(3, '0')}USDT`;

interface SymbolProfile {
  readonly vol: number;
  readonly beta: number;
  readonly fundingMean: number;
  readonly dollarVolume: number;
}

function profiles(rng: Rng, n: number): SymbolProfile[] {
  const out: SymbolProfile[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      vol: 0.006 + 0.006 * rng.uniform(),
      beta: 0.6 + 0.8 * rng.uniform(),
      fundingMean: 0.0001 + 0.00005 * rng.normal(),
      // Dollar volume per hour: log-normal around $400k, so a $1M/day floor splits the universe over time.
      dollarVolume: Math.exp(Math.log(4e5) + 1.2 * rng.normal()),
    });
  }
  return out;
}

/** Cross-sectional z-score of `x` into `out` (population sd; all zeros when the sd is 0). */
function crossZ(x: Float64Array, out: Float64Array): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) out[i] = sd > 0 ? (x[i]! - mean) / sd : 0;
}

/** Generate the universe's bar and funding datasets (truth in every dataset's meta.truth). */
export function generateUniverse(options: UniverseOptions, rng: Rng): Dataset[] {
  const n = options.symbols;
  const T = options.bars;
  if (!Number.isInteger(n) || n < 2 || n > 500) throw new UserError(`the universe needs 2..500 symbols, got ${n}`, '--universe');
  if (!Number.isInteger(T) || T < 200) throw new UserError(`the universe needs at least 200 hourly bars, got ${T}`, '--years');
  const placebo = options.placebo ?? false;
  const aCarry = placebo ? 0 : (options.carryLoading ?? 0.03);
  const aRev = placebo ? 0 : (options.reversalLoading ?? 0.03);
  const prof = profiles(rng, n);
  const symbols = Array.from({ length: n }, (_, i) => universeSymbol(i));

  const cols = symbols.map(() => ({
    ts: new Float64Array(T), open: new Float64Array(T), high: new Float64Array(T), low: new Float64Array(T),
    close: new Float64Array(T), volume: new Float64Array(T), taker: new Float64Array(T), funding: new Float64Array(T),
  }));
  const price = Float64Array.from(prof, () => 100);
  const fundingNow = Float64Array.from(prof, (p) => p.fundingMean);
  const settled = Float64Array.from(prof, (p) => p.fundingMean);
  const liquidity = new Float64Array(n); // log-deviation of dollar volume, a slow AR(1)
  const recent = Array.from({ length: n }, () => new Float64Array(REVERSAL_BARS)); // ring of log returns
  const rawCarry = new Float64Array(n);
  const rawRev = new Float64Array(n);
  const zCarry = new Float64Array(n);
  const zRev = new Float64Array(n);
  const marketVol = 0.005;

  for (let t = 0; t < T; t++) {
    // Signals known at the previous close drive this bar's drift.
    for (let i = 0; i < n; i++) {
      rawCarry[i] = -settled[i]!;
      let s = 0;
      for (let k = 0; k < REVERSAL_BARS; k++) s += recent[i]![k]!;
      rawRev[i] = -s;
    }
    crossZ(rawCarry, zCarry);
    crossZ(rawRev, zRev);
    const f = marketVol * rng.studentT(5, true);
    const ts = options.startMs + t * UNIVERSE_BAR_MS;
    const settles = (ts + UNIVERSE_BAR_MS) % (8 * UNIVERSE_BAR_MS) === 0;
    for (let i = 0; i < n; i++) {
      const p = prof[i]!;
      const drift = t === 0 ? 0 : p.vol * (aCarry * zCarry[i]! + aRev * zRev[i]!);
      const r = p.beta * f + drift + p.vol * rng.studentT(5, true);
      const c = cols[i]!;
      const open = price[i]!;
      const close = open * Math.exp(r);
      const wick = p.vol * Math.abs(rng.normal()) * 0.5;
      c.ts[t] = ts;
      c.open[t] = open;
      c.close[t] = close;
      c.high[t] = Math.max(open, close) * Math.exp(wick);
      c.low[t] = Math.min(open, close) * Math.exp(-wick * rng.uniform());
      liquidity[i] = 0.999 * liquidity[i]! + 0.03 * rng.normal();
      const dollars = p.dollarVolume * Math.exp(liquidity[i]! + 0.3 * rng.normal());
      c.volume[t] = dollars / close;
      c.taker[t] = c.volume[t]! * Math.min(0.95, Math.max(0.05, 0.5 + 0.08 * rng.normal()));
      // Funding: an AR(1) around the symbol's mean, settled every 8 h at the bar close.
      fundingNow[i] = p.fundingMean + 0.995 * (fundingNow[i]! - p.fundingMean) + 0.00002 * rng.normal();
      if (settles) {
        settled[i] = fundingNow[i]!;
        c.funding[t] = fundingNow[i]!;
      }
      price[i] = close;
      recent[i]![t % REVERSAL_BARS] = r;
    }
  }
  const denom = Math.sqrt(1 + aCarry * aCarry + aRev * aRev);
  const truth: UniverseTruth = {
    generator: 'edgelab-synthetic-universe',
    placebo,
    loadings: { carry: aCarry, reversal: aRev },
    expectedIc: { carry: aCarry / denom, reversal: aRev / denom },
    symbols,
  };
  return symbols.flatMap((symbol, i) => universeDatasets(symbol, cols[i]!, T, truth));
}

function universeDatasets(
  symbol: string,
  c: { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array; taker: Float64Array; funding: Float64Array },
  T: number,
  truth: UniverseTruth,
): Dataset[] {
  const barsTable = {
    length: T,
    columns: { ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, taker_buy_volume: c.taker, funding_rate: c.funding },
  };
  const settleRows: number[] = [];
  for (let t = 0; t < T; t++) if ((c.ts[t]! + UNIVERSE_BAR_MS) % (8 * UNIVERSE_BAR_MS) === 0) settleRows.push(t);
  const fundingTable = {
    length: settleRows.length,
    columns: { ts: Float64Array.from(settleRows, (t) => c.ts[t]! + UNIVERSE_BAR_MS), rate: Float64Array.from(settleRows, (t) => c.funding[t]!) },
  };
  const meta = { truth, units: 'prices in USDT; volume and taker_buy_volume in base units', funding_rate: 'rate settled at the bar close (00:00, 08:00, 16:00 UTC), else 0' };
  return [
    { name: `${symbol}:1h`, kind: 'bars', stage: 'clean', symbol, interval: '1h', assetClass: 'crypto_perp', source: 'synthetic', table: barsTable, digest: tableDigest(barsTable), meta },
    { name: `${symbol}:funding`, kind: 'funding', stage: 'clean', symbol, assetClass: 'crypto_perp', source: 'synthetic', table: fundingTable, digest: tableDigest(fundingTable), meta },
  ];
}

/** Hourly bars in `years` from a UTC day. */
export const universeBars = (years: number): number => Math.round((years * 365 * DAY) / UNIVERSE_BAR_MS);
