/** Read stored runs: the list, one run by id or unique id prefix, and its equity curve. */
import { UserError } from '../core/errors.js';
import { withResultsDb, type DbOptions } from './db.js';
import type { MetricValue, RunRecord } from './record.js';

export interface StoredRun extends RunRecord {
  readonly seq: number;
}

export interface RunListRow {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
  readonly label: string;
  readonly configDigest: string;
  readonly codeRevision: string;
  readonly seed: number;
  readonly start: number | null;
  readonly end: number | null;
  readonly steps: number | null;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Names of the models the run traded (from its config; empty when the config names none). */
  readonly models: readonly string[];
}

/** Model names in a stored run config ({ models: [{ name }] }). */
function modelsOf(config: string): string[] {
  const c = JSON.parse(config) as { models?: { name?: unknown }[] } | null;
  return Array.isArray(c?.models) ? c.models.map((m) => String(m?.name ?? '')).filter(Boolean) : [];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

type RunHead = Pick<RunListRow, 'id' | 'seq' | 'kind' | 'label' | 'configDigest' | 'codeRevision' | 'seed'>;

/** The identifying columns of a `runs` row, shared by the list and the full record. */
function runHead(row: Record<string, unknown>): RunHead {
  return {
    id: String(row['id']),
    seq: Number(row['seq']),
    kind: String(row['kind']),
    label: String(row['label'] ?? ''),
    configDigest: String(row['config_digest']),
    codeRevision: String(row['code_revision']),
    seed: Number(row['seed']),
  };
}

async function hasRunsTable(conn: Parameters<Parameters<typeof withResultsDb>[1]>[0]): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'runs'`);
  return Number(r.getRowObjectsJS()[0]!['n']) > 0;
}

export async function listRuns(path: string, opts: DbOptions = {}): Promise<RunListRow[]> {
  return withResultsDb(
    path,
    async (conn) => {
      if (!(await hasRunsTable(conn))) return [];
      const r = await conn.runAndReadAll(
        'SELECT id, seq, kind, label, config_digest, code_revision, seed, start_ts, end_ts, steps, metrics, config FROM runs ORDER BY seq',
      );
      return r.getRowObjectsJS().map((row) => ({
        ...runHead(row),
        start: num(row['start_ts']),
        end: num(row['end_ts']),
        steps: num(row['steps']),
        metrics: JSON.parse(String(row['metrics'])) as Record<string, MetricValue>,
        models: modelsOf(String(row['config'])),
      }));
    },
    { ...opts, create: false },
  );
}

/** Load one run by exact id, unique prefix or 'last' (the latest stored); a UserError lists close ids otherwise. */
export async function loadRun(path: string, idOrPrefix: string, opts: DbOptions = {}): Promise<StoredRun> {
  return withResultsDb(
    path,
    async (conn) => {
      if (!(await hasRunsTable(conn))) throw new UserError('no runs stored yet', path);
      // 'last': the run stored most recently
      const r =
        idOrPrefix === 'last'
          ? await conn.runAndReadAll('SELECT * FROM runs ORDER BY seq DESC LIMIT 1')
          : await conn.runAndReadAll(`SELECT * FROM runs WHERE starts_with(id, $1) ORDER BY seq`, [idOrPrefix]);
      const rows = r.getRowObjectsJS();
      const exact = rows.filter((row) => row['id'] === idOrPrefix);
      const pick = exact.length === 1 ? exact : rows;
      if (pick.length === 0) {
        const all = (await conn.runAndReadAll('SELECT id FROM runs ORDER BY seq DESC LIMIT 5')).getRowObjectsJS().map((x) => String(x['id']));
        throw new UserError(`no run '${idOrPrefix}'${all.length ? ` (latest: ${all.join(', ')})` : ''}; list them with \`runs\``, 'run id');
      }
      if (pick.length > 1) {
        throw new UserError(`run id prefix '${idOrPrefix}' matches ${pick.length} runs (${pick.map((x) => String(x['id'])).join(', ')}); give more characters`, 'run id');
      }
      const row = pick[0]!;
      return {
        ...runHead(row),
        dataDigests: JSON.parse(String(row['data_digests'])) as Record<string, string>,
        profile: JSON.parse(String(row['profile'])) as unknown,
        config: JSON.parse(String(row['config'])) as unknown,
        metrics: JSON.parse(String(row['metrics'])) as Record<string, MetricValue>,
        summary: JSON.parse(String(row['summary'])) as Record<string, unknown>,
        resultDigest: String(row['result_digest']),
        start: num(row['start_ts']),
        end: num(row['end_ts']),
        steps: num(row['steps']),
      };
    },
    { ...opts, create: false },
  );
}

export interface StoredEquity {
  readonly ts: Float64Array;
  readonly nav: Float64Array;
  readonly drawdown: Float64Array;
  readonly mode: string[];
}

/** The stored equity curve of a run (in step order). */
export async function loadEquity(path: string, id: string, opts: DbOptions = {}): Promise<StoredEquity> {
  return withResultsDb(
    path,
    async (conn) => {
      const r = await conn.runAndReadAll('SELECT ts, nav, drawdown, risk_mode FROM equity WHERE run_id = $1 ORDER BY step', [id]);
      const n = r.currentRowCount;
      const ts = new Float64Array(n);
      const nav = new Float64Array(n);
      const drawdown = new Float64Array(n);
      const mode: string[] = new Array<string>(n);
      const cols = r.getColumnsJS();
      for (let i = 0; i < n; i++) {
        ts[i] = Number(cols[0]![i]);
        nav[i] = Number(cols[1]![i]);
        drawdown[i] = Number(cols[2]![i]);
        mode[i] = String(cols[3]![i]);
      }
      return { ts, nav, drawdown, mode };
    },
    { ...opts, create: false },
  );
}

export interface StoredTrade {
  readonly symbol: string;
  readonly side: string;
  readonly entryTs: number;
  readonly exitTs: number | null;
  readonly maxQty: number;
  readonly entryPrice: number | null;
  readonly exitPrice: number | null;
  readonly pnl: number;
  readonly fees: number;
  readonly funding: number;
  /** Borrow fees of the trade; null for rows stored before the column existed. */
  readonly borrow: number | null;
}

/** The stored trades of a run, in stored order (databases from before the borrow column read it as null). */
export async function loadTrades(path: string, id: string, opts: DbOptions = {}): Promise<StoredTrade[]> {
  return withResultsDb(
    path,
    async (conn) => {
      const rows = (await conn.runAndReadAll('SELECT * FROM trades WHERE run_id = $1', [id])).getRowObjectsJS();
      return rows.map((r) => ({
        symbol: String(r['symbol']),
        side: String(r['side']),
        entryTs: Number(r['entry_ts']),
        exitTs: num(r['exit_ts']),
        maxQty: Number(r['max_qty']),
        entryPrice: num(r['entry_price']),
        exitPrice: num(r['exit_price']),
        pnl: Number(r['pnl']),
        fees: Number(r['fees']),
        funding: Number(r['funding']),
        borrow: num(r['borrow']),
      }));
    },
    { ...opts, create: false },
  );
}

/** Rows in a child table of a run (for tests and `runs show`). */
export async function countRows(path: string, table: 'equity' | 'orders' | 'fills' | 'trades' | 'breaches', id: string): Promise<number> {
  return withResultsDb(
    path,
    async (conn) => Number((await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = $1`, [id])).getRowObjectsJS()[0]!['n']),
    { create: false },
  );
}
