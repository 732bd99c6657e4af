/**
 * The backtest result as CommandResult blocks, in the order the `backtest` command shows them:
 * execution profile and summary (text), metrics, bias-probe gates, equity and drawdown series
 * (≤ 400 points each), the risk status, the risk-mode timeline, cost decomposition, attribution
 * per model and per asset, the split by regime, and the heads of the trades and orders logs.
 */
import type { Block, Tone } from '../core/result.js';
import { gates, metrics, status, table, text } from '../core/result.js';
import { shortUtc } from '../core/time.js';
import { describeProfile } from '../execution/profile.js';
import { metricItems } from './metrics/index.js';
import { costLine, costRows, COST_COLUMNS } from './report-costs.js';
import { REGIME_SPLIT_COLUMNS, regimeBudgetNotes, regimeSplitRows } from './report-regime.js';
import { downsampleMaxOf, downsampleMinMax, strideIndices, type Downsampled } from './report-series.js';
import { fastStepSummary } from './fast-path-steps.js';
import { ordersHead, scanDerived, tradesHead, valueAt } from './result-series.js';
import {
  ASSET_ATTRIBUTION_COLUMNS,
  assetAttributionRows,
  MODE_CHANGE_COLUMNS,
  MODEL_ATTRIBUTION_COLUMNS,
  modeChangeRows,
  modelAttributionRows,
  ORDER_COLUMNS,
  orderRows,
  TRADE_COLUMNS,
  tradeRows,
} from './report-tables.js';
import type { BacktestReport } from './run-backtest.js';
import type { BacktestResult, TradeRecord } from './types.js';

export interface BlockOptions {
  /** Rows of the trades and orders logs shown (the full logs are in the results store). @default 20 */
  readonly logRows?: number;
  /** Points per chart. @default 400 */
  readonly maxPoints?: number;
  /** Id of the stored run, when it was stored. */
  readonly runId?: string;
}

const fmt = (v: number | undefined, digits: number, pct = false): string =>
  v === undefined || !Number.isFinite(v) ? '—' : pct ? `${(v * 100).toFixed(digits)}%` : v.toFixed(digits);

const MODE_TONE: Record<string, Tone> = { NORMAL: 'good', REDUCED: 'warn', HALT: 'bad' };

/**
 * The headline trade count: closed round trips, and the trades still open at the end of the run
 * named apart ("12 closed trades + 1 open: ORCL long since 2014-06-02"). An open trade has no exit,
 * so it is not in the win rate, profit factor or average trade either.
 */
export function tradeCountText(trades: readonly TradeRecord[]): string {
  return tradeCountOf(trades.length, trades.filter((t) => t.exitTs === null));
}

/** `tradeCountText` from the number of trades and the open ones. */
function tradeCountOf(count: number, open: readonly TradeRecord[]): string {
  const closed = count - open.length;
  const head = `${closed} closed trade${closed === 1 ? '' : 's'}`;
  if (open.length === 0) return head;
  const named = open.slice(0, 3).map((t) => `${t.symbol} ${t.side}${open.length === 1 ? ` since ${shortUtc(t.entryTs, true)}` : ''}`);
  return `${head} + ${open.length} open: ${named.join(', ')}${open.length > 3 ? ', …' : ''}`;
}

/** The one-paragraph summary: what ran, on what, how it went. */
export function summaryLines(r: BacktestReport): string[] {
  const res = r.result;
  const m = r.metrics;
  const trades = tradesHead(res, 0);
  const first = res.ts[0]!;
  const last = res.ts[res.ts.length - 1]!;
  const models = r.plan.models.map((x) => (r.plan.kind === 'portfolio' ? `${x.name} ${x.budget}` : x.name)).join(', ');
  return [
    `${r.plan.label} · ${res.symbols.length} asset${res.symbols.length === 1 ? '' : 's'} · ${shortUtc(first, true)}..${shortUtc(last, true)} · ${r.plan.interval} clock · ${res.ts.length} steps`,
    ...(r.plan.kind === 'portfolio' ? [`budgets: ${models}${Object.keys(r.plan.backtest.regime_budgets).length ? ` · regime budgets: ${regimeBudgetNotes(Object.keys(r.plan.backtest.regime_budgets), r.regimeSplit).join(', ')}` : ''}`] : []),
    `Sharpe ${fmt(m['sharpe'], 2)} · PSR ${fmt(m['psr'], 2)} · CAGR ${fmt(m['cagr'], 1, true)} · MaxDD ${fmt(m['max_drawdown'], 1, true)} · BPS ${fmt(m['bps'], 3)} · ${tradeCountOf(trades.count, trades.open)}`,
    costLine(r.costs),
    `final NAV ${res.nav[res.nav.length - 1]!.toFixed(2)} from ${res.initialCapital} · risk mode ${res.finalMode} · ${r.modeChanges.length - 1} mode changes · result digest ${r.digest.slice(0, 12)}`,
  ];
}

/**
 * The equity and drawdown charts and the last drawdown and gross: from a fast-path result's step
 * summary (one pass, fast-path-steps.ts), else from the series (the drawdown chart and the last
 * drawdown in one pass over the drawdown; the last gross alone).
 */
function chartsOf(res: BacktestResult, maxPoints: number): { eq: Downsampled; dd: Downsampled; ddLast: number; grossLast: number } {
  const summary = fastStepSummary(res, maxPoints);
  if (summary !== null) return { eq: summary.equityChart, dd: summary.drawdownChart, ddLast: summary.lastDrawdown, grossLast: summary.lastGross };
  const last = res.ts.length - 1;
  const eq = downsampleMinMax(res.ts, res.nav, maxPoints);
  let ddLast = NaN;
  const dd = downsampleMaxOf(res.ts, (visit) => scanDerived(res, ['drawdown'], (from, chunk) => {
    const end = chunk.drawdown.length - 1;
    if (from + end === last) ddLast = chunk.drawdown[end]!;
    return visit(from, chunk.drawdown);
  }), maxPoints);
  const grossLast = last >= 0 ? valueAt(res, 'gross', last) : NaN;
  return { eq, dd, ddLast, grossLast };
}

export function backtestBlocks(r: BacktestReport, o: BlockOptions = {}): Block[] {
  const res = r.result;
  const n = o.logRows ?? 20;
  const maxPoints = o.maxPoints ?? 400;
  const orders = ordersHead(res, n);
  const trades = tradesHead(res, n);
  const { eq, dd, ddLast, grossLast } = chartsOf(res, maxPoints);
  const blocks: Block[] = [
    text([...describeProfile(res.profile), ...summaryLines(r), ...(o.runId ? [`stored as run ${o.runId}`] : [])].join('\n')),
    metrics(metricItems(r.metrics), `performance (annualised from ${r.annualisation.label})`),
  ];
  if (r.gates.length) blocks.push(gates('bias probes', r.gates));
  blocks.push(
    { kind: 'series', title: 'equity', pane: 'equity', x: eq.x, xKind: 'time', series: [{ name: 'NAV', values: eq.y }] },
    { kind: 'series', title: 'drawdown', pane: 'drawdown', x: dd.x, xKind: 'time', series: [{ name: 'drawdown', values: dd.y }] },
  );
  if (res.models.length > 1) {
    // Per-model cumulative P&L (seed 003 §9.3 "per-model equity curve"); they sum to NAV − capital.
    const idx = strideIndices(res.ts.length, maxPoints);
    blocks.push({
      kind: 'series',
      title: 'P&L by model',
      pane: 'models',
      x: idx.map((i) => res.ts[i]!),
      xKind: 'time',
      series: res.models.map((m) => ({ name: m.name, values: idx.map((i) => (Number.isFinite(m.pnl[i]!) ? Number(m.pnl[i]!.toFixed(2)) : null)) })),
    });
  }
  blocks.push(    status('risk', [
      { name: 'mode', value: res.finalMode, tone: MODE_TONE[res.finalMode] ?? 'info' },
      { name: 'gross', value: `${grossLast.toFixed(2)}×` },
      { name: 'DD', value: `${(ddLast * 100).toFixed(1)}%`, tone: ddLast > 0 ? 'warn' : 'good' },
    ]),
    table(MODE_CHANGE_COLUMNS, modeChangeRows(r.modeChanges.slice(0, 50)), 'risk-mode timeline', r.modeChanges.length),
    table(COST_COLUMNS, costRows(r.costs), 'cost decomposition'),
    table(MODEL_ATTRIBUTION_COLUMNS, modelAttributionRows(res.models, res.initialCapital), 'attribution by model'),
    table(ASSET_ATTRIBUTION_COLUMNS, assetAttributionRows(res.assets, res.initialCapital), 'attribution by asset'),
    table(REGIME_SPLIT_COLUMNS, regimeSplitRows(r.regimeSplit), 'performance by regime'),
    table(TRADE_COLUMNS, tradeRows(trades.head), 'trades', trades.count),
    table(ORDER_COLUMNS, orderRows(orders.head), 'orders', orders.count),
  );
  return blocks;
}
