/**
 * The `optimize` trial kind: one optimisation trial (src/optimize/trial.ts `evaluateTrial`), so a
 * worker evaluates exactly what the shell's own pool would for the same spec and data.
 */
import { evaluateTrial, type TrialSpec } from '../optimize/trial.js';
import { registerTrialKind } from './trial-kinds.js';

registerTrialKind('optimize', (datasets, spec, signal) => evaluateTrial(datasets, spec as TrialSpec, signal));
