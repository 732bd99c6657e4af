/** Reading market-data files (CSV, Parquet, Arrow/Feather, JSON) into canonical column tables. */
export { readMarketFile, filterRows, type ReadFileOptions, type FileRead, type LineInfo } from './read-file.js';
export { PRESETS, PRESET_NAMES, type Preset, type DataKind } from './presets.js';
export { detectFormat, type FileFormat } from './format.js';
export { parseMapSpec, completeMap, type ColumnMap } from './mapping.js';
export { detectTsFormat, parseTzOffset, formatTzOffset, type TsFormat } from './timestamps.js';
export { hintsFromName, UTC_PLUS_3_VENUES } from './filename.js';
export { detectInterval, stepText } from './shape.js';
export { readFeather } from './feather.js';
export { sniffCsv } from './sniff.js';
export type { RejectedRow } from './rejects.js';
export { ingestFile, type IngestFileOptions, type IngestFileResult } from './ingest.js';
