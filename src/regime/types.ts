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
  /**
   * Dimensions whose inputs do not cover this time (regime/coverage.ts): their value above is the
   * neutral default, not a measured regime. Regime budgets never match them, and the backtest's
   * split by regime shows them as "no data". Absent: every dimension has data (or the lookup does
   * not track coverage, as a constant lookup in tests).
   */
  readonly noData?: readonly ('equity' | 'vol' | 'crypto' | 'macro')[];
}

/** The neutral snapshot used before any regime input has warmed up. */
export const NEUTRAL_SNAPSHOT: RegimeSnapshot = { equity: 'NEUTRAL', vol: 'NORMAL', crypto: 'RISK_OFF', macro: 'EXPANSION' };

/**
 * Point-in-time lookup: the snapshot known at time `t` (epoch ms), i.e. computed only from data whose
 * bars had closed at or before t.
 */
export type RegimeLookup = (t: number) => RegimeSnapshot;
