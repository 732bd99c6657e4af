/**
 * Results database schema. Times are epoch milliseconds UTC in DOUBLE columns (the engine's own
 * representation, exact to 2^53); JSON documents are stored as VARCHAR so no extension is needed.
 * `seq` orders runs by insertion (the run id is a content hash, never a timestamp).
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY,
    seq BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    label VARCHAR,
    config_digest VARCHAR NOT NULL,
    code_revision VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    data_digests VARCHAR NOT NULL,
    profile VARCHAR NOT NULL,
    config VARCHAR NOT NULL,
    metrics VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    result_digest VARCHAR NOT NULL,
    start_ts DOUBLE,
    end_ts DOUBLE,
    steps BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS equity (
    run_id VARCHAR NOT NULL, step INTEGER NOT NULL, ts DOUBLE NOT NULL, nav DOUBLE, cash DOUBLE,
    gross DOUBLE, net DOUBLE, drawdown DOUBLE, risk_mode VARCHAR, breaches INTEGER
  )`,
  `CREATE TABLE IF NOT EXISTS orders (
    run_id VARCHAR NOT NULL, id INTEGER NOT NULL, symbol VARCHAR, qty DOUBLE, type VARCHAR, price DOUBLE,
    placed_at DOUBLE, model VARCHAR, reason VARCHAR, status VARCHAR, closed_at DOUBLE, filled_qty DOUBLE
  )`,
  `CREATE TABLE IF NOT EXISTS fills (
    run_id VARCHAR NOT NULL, order_id INTEGER, symbol VARCHAR, ts DOUBLE, qty DOUBLE, ref_price DOUBLE,
    price DOUBLE, notional DOUBLE, fee DOUBLE, slippage DOUBLE, impact DOUBLE, liquidity VARCHAR,
    gap BOOLEAN, type VARCHAR, reason VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS trades (
    run_id VARCHAR NOT NULL, symbol VARCHAR, side VARCHAR, entry_ts DOUBLE, exit_ts DOUBLE, max_qty DOUBLE,
    entry_price DOUBLE, exit_price DOUBLE, pnl DOUBLE, fees DOUBLE, funding DOUBLE, borrow DOUBLE
  )`,
  `CREATE TABLE IF NOT EXISTS breaches (
    run_id VARCHAR NOT NULL, step INTEGER, ts DOUBLE, kind VARCHAR, subject VARCHAR, model VARCHAR,
    value DOUBLE, limit_value DOUBLE, action VARCHAR
  )`,
  // per-step series a report needs later: mark:SYMBOL, benchmark, model:NAME (src/store/run-extras.ts)
  `CREATE TABLE IF NOT EXISTS run_series (
    run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, idx INTEGER NOT NULL, step INTEGER NOT NULL, value DOUBLE
  )`,
  // cost columns per model
  `CREATE TABLE IF NOT EXISTS run_models (
    run_id VARCHAR NOT NULL, idx INTEGER NOT NULL, model VARCHAR, version VARCHAR, budget DOUBLE, pnl DOUBLE,
    fees DOUBLE, slippage DOUBLE, impact DOUBLE, funding DOUBLE, borrow DOUBLE, decisions DOUBLE
  )`,
];

/**
 * Columns added after version 1 first shipped, appended at the end of their table (the appender
 * writes columns in table order). A database written before them gets them on its next write; their
 * rows from before read as NULL. Same schema version: nothing else changed.
 */
export const ADDED_COLUMNS_SQL: readonly string[] = [
  `ALTER TABLE trades ADD COLUMN IF NOT EXISTS borrow DOUBLE`,
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS filled_qty DOUBLE`,
  // the clock step at which a fill entered cash and positions (NULL for runs stored before it)
  `ALTER TABLE fills ADD COLUMN IF NOT EXISTS booked_ts DOUBLE`,
];

/** Child tables holding per-run rows (deleted with the run). */
export const RUN_TABLES = ['equity', 'orders', 'fills', 'trades', 'breaches', 'run_series', 'run_models'] as const;
