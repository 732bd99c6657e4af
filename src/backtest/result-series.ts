/**
 * Reading a result's derived per-step series (cash, gross, net, drawdown) without making a
 * fast-path result build them. The fast path derives them from its NAV series and its log of cash
 * and position changes (fast-path-result.ts); a report that only needs a count, a chart's extremes
 * or a few values replays them here chunk by chunk into a small buffer instead of asking for four
 * 8 MB arrays per 1M steps. An event-engine result (or a fast one whose series were already read)
 * hands over its arrays. The values are the same numbers either way (the chunks come from the same
 * replay that builds the arrays).
 */
import { countGrossPositive, derivedReplay, fastTradeColumns, grossAtStep, unreadOrdersHead, unreadZeroSeries, type DerivedChunk, type DerivedName } from './fast-path-result.js';
import { tradeRecords } from './fast-path-trades.js';
import type { OrderRecord } from '../execution/types.js';
import type { BacktestResult, TradeRecord } from './types.js';

export type { DerivedChunk, DerivedName } from './fast-path-result.js';

/**
 * Visit `name` of `result` in step order: `visit(from, values)` for consecutive chunks, `values`
 * valid only during the call; returning false stops the scan.
 */
export function scanSeries(result: BacktestResult, name: DerivedName, visit: (from: number, values: Float64Array) => boolean | void): void {
  scanDerived(result, [name], (from, chunk) => visit(from, chunk[name]));
}

/** `scanSeries` for several series in one pass: `chunk[name]` for each of `names`. */
export function scanDerived(result: BacktestResult, names: readonly DerivedName[], visit: (from: number, chunk: DerivedChunk) => boolean | void): void {
  const replay = derivedReplay(result, names);
  if (replay !== null) {
    replay(visit);
    return;
  }
  const whole: Partial<Record<DerivedName, Float64Array>> = {};
  for (const name of names) whole[name] = result[name];
  visit(0, whole as DerivedChunk);
}

/** The value of `name` at one step (a fast result's gross without replaying the steps before it). */
export function valueAt(result: BacktestResult, name: DerivedName, step: number): number {
  if (name === 'gross') {
    const gross = grossAtStep(result, step);
    if (gross !== null) return gross;
  }
  return valuesAt(result, name, [step])[0]!;
}

/** The values of `name` at the given steps (ascending), in their order. */
export function valuesAt(result: BacktestResult, name: DerivedName, steps: readonly number[]): number[] {
  const out: number[] = new Array(steps.length);
  let i = 0;
  scanSeries(result, name, (from, values) => {
    const to = from + values.length;
    while (i < steps.length && steps[i]! < to) {
      out[i] = values[steps[i]! - from]!;
      i++;
    }
    return i < steps.length;
  });
  return out;
}

/** Steps at which `name` is above zero (the exposure metric counts gross > 0). */
export function countPositive(result: BacktestResult, name: DerivedName): number {
  if (name === 'gross') {
    const counted = countGrossPositive(result);
    if (counted !== null) return counted;
  }
  let held = 0;
  scanSeries(result, name, (_from, values) => {
    let inChunk = 0; // a local: counting into the closure's variable is slower
    for (let i = 0; i < values.length; i++) if (values[i]! > 0) inChunk++;
    held += inChunk;
  });
  return held;
}

/** The steps at which the risk mode differs from the step before, and step 0 (report-tables.ts `modeChanges`). */
export function modeChangeSteps(result: BacktestResult): number[] {
  if (result.ts.length === 0) return [];
  if (unreadZeroSeries(result, 'mode') !== null) return [0];
  const mode = result.mode;
  const steps = [0];
  for (let i = 1; i < mode.length; i++) if (mode[i] !== mode[i - 1]) steps.push(i);
  return steps;
}

/** The risk mode at a step (RISK_MODES index), without building a fast-path result's all-NORMAL series. */
export function modeReader(result: BacktestResult): (step: number) => number {
  if (unreadZeroSeries(result, 'mode') !== null) return () => 0;
  const mode = result.mode;
  return (step) => mode[step]!;
}

/** The first `limit` orders and the number of orders, without building a fast-path result's whole order log. */
export function ordersHead(result: BacktestResult, limit: number): { head: OrderRecord[]; count: number } {
  return unreadOrdersHead(result, limit) ?? { head: result.orders.slice(0, limit), count: result.orders.length };
}

/** The net P&L of each closed trade, in close order (a fast-path result's from its trade columns, without the records). */
export function closedTradePnl(result: BacktestResult): Float64Array {
  const t = fastTradeColumns(result);
  if (t !== null) return t.pnl.subarray(0, t.closed);
  return Float64Array.from(result.trades.filter((tr) => tr.exitTs !== null), (tr) => tr.pnl);
}

/**
 * What the report shows of the trades: their number, the first `limit` records and the open ones
 * (a fast-path result's from its trade columns, without building every record).
 */
export function tradesHead(result: BacktestResult, limit: number): { head: TradeRecord[]; count: number; open: TradeRecord[] } {
  const t = fastTradeColumns(result);
  if (t !== null) {
    const symbol = result.symbols[0]!.symbol;
    return { head: tradeRecords(t, symbol, 0, Math.min(limit, t.count)), count: t.count, open: tradeRecords(t, symbol, t.closed, t.count) };
  }
  const all = result.trades;
  return { head: all.slice(0, limit), count: all.length, open: all.filter((tr) => tr.exitTs === null) };
}
