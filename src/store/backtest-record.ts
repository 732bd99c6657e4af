/** Build the run record of a backtest result. */
import { digestOf } from '../core/canonical.js';
import { resultDigest } from '../backtest/engine-digest.js';
import type { BacktestResult } from '../backtest/types.js';
import { runIdOf, type MetricValue, type RunRecord } from './record.js';

export interface BacktestRecordInput {
  readonly result: BacktestResult;
  /** The full configuration of the session (its digest is the config digest). */
  readonly config: unknown;
  readonly codeRevision: string;
  readonly seed: number;
  /** Performance metrics from the report layer (merged over the engine's ledger metrics). */
  readonly metrics?: Readonly<Record<string, MetricValue>>;
  /** Extra datasets the run read (daily features, regime inputs): name → digest. */
  readonly extraDataDigests?: Readonly<Record<string, string>>;
  readonly label?: string;
  /**
   * The run's result digest: the digest the `backtest` command prints (plan, data, engine result,
   * metrics and gates). Defaults to the engine result's digest when the report layer gives none.
   */
  readonly resultDigest?: string;
}

/** Ledger facts every backtest record carries, whatever the report layer adds. */
export function ledgerMetrics(r: BacktestResult): Record<string, MetricValue> {
  const last = r.nav.length - 1;
  let maxDd = 0;
  for (let i = 0; i < r.drawdown.length; i++) if (r.drawdown[i]! > maxDd) maxDd = r.drawdown[i]!;
  return {
    final_nav: r.nav[last]!,
    total_return: r.nav[last]! / r.initialCapital - 1,
    max_drawdown: maxDd,
    gross_pnl: r.costs.gross,
    fees: r.costs.fees,
    slippage: r.costs.slippage,
    impact: r.costs.impact,
    funding: r.costs.funding,
    borrow: r.costs.borrow,
    net_pnl: r.costs.net,
    traded_notional: r.costs.tradedNotional,
    fills: r.fills.length,
    orders: r.orders.length,
    breaches: r.breaches.length,
    final_mode: r.finalMode,
  };
}

export function backtestRecord(input: BacktestRecordInput): RunRecord {
  const r = input.result;
  const dataDigests: Record<string, string> = {};
  for (const s of r.symbols) dataDigests[s.dataset] = s.digest;
  for (const [k, v] of Object.entries(input.extraDataDigests ?? {})) dataDigests[k] = v;
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(dataDigests).sort()) sorted[k] = dataDigests[k]!;
  const repro = { kind: 'backtest', configDigest: digestOf(input.config), codeRevision: input.codeRevision, dataDigests: sorted, seed: input.seed };
  const models = r.models.map((m) => m.name).join('+');
  const symbols = r.symbols.map((s) => s.symbol);
  const label = input.label ?? `${models} · ${symbols.length <= 3 ? symbols.join(',') : `${symbols.length} symbols`}`;
  return {
    ...repro,
    id: runIdOf(repro, r.profile),
    label,
    profile: r.profile,
    config: input.config,
    metrics: { ...ledgerMetrics(r), ...(input.metrics ?? {}) },
    summary: {
      interval: r.interval,
      initialCapital: r.initialCapital,
      costs: r.costs,
      models: r.models.map((m) => ({
        name: m.name, version: m.version, budget: m.budget, parameters: m.parameters, pnl: m.total,
        fees: m.fees, slippage: m.slippage, impact: m.impact, funding: m.funding, borrow: m.borrow, decisions: m.decisions,
      })),
      assets: r.assets.map((a) => ({ symbol: a.symbol, assetClass: a.assetClass, pnl: a.total, fees: a.fees, funding: a.funding, borrow: a.borrow, finalWeight: a.finalWeight })),
    },
    resultDigest: input.resultDigest ?? resultDigest(r),
    start: r.ts.length ? r.ts[0]! : null,
    end: r.ts.length ? r.ts[r.ts.length - 1]! : null,
    steps: r.ts.length,
  };
}
