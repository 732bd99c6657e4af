/**
 * A regime dimension over time: `code[i]` (index into the dimension's LEVELS, NaN before warm-up)
 * becomes known at `knownAt[i]` (non-decreasing) and holds until the next row.
 */
export interface DimensionSeries {
  readonly knownAt: Float64Array;
  readonly code: Float64Array;
  /** Datasets the dimension was computed from. */
  readonly sources: readonly string[];
  /** How it was computed, e.g. 'realised 20d vol of SPY:1d (level)'. */
  readonly method: string;
}
