/** The features room: indicator kernels, point-in-time alignment, spec parsing and feature tables. */
export * from './indicators/index.js';
export { alignAsOf, availableAt } from './align.js';
export { INDICATORS, indicatorNames, type IndicatorDef, type ParamDef, type KernelInput } from './registry.js';
export { parseSpec, parseSpecs, type FeatureSpec } from './spec.js';
export { computeFeatures, type FeatureSources } from './compute.js';
export { dailyFromIntraday } from './daily-bars.js';
export { buildFeatureDataset, featureDatasetName, downsampleIndices, type FeatureRun } from './feature-dataset.js';
