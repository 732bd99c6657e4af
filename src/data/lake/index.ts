/** The Parquet lake: raw (write-once, versioned) and clean zones, manifests, and the DuckDB bridge. */
export { withDuck, sqlString, sqlIdent, duckMessage } from './duck.js';
export { queryTable, loadTable, describeQuery } from './columns.js';
export { writeParquet, readParquet } from './parquet.js';
export { lakeDir, rawPartitionDir, cleanPartitionDir, type LakeHost, type RawPartition, type CleanPartition } from './layout.js';
export { readManifest, tsRange, type Manifest, type ManifestEntry } from './manifest.js';
export { writeRaw, readRaw, listRaw, concatTables, type RawWriteOptions, type RawWriteResult, type RawVersion } from './raw.js';
export { writeClean, readClean, gateArtifact, type CleanWriteResult } from './clean-store.js';
