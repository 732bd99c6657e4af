/**
 * The data room: files and the Parquet lake, cleaning to canonical bars, and the readiness gate.
 * Network sources (src/data/network) and the synthetic market (src/data/synthetic) have their own
 * index files; they store raw data through the lake API exported here.
 */
export * from './lake/index.js';
export * from './files/index.js';
export * from './clean/index.js';
export * from './readiness/index.js';
export { assertReady } from './ready.js';
