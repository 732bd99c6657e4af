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
import { hashTable } from '../../src/backtest/engine-digest.js';
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
 * Scheme 2 (commits d37370e to the "result digest scheme 3" commit): every per-step series as
 * bytes, derived ones (cash, gross, net, drawdown, model P&L) included, then the record tables as
 * typed columns (`hashTable`, unchanged in scheme 3). The scheme-2 digests pinned before scheme 3
 * are checked through this.
 */
export function scheme2ResultDigest(r: BacktestResult): string {
  const h = createHash('sha256');
  h.update('edgelab result digest v2\n');
  const series: [string, Float64Array | Uint8Array | Uint32Array][] = [
    ['ts', r.ts], ['nav', r.nav], ['cash', r.cash], ['gross', r.gross], ['net', r.net],
    ['drawdown', r.drawdown], ['mode', r.mode], ['breachCount', r.breachCount],
  ];
  for (const m of r.models) series.push([`model:${m.name}`, m.pnl]);
  for (const [name, a] of series) {
    h.update(`${name}:${a.length};`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(`profile;${canonicalJson(r.profile)};finalMode;${r.finalMode};`);
  hashTable(h, 'orders', r.orders);
  hashTable(h, 'fills', r.fills);
  hashTable(h, 'trades', r.trades);
  hashTable(h, 'breaches', r.breaches);
  hashTable(h, 'costs', [r.costs]);
  hashTable(h, 'models', r.models.map(({ pnl: _pnl, ...rest }) => rest));
  hashTable(h, 'assets', r.assets);
  return h.digest('hex');
}

/** The report digest with the result digest of scheme 2 inside. */
export function scheme2ReportDigest(report: BacktestReport): string {
  const plan = report.plan;
  return digestOf({
    plan: { kind: plan.kind, label: plan.label, interval: plan.interval, backtest: plan.backtest, regime: plan.regime, models: plan.models },
    data: report.data,
    result: scheme2ResultDigest(report.result),
    metrics: report.metrics,
    gates: report.gates,
  });
}
