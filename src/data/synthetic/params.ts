/**
 * Parameters of the synthetic market (documented with their equations in docs/synthetic.md).
 * Rates are per UTC day unless a name says otherwise; volatilities are standard deviations of
 * log returns.
 */
import type { EdgeSettings } from './types.js';

/**
 * Daily transition matrix of the regime chain (rows = from, columns = to; order bull, bear,
 * choppy, crash). Expected stays: bull 100 d, bear 50 d, choppy 59 d, crash 5.9 d; stationary
 * shares ≈ 43 % / 22 % / 33 % / 1.4 %.
 */
export const TRANSITION: readonly (readonly number[])[] = [
  [0.99, 0.003, 0.006, 0.001],
  [0.005, 0.98, 0.011, 0.004],
  [0.008, 0.006, 0.983, 0.003],
  [0.04, 0.08, 0.05, 0.83],
];

/** (The chain's first day is drawn from its stationary distribution: regime-chain.ts.) */

/** Crypto: drift of the common factor per day and volatility multiplier, by regime. */
export const CRYPTO_REGIME = {
  driftPerDay: [0.003, -0.0025, 0, -0.025],
  volMult: [1.0, 1.25, 0.75, 2.5],
  /** Regime bias of the funding premium (fraction per 8 h). */
  fundingBias: [0.00012, -0.00004, 0, -0.00025],
  /** Log open-interest target relative to the asset's base level. */
  oiTilt: [0.25, -0.2, 0, -0.5],
} as const;

/** Equities: drift per trading day and volatility multiplier, by regime. */
export const EQUITY_REGIME = {
  driftPerDay: [0.0009, -0.0005, 0.0001, -0.006],
  volMult: [0.8, 1.35, 1.0, 3.0],
} as const;

/** Macro: regime targets of the curve slope (percentage points) and of the PMI (points from 50). */
export const MACRO_REGIME = {
  curveTarget: [1.6, -0.3, 0.7, -0.6],
  pmiTarget: [4.5, -5, 0.5, -9],
} as const;

/** GARCH(1,1) on standardised shocks: h_t = (1−α−β) + α h_{t−1} z²_{t−1} + β h_{t−1}, E[h] = 1. */
export const CRYPTO_GARCH = { alpha: 0.04, beta: 0.95, nu: 5 } as const;
/** Equities: a daily GARCH (updated once per trading day from the day's 14 segments), t₆ segment shocks. */
export const EQUITY_GARCH = { alpha: 0.08, beta: 0.9, nu: 6 } as const;

/** Crypto common factor: 15m volatility at multiplier 1 (BTC's loading is 1). */
export const CRYPTO_FACTOR_VOL = 0.003;

export interface CryptoProfile {
  readonly symbol: string;
  /** Loading on the common crypto factor (also scales the regime drift). */
  readonly beta: number;
  /** Idiosyncratic 15m volatility at multiplier 1. */
  readonly idioVol: number;
  readonly price0: number;
  /** Mean 15m volume in base units. */
  readonly volume0: number;
  /** Base open interest in base units. */
  readonly oi0: number;
}

export const CRYPTO_PROFILES: Readonly<Record<string, CryptoProfile>> = {
  BTCUSDT: { symbol: 'BTCUSDT', beta: 1.0, idioVol: 0.0012, price0: 3700, volume0: 2500, oi0: 60_000 },
  ETHUSDT: { symbol: 'ETHUSDT', beta: 1.25, idioVol: 0.0016, price0: 135, volume0: 45_000, oi0: 900_000 },
  SOLUSDT: { symbol: 'SOLUSDT', beta: 1.6, idioVol: 0.003, price0: 1.5, volume0: 600_000, oi0: 8_000_000 },
  BNBUSDT: { symbol: 'BNBUSDT', beta: 0.9, idioVol: 0.0018, price0: 6, volume0: 120_000, oi0: 1_500_000 },
  XRPUSDT: { symbol: 'XRPUSDT', beta: 1.1, idioVol: 0.0024, price0: 0.36, volume0: 9_000_000, oi0: 150_000_000 },
};

/** Profile for a crypto symbol without a named one (a generic large-cap altcoin). */
export const genericCryptoProfile = (symbol: string): CryptoProfile => ({
  symbol,
  beta: 1.4,
  idioVol: 0.0028,
  price0: 1,
  volume0: 1_000_000,
  oi0: 10_000_000,
});

export interface EquityProfile {
  readonly symbol: string;
  /** Loading on the common equity factor. */
  readonly beta: number;
  /** Idiosyncratic volatility per 30-minute step at multiplier 1. */
  readonly idioVol: number;
  readonly price0: number;
  /** Mean shares traded per session. */
  readonly volumePerDay: number;
}

export const EQUITY_PROFILES: Readonly<Record<string, EquityProfile>> = {
  SPY: { symbol: 'SPY', beta: 1.0, idioVol: 0.0005, price0: 113, volumePerDay: 90_000_000 },
  QQQ: { symbol: 'QQQ', beta: 1.2, idioVol: 0.0012, price0: 46, volumePerDay: 45_000_000 },
};

export const genericEquityProfile = (symbol: string): EquityProfile => ({
  symbol,
  beta: 1.1,
  idioVol: 0.0015,
  price0: 50,
  volumePerDay: 20_000_000,
});

/**
 * Equity factor: volatility of one 30-minute session step at multiplier 1. A session has 13 steps
 * and the overnight gap counts as OVERNIGHT_STEPS steps, so daily vol ≈ 0.0024·√17 ≈ 1 %.
 */
export const EQUITY_FACTOR_VOL = 0.0024;
export const OVERNIGHT_STEPS = 4;

/** Funding premium AR(1) per 15m bar: p_t = φ p_{t−1} + (1−φ) bias(s) + κ x_t + η w_t. */
export const FUNDING = { phi: 0.985, kappa: 0.00003, eta: 0.00002, interest: 0.0001, cap: 0.003 } as const;

/** Liquidations per bar as a fraction of open interest: ℓ0 (0.5+u) + ℓ1 max(0, |ε|/σ_ref − c)². */
export const LIQUIDATIONS = { base: 0.00002, scale: 0.0006, threshold: 2.5 } as const;

export const DEFAULT_EDGES: EdgeSettings = {
  funding_extreme_reversal: { size_bps: 50, horizon_bars: 32, z: 2, lookback: 90 },
  vol_compression_breakout: { size_bps: 20, horizon_bars: 16, channel_bars: 32, percentile: 0.1, history: 180, step_bars: 16 },
  liquidation_exhaustion: { size_bps: 50, horizon_bars: 16, ratio: 25, lookback_bars: 672 },
  equity_reversal: { size_bps: 30, sigma: 1.5, lookback_days: 20 },
};

export const DEFAULT_SYMBOLS: readonly string[] = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'SPY', 'QQQ'];
export const DEFAULT_START = '2019-01-01';
export const DEFAULT_YEARS = 3;
export const DEFAULT_EQUITY_START = '2010-01-01';
