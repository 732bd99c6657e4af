/** The readiness gate: one verdict per dataset against `data.readiness` thresholds. */
export { computeReadiness, type ReadinessContext } from './compute.js';
