/**
 * The result digest of scheme 1 (before commit "result digest scheme 2"): every per-step series as
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
