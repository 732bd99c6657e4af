/**
 * What a stored run keeps beyond the ledger tables so it can be exported and reported in a later
 * session (docs/reports.md): the close every symbol was marked at per step, the benchmark and the
 * per-model P&L (table run_series), each model's cost columns (run_models), the step each fill was
 * booked at (fills.booked_ts), and the report facts (gates, cost decomposition, regimes) in the
 * run's summary. loadRunData rebuilds the RunData that was stored, value for value.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import type { RunData, RunFacts, RunFill, RunModel, RunOrder, RunTrade } from '../report/run-data.js';
import { withResultsDb, type DbOptions } from './db.js';
import { loadRun } from './read-runs.js';

/** The run summary's `report` entry: what RunData needs that is neither a table nor a series. */
export interface StoredReportFacts {
  readonly symbols: readonly string[];
  readonly benchmark: string;
  readonly facts: RunFacts;
}

export const reportFactsOf = (run: RunData): StoredReportFacts => ({ symbols: run.symbols, benchmark: run.benchmark.name, facts: run.facts });

/** Append the series and per-model rows of `run` (inside the caller's transaction). */
export async function appendRunExtras(conn: DuckDBConnection, id: string, run: RunData): Promise<void> {
  const series: [string, Float64Array][] = [
    ...run.symbols.map((s, i): [string, Float64Array] => [`mark:${s}`, run.marks[i]!]),
    ['benchmark', run.benchmark.value],
    ...run.models.map((m): [string, Float64Array] => [`model:${m.name}`, m.pnl]),
  ];
  const a = await conn.createAppender('run_series');
  series.forEach(([name, values], idx) => {
    for (let k = 0; k < values.length; k++) {
      a.appendVarchar(id);
      a.appendVarchar(name);
      a.appendInteger(idx);
      a.appendInteger(k);
      a.appendDouble(values[k]!);
      a.endRow();
    }
  });
  a.closeSync();
  const m = await conn.createAppender('run_models');
  run.models.forEach((x, idx) => {
    m.appendVarchar(id);
    m.appendInteger(idx);
    m.appendVarchar(x.name);
    m.appendVarchar(x.version);
    for (const v of [x.budget, x.total, x.fees, x.slippage, x.impact, x.funding, x.borrow, x.decisions]) m.appendDouble(v);
    m.endRow();
  });
  m.closeSync();
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

async function rows(conn: DuckDBConnection, sql: string, id: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, [id])).getRowObjectsJS() as Record<string, unknown>[];
}

/** The stored RunData of a run (id or unique prefix). A run stored before exports existed is refused with a clear line. */
export async function loadRunData(path: string, idOrPrefix: string, opts: DbOptions = {}): Promise<RunData> {
  const rec = await loadRun(path, idOrPrefix, opts);
  const report = rec.summary['report'] as StoredReportFacts | undefined;
  if (rec.kind !== 'backtest' || !report) {
    throw new UserError(`run ${rec.id} was stored without its report data (an older edgelab); run the backtest again to export or report it`, 'run id');
  }
  return withResultsDb(
    path,
    async (conn) => {
      const eq = await conn.runAndReadAll('SELECT ts, nav, cash, gross, net, drawdown, risk_mode FROM equity WHERE run_id = $1 ORDER BY step', [rec.id]);
      const cols = eq.getColumnsJS();
      const f64 = (c: number): Float64Array => Float64Array.from(cols[c]!, (v) => Number(v));
      const steps = eq.currentRowCount;
      const seriesRows = await rows(conn, 'SELECT name, idx, step, value FROM run_series WHERE run_id = $1 ORDER BY idx, step', rec.id);
      const series = new Map<string, Float64Array>();
      for (const r of seriesRows) {
        const name = String(r['name']);
        let a = series.get(name);
        if (!a) series.set(name, (a = new Float64Array(steps)));
        a[Number(r['step'])] = Number(r['value']);
      }
      const get = (name: string): Float64Array => series.get(name) ?? new Float64Array(steps).fill(NaN);
      const orders: RunOrder[] = (await rows(conn, 'SELECT * FROM orders WHERE run_id = $1 ORDER BY id', rec.id)).map((o) => ({
        id: Number(o['id']), symbol: String(o['symbol']), qty: Number(o['qty']), type: String(o['type']), price: num(o['price']),
        placedAt: Number(o['placed_at']), model: str(o['model']), reason: String(o['reason']), status: String(o['status']),
        closedAt: num(o['closed_at']), filled: Number(o['filled_qty']),
      }));
      const fills: RunFill[] = (await rows(conn, 'SELECT * FROM fills WHERE run_id = $1 ORDER BY rowid', rec.id)).map((f) => ({
        orderId: Number(f['order_id']), symbol: String(f['symbol']), ts: Number(f['ts']), bookedTs: Number(f['booked_ts']), qty: Number(f['qty']),
        refPrice: Number(f['ref_price']), price: Number(f['price']), notional: Number(f['notional']), fee: Number(f['fee']),
        slippage: Number(f['slippage']), impact: Number(f['impact']), liquidity: String(f['liquidity']), gap: Boolean(f['gap']),
        type: String(f['type']), reason: String(f['reason']),
      }));
      const trades: RunTrade[] = (await rows(conn, 'SELECT * FROM trades WHERE run_id = $1 ORDER BY rowid', rec.id)).map((t) => ({
        symbol: String(t['symbol']), side: String(t['side']), entryTs: Number(t['entry_ts']), exitTs: num(t['exit_ts']), maxQty: Number(t['max_qty']),
        entryPrice: Number(t['entry_price']), exitPrice: num(t['exit_price']), pnl: Number(t['pnl']), fees: Number(t['fees']),
        funding: Number(t['funding']), borrow: Number(t['borrow'] ?? 0),
      }));
      const models: RunModel[] = (await rows(conn, 'SELECT * FROM run_models WHERE run_id = $1 ORDER BY idx', rec.id)).map((m) => ({
        name: String(m['model']), version: String(m['version']), budget: Number(m['budget']), pnl: get(`model:${String(m['model'])}`),
        total: Number(m['pnl']), fees: Number(m['fees']), slippage: Number(m['slippage']), impact: Number(m['impact']),
        funding: Number(m['funding']), borrow: Number(m['borrow']), decisions: Number(m['decisions']),
      }));
      const summary = rec.summary as { interval?: string; initialCapital?: number };
      return {
        id: rec.id,
        label: rec.label,
        kind: String((rec.config as { kind?: string } | null)?.kind ?? 'backtest'),
        seed: rec.seed,
        configDigest: rec.configDigest,
        codeRevision: rec.codeRevision,
        dataDigests: rec.dataDigests,
        resultDigest: rec.resultDigest,
        config: rec.config,
        profile: rec.profile,
        initialCapital: Number(summary.initialCapital),
        interval: String(summary.interval),
        metrics: rec.metrics,
        symbols: report.symbols,
        equity: { ts: f64(0), nav: f64(1), cash: f64(2), gross: f64(3), net: f64(4), drawdown: f64(5), mode: cols[6]!.map((v) => String(v)) },
        marks: report.symbols.map((s) => get(`mark:${s}`)),
        orders,
        fills,
        trades,
        models,
        benchmark: { name: report.benchmark, value: get('benchmark') },
        facts: report.facts,
      };
    },
    { ...opts, create: false },
  );
}
