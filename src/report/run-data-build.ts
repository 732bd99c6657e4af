/**
 * Build a run's RunData at run time, from the backtest report, its run record and the bars the
 * engine read (for the marks, the fills' booking steps and the benchmark). The bars are found again
 * the way the run found them (barsFor), and must have the digest the result recorded.
 */
import { canonicalJson } from '../core/canonical.js';
import { InvariantError, UserError } from '../core/errors.js';
import type { BarFrame, Dataset } from '../core/table.js';
import type { Interval } from '../core/time.js';
import { RISK_MODES } from '../risk/types.js';
import { barsFor } from '../backtest/run-backtest-data.js';
import { modeChangeRows } from '../backtest/report-tables.js';
import { regimeSplitRows } from '../backtest/report-regime.js';
import type { BacktestReport } from '../backtest/run-backtest.js';
import { filledOf } from '../store/write-run.js';
import type { RunRecord } from '../store/record.js';
import { barCloseTimes, bookedTimes, marksOnClock } from './book-times.js';
import type { RunBenchmark, RunData, RunFill } from './run-data.js';

export interface BuildOptions {
  /** Benchmark symbol; default: buy-and-hold of the traded assets (equal weight when several). */
  readonly benchmark?: string;
}

interface SymbolBars {
  readonly bars: BarFrame;
  readonly closeTs: Float64Array;
}

function barsOfRun(report: BacktestReport, datasets: ReadonlyMap<string, Dataset>): Map<string, SymbolBars> {
  const out = new Map<string, SymbolBars>();
  for (const s of report.result.symbols) {
    const ds = barsFor(datasets, s.symbol, report.plan.interval, true, report.plan.backtest.universe[s.symbol]?.dataset);
    if (ds.digest !== s.digest) throw new InvariantError(`bars of ${s.symbol} changed since the run (${ds.name})`);
    const bars = ds.table as BarFrame;
    out.set(s.symbol, { bars, closeTs: barCloseTimes(bars, ds.interval ?? report.plan.interval) });
  }
  return out;
}

/** Value of 1 split equally over `marks` at the first step (a part stays cash until its asset has a price). */
export function buyAndHold(marks: readonly Float64Array[], steps: number): Float64Array {
  const value = new Float64Array(steps);
  const w = 1 / marks.length;
  const first = marks.map((m) => {
    for (let k = 0; k < steps; k++) if (m[k]! > 0) return { k, px: m[k]! };
    return { k: steps, px: NaN };
  });
  for (let k = 0; k < steps; k++) {
    let v = 0;
    marks.forEach((m, s) => (v += k >= first[s]!.k ? (w * m[k]!) / first[s]!.px : w));
    value[k] = v;
  }
  return value;
}

function benchmarkBars(datasets: ReadonlyMap<string, Dataset>, symbol: string, interval: Interval): { bars: BarFrame; closeTs: Float64Array } {
  let ds: Dataset;
  try {
    ds = barsFor(datasets, symbol, interval, true);
  } catch (err) {
    const daily = datasets.get(`${symbol}:1d`);
    if (!(err instanceof UserError) || !daily || daily.kind !== 'bars') throw new UserError(`no bars for benchmark ${symbol}: load ${symbol} first`, '--benchmark');
    ds = daily;
  }
  return { bars: ds.table as BarFrame, closeTs: barCloseTimes(ds.table as BarFrame, ds.interval ?? interval) };
}

export function buildRunData(report: BacktestReport, record: RunRecord, datasets: ReadonlyMap<string, Dataset>, o: BuildOptions = {}): RunData {
  const r = report.result;
  const bars = barsOfRun(report, datasets);
  const symbols = r.symbols.map((s) => s.symbol);
  const marks = symbols.map((sym) => {
    const b = bars.get(sym)!;
    return marksOnClock(r.ts, b.closeTs, b.bars.columns.close);
  });
  const placedAt = new Map(r.orders.map((o) => [o.id, o.placedAt] as const));
  const openClose = new Map([...bars].map(([sym, b]) => [sym, { openTs: b.bars.columns.ts, closeTs: b.closeTs }] as const));
  const booked = bookedTimes(r.fills, placedAt, r.profile.fillPrice === 'same_close', openClose, r.ts);
  const fills: RunFill[] = r.fills.map((f, i) => ({
    orderId: f.orderId, symbol: f.symbol, ts: f.ts, bookedTs: booked[i]!, qty: f.qty, refPrice: f.refPrice, price: f.price, notional: f.notional,
    fee: f.fee, slippage: f.slippage, impact: f.impact, liquidity: f.liquidity, gap: f.gap, type: f.type, reason: f.reason,
  }));
  let benchmark: RunBenchmark;
  if (o.benchmark !== undefined) {
    const sym = o.benchmark.toUpperCase();
    const b = benchmarkBars(datasets, sym, report.plan.interval);
    benchmark = { name: `buy & hold ${sym}`, value: buyAndHold([marksOnClock(r.ts, b.closeTs, b.bars.columns.close)], r.ts.length) };
  } else {
    benchmark = { name: `buy & hold ${symbols.join(',')}${symbols.length > 1 ? ' (equal weight)' : ''}`, value: buyAndHold(marks, r.ts.length) };
  }
  const c = report.costs;
  return {
    id: record.id,
    label: record.label,
    kind: report.plan.kind,
    seed: record.seed,
    configDigest: record.configDigest,
    codeRevision: record.codeRevision,
    dataDigests: record.dataDigests,
    resultDigest: record.resultDigest,
    config: JSON.parse(canonicalJson(record.config)) as unknown,
    profile: JSON.parse(canonicalJson(record.profile)) as unknown,
    initialCapital: r.initialCapital,
    interval: r.interval,
    metrics: JSON.parse(canonicalJson(record.metrics)) as RunData['metrics'],
    symbols,
    equity: { ts: r.ts, nav: r.nav, cash: r.cash, gross: r.gross, net: r.net, drawdown: r.drawdown, mode: Array.from(r.mode, (m) => RISK_MODES[m]!) },
    marks,
    orders: r.orders.map((x) => ({
      id: x.id, symbol: x.symbol, qty: x.qty, type: x.type, price: x.price, placedAt: x.placedAt, model: x.model, reason: x.reason,
      status: x.status, closedAt: x.closedAt, filled: filledOf(x),
    })),
    fills,
    trades: r.trades.map((t) => ({
      symbol: t.symbol, side: t.side, entryTs: t.entryTs, exitTs: t.exitTs, maxQty: t.maxQty, entryPrice: t.entryPrice, exitPrice: t.exitPrice,
      pnl: t.pnl, fees: t.fees, funding: t.funding, borrow: t.borrow ?? 0,
    })),
    models: r.models.map((m) => ({
      name: m.name, version: m.version, budget: m.budget, pnl: m.pnl, total: m.total, fees: m.fees, slippage: m.slippage, impact: m.impact,
      funding: m.funding, borrow: m.borrow, decisions: m.decisions,
    })),
    benchmark,
    facts: JSON.parse(
      canonicalJson({
        gates: report.gates,
        costs: { gross: c.gross, fees: c.fees, slippage: c.slippage, impact: c.impact, funding: c.funding, borrow: c.borrow, net: c.net },
        regimes: regimeSplitRows(report.regimeSplit),
        modeChanges: modeChangeRows(report.modeChanges),
      }),
    ) as RunData['facts'],
  };
}
