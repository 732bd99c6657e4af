/** The regime room: rule regimes (seed 003 §6) and Gaussian HMM states (seed 004). */
export * from './types.js';
export { EQUITY_LEVELS, VOL_LEVELS, CRYPTO_LEVELS, MACRO_LEVELS, DIMENSIONS, LEVELS, NEUTRAL_CODES, type RegimeDimension } from './codes.js';
export { dailySeries, type DailySeries } from './daily.js';
export { findBars, requireBars, type BarPreference } from './resolve.js';
export { equityRegime } from './rules/equity.js';
export { cryptoRegime } from './rules/crypto.js';
export { realisedVol, realisedVolRegime, impliedVolRegime } from './rules/vol.js';
export { macroRegime, type MacroInput } from './rules/macro.js';
export type { DimensionSeries } from './rules/series.js';
export { lastAtOrBefore } from '../core/sorted.js';
export { mergeTimeline, regimeCodesOnBars, type RegimeTimeline, type DimensionInfo, type DimensionStatus } from './timeline.js';
export { computeRuleRegimes, ruleInputsFrom, type RuleInputs, type ExplicitInputs, type ImpliedVolInput } from './compute.js';
export { ruleRegimeReturns, hmmRegimeReturns, returnRowCells, RETURN_COLUMNS, pct, type RegimeReturnRow } from './summary.js';
export {
  getRegimeLookup,
  getHmmLookup,
  ruleTimelineFor,
  hmmTimelineFor,
  readRegimeState,
  REGIME_STATE_KEY,
  type RegimeState,
  type RegimeSessionLike,
  type HmmRequest,
} from './state.js';
export * from './hmm/index.js';
export { latestFields, ruleSeriesBlock, inputsTable, ruleReturnRows, hmmReturnRows, hmmSeriesBlock, hmmStateTable, hmmConfusion, hmmTruthBlocks, thinRows, CHART_POINTS } from './report.js';
