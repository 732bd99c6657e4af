/** The regime snapshot every model and the portfolio engine see (seed 003 §3.2, §6.4). */
export type EquityRegime = 'BULL' | 'BEAR' | 'NEUTRAL';
export type VolRegime = 'LOW' | 'NORMAL' | 'HIGH';
export type CryptoRegime = 'RISK_ON' | 'RISK_OFF';
export type MacroRegime = 'EXPANSION' | 'SLOWDOWN' | 'RECESSION';

export interface RegimeSnapshot {
  readonly equity: EquityRegime;
  readonly vol: VolRegime;
  readonly crypto: CryptoRegime;
  readonly macro: MacroRegime;
}

/** The neutral snapshot used before any regime input has warmed up. */
export const NEUTRAL_SNAPSHOT: RegimeSnapshot = { equity: 'NEUTRAL', vol: 'NORMAL', crypto: 'RISK_OFF', macro: 'EXPANSION' };

/**
 * Point-in-time lookup: the snapshot known at time `t` (epoch ms), i.e. computed only from data whose
 * bars had closed at or before t.
 */
export type RegimeLookup = (t: number) => RegimeSnapshot;
