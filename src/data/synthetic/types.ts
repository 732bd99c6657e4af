/**
 * Types of the synthetic market: the options the generator takes, the truth it records beside the
 * data, and the market it returns (plain columns; `toDatasets` turns it into session datasets).
 */
import type { AssetClass, ColumnTable, DatasetKind } from '../../core/table.js';
import type { Interval } from '../../core/time.js';
import type { Rng } from '../../core/rng.js';

/** The latent market regimes, in code order (state 0..3). */
export const REGIME_NAMES = ['bull', 'bear', 'choppy', 'crash'] as const;
export type RegimeName = (typeof REGIME_NAMES)[number];

/** A named random stream: the generator asks for one per asset and purpose. */
export type RngFactory = (stream: string) => Rng;

/** Identifiers of the planted edges. */
export type EdgeId =
  | 'funding_extreme_reversal'
  | 'vol_compression_breakout'
  | 'liquidation_exhaustion'
  | 'equity_reversal';

export const EDGE_IDS: readonly EdgeId[] = [
  'funding_extreme_reversal',
  'vol_compression_breakout',
  'liquidation_exhaustion',
  'equity_reversal',
];

/** Trigger parameters and size of every planted edge (defaults in params.ts, overridable in config). */
export interface EdgeSettings {
  readonly funding_extreme_reversal: {
    /** Planted total drift over the horizon, in basis points of log return. @default 50 */
    readonly size_bps: number;
    /** Bars after the settlement bar that carry the drift. @default 32 (8 h of 15m bars) */
    readonly horizon_bars: number;
    /** |z| threshold on the funding z-score. @default 2 */
    readonly z: number;
    /** Earlier settlements in the z-score's mean and standard deviation. @default 90 (30 days) */
    readonly lookback: number;
  };
  readonly vol_compression_breakout: {
    /** @default 20 */
    readonly size_bps: number;
    /** @default 16 (4 h) */
    readonly horizon_bars: number;
    /** Bars in the channel (the high/low range that must be broken). @default 32 */
    readonly channel_bars: number;
    /** Compression: the channel width's percentile rank among earlier widths is at most this. @default 0.1 */
    readonly percentile: number;
    /** Earlier widths in the percentile, sampled every `step_bars` bars. @default 180 */
    readonly history: number;
    /** @default 16 */
    readonly step_bars: number;
  };
  readonly liquidation_exhaustion: {
    /** @default 50 */
    readonly size_bps: number;
    /** @default 16 */
    readonly horizon_bars: number;
    /** A spike: this bar's liquidations ≥ ratio × their mean over the previous `lookback_bars`. @default 25 */
    readonly ratio: number;
    /** @default 672 (7 days) */
    readonly lookback_bars: number;
  };
  readonly equity_reversal: {
    /** Planted drift over the next session (2 session bars), in bps. @default 30 */
    readonly size_bps: number;
    /** Trigger: |the day's close-to-close log return| ≥ sigma × sd of the previous `lookback_days` returns. @default 1.5 */
    readonly sigma: number;
    /** @default 20 */
    readonly lookback_days: number;
  };
}

export interface SyntheticOptions {
  /** Recorded in the truth (the randomness itself comes from the rng factory). */
  readonly seed?: number;
  /** First day of the crypto 15m bars, 'YYYY-MM-DD' or epoch ms (floored to the UTC day). @default '2019-01-01' */
  readonly start?: string | number;
  /** Span after `start` (at most 10); every series ends at start + years. @default 3 */
  readonly years?: number;
  /** First day of the equity and macro series (earlier so 200-day averages warm up). @default '2010-01-01' */
  readonly equityStart?: string | number;
  /** Symbols: `*USDT` are crypto perpetuals, others US ETFs. @default the 5 crypto + SPY, QQQ */
  readonly symbols?: readonly string[];
  /** Same process with every planted edge switched off. @default false */
  readonly placebo?: boolean;
  /** Override edge sizes and trigger parameters. */
  readonly edges?: { readonly [K in EdgeId]?: Partial<EdgeSettings[K]> };
  /** Allow a span (equity start to end) up to 200 years instead of 40. @default false */
  readonly long?: boolean;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly seed: number | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly equityStartMs: number;
  readonly years: number;
  readonly cryptoSymbols: readonly string[];
  readonly equitySymbols: readonly string[];
  readonly placebo: boolean;
  readonly edges: EdgeSettings;
}

/** One planted edge as recorded in the truth. */
export interface PlantedEdge {
  readonly id: EdgeId;
  readonly title: string;
  readonly assetClass: 'crypto_perp' | 'etf';
  /** Datasets whose bars carry it (the bar dataset the trigger rule is evaluated on). */
  readonly datasets: readonly string[];
  /** The trigger rule in a few words (for tables). */
  readonly summary: string;
  /** The trigger rule in words, exact enough to re-implement. */
  readonly trigger: string;
  /** Direction of the drift relative to the trigger. */
  readonly effect: string;
  readonly horizonBars: number;
  readonly horizonText: string;
  /** Planted total log-return drift over the horizon in bps (0 in placebo mode). */
  readonly sizeBps: number;
  /** The size the edge has when planted (the same number in placebo mode, for reference). */
  readonly nominalSizeBps: number;
  readonly active: boolean;
  readonly params: Readonly<Record<string, number>>;
}

/** Run-length encoding: [first row index, regime] for each run of equal labels. */
export type RegimeRuns = readonly (readonly [number, RegimeName])[];

/** The ground truth stored in `dataset.meta.truth` of every synthetic dataset (JSON-safe). */
export interface SyntheticTruth {
  readonly version: 1;
  readonly generator: 'edgelab-synthetic';
  readonly seed: number | null;
  readonly placebo: boolean;
  /** Regime label of every row of this dataset (the regime of the row's UTC day), run-length encoded. */
  readonly regimeRuns: RegimeRuns;
  /** The market-wide daily regime path: [UTC day start ms, regime] at each change. */
  readonly dailyRegime: readonly (readonly [number, RegimeName])[];
  /** The Markov chain behind the path. */
  readonly chain: {
    readonly states: readonly RegimeName[];
    /** Daily transition matrix, rows = from. */
    readonly transition: readonly (readonly number[])[];
    readonly stationary: readonly number[];
  };
  /** Edges planted in this dataset's bars (empty for funding and macro series). */
  readonly edges: readonly PlantedEdge[];
  /** Trigger events per edge: signed row numbers, +(row+1) for an up drift, −(row+1) for a down drift. */
  readonly events: Readonly<Partial<Record<EdgeId, readonly number[]>>>;
}

/** One generated table before it becomes a Dataset. */
export interface SyntheticTable {
  readonly name: string;
  readonly kind: DatasetKind;
  readonly symbol?: string;
  readonly interval?: Interval;
  readonly assetClass: AssetClass;
  readonly table: ColumnTable;
  readonly regimeRuns: RegimeRuns;
  readonly edges: readonly PlantedEdge[];
  readonly events: Readonly<Partial<Record<EdgeId, readonly number[]>>>;
  /** Extra facts for `meta` (units, release rule…). */
  readonly notes: Readonly<Record<string, string>>;
}

export interface SyntheticMarket {
  readonly options: ResolvedOptions;
  /** First UTC day of the daily regime path. */
  readonly regimeStartMs: number;
  /** Regime code (index into REGIME_NAMES) of each UTC day from regimeStartMs to endMs. */
  readonly dailyStates: Uint8Array;
  readonly chain: SyntheticTruth['chain'];
  readonly edges: readonly PlantedEdge[];
  /** Tables in a fixed order: crypto bars, crypto funding, equity 1d, equity 4h, macro. */
  readonly tables: readonly SyntheticTable[];
}
