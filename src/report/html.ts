/**
 * The HTML tear sheet of a run (`report RUN --html PATH`): one self-contained page with inline SVG
 * charts and inline CSS, no script and no external resource, so it opens offline. Sections: the
 * record, headline metrics, equity vs benchmark, underwater, rolling Sharpe/Sortino, exposure,
 * per-model equity, the monthly heatmap and yearly returns, drawdowns, benchmark and trade
 * statistics, the cost decomposition, performance by regime, risk-mode changes and the gates.
 */
import { isoUtc, shortUtc } from '../core/time.js';
import { REGIME_SPLIT_COLUMNS } from '../backtest/report-regime.js';
import { MODE_CHANGE_COLUMNS } from '../backtest/report-tables.js';
import type { Cell, Metric } from '../core/result.js';
import { benchmarkItems, DRAWDOWN_COLUMNS, drawdownRows, MONTHLY_COLUMNS, monthlyRows, tradeItems } from './blocks.js';
import { escapeHtml, lineChart, monthlyHeatmap } from './svg.js';
import type { TearSheet } from './tear-sheet.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const cell = (v: Cell | undefined): string => (v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : v > 0 ? '∞' : 'NaN') : escapeHtml(String(v)));

function tableHtml(id: string, columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('');
  return `<table data-table="${id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function metricValue(m: Metric): string {
  if (typeof m.value !== 'number') return cell(m.value);
  if (!Number.isFinite(m.value)) return cell(m.value);
  if (m.unit === '%') return `${(m.value * 100).toFixed(m.digits ?? 2)}%`;
  if (m.unit === 'count') return String(m.value);
  return m.value.toFixed(m.digits ?? 3);
}

const metricTable = (id: string, items: readonly Metric[]): string => tableHtml(id, ['statistic', 'value'], items.map((m) => [m.name, metricValue(m)]));

const HEADLINE = ['sharpe', 'psr', 'sortino', 'cagr', 'max_drawdown', 'calmar', 'volatility', 'bps', 'win_rate', 'profit_factor', 'exposure', 'turnover', 'final_nav', 'total_return'];

const CSS = `body{font:13px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:4px 0 8px}td,th{border:1px solid #ddd;padding:2px 8px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.grid{stroke:#e5e5e5}
svg text{font-size:10px;fill:#555}figure{margin:6px 0}figcaption .key{margin-right:14px}
figcaption i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
.pass{color:#1a7f37}.fail{color:#c62828}.cols{display:flex;gap:24px;flex-wrap:wrap}`;

export function tearSheetHtml(s: TearSheet): string {
  const run = s.run;
  const e = run.equity;
  const bench = Float64Array.from(run.benchmark.value, (v) => v * run.initialCapital);
  const sections: string[] = [];
  const first = e.ts.length ? isoUtc(e.ts[0]!) : '';
  const last = e.ts.length ? isoUtc(e.ts[e.ts.length - 1]!) : '';
  sections.push(`<h1>${escapeHtml(run.label)}</h1><p>run ${escapeHtml(run.id ?? '(not stored)')} · ${escapeHtml(first)} .. ${escapeHtml(last)} · ${e.ts.length} steps of ${escapeHtml(run.interval)} · capital ${run.initialCapital}</p>`);
  const headline: Cell[][] = HEADLINE.filter((k) => k in run.metrics).map((k) => {
    const v = run.metrics[k] ?? null;
    return [k, typeof v === 'number' ? Number(v.toPrecision(5)) : v];
  });
  sections.push(
    `<div class="cols"><div><h2>Headline metrics</h2>${tableHtml('metrics', ['metric', 'value'], headline)}</div>` +
      `<div><h2>Against the benchmark</h2>${metricTable('benchmark', benchmarkItems(s))}</div><div><h2>Trades</h2>${metricTable('trades', tradeItems(s))}</div></div>`,
  );
  sections.push(`<h2>Equity vs ${escapeHtml(run.benchmark.name)}</h2>${lineChart('equity', e.ts, [{ name: 'NAV', values: e.nav, color: COLORS[0]! }, { name: 'benchmark', values: bench, color: COLORS[7]! }])}`);
  sections.push(`<h2>Underwater</h2>${lineChart('underwater', e.ts, [{ name: 'drawdown', values: Float64Array.from(e.drawdown, (d) => -d), color: COLORS[3]! }], { zero: true })}`);
  sections.push(
    `<h2>Rolling Sharpe and Sortino (${s.rollingWindow} days)</h2>${
      s.rolling.ts.length
        ? lineChart('rolling-sharpe', s.rolling.ts, [{ name: 'Sharpe', values: s.rolling.sharpe, color: COLORS[0]! }, { name: 'Sortino', values: s.rolling.sortino, color: COLORS[1]! }], { zero: true })
        : `<p data-chart="rolling-sharpe">the run has fewer than ${s.rollingWindow} days</p>`
    }`,
  );
  sections.push(`<h2>Exposure</h2>${lineChart('exposure', e.ts, [{ name: 'gross', values: e.gross, color: COLORS[2]! }, { name: 'net', values: e.net, color: COLORS[4]! }], { zero: true })}`);
  sections.push(
    `<h2>Equity by model</h2>${lineChart('models', e.ts, run.models.map((m, i) => ({ name: m.name, values: Float64Array.from(m.pnl, (v) => m.budget * run.initialCapital + v), color: COLORS[i % COLORS.length]! })))}`,
  );
  sections.push(`<h2>Monthly returns %</h2>${monthlyHeatmap(s.monthGrid.years, s.monthGrid.cells)}${tableHtml('monthly', MONTHLY_COLUMNS, monthlyRows(s))}`);
  sections.push(`<h2>Top 5 drawdowns</h2>${tableHtml('drawdowns', DRAWDOWN_COLUMNS, drawdownRows(s))}`);
  const c = run.facts.costs;
  const costRows: Cell[][] = ['gross', 'fees', 'slippage', 'impact', 'funding', 'borrow', 'net'].map((k) => [k, Number((['gross', 'net'].includes(k) ? c[k]! : -c[k]!).toFixed(2))]);
  sections.push(`<h2>Cost decomposition</h2>${tableHtml('costs', ['component', 'amount'], costRows)}`);
  sections.push(
    `<h2>Costs by model</h2>${tableHtml('model-costs', ['model', 'budget', 'P&L', 'fees', 'slippage', 'impact', 'funding', 'borrow'], run.models.map((m) => [m.name, m.budget, ...[m.total, m.fees, m.slippage, m.impact, m.funding, m.borrow].map((v) => Number(v.toFixed(2)))]))}`,
  );
  sections.push(`<h2>Performance by regime</h2>${tableHtml('regimes', REGIME_SPLIT_COLUMNS, run.facts.regimes)}`);
  sections.push(`<h2>Risk-mode changes</h2>${tableHtml('modes', MODE_CHANGE_COLUMNS, run.facts.modeChanges.slice(0, 50))}`);
  sections.push(
    `<h2>Gates</h2>${
      run.facts.gates.length
        ? tableHtml('gates', ['gate', 'value', 'threshold', 'result', 'reason'], run.facts.gates.map((g) => [g.name, g.value, g.threshold, g.pass ? 'pass' : 'FAIL', g.reason ?? '']))
        : '<p data-table="gates">the bias probes were skipped for this run</p>'
    }`,
  );
  sections.push(
    `<h2>Record</h2>${tableHtml('record', ['record', 'value'], [
      ['result digest', run.resultDigest], ['config digest', run.configDigest], ['code revision', run.codeRevision], ['seed', run.seed],
      ...Object.entries(run.dataDigests).map(([k, v]): Cell[] => [`data ${k}`, v]),
    ])}`,
  );
  const title = `edgelab · ${run.label} · ${run.id ?? ''}`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>${sections.join('\n')}<p>written from stored run data; every figure is in the run's export (runs export ${escapeHtml(run.id ?? 'RUN')} DIR) · ${escapeHtml(shortUtc(e.ts[e.ts.length - 1] ?? 0))}</p></body></html>\n`;
}
