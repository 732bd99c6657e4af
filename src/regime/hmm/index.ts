/** Gaussian hidden Markov model regimes (seed 004): fitting, filtering, labels, evaluation. */
export type { HmmParams } from './params.js';
export { checkParams, cloneParams, paramsToJson } from './params.js';
export { logEmissions, scaleEmissions } from './emission.js';
export { forwardFilter, forwardScaled, type ForwardResult } from './forward.js';
export { backwardScaled } from './backward.js';
export { baumWelch, type BaumWelchOptions, type BaumWelchResult } from './baum-welch.js';
export { initKMeans, initQuantile, stickyTransitions, type InitOptions } from './init.js';
export { fitGaussianHmm, varianceFloorOf, type HmmFitOptions, type HmmFitResult } from './fit.js';
export { labelStates, HMM_LABELS, type HmmLabel } from './labels.js';
export { hmmObservations, type HmmObservations } from './observations.js';
export { runHmm, type HmmTimeline, type HmmSnapshot, type HmmFitRecord, type HmmRunOptions } from './walk-forward.js';
export { confusionMatrix, type Confusion } from './confusion.js';
