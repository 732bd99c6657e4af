/**
 * generateSyntheticMarket: one latent regime path drives crypto perpetuals (15m), US ETFs
 * (session 4h and daily) and two macro series; planted edges of known size are added on top of
 * the edge-free path (none in placebo mode). Pure: the same options and rng factory give the same
 * market, byte for byte. The generative model is documented in docs/synthetic.md.
 */
import { DAY } from '../../core/time.js';
import type { EdgeId, RngFactory, SyntheticMarket, SyntheticOptions, SyntheticTable } from './types.js';
import { REGIME_NAMES } from './types.js';
import { resolveOptions } from './options.js';
import { CRYPTO_PROFILES, EQUITY_PROFILES, TRANSITION, genericCryptoProfile, genericEquityProfile } from './params.js';
import { simulateRegimeChain, stationaryDistribution } from './regime-chain.js';
import { cryptoFactor } from './crypto-factor.js';
import { BAR_MS, cryptoBase } from './crypto-path.js';
import { cryptoTables } from './crypto-bars.js';
import { addEventDrift, plantedEdges } from './edges.js';
import { fundingExtremeEvents } from './triggers/funding-extreme.js';
import { volCompressionEvents } from './triggers/vol-compression.js';
import { liquidationSpikeEvents } from './triggers/liquidation-spike.js';
import { equityFactor, equityTables, segmentRegimes } from './equity.js';
import { macroTables } from './macro.js';
import { weekdays } from './calendar.js';
import { encodeRuns } from './rle.js';

export function generateSyntheticMarket(options: SyntheticOptions, rngFactory: RngFactory): SyntheticMarket {
  const o = resolveOptions(options);
  const regimeStartMs = o.equityStartMs;
  const nDays = Math.round((o.endMs - regimeStartMs) / DAY);
  const dailyStates = simulateRegimeChain(rngFactory('synthetic/regime'), nDays, TRANSITION);
  const regimeOf = (ms: number): number => {
    const d = Math.floor((ms - regimeStartMs) / DAY);
    return dailyStates[d < 0 ? 0 : d >= nDays ? nDays - 1 : d]!;
  };
  const edges = plantedEdges(o);
  const edgeById = new Map(edges.map((e) => [e.id, e]));
  const tables: SyntheticTable[] = [];

  if (o.cryptoSymbols.length > 0) {
    const n = Math.round((o.endMs - o.startMs) / BAR_MS);
    const regimeOfBar = new Uint8Array(n);
    for (let t = 0; t < n; t++) regimeOfBar[t] = regimeOf(o.startMs + t * BAR_MS);
    const barRuns = encodeRuns(regimeOfBar);
    const factor = cryptoFactor(rngFactory, regimeOfBar);
    const cryptoEdges = edges.filter((e) => e.assetClass === 'crypto_perp');
    const fundingTables: SyntheticTable[] = [];
    for (const sym of o.cryptoSymbols) {
      const base = cryptoBase(rngFactory, CRYPTO_PROFILES[sym] ?? genericCryptoProfile(sym), o.startMs, regimeOfBar, factor);
      const events = cryptoEvents(base, o.edges);
      const drift = new Float64Array(n);
      for (const id of Object.keys(events) as EdgeId[]) {
        const e = edgeById.get(id)!;
        addEventDrift(drift, events[id]!, e.horizonBars, e.sizeBps);
      }
      const fundingCodes = new Uint8Array(base.settlementRows.length);
      for (let k = 0; k < fundingCodes.length; k++) fundingCodes[k] = regimeOfBar[base.settlementRows[k]!]!;
      const [bars, funding] = cryptoTables(base, drift, barRuns, encodeRuns(fundingCodes), cryptoEdges, events);
      tables.push(bars!);
      fundingTables.push(funding!);
    }
    tables.push(...fundingTables);
  }

  if (o.equitySymbols.length > 0) {
    const days = weekdays(o.equityStartMs, o.endMs);
    const regimeOfDay = Uint8Array.from(days, regimeOf);
    const regimeSeg = segmentRegimes(regimeOfDay);
    const factor = equityFactor(rngFactory, regimeSeg);
    const edge = edgeById.get('equity_oversold_reversal');
    const daily: SyntheticTable[] = [];
    const session: SyntheticTable[] = [];
    for (const sym of o.equitySymbols) {
      const [d1, h4] = equityTables(rngFactory, EQUITY_PROFILES[sym] ?? genericEquityProfile(sym), days, regimeOfDay, regimeSeg, factor, edge);
      daily.push(d1!);
      session.push(h4!);
    }
    tables.push(...daily, ...session);
  }

  tables.push(...macroTables(rngFactory, o.equityStartMs, o.endMs, regimeOf));

  return {
    options: o,
    regimeStartMs,
    dailyStates,
    chain: { states: [...REGIME_NAMES], transition: TRANSITION.map((r) => [...r]), stationary: stationaryDistribution(TRANSITION) },
    edges,
    tables,
  };
}

/** Trigger events of the three crypto edges, evaluated on the edge-free path. */
function cryptoEvents(
  base: ReturnType<typeof cryptoBase>,
  s: ReturnType<typeof resolveOptions>['edges'],
): Partial<Record<EdgeId, readonly number[]>> {
  const n = base.ts.length;
  const lh = new Float64Array(n);
  const ll = new Float64Array(n);
  const lc = new Float64Array(n);
  let c = Math.log(base.profile.price0);
  for (let t = 0; t < n; t++) {
    const r = base.ret[t]!;
    lh[t] = c + (r > 0 ? r : 0) + base.up[t]!;
    ll[t] = c + (r < 0 ? r : 0) - base.dn[t]!;
    c += r;
    lc[t] = c;
  }
  const rates = new Float64Array(base.settlementRows.length);
  for (let k = 0; k < rates.length; k++) rates[k] = base.fundingRate[base.settlementRows[k]!]!;
  const f = s.funding_extreme_reversal;
  return {
    funding_extreme_reversal: fundingExtremeEvents(base.settlementRows, rates, f.z, f.lookback),
    vol_compression_breakout: volCompressionEvents(lh, ll, lc, s.vol_compression_breakout),
    liquidation_exhaustion: liquidationSpikeEvents(base.liqLong, base.liqShort, s.liquidation_exhaustion),
  };
}
