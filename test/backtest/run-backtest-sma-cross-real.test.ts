/**
 * Must-show 2: `sma_cross` (10/30, long-only, 95 % of equity, next-open fills, 0.1 % commission)
 * on real daily bars — Oracle 1995–2014 from backtrader's data folder (Yahoo Finance, split-adjusted
 * O/H/L/C) — checked against an independent reimplementation written in this file:
 *
 *   - exact integer arithmetic for the signal: prices have at most 6 decimals, so with
 *     P = round(price × 10⁶) the rule SMA10 > SMA30 is 3 · ΣP(last 10) > ΣP(last 30), exactly (the
 *     model sums floats over Float64Array windows). This matters: on 2004-06-29 the two averages are
 *     exactly equal (11.375), and a tie counts as "not above";
 *   - at each close t: long iff SMA10 > SMA30; when that changes, order floor(0.95 · NAV_t / close_t)
 *     whole shares (or the whole position out), filled at the next bar's open;
 *   - commission 0.1 % × |qty| × fill price, cash − qty × price − fee; NAV = cash + qty × close.
 *
 * The first trade, checked by hand against the CSV rows: the first decision (1995-02-13, the 30th
 * bar) already has SMA10 2.157099 > SMA30 2.137346, close 2.197531 → buy floor(95 000 / 2.197531) =
 * 43 230 shares at the 1995-02-14 open 2.216049, fee 95.80 (cash left 4 104.40). SMA10 first drops
 * below SMA30 at the 1995-04-04 close (2.373148 < 2.389609) → sell 43 230 at the 1995-04-05 open
 * 2.333333, fee 100.87: P&L 4 873.52.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataDir, sharedFile } from '../helpers/shared-data.js';
import { validateConfig } from '../../src/config/load.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';

interface Row {
  date: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function readYahooCsv(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('Date,Open,High,Low,Close,Adj Close,Volume');
  return lines.slice(1).map((l) => {
    const [date, o, h, lo, c, , v] = l.split(',');
    const [y, m, d] = date!.split('-').map(Number);
    return { date: date!, ts: Date.UTC(y!, m! - 1, d!), open: +o!, high: +h!, low: +lo!, close: +c!, volume: +v! };
  });
}

function datasetOf(rows: Row[]): Dataset {
  const col = (k: keyof Row) => Float64Array.from(rows, (r) => r[k] as number);
  const table = { length: rows.length, columns: { ts: col('ts'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') } };
  return { name: 'ORCL:1d', kind: 'bars', stage: 'clean', symbol: 'ORCL', interval: '1d', assetClass: 'equity', source: 'file:orcl-1995-2014.txt', table, digest: tableDigest(table) };
}

interface RefTrade {
  entry: string;
  exit: string | null;
  qty: number;
  entryPrice: number;
  exitPrice: number | null;
}

/** The independent reimplementation (see the file comment). */
function reference(rows: Row[], fast: number, slow: number, fraction: number, commission: number, capital: number) {
  let cash = capital;
  let qty = 0;
  let long = false;
  let pending: number | null = null;
  let started = false;
  const trades: RefTrade[] = [];
  const micros = rows.map((r) => Math.round(r.close * 1e6));
  const sum = (from: number, to: number) => micros.slice(from, to).reduce((x, y) => x + y, 0);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (pending !== null) {
      const fee = Math.abs(pending) * r.open * commission;
      cash -= pending * r.open + fee;
      if (pending > 0) trades.push({ entry: r.date, exit: null, qty: pending, entryPrice: r.open, exitPrice: null });
      else Object.assign(trades[trades.length - 1]!, { exit: r.date, exitPrice: r.open });
      qty += pending;
      pending = null;
    }
    if (i + 1 < slow) continue;
    // mean(fast) > mean(slow)  ⟺  slow · Σfast > fast · Σslow  (integers below 2^53: exact)
    const want = slow * sum(i + 1 - fast, i + 1) > fast * sum(i + 1 - slow, i + 1);
    if (started && want === long) continue;
    started = true;
    long = want;
    const nav = cash + qty * r.close;
    const target = want ? Math.floor((fraction * nav) / r.close) : 0;
    if (target - qty !== 0 && i + 1 < rows.length) pending = target - qty;
  }
  const last = rows[rows.length - 1]!;
  return { trades, final: cash + qty * last.close };
}

describe.skipIf(!sharedDataDir)('sma_cross on real ORCL daily bars (must-show 2)', () => {
  it('matches the independent reimplementation trade by trade and in final value', async () => {
    const rows = readYahooCsv(sharedFile('backtrader/orcl-1995-2014.txt'));
    expect(rows.length).toBe(5036);
    const config = validateConfig({});
    const plan = singleModelPlan(config, 'sma_cross', {
      params: { symbol: 'ORCL', fast: 10, slow: 30, size: 'equity:0.95' },
      interval: '1d',
      fill: 'next_open',
      commissionPct: 0.1,
    });
    const report = await runBacktestReport(plan, new Map([['ORCL:1d', datasetOf(rows)]]));
    const ref = reference(rows, 10, 30, 0.95, 0.001, 100_000);
    const day = (t: number | null) => (t === null ? null : new Date(t).toISOString().slice(0, 10));
    const engineTrades = report.result.trades.map((t) => ({ entry: day(t.entryTs), exit: day(t.exitTs), qty: t.maxQty, entryPrice: t.entryPrice, exitPrice: t.exitPrice }));
    // Hand-checked first trade (file comment).
    expect(engineTrades[0]).toEqual({ entry: '1995-02-14', exit: '1995-04-05', qty: 43230, entryPrice: 2.216049, exitPrice: 2.333333 });
    expect(report.result.trades[0]!.pnl).toBeCloseTo(4873.52, 2);
    // Trade by trade: same dates and share counts; prices equal up to float noise of the VWAP.
    expect(engineTrades.length).toBe(ref.trades.length);
    expect(engineTrades.length).toBe(99);
    engineTrades.forEach((t, k) => {
      const r = ref.trades[k]!;
      expect([t.entry, t.exit, t.qty]).toEqual([r.entry, r.exit, r.qty]);
      expect(t.entryPrice).toBeCloseTo(r.entryPrice, 9);
      if (r.exitPrice === null) expect(t.exitPrice).toBeNull();
      else expect(t.exitPrice!).toBeCloseTo(r.exitPrice, 9);
    });
    const final = report.result.nav[report.result.nav.length - 1]!;
    expect(final).toBeCloseTo(ref.final, 6);
    expect(Math.round(final * 100) / 100).toBe(419673.4);
    // The bias probes pass on this run, and every fill paid exactly 0.1 %.
    expect(report.gates.map((g) => [g.name, g.pass])).toEqual([
      ['look-ahead', true],
      ['warm-up', true],
    ]);
    for (const f of report.result.fills) expect(f.fee).toBeCloseTo(Math.abs(f.qty) * f.price * 0.001, 9);
  });
});
