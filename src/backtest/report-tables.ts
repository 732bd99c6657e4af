/**
 * Table rows for the backtest result: per-model and per-asset attribution, the risk-mode timeline,
 * the trades and orders logs. Numbers are rounded for display only (cents for money, 0.01 % for
 * percentages); the stored run keeps the full values.
 */
import type { Cell } from '../core/result.js';
import { shortUtc } from '../core/time.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';
import { RISK_MODES, type RiskBreach } from '../risk/types.js';
import type { AssetAttribution, ModelAttribution, TradeRecord } from './types.js';

const money = (v: number): Cell => (Number.isFinite(v) ? Number(v.toFixed(2)) : null);
const pct = (v: number, digits = 2): Cell => (Number.isFinite(v) ? Number((v * 100).toFixed(digits)) : null);
const price = (v: number | null): Cell => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(8)));
const qty = (v: number): Cell => (Number.isFinite(v) ? Number(v.toPrecision(10)) : null);
const time = (t: number | null): Cell => (t === null ? null : shortUtc(t));

export const MODEL_ATTRIBUTION_COLUMNS = ['model', 'version', 'budget', 'P&L', '% of capital', 'fees', 'slippage', 'impact', 'funding', 'borrow', 'decisions'] as const;

export function modelAttributionRows(models: readonly ModelAttribution[], initialCapital: number): Cell[][] {
  return models.map((m) => [
    m.name,
    m.version,
    m.budget,
    money(m.total),
    pct(m.total / initialCapital),
    money(m.fees),
    money(m.slippage),
    money(m.impact),
    money(m.funding),
    money(m.borrow),
    m.decisions,
  ]);
}

export const ASSET_ATTRIBUTION_COLUMNS = ['symbol', 'class', 'P&L', '% of capital', 'traded', 'fees', 'slippage', 'impact', 'funding', 'borrow', 'final qty', 'final weight %'] as const;

export function assetAttributionRows(assets: readonly AssetAttribution[], initialCapital: number): Cell[][] {
  return assets.map((a) => [
    a.symbol,
    a.assetClass,
    money(a.total),
    pct(a.total / initialCapital),
    money(a.tradedNotional),
    money(a.fees),
    money(a.slippage),
    money(a.impact),
    money(a.funding),
    money(a.borrow),
    qty(a.finalQty),
    pct(a.finalWeight),
  ]);
}

export interface ModeChange {
  readonly ts: number;
  readonly from: string;
  readonly to: string;
  readonly drawdown: number;
  readonly reason: string;
}

/**
 * Risk-mode changes along the run: the first step, then every step whose mode differs from the one
 * before, with the drawdown there and the reason (the mode-changing breaches recorded at that step,
 * e.g. 'drawdown_reduce 10.4% ≥ 10%: mode REDUCED …').
 */
export function modeChanges(ts: Float64Array, mode: Uint8Array, drawdown: Float64Array, breaches: readonly RiskBreach[]): ModeChange[] {
  const steps: number[] = [];
  for (let i = 0; i < mode.length; i++) if (i === 0 || mode[i] !== mode[i - 1]) steps.push(i);
  return modeChangesAt(ts, steps, (i) => mode[i]!, steps.map((i) => drawdown[i]!), breaches);
}

/**
 * `modeChanges` given the change steps (step 0 and each step whose mode differs from the one
 * before, ascending; result-series.ts `modeChangeSteps`), the mode at a step and the drawdown at
 * each change step, so a fast-path result need not build its mode and drawdown series.
 */
export function modeChangesAt(
  ts: Float64Array,
  steps: readonly number[],
  modeAt: (step: number) => number,
  drawdown: readonly number[],
  breaches: readonly RiskBreach[],
): ModeChange[] {
  const modeKinds = new Set(['drawdown_reduce', 'drawdown_halt', 'drawdown_recovered', 'kill_switch']);
  const byStep = new Map<number, RiskBreach[]>();
  for (const b of breaches) {
    if (!modeKinds.has(b.kind)) continue;
    const list = byStep.get(b.step) ?? [];
    list.push(b);
    byStep.set(b.step, list);
  }
  return steps.map((i, j) => {
    const why = (byStep.get(i) ?? []).map((b) => `${b.kind} ${(b.value * 100).toFixed(1)}% vs ${(b.limit * 100).toFixed(1)}%: ${b.action}`);
    return {
      ts: ts[i]!,
      from: i === 0 ? '—' : RISK_MODES[modeAt(i - 1)]!,
      to: RISK_MODES[modeAt(i)]!,
      drawdown: drawdown[j]!,
      reason: i === 0 ? 'start' : why.join('; ') || 'mode changed',
    };
  });
}

export const MODE_CHANGE_COLUMNS = ['time', 'from', 'to', 'DD %', 'reason'] as const;

export const modeChangeRows = (changes: readonly ModeChange[]): Cell[][] =>
  changes.map((c) => [shortUtc(c.ts), c.from, c.to, pct(c.drawdown), c.reason]);

export const TRADE_COLUMNS = ['symbol', 'side', 'entry', 'exit', 'entry price', 'exit price', 'max qty', 'P&L', 'fees', 'funding', 'borrow'] as const;

export const tradeRows = (trades: readonly TradeRecord[]): Cell[][] =>
  trades.map((t) => [t.symbol, t.side, time(t.entryTs), time(t.exitTs), price(t.entryPrice), price(t.exitPrice), qty(t.maxQty), money(t.pnl), money(t.fees), money(t.funding), money(t.borrow ?? 0)]);

export const ORDER_COLUMNS = ['id', 'placed', 'symbol', 'type', 'qty', 'filled', 'price', 'reason', 'model', 'status', 'closed'] as const;

/** `filled` is tracked under a participation cap; without one an order fills whole or not at all. */
export const orderRows = (orders: readonly OrderRecord[]): Cell[][] =>
  orders.map((o) => [o.id, time(o.placedAt), o.symbol, o.type, qty(o.qty), qty(o.filled ?? (o.status === 'filled' ? o.qty : 0)), price(o.price), o.reason, o.model, o.status, time(o.closedAt)]);

export const FILL_COLUMNS = ['order', 'time', 'symbol', 'qty', 'ref price', 'price', 'notional', 'fee', 'slippage', 'impact', 'type', 'reason'] as const;

export const fillRows = (fills: readonly FillRecord[]): Cell[][] =>
  fills.map((f) => [f.orderId, time(f.ts), f.symbol, qty(f.qty), price(f.refPrice), price(f.price), money(f.notional), money(f.fee), money(f.slippage), money(f.impact), f.type, f.reason]);
