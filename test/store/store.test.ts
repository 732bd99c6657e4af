/**
 * Results store: reproducible run records, `runs diff`, atomic writes and a second process on the
 * same database file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { UserError } from '../../src/core/errors.js';
import { backtestRecord, countRows, diffRuns, listRuns, loadEquity, loadRun, loadTrades, SCHEMA_SQL, storeBacktestRun, withResultsDb } from '../../src/store/index.js';
import { bars, cfg, flat, neutral, scripted, withBudget, type Row } from '../backtest/engine-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: Row[] = Array.from({ length: 30 }, (_, i) => {
  const c = 100 + 10 * Math.sin(i / 3);
  return [c - 0.5, c + 1, c - 1, c, 1000] as const;
});

function backtest(overlay: Record<string, unknown> = {}): { result: BacktestResult; config: Record<string, unknown> } {
  const config = cfg(overlay);
  const result = runBacktest({
    symbols: [bars('SPY', rows)],
    models: [withBudget(scripted('m', ['SPY'], { 2: { weights: { SPY: 1 } }, 12: { weights: { SPY: -0.5 } }, 20: { weights: { SPY: 0.3 } } }), 1)],
    config,
    regimeAt: neutral,
  });
  // the record's config is the whole session config; here the backtest section under its key
  return { result, config: { backtest: config } };
}

const record = (b: ReturnType<typeof backtest>) => backtestRecord({ result: b.result, config: b.config, codeRevision: 'test-rev', seed: 42 });

describe('run records', () => {
  const db = join(dir, 'a.duckdb');
  test('the same backtest twice gives identical digests and the same run id', async () => {
    const r1 = record(backtest());
    const r2 = record(backtest());
    expect(r2.resultDigest).toBe(r1.resultDigest);
    expect(r2.configDigest).toBe(r1.configDigest);
    expect(r2.id).toBe(r1.id);
    expect(r1.id).toMatch(/^bt-[0-9a-f]{16}$/);
    const s1 = await storeBacktestRun(db, r1, backtest().result);
    expect(s1.status).toBe('stored');
    const s2 = await storeBacktestRun(db, r2, backtest().result);
    expect(s2).toEqual({ id: r1.id, status: 'identical', path: db });
    expect(await listRuns(db)).toHaveLength(1);
  });

  test('changing one config value changes the config digest, the id, and runs diff shows it', async () => {
    const base = backtest({ costs: { default: { maker_bps: 0, taker_bps: 5, slippage_bps: 0, impact_coef: 0 } } });
    const changed = backtest({ costs: { default: { maker_bps: 0, taker_bps: 6, slippage_bps: 0, impact_coef: 0 } } });
    const ra = record(base);
    const rb = record(changed);
    expect(rb.configDigest).not.toBe(ra.configDigest);
    expect(rb.id).not.toBe(ra.id);
    await storeBacktestRun(db, ra, base.result);
    await storeBacktestRun(db, rb, changed.result);
    const a = await loadRun(db, ra.id);
    const b = await loadRun(db, rb.id.slice(0, 10)); // unique prefix works
    const d = diffRuns(a, b);
    expect(d.config).toEqual([{ key: 'backtest.costs.default.taker_bps', a: '5', b: '6' }]);
    expect(d.profile).toEqual([{ key: 'costs.default.taker_bps', a: '5', b: '6' }]);
    expect(d.record.map((x) => x.key)).toEqual(['configDigest', 'resultDigest']);
    const fees = d.metrics.find((m) => m.name === 'fees')!;
    expect(fees.b as number).toBeCloseTo((fees.a as number) * 1.2, 9);
    expect(fees.delta).toBeCloseTo((fees.b as number) - (fees.a as number), 12);
  });

  test('a stored run reads back whole: record, equity curve and child rows', async () => {
    const b = backtest();
    const r = record(b);
    const back = await loadRun(db, r.id);
    expect(back.resultDigest).toBe(r.resultDigest);
    expect(back.profile).toEqual(JSON.parse(JSON.stringify(r.profile)));
    expect(back.metrics['fills']).toBe(b.result.fills.length);
    expect(back.dataDigests).toEqual({ 'SPY:1d': b.result.symbols[0]!.digest });
    const eq = await loadEquity(db, r.id);
    expect(Array.from(eq.nav)).toEqual(Array.from(b.result.nav));
    expect(await countRows(db, 'fills', r.id)).toBe(b.result.fills.length);
    expect(await countRows(db, 'orders', r.id)).toBe(b.result.orders.length);
    expect(await countRows(db, 'trades', r.id)).toBe(b.result.trades.length);
  });

  test('unknown and ambiguous ids give clear messages', async () => {
    await expect(loadRun(db, 'bt-nope')).rejects.toThrow(/no run 'bt-nope' \(latest: bt-/);
    await expect(loadRun(db, 'bt-')).rejects.toThrow(/matches 3 runs/);
    await expect(listRuns(join(dir, 'missing.duckdb'))).rejects.toThrow(/no results database yet/);
  });
});

describe('borrow fees in the store', () => {
  // 100 shares short at 50 for 3 daily bars at 365 bps/yr: 1.50 of borrow (test/backtest/engine-borrow.test.ts)
  const shortRun = () => {
    const config = cfg({ costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0, borrow_bps_year: 365 } }, execution: { rebalance_band: 0.5 } });
    const result = runBacktest({
      symbols: [bars('SPY', flat(50, 5))],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: -0.5 } }, 3: { weights: { SPY: 0 } } }), 1)],
      config,
      regimeAt: neutral,
    });
    return { result, config: { backtest: config } };
  };

  test('the trades table keeps each trade\'s borrow; the metrics and summary keep the total', async () => {
    const db = join(dir, 'borrow.duckdb');
    const b = shortRun();
    const r = record(b);
    await storeBacktestRun(db, r, b.result);
    const trades = await loadTrades(db, r.id);
    expect(trades).toHaveLength(1);
    expect(trades[0]!.borrow).toBeCloseTo(1.5, 12);
    expect(trades[0]!.pnl).toBeCloseTo(-1.5, 12);
    const back = await loadRun(db, r.id);
    expect(back.metrics['borrow']).toBeCloseTo(1.5, 12);
    expect((back.summary['costs'] as { borrow: number }).borrow).toBeCloseTo(1.5, 12);
  });

  test('a database written before the borrow column opens, reads, and gains the column on the next write', async () => {
    const db = join(dir, 'old.duckdb');
    // the version-1 schema as first shipped: trades without `borrow`, orders without `filled_qty`
    const old = SCHEMA_SQL.map((s) => s.replace(', funding DOUBLE, borrow DOUBLE', ', funding DOUBLE').replace(', closed_at DOUBLE, filled_qty DOUBLE', ', closed_at DOUBLE'));
    expect(old.some((s) => s.includes('funding DOUBLE\n'))).toBe(true);
    expect(old.some((s) => s.includes('closed_at DOUBLE\n'))).toBe(true);
    await withResultsDb(db, async (conn) => {
      for (const s of old) await conn.run(s);
      await conn.run(`INSERT INTO meta VALUES ('schema_version', '1')`);
      await conn.run(`INSERT INTO trades VALUES ('bt-old', 'SPY', 'long', 0, 1, 10, 100, 101, 10, 0, 0)`);
    });
    expect(await listRuns(db)).toEqual([]);
    expect((await loadTrades(db, 'bt-old'))[0]!.borrow).toBeNull();
    const b = shortRun();
    const r = record(b);
    expect((await storeBacktestRun(db, r, b.result)).status).toBe('stored');
    expect((await loadTrades(db, r.id))[0]!.borrow).toBeCloseTo(1.5, 12);
    expect((await loadTrades(db, 'bt-old'))[0]).toMatchObject({ pnl: 10, borrow: null });
    expect(await listRuns(db)).toHaveLength(1);
    const filled = await withResultsDb(db, async (conn) => (await conn.runAndReadAll('SELECT qty, filled_qty FROM orders WHERE run_id = $1 ORDER BY id', [r.id])).getRowsJS());
    expect(filled).toEqual([[-100, -100], [100, 100]]);
  });

  test('orders keep their filled quantity: partial under a participation cap', async () => {
    const db = join(dir, 'cap.duckdb');
    const config = cfg({ initial_capital: 100_000, execution: { rebalance_band: 0.5, max_participation: 0.25 } });
    // 1 000 shares ordered; volumes 2 000 then 1 000 fill 500 + 250 before the run ends
    const result = runBacktest({
      symbols: [bars('SPY', [[50, 50, 50, 50, 9999], [50, 50, 50, 50, 2000], [50, 50, 50, 50, 1000]])],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 0.5 } } }), 1)],
      config,
      regimeAt: neutral,
    });
    const r = record({ result, config: { backtest: config } });
    await storeBacktestRun(db, r, result);
    const rows = await withResultsDb(db, async (conn) => (await conn.runAndReadAll('SELECT qty, filled_qty, status FROM orders WHERE run_id = $1', [r.id])).getRowsJS());
    expect(rows).toEqual([[1000, 750, 'open']]);
  });
});

describe('atomic writes', () => {
  test('a failure in the middle of a write leaves nothing of that run', async () => {
    const db = join(dir, 'atomic.duckdb');
    const good = backtest();
    await storeBacktestRun(db, record(good), good.result);
    const other = backtest({ initial_capital: 20_000 });
    const rec = record(other);
    // equity and orders append fine, then reading the trades throws half-way through the write
    const broken = { ...other.result, get trades(): never { throw new Error('disk on fire'); } } as BacktestResult;
    await expect(storeBacktestRun(db, rec, broken)).rejects.toThrow('disk on fire');
    const runs = await listRuns(db);
    expect(runs.map((r) => r.id)).toEqual([record(good).id]);
    expect(await countRows(db, 'equity', rec.id)).toBe(0);
    expect(await countRows(db, 'orders', rec.id)).toBe(0);
  });

  test('bad input stops before anything is stored', async () => {
    const db = join(dir, 'bad.duckdb');
    const attempt = async (): Promise<void> => {
      const result = runBacktest({
        symbols: [bars('SPY', rows)],
        models: [withBudget(scripted('m', ['SPY'], { 3: { weights: { SPY: NaN } } }), 1)],
        config: cfg(),
        regimeAt: neutral,
      });
      await storeBacktestRun(db, backtestRecord({ result, config: {}, codeRevision: 'x', seed: 1 }), result);
    };
    await expect(attempt()).rejects.toThrow(UserError);
    await expect(listRuns(db)).rejects.toThrow(/no results database yet/);
  });
});

describe('a second process on the same database', () => {
  test('while another process holds the file: one clear message naming its pid, then normal service', async () => {
    const db = join(dir, 'locked.duckdb');
    const first = backtest();
    await storeBacktestRun(db, record(first), first.result);
    const sizeBefore = statSync(db).size;
    const holder = await holdDatabase(db);
    try {
      const b = backtest({ initial_capital: 30_000 });
      const err = await storeBacktestRun(db, record(b), b.result, { attempts: 2, waitMs: 20 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        new RegExp(`^${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: results database is in use by another process \\(pid ${holder.pid}, .*\\); nothing was written`),
      );
      await expect(listRuns(db, { attempts: 1 })).rejects.toThrow(/in use by another process/);
    } finally {
      await release(holder);
    }
    expect(statSync(db).size).toBe(sizeBefore);
    const runs = await listRuns(db);
    expect(runs.map((r) => r.id)).toEqual([record(first).id]);
  });
});

describe('two shells taking turns on one database', () => {
  test('short-lived connections: runs stored while another process keeps opening and closing the file all succeed', async () => {
    const db = join(dir, 'shared.duckdb');
    const first = backtest();
    await storeBacktestRun(db, record(first), first.result);
    const other = spawnReader(db);
    try {
      for (const capital of [11_000, 12_000, 13_000, 14_000]) {
        const b = backtest({ initial_capital: capital });
        const out = await storeBacktestRun(db, record(b), b.result, { attempts: 20, waitMs: 25 });
        expect(out.status).toBe('stored');
      }
    } finally {
      await release(other);
    }
    expect(await listRuns(db)).toHaveLength(5);
  });
});

/** A node process that opens the database, reads, closes, sleeps 5 ms — in a loop, like a second shell running `runs`. */
function spawnReader(path: string): ChildProcess {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
for (;;) {
  try {
    const db = await DuckDBInstance.create(process.argv[1]);
    const c = await db.connect();
    await c.run('SELECT COUNT(*) FROM runs');
    c.closeSync();
    db.closeSync();
  } catch {}
  await new Promise((r) => setTimeout(r, 5));
}`;
  return spawn(process.execPath, ['--input-type=module', '-e', script, path], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'ignore' });
}

/** Start a node process that opens the database and keeps it open until killed. */
function holdDatabase(path: string): Promise<ChildProcess> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[1]);
const conn = await db.connect();
await conn.run('SELECT 1');
// kept reachable: an unreferenced instance is garbage-collected and closed, and its file lock goes with it
globalThis.heldDatabase = { db, conn };
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], { cwd: resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) ok(child);
    });
    child.on('exit', (code) => fail(new Error(`holder exited early (${code}): ${err}`)));
  });
}

function release(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    child.removeAllListeners('exit');
    child.on('exit', () => ok());
    child.kill('SIGTERM');
  });
}
