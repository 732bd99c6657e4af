/** The features room: indicator kernels, point-in-time alignment, spec parsing and feature tables. */
export * from './indicators/index.js';
export { alignAsOf, availableAt } from './align.js';
