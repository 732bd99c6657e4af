/**
 * generateSyntheticMarket: one latent regime path drives crypto perpetuals (15m), US ETFs
 * (session 4h and daily) and two macro series; planted edges of known size are added on top of
 * the edge-free path (none in placebo mode). Pure: the same options and rng factory give the same
 * market, byte for byte. The generative model is documented in docs/synthetic.md.
 */
import { DAY } from '../../core/time.js';
import { throwIfAborted } from '../../core/errors.js';
import type { EdgeId, EdgeSettings, RngFactory, SyntheticMarket, SyntheticOptions, SyntheticTable } from './types.js';
import { REGIME_NAMES } from './types.js';
import { resolveOptions } from './options.js';
import { CRYPTO_PROFILES, EQUITY_PROFILES, TRANSITION, genericCryptoProfile, genericEquityProfile } from './params.js';
import { simulateRegimeChain, stationaryDistribution } from './regime-chain.js';
import { cryptoFactor } from './crypto-factor.js';
import { BAR_MS, cryptoBase, type CryptoBase } from './crypto-path.js';
import { cryptoPrices, cryptoTables } from './crypto-bars.js';
import { addEventDrift, plantedEdges } from './edges.js';
import { fundingExtremeEvents } from './triggers/funding-extreme.js';
import { liquidationSpikeEvents } from './triggers/liquidation-spike.js';
import { equityFactor, equityTables, segmentRegimes } from './equity.js';
import { macroTables } from './macro.js';
import { weekdays } from './calendar.js';
import { encodeRuns } from './rle.js';

export function generateSyntheticMarket(options: SyntheticOptions, rngFactory: RngFactory): SyntheticMarket {
  const steps = marketSteps(options, rngFactory);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same market, built in steps with a turn of the event loop between symbols, so a cancel
 * (Ctrl+C, `cancel`) is seen within one symbol's work and stops the generation. Same bytes as
 * `generateSyntheticMarket`: the steps are identical, only the driver differs.
 */
export async function generateSyntheticMarketAsync(options: SyntheticOptions, rngFactory: RngFactory, signal?: AbortSignal): Promise<SyntheticMarket> {
  const steps = marketSteps(options, rngFactory);
  for (;;) {
    throwIfAborted(signal);
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The generation, yielding after each expensive part (one symbol, the regime chain). */
function* marketSteps(options: SyntheticOptions, rngFactory: RngFactory): Generator<void, SyntheticMarket, void> {
  const o = resolveOptions(options);
  const regimeStartMs = o.equityStartMs;
  const nDays = Math.round((o.endMs - regimeStartMs) / DAY);
  const dailyStates = simulateRegimeChain(rngFactory('synthetic/regime'), nDays, TRANSITION);
  yield;
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
      // Funding and liquidation triggers read columns the drift never touches: evaluate them first.
      const fundingEv = fundingEvents(base, o.edges.funding_extreme_reversal);
      const liqEv = liquidationSpikeEvents(base.liqLong, base.liqShort, o.edges.liquidation_exhaustion);
      const drift = new Float64Array(n);
      addEventDrift(drift, fundingEv, o.edges.funding_extreme_reversal.horizon_bars, edgeById.get('funding_extreme_reversal')!.sizeBps);
      addEventDrift(drift, liqEv, o.edges.liquidation_exhaustion.horizon_bars, edgeById.get('liquidation_exhaustion')!.sizeBps);
      // The compression rule reads prices: it runs online while the published bars are built.
      const prices = cryptoPrices(base, drift, o.edges.vol_compression_breakout, edgeById.get('vol_compression_breakout')!.sizeBps);
      const events: Partial<Record<EdgeId, readonly number[]>> = {
        funding_extreme_reversal: fundingEv,
        vol_compression_breakout: prices.compressionEvents,
        liquidation_exhaustion: liqEv,
      };
      const fundingCodes = new Uint8Array(base.settlementRows.length);
      for (let k = 0; k < fundingCodes.length; k++) fundingCodes[k] = regimeOfBar[base.settlementRows[k]!]!;
      const [bars, funding] = cryptoTables(base, prices, barRuns, encodeRuns(fundingCodes), cryptoEdges, events);
      tables.push(bars!);
      fundingTables.push(funding!);
      yield;
    }
    tables.push(...fundingTables);
  }

  if (o.equitySymbols.length > 0) {
    const days = weekdays(o.equityStartMs, o.endMs);
    const regimeOfDay = Uint8Array.from(days, regimeOf);
    const regimeSeg = segmentRegimes(regimeOfDay);
    const factor = equityFactor(rngFactory, regimeSeg);
    const edge = edgeById.get('equity_reversal');
    const daily: SyntheticTable[] = [];
    const session: SyntheticTable[] = [];
    for (const sym of o.equitySymbols) {
      const [d1, h4] = equityTables(rngFactory, EQUITY_PROFILES[sym] ?? genericEquityProfile(sym), days, regimeOfDay, regimeSeg, factor, edge);
      daily.push(d1!);
      session.push(h4!);
      yield;
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

/** Funding-extreme events from the settlement rates (which no planted drift changes). */
function fundingEvents(base: CryptoBase, p: EdgeSettings['funding_extreme_reversal']): number[] {
  const rates = new Float64Array(base.settlementRows.length);
  for (let k = 0; k < rates.length; k++) rates[k] = base.fundingRate[base.settlementRows[k]!]!;
  return fundingExtremeEvents(base.settlementRows, rates, p.z, p.lookback);
}
