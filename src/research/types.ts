/**
 * Discovery's shared shapes: one asset's bars as discovery reads them (with the funding, liquidation
 * and spot columns a family may need), the events a family emits, and the per-bar context used to
 * condition hypotheses. Everything per bar is known at that bar's close (point-in-time).
 */
import type { AssetClass } from '../core/table.js';
import type { Interval } from '../core/time.js';

/** One asset's bars, ready for the event families. */
export interface AssetBars {
  /** Dataset name, e.g. 'BTCUSDT:15m'. */
  readonly name: string;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly interval: Interval;
  readonly barMs: number;
  /** Bar open times (epoch ms UTC); a bar's values are known at ts + barMs. */
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Extra numeric columns of the bars dataset (liquidations_long, …). */
  readonly extra: Readonly<Record<string, Float64Array>>;
  /** Funding settlements mapped to the bar whose close is the settlement time, when known. */
  readonly funding?: { readonly rows: Int32Array; readonly rates: Float64Array; readonly source: string };
  /** The other venue's closes aligned row by row (NaN where it has no bar): a perpetual's spot twin, or a spot twin's perpetual. */
  readonly spot?: { readonly close: Float64Array; readonly source: string };
  /** Regime code per bar (0 bull … 3 crash) from the synthetic truth; absent on real data. */
  readonly regime?: Uint8Array;
}

/** A family's event: the trigger bar and the move's natural direction (+1 up, −1 down). */
export interface FamilyEvent {
  readonly row: number;
  readonly direction: 1 | -1;
}

export type FamilyParams = Readonly<Record<string, number>>;

export const FAMILY_IDS = [
  'vol_compression',
  'funding_extreme',
  'liquidity_vacuum',
  'forced_flow',
  'cross_venue_desync',
  'range_breakout',
] as const;
export type FamilyId = (typeof FAMILY_IDS)[number];

export interface EventFamily {
  readonly id: FamilyId;
  readonly title: string;
  /** One line: the trigger and what "direction" means. */
  readonly rule: string;
  /** Default parameters for bars of this length (daily bars get day-sized windows). */
  defaults(barMs: number): FamilyParams;
  /** Neighbouring parameter sets for the perturbation probe. */
  perturb(p: FamilyParams): FamilyParams[];
  /** Why the family cannot run on this asset (missing or all-NaN input), or undefined. */
  unusable(a: AssetBars): string | undefined;
  detect(a: AssetBars, p: FamilyParams): FamilyEvent[];
}

/** A column that is missing or holds no finite value: the reason, else undefined. */
export function columnProblem(a: AssetBars, name: string, values: Float64Array | undefined): string | undefined {
  if (!values) return `${a.name} has no ${name} column`;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) return undefined;
  return `${name} of ${a.name} is all NaN`;
}

/** Scale p by f and round to an integer of at least `min` (window lengths). */
export const scaled = (p: number, f: number, min = 2): number => Math.max(min, Math.round(p * f));
