/**
 * A benchmark workload. `npm run bench` loads every bench/*.bench.ts (compiled to dist/bench),
 * runs each workload in name order and writes bench/results.json. Workloads measure; they never
 * assert a timing. Put a baseline (a plain loop, DuckDB's own reader) in the same workload's
 * figures so each number is read beside its reference from the same run.
 */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  /** e.g. 'rows/s', 'bars/s', 'ms', 'values/s'. */
  readonly unit: string;
}

export interface BenchWorkload {
  readonly name: string;
  readonly description: string;
  run(): Promise<readonly BenchFigure[]>;
}
