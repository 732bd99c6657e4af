/**
 * Result digests of earlier schemes, computed on today's results so the digests pinned under them
 * keep guarding the results when the scheme moves.
 *
 * Scheme 1: the result digest (before commit "result digest scheme 2"): every per-step series as
 * bytes, then sha256 of core/canonical.ts `canonicalJson` of the records (numbers as their shortest
 * round-trip text), with zero borrow left out. The digests pinned on commit 4d9625a are of this
 * scheme, so tests compute it on today's results and compare: a guard that does not move when the
 * digest scheme does. `referenceReportDigest` is the report digest built on it, as
 * run-backtest.ts builds the report digest.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, digestOf } from '../../src/core/canonical.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import type { BacktestReport } from '../../src/backtest/run-backtest.js';

/** A record without its borrow field when that is 0 (scheme 1 left zero borrow out). */
function withoutZeroBorrow<T extends { readonly borrow?: number }>(o: T): T | Omit<T, 'borrow'> {
  if (o.borrow !== 0) return o;
  const { borrow: _b, ...rest } = o;
  return rest;
}

export function referenceResultDigest(r: BacktestResult): string {
  const h = createHash('sha256');
  const arrays: [string, Float64Array | Uint8Array | Uint32Array][] = [
    ['ts', r.ts], ['nav', r.nav], ['cash', r.cash], ['gross', r.gross], ['net', r.net],
    ['drawdown', r.drawdown], ['mode', r.mode], ['breachCount', r.breachCount],
  ];
  for (const m of r.models) arrays.push([`model:${m.name}`, m.pnl]);
  for (const [name, a] of arrays) {
    h.update(`${name}:${a.length};`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(canonicalJson({
    profile: r.profile,
    orders: r.orders,
    fills: r.fills,
    trades: r.trades,
    breaches: r.breaches,
    costs: withoutZeroBorrow(r.costs),
    models: r.models.map(({ pnl: _pnl, ...rest }) => withoutZeroBorrow(rest)),
    assets: r.assets.map(withoutZeroBorrow),
    finalMode: r.finalMode,
  }));
  return h.digest('hex');
}

/** The report digest with the result digest of scheme 1 inside (run-backtest.ts's layout). */
export function referenceReportDigest(report: BacktestReport): string {
  const plan = report.plan;
  return digestOf({
    plan: { kind: plan.kind, label: plan.label, interval: plan.interval, backtest: plan.backtest, regime: plan.regime, models: plan.models },
    data: report.data,
    result: referenceResultDigest(report.result),
    metrics: report.metrics,
    gates: report.gates,
  });
}

/**
 * The layout pieces of schemes 2–4 written plainly with Buffer writes (one buffer for the whole
 * input, hashed once), independent of src/backtest/engine-digest.ts and record-columns.ts.
 */
export class LayoutWriter {
  private readonly parts: Buffer[] = [];

  text(s: string): void {
    this.parts.push(Buffer.from(s, 'utf8'));
  }

  /** float64 little-endian, −0 written as 0, every NaN as the quiet NaN 0x7FF8000000000000. */
  doubles(values: ArrayLike<number>): void {
    const b = Buffer.alloc(8 * values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) b.writeUInt32LE(0x7ff80000, 8 * i + 4);
      else b.writeDoubleLE(Object.is(v, -0) ? 0 : v, 8 * i);
    }
    this.parts.push(b);
  }

  bytes(b: Uint8Array): void {
    this.parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }

  uint32s(values: readonly number[]): void {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => b.writeUInt32LE(v, 4 * i));
    this.parts.push(b);
  }

  digest(): string {
    return createHash('sha256').update(Buffer.concat(this.parts)).digest('hex');
  }
}

/**
 * Schemes 3 and 4 before the record tables: the clock as (first, step, count) runs (a run goes on
 * while previous + step is exactly the next value), the NAV's bytes, mode and breach counts as
 * (value, count) runs of equal values, the profile's canonical JSON and the final mode.
 */
export function writeSeriesRuns(w: LayoutWriter, r: BacktestResult): void {
  const ts = Array.from(r.ts);
  const tsRuns: number[] = [];
  for (let i = 0; i < ts.length; ) {
    let step = 0;
    let end = i + 1;
    if (end < ts.length && ts[i]! + (ts[end]! - ts[i]!) === ts[end]) {
      step = ts[end]! - ts[i]!;
      while (end < ts.length && ts[end - 1]! + step === ts[end]) end++;
    }
    tsRuns.push(ts[i]!, step, end - i);
    i = end;
  }
  w.text(`ts:${ts.length};`);
  w.doubles(tsRuns);
  w.text(`nav:${r.nav.length};`);
  w.bytes(new Uint8Array(r.nav.buffer, r.nav.byteOffset, r.nav.byteLength));
  for (const [name, a] of [['mode', Array.from(r.mode)], ['breachCount', Array.from(r.breachCount)]] as const) {
    const runs: number[] = [];
    a.forEach((v, i) => {
      if (i > 0 && a[i - 1] === v) runs[runs.length - 1]!++;
      else runs.push(v, 1);
    });
    w.text(`${name}:${a.length};`);
    w.doubles(runs);
  }
  w.text(`profile;${canonicalJson(r.profile)};finalMode;${r.finalMode};`);
}

/** One field of a record table, cell by cell: kind (0 absent, 1 null, 2 number, 3 string, 4 false, 5 true, 6 other), number, dictionary index. */
export interface PlainColumn {
  readonly kinds: number[];
  readonly numbers: number[];
  readonly indices: number[];
  readonly dictionary: string[];
}

/** The sorted names of the fields defined (not undefined) in some row. */
export function fieldNames(rows: readonly object[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (v !== undefined) keys.add(k);
  return [...keys].sort();
}

export function plainColumn(rows: readonly object[], key: string): PlainColumn {
  const col: PlainColumn = { kinds: [], numbers: [], indices: [], dictionary: [] };
  const indexOf = (s: string): number => (col.dictionary.includes(s) ? col.dictionary.indexOf(s) : col.dictionary.push(s) - 1);
  for (const row of rows) {
    const v = (row as Record<string, unknown>)[key];
    let kind = 0;
    let number = 0;
    let index = 0;
    if (v === null) kind = 1;
    else if (typeof v === 'number') [kind, number] = [2, v];
    else if (typeof v === 'string') [kind, index] = [3, indexOf(v)];
    else if (typeof v === 'boolean') kind = v ? 5 : 4;
    else if (v !== undefined) [kind, index] = [6, indexOf(canonicalJson(v))];
    col.kinds.push(kind);
    col.numbers.push(number);
    col.indices.push(index);
  }
  return col;
}

/** A record table in scheme 2/3's layout: per field the kind bytes, the float64s, the uint32 indices and the dictionary. */
export function writeTableScheme3(w: LayoutWriter, name: string, rows: readonly object[]): void {
  w.text(`${name}:${rows.length};`);
  for (const key of fieldNames(rows)) {
    w.text(`${key};`);
    const col = plainColumn(rows, key);
    w.bytes(Uint8Array.from(col.kinds));
    w.doubles(col.numbers);
    w.uint32s(col.indices);
    w.text(`${JSON.stringify(col.dictionary)};`);
  }
}

function writeTables(w: LayoutWriter, r: BacktestResult, table: (w: LayoutWriter, name: string, rows: readonly object[]) => void): void {
  table(w, 'orders', r.orders);
  table(w, 'fills', r.fills);
  table(w, 'trades', r.trades);
  table(w, 'breaches', r.breaches);
  table(w, 'costs', [r.costs]);
  table(w, 'models', r.models.map(({ pnl: _pnl, ...rest }) => rest));
  table(w, 'assets', r.assets);
}

/** The report digest with another scheme's result digest inside (run-backtest.ts's layout). */
function reportDigestWith(report: BacktestReport, result: string): string {
  const plan = report.plan;
  return digestOf({
    plan: { kind: plan.kind, label: plan.label, interval: plan.interval, backtest: plan.backtest, regime: plan.regime, models: plan.models },
    data: report.data,
    result,
    metrics: report.metrics,
    gates: report.gates,
  });
}

/**
 * Scheme 2 (commits d37370e to the "result digest scheme 3" commit): every per-step series as
 * bytes, derived ones (cash, gross, net, drawdown, model P&L) included, then the record tables as
 * typed columns (the table layout scheme 3 kept). The scheme-2 digests pinned before scheme 3 are
 * checked through this.
 */
export function scheme2ResultDigest(r: BacktestResult): string {
  const w = new LayoutWriter();
  w.text('edgelab result digest v2\n');
  const series: [string, Float64Array | Uint8Array | Uint32Array][] = [
    ['ts', r.ts], ['nav', r.nav], ['cash', r.cash], ['gross', r.gross], ['net', r.net],
    ['drawdown', r.drawdown], ['mode', r.mode], ['breachCount', r.breachCount],
  ];
  for (const m of r.models) series.push([`model:${m.name}`, m.pnl]);
  for (const [name, a] of series) {
    w.text(`${name}:${a.length};`);
    w.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  w.text(`profile;${canonicalJson(r.profile)};finalMode;${r.finalMode};`);
  writeTables(w, r, writeTableScheme3);
  return w.digest();
}

/** The report digest with the result digest of scheme 2 inside. */
export function scheme2ReportDigest(report: BacktestReport): string {
  return reportDigestWith(report, scheme2ResultDigest(report.result));
}

/**
 * Scheme 3 (the "result digest scheme 3" commit to the "result digest scheme 4" commit): the
 * derived series left out, the clock, mode and breach counts as runs, the record tables as in
 * scheme 2. The scheme-3 digests pinned before scheme 4 are checked through this.
 */
export function scheme3ResultDigest(r: BacktestResult): string {
  const w = new LayoutWriter();
  w.text('edgelab result digest v3\n');
  writeSeriesRuns(w, r);
  writeTables(w, r, writeTableScheme3);
  return w.digest();
}

/** The report digest with the result digest of scheme 3 inside. */
export function scheme3ReportDigest(report: BacktestReport): string {
  return reportDigestWith(report, scheme3ResultDigest(report.result));
}

/** The tables of a result in the order the digests write them (for a layout written elsewhere). */
export function writeResultTables(w: LayoutWriter, r: BacktestResult, table: (w: LayoutWriter, name: string, rows: readonly object[]) => void): void {
  writeTables(w, r, table);
}
