/**
 * Must-show 1 and 3 of the exports: re-reading fills.csv and replaying the fills in an independent
 * account (cash, positions, perpetual funding and short borrow fees, marked at the bar closes read
 * from the demo datasets) gives equity.csv's NAV to 1e-9 on the demo portfolio and on a short
 * single-model run; `runs export` of a run stored by an earlier session (a new Session on the same
 * database) writes files identical to `backtest --export` at run time, in CSV and in Parquet.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import backtestCmd from '../../commands/backtest.js';
import runsExportCmd from '../../commands/runs/export.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO } from '../../src/shell/command.js';
import type { Dataset } from '../../src/core/table.js';
import { readParquet } from '../../src/data/lake/parquet.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('export');
const db = join(tmp.dir, 'results.duckdb');
let demo: Dataset[] = [];

const io = (logged: string[] = []): CommandIO => ({
  signal: new AbortController().signal,
  progress: () => {},
  log: (m) => logged.push(m),
  execute: () => Promise.reject(new Error('not used')),
});

function session(): Session {
  const s = new Session({ root, cwd: tmp.dir });
  for (const d of demo) s.addDataset(d);
  return s;
}

beforeAll(async () => {
  const shell = await createShell({ root, cwd: tmp.dir });
  expect((await shell.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
}, 180_000);

/** A CSV written by the export (no quoted fields in these files) as rows of named strings. */
function readCsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

const HOUR = 3_600_000;
const INTERVAL_MS: Record<string, number> = { '15m': HOUR / 4, '1h': HOUR, '4h': 4 * HOUR, '1d': 24 * HOUR };

interface Bar {
  readonly open: number; // open time
  readonly close: number; // close time
  readonly px: number; // close price
  readonly funding: number; // funding rate settled at the close
}

/**
 * The bars a symbol trades on at `interval`, read straight from the demo datasets: the dataset
 * itself when loaded (session bars close at close_ts), else the 15m bars bucketed by hand (close =
 * last 15m close of the bucket, funding = sum of the bucket's rates, closing at bucket + interval).
 */
function barsOf(symbol: string, interval: string): Bar[] {
  const ds = demo.find((d) => d.name === `${symbol}:${interval}`);
  const step = INTERVAL_MS[interval]!;
  if (ds) {
    const c = ds.table.columns as Record<string, Float64Array>;
    return Array.from(c['ts']!, (t, i) => ({ open: t, close: c['close_ts'] ? c['close_ts'][i]! : t + step, px: c['close']![i]!, funding: c['funding_rate']?.[i] ?? 0 }));
  }
  const src = demo.find((d) => d.name === `${symbol}:15m`)!.table.columns as Record<string, Float64Array>;
  const out: Bar[] = [];
  for (let i = 0; i < src['ts']!.length; i++) {
    const b = Math.floor(src['ts']![i]! / step) * step;
    const last = out[out.length - 1];
    if (last && last.open === b) out[out.length - 1] = { ...last, px: src['close']![i]!, funding: last.funding + src['funding_rate']![i]! };
    else out.push({ open: b, close: b + step, px: src['close']![i]!, funding: src['funding_rate']![i]! });
  }
  return out;
}

/**
 * The independent account: at each equity step t, every bar closing by t is processed in order —
 * its fills (the fills whose time is the bar's open) move cash by −(signed qty × price + fee) and
 * the position by the signed qty; then funding −q × close × rate, borrow |q| × close × rate × bar
 * length / 365 d on shorts; then the close becomes the mark. NAV = cash + Σ q × mark.
 */
function replay(dir: string, interval: string, capital: number, borrowPerYear: Record<string, number> = {}): { nav: number[]; expected: number[]; booked: [number, number][] } {
  const fills = readCsv(join(dir, 'fills.csv'));
  const equity = readCsv(join(dir, 'equity.csv'));
  const symbols = [...new Set(fills.map((f) => f.symbol!))];
  const bars = new Map(symbols.map((s) => [s, barsOf(s, interval)] as const));
  const next = new Map<string, number>(symbols.map((s) => [s, 0] as const));
  const q = new Map<string, number>(symbols.map((s) => [s, 0] as const));
  const mark = new Map<string, number>(symbols.map((s) => [s, NaN] as const));
  const fillsAt = new Map<string, Record<string, string>[]>();
  for (const f of fills) {
    const key = `${f.symbol}@${Date.parse(f.ts!)}`;
    fillsAt.set(key, [...(fillsAt.get(key) ?? []), f]);
  }
  let cash = capital;
  const nav: number[] = [];
  const booked: [number, number][] = [];
  for (const row of equity) {
    const t = Date.parse(row.ts!);
    for (const s of symbols) {
      const list = bars.get(s)!;
      let j = next.get(s)!;
      for (; j < list.length && list[j]!.close <= t; j++) {
        const bar = list[j]!;
        for (const f of fillsAt.get(`${s}@${bar.open}`) ?? []) {
          const signed = (f.side === 'buy' ? 1 : -1) * Number(f.qty);
          cash -= signed * Number(f.price) + Number(f.fee);
          q.set(s, q.get(s)! + signed);
          booked.push([Date.parse(f.booked_ts!), t]);
        }
        const qs = q.get(s)!;
        if (bar.funding !== 0 && qs !== 0) cash -= qs * bar.px * bar.funding;
        const rate = borrowPerYear[s] ?? 0;
        if (rate > 0 && qs < 0) {
          const prevClose = j === 0 ? bar.open : list[j - 1]!.close;
          cash -= (-qs * bar.px * rate * (bar.close - prevClose)) / (365 * 24 * HOUR);
        }
        mark.set(s, bar.px);
      }
      next.set(s, j);
    }
    let v = cash;
    for (const s of symbols) if (q.get(s)! !== 0) v += q.get(s)! * mark.get(s)!;
    nav.push(v);
  }
  return { nav, expected: equity.map((r) => Number(r.nav)), booked };
}

function expectSameNav(r: { nav: number[]; expected: number[] }): void {
  expect(r.nav.length).toBe(r.expected.length);
  let worst = 0;
  for (let i = 0; i < r.nav.length; i++) worst = Math.max(worst, Math.abs(r.nav[i]! - r.expected[i]!) / Math.abs(r.expected[i]!));
  expect(worst).toBeLessThan(1e-9);
}

const filesOf = (dir: string): string[] => readdirSync(dir).sort();

describe('export round trip: replaying fills.csv gives equity.csv (must-show 1)', () => {
  it('the demo portfolio (perpetual funding, four symbols, 4h clock)', async () => {
    const dir = join(tmp.dir, 'portfolio');
    const s = session();
    const r = await backtestCmd.run(s, backtestCmd.schema.parse({ db, skipProbes: true, export: dir }), io());
    expect(r.status).toBe('ok');
    expect(filesOf(dir)).toEqual(['config.yaml', 'equity.csv', 'fills.csv', 'manifest.json', 'metrics.json', 'model_equity.csv', 'orders.csv', 'positions.csv', 'trades.csv']);
    const fills = readCsv(join(dir, 'fills.csv'));
    expect(Object.keys(fills[0]!).slice(0, 10)).toEqual(['ts', 'symbol', 'side', 'qty', 'price', 'fee', 'slippage', 'impact', 'model', 'order_id']);
    expect(fills.length).toBeGreaterThan(50);
    expect(new Set(fills.map((f) => f.side))).toEqual(new Set(['buy', 'sell']));
    for (const f of fills) expect(Number(f.qty)).toBeGreaterThan(0);
    const out = replay(dir, '4h', 100_000);
    // funding was paid or received: without it the replay would not match
    expect(readCsv(join(dir, 'trades.csv')).some((t) => Number(t.funding) !== 0)).toBe(true);
    expectSameNav(out);
    // each fill was booked at the first step at or after its bar's close, as the replay did
    for (const [bookedTs, step] of out.booked) expect(bookedTs).toBe(step);
    const eq = readCsv(join(dir, 'equity.csv'));
    expect(Object.keys(eq[0]!).slice(0, 7)).toEqual(['ts', 'nav', 'cash', 'gross_exposure', 'net_exposure', 'drawdown', 'risk_mode']);
    const trades = readCsv(join(dir, 'trades.csv'));
    expect(Object.keys(trades[0]!).slice(0, 11)).toEqual(['symbol', 'side', 'entry_ts', 'exit_ts', 'entry_price', 'exit_price', 'qty', 'pnl', 'return', 'bars_held', 'model']);
  }, 180_000);

  it('a short single-model run: sma_cross long/short on SPY 1d with commission and borrow fees', async () => {
    const dir = join(tmp.dir, 'sma');
    const raw = { model: 'sma_cross', symbol: 'SPY', fast: 5, slow: 20, short: true, interval: '1d', commissionPct: 0.1, borrowBps: 300, start: '2021-03-01', end: '2021-12-31', db, skipProbes: true, export: dir };
    const r = await backtestCmd.run(session(), backtestCmd.schema.parse(raw), io());
    expect(r.status).toBe('ok');
    const eq = readCsv(join(dir, 'equity.csv'));
    expect(Date.parse(eq[0]!.ts!)).toBeGreaterThanOrEqual(Date.parse('2021-03-01T00:00:00Z'));
    const trades = readCsv(join(dir, 'trades.csv'));
    expect(trades.some((t) => t.side === 'short' && Number(t.borrow) > 0)).toBe(true);
    expectSameNav(replay(dir, '1d', 100_000, { SPY: 0.03 }));
  }, 120_000);
});

describe('runs export of a run stored in an earlier session = --export at run time (must-show 3)', () => {
  it('CSV and Parquet, byte for byte', async () => {
    const atRun = join(tmp.dir, 'at-run');
    const atRunPq = join(tmp.dir, 'at-run-pq');
    const raw = { model: 'sma_cross', symbol: 'SPY', fast: 10, slow: 30, interval: '1d', db, skipProbes: true };
    const logged: string[] = [];
    await backtestCmd.run(session(), backtestCmd.schema.parse({ ...raw, export: atRun }), io(logged));
    await backtestCmd.run(session(), backtestCmd.schema.parse({ ...raw, export: atRunPq, exportFormat: 'parquet' }), io());
    const id = /stored as run (\S+)/.exec(logged.join('\n'))![1]!;
    // a new session with no datasets loaded: everything comes from the database
    const later = new Session({ root, cwd: tmp.dir });
    const again = join(tmp.dir, 'later');
    const againPq = join(tmp.dir, 'later-pq');
    expect((await runsExportCmd.run(later, runsExportCmd.schema.parse({ id, dir: again, db }), io())).status).toBe('ok');
    expect((await runsExportCmd.run(later, runsExportCmd.schema.parse({ id, dir: againPq, db, format: 'parquet' }), io())).status).toBe('ok');
    expect(filesOf(again)).toEqual(filesOf(atRun));
    for (const f of filesOf(atRun)) expect(readFileSync(join(again, f)).equals(readFileSync(join(atRun, f))), f).toBe(true);
    expect(filesOf(againPq)).toEqual(filesOf(atRunPq));
    for (const f of filesOf(atRunPq)) expect(readFileSync(join(againPq, f)).equals(readFileSync(join(atRunPq, f))), f).toBe(true);
    // the Parquet tables hold the CSV's values
    const pq = await readParquet(join(againPq, 'equity.parquet'));
    const csv = readCsv(join(again, 'equity.csv'));
    expect(Array.from(pq.columns['nav'] as Float64Array)).toEqual(csv.map((r) => Number(r.nav)));
    const manifest = JSON.parse(readFileSync(join(again, 'manifest.json'), 'utf8')) as { run_id: string; digests: { result: string } };
    expect(manifest.run_id).toBe(id);
    expect(manifest.digests.result).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('a bad folder or an unknown run is one clear line', async () => {
    const s = new Session({ root, cwd: tmp.dir });
    await expect(runsExportCmd.run(s, runsExportCmd.schema.parse({ id: 'bt-nope', dir: join(tmp.dir, 'x'), db }), io())).rejects.toThrow(/no run 'bt-nope'/);
  });
});
