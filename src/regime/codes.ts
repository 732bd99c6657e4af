/**
 * Numeric codes of the regime values: the code is the index in these lists, ordered from worst to
 * best so a timeline chart reads "up = better" (vol: calm to stressed).
 */
import type { CryptoRegime, EquityRegime, MacroRegime, RegimeSnapshot, VolRegime } from './types.js';
import { NEUTRAL_SNAPSHOT } from './types.js';

export const EQUITY_LEVELS: readonly EquityRegime[] = ['BEAR', 'NEUTRAL', 'BULL'];
export const VOL_LEVELS: readonly VolRegime[] = ['LOW', 'NORMAL', 'HIGH'];
export const CRYPTO_LEVELS: readonly CryptoRegime[] = ['RISK_OFF', 'RISK_ON'];
export const MACRO_LEVELS: readonly MacroRegime[] = ['RECESSION', 'SLOWDOWN', 'EXPANSION'];

export type RegimeDimension = 'equity' | 'vol' | 'crypto' | 'macro';
export const DIMENSIONS: readonly RegimeDimension[] = ['equity', 'vol', 'crypto', 'macro'];

export const LEVELS: { readonly [D in RegimeDimension]: readonly RegimeSnapshot[D][] } = {
  equity: EQUITY_LEVELS,
  vol: VOL_LEVELS,
  crypto: CRYPTO_LEVELS,
  macro: MACRO_LEVELS,
};

/** Code of each dimension's neutral value (used before warm-up and when an input is missing). */
export const NEUTRAL_CODES: { readonly [D in RegimeDimension]: number } = {
  equity: EQUITY_LEVELS.indexOf(NEUTRAL_SNAPSHOT.equity),
  vol: VOL_LEVELS.indexOf(NEUTRAL_SNAPSHOT.vol),
  crypto: CRYPTO_LEVELS.indexOf(NEUTRAL_SNAPSHOT.crypto),
  macro: MACRO_LEVELS.indexOf(NEUTRAL_SNAPSHOT.macro),
};
