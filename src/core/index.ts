/** core: types, time, seeded randomness, canonical JSON and digests, user-facing errors. */
export * from './result.js';
export * from './errors.js';
export * from './canonical.js';
export * from './time.js';
export * from './rng.js';
export * from './table.js';
export * from './suggest.js';
