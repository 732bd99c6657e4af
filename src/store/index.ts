export { withResultsDb, inTransaction, lockError, type DbOptions } from './db.js';
export { SCHEMA_SQL, SCHEMA_VERSION, RUN_TABLES } from './schema.js';
export { runIdOf, type Reproducibility, type RunRecord, type MetricValue } from './record.js';
export { backtestRecord, ledgerMetrics, type BacktestRecordInput } from './backtest-record.js';
export { storeBacktestRun, ensureSchema, type StoreOutcome } from './write-run.js';
export { listRuns, loadRun, loadEquity, loadTrades, countRows, type RunListRow, type StoredRun, type StoredEquity, type StoredTrade } from './read-runs.js';
export { diffRuns, diffValues, flatten, type RunDiff, type DiffRow, type MetricRow } from './diff.js';
export { resultsDbPath, type ResultsDbSession } from './path.js';
export { metricCell, thin } from './format.js';
