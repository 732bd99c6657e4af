/**
 * The edge-free path of one crypto perpetual on 15m bars: returns, intrabar excursions and the
 * flow columns (volume, taker buys, funding, open interest, liquidations). Planted edges are added
 * later (edges.ts) as extra drift on top of `ret`, so everything here is identical in placebo mode.
 *
 *   r_t = β μ(S_t)/96 + β f_t + e_t        f: common factor, e: idiosyncratic GARCH-t
 *   x_t = (β f_t + e_t) / σ_t               standardised shock, σ_t² = β² σ_f,t² + σ_e,t²
 *
 * Streams: synthetic/crypto/<SYMBOL>/{shock, intrabar, flow} — one per purpose, so adding
 * a symbol leaves the others' draws untouched. Equations for the flows: docs/synthetic.md.
 */
import type { RngFactory } from './types.js';
import type { GarchPath } from './garch-path.js';
import { garchPath } from './garch-path.js';
import { bridgeExcursions } from './intrabar.js';
import { DAY, HOUR, MINUTE } from '../../core/time.js';
import { CRYPTO_FACTOR_VOL, CRYPTO_GARCH, CRYPTO_REGIME, FUNDING, LIQUIDATIONS, type CryptoProfile } from './params.js';
import { dayOfWeek } from './calendar.js';
import { uniformPair } from './uniform-pair.js';

export const BAR_MS = 15 * MINUTE;
export const BARS_PER_DAY = 96;
export const FUNDING_PERIOD_MS = 8 * HOUR;
export const BARS_PER_FUNDING = 32;

export interface CryptoBase {
  readonly profile: CryptoProfile;
  readonly ts: Float64Array;
  /** Edge-free log return of each bar. */
  readonly ret: Float64Array;
  readonly up: Float64Array;
  readonly dn: Float64Array;
  readonly volume: Float64Array;
  readonly takerBuy: Float64Array;
  readonly openInterest: Float64Array;
  readonly liqLong: Float64Array;
  readonly liqShort: Float64Array;
  /** Rate settled at the bar's close (0 when the close is not 00:00, 08:00 or 16:00 UTC). */
  readonly fundingRate: Float64Array;
  /** Rows of the settlement bars, ascending. */
  readonly settlementRows: Int32Array;
}

/** Intraday activity by 15m slot of the week (Sunday 00:00 = 0): peak at 15:00 UTC, weekends at 70 %. */
const SEASON: Float64Array = (() => {
  const out = new Float64Array(7 * BARS_PER_DAY);
  for (let k = 0; k < out.length; k++) {
    const dow = Math.floor(k / BARS_PER_DAY);
    const hour = ((k % BARS_PER_DAY) * BAR_MS) / HOUR;
    out[k] = (dow === 0 || dow === 6 ? 0.7 : 1) * (1 + 0.25 * Math.cos((2 * Math.PI * (hour - 15)) / 24));
  }
  return out;
})();

export function cryptoBase(
  rngFactory: RngFactory,
  profile: CryptoProfile,
  startMs: number,
  regimeOfBar: Uint8Array,
  factor: GarchPath,
): CryptoBase {
  const n = regimeOfBar.length;
  const sym = profile.symbol;
  const beta = profile.beta;
  const idio = garchPath(rngFactory(`synthetic/crypto/${sym}/shock`), regimeOfBar, CRYPTO_REGIME.volMult, profile.idioVol, CRYPTO_GARCH);
  const ts = new Float64Array(n);
  const ret = new Float64Array(n);
  const sd = new Float64Array(n);
  const x = new Float64Array(n);
  const eps = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    ts[t] = startMs + t * BAR_MS;
    const s = regimeOfBar[t]!;
    const bf = beta * factor.sd[t]!;
    const e = beta * factor.eps[t]! + idio.eps[t]!;
    const v = Math.sqrt(bf * bf + idio.sd[t]! * idio.sd[t]!);
    eps[t] = e;
    sd[t] = v;
    x[t] = e / v;
    ret[t] = (beta * CRYPTO_REGIME.driftPerDay[s]!) / BARS_PER_DAY + e;
  }
  const { up, dn } = bridgeExcursions(rngFactory(`synthetic/crypto/${sym}/intrabar`), ret, sd);

  const flow = rngFactory(`synthetic/crypto/${sym}/flow`);
  const ua = new Float64Array(2);
  const ub = new Float64Array(2);
  const uc = new Float64Array(2);
  let slot = dayOfWeek(Math.floor(startMs / DAY) * DAY) * BARS_PER_DAY + Math.floor((startMs % DAY) / BAR_MS);
  const volume = new Float64Array(n);
  const takerBuy = new Float64Array(n);
  const openInterest = new Float64Array(n);
  const liqLong = new Float64Array(n);
  const liqShort = new Float64Array(n);
  const fundingRate = new Float64Array(n);
  const premium = new Float64Array(n);
  const settlements: number[] = [];
  // σ_ref: the asset's 15m volatility at regime multiplier 1 (liquidations scale with moves against it).
  const sdRef = Math.sqrt((beta * CRYPTO_FACTOR_VOL) ** 2 + profile.idioVol ** 2);
  const sqrt12 = Math.sqrt(12);
  const { phi, kappa, eta, interest, cap } = FUNDING;
  let p = 0; // the premium starts neutral
  let premiumSum = 0;
  const logOiBase = Math.log(profile.oi0);
  let logOi = logOiBase;
  const oiPull = 1 / (10 * BARS_PER_DAY);
  for (let t = 0; t < n; t++) {
    const s = regimeOfBar[t]!;
    const xt = x[t]!;
    const ax = xt < 0 ? -xt : xt;
    uniformPair(flow, ua);
    uniformPair(flow, ub);
    uniformPair(flow, uc);
    // Volume: seasonality × volatility level^0.75 (two square roots, cheaper than pow) × move size × noise.
    const level = Math.sqrt(sd[t]! / sdRef);
    const vol = profile.volume0 * SEASON[slot]! * level * Math.sqrt(level) * (0.6 + 0.4 * ax) * Math.exp(0.5 * (ua[0]! - 0.5));
    if (++slot === SEASON.length) slot = 0;
    volume[t] = vol;
    let share = 0.5 + 0.08 * xt + 0.05 * (ua[1]! - 0.5);
    share = share < 0.05 ? 0.05 : share > 0.95 ? 0.95 : share;
    takerBuy[t] = vol * share;
    // Liquidations against the previous bar's open interest.
    const oiPrev = t > 0 ? openInterest[t - 1]! : profile.oi0;
    const a = eps[t]! / sdRef;
    const dl = -a - LIQUIDATIONS.threshold;
    const ds = a - LIQUIDATIONS.threshold;
    const fl = LIQUIDATIONS.base * (0.5 + ub[0]!) + (dl > 0 ? LIQUIDATIONS.scale * dl * dl : 0);
    const fs = LIQUIDATIONS.base * (0.5 + ub[1]!) + (ds > 0 ? LIQUIDATIONS.scale * ds * ds : 0);
    const lost = Math.min(0.5, fl + fs);
    liqLong[t] = oiPrev * fl;
    liqShort[t] = oiPrev * fs;
    // Open interest: pulled toward a regime-dependent level, grows with activity, shrinks by liquidations.
    logOi +=
      oiPull * (logOiBase + CRYPTO_REGIME.oiTilt[s]! - logOi) +
      0.0015 * sqrt12 * (uc[0]! - 0.5) +
      0.0008 * ax +
      Math.log(1 - lost);
    openInterest[t] = Math.exp(logOi);
    // Funding premium: AR(1) pulled to the regime bias, pushed by shocks (crowding follows moves).
    p = phi * p + (1 - phi) * CRYPTO_REGIME.fundingBias[s]! + kappa * xt + eta * sqrt12 * (uc[1]! - 0.5);
    premium[t] = p;
    premiumSum += p;
    if (t >= BARS_PER_FUNDING) premiumSum -= premium[t - BARS_PER_FUNDING]!;
    if ((ts[t]! + BAR_MS) % FUNDING_PERIOD_MS === 0) {
      const m = premiumSum / Math.min(t + 1, BARS_PER_FUNDING);
      let rate = interest + m;
      rate = rate > cap ? cap : rate < -cap ? -cap : rate;
      fundingRate[t] = Math.round(rate * 1e8) / 1e8; // exchanges publish 8 decimals
      settlements.push(t);
    }
  }
  return {
    profile,
    ts,
    ret,
    up,
    dn,
    volume,
    takerBuy,
    openInterest,
    liqLong,
    liqShort,
    fundingRate,
    settlementRows: Int32Array.from(settlements),
  };
}
