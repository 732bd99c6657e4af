export * from './types.js';
export { nextRiskMode } from './mode.js';
export { applyRiskLimits, capPerTradeRisk, type LimitContext } from './limits.js';
export { riskLimits } from './settings.js';
