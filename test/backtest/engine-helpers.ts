/** Small hand-made inputs for the engine tests: bars from OHLC rows, scripted models, configs. */
import { backtestSection, type BacktestConfig } from '../../src/config/sections/backtest.js';
import { mergeOverlay } from '../../src/config/load.js';
import { tableDigest, type AssetClass, type BarFrame } from '../../src/core/table.js';
import { DAY, intervalMs, type Interval } from '../../src/core/time.js';
import type { EngineModel, EngineSymbol } from '../../src/backtest/types.js';
import type { Model, ModelContext, ModelDecision } from '../../src/models/types.js';
import { NEUTRAL_SNAPSHOT, type RegimeLookup } from '../../src/regime/types.js';

/** 2021-01-01T00:00:00Z */
export const T0 = Date.UTC(2021, 0, 1);

export type Row = readonly [open: number, high: number, low: number, close: number, volume?: number];

export function bars(
  symbol: string,
  rows: readonly Row[],
  opts: { assetClass?: AssetClass; interval?: Interval; start?: number; funding?: readonly number[] } = {},
): EngineSymbol {
  const interval = opts.interval ?? '1d';
  const step = intervalMs(interval);
  const start = opts.start ?? T0;
  const n = rows.length;
  const col = (f: (r: Row, i: number) => number): Float64Array => Float64Array.from(rows, f);
  const columns: Record<string, Float64Array> = {
    ts: col((_, i) => start + i * step),
    open: col((r) => r[0]),
    high: col((r) => r[1]),
    low: col((r) => r[2]),
    close: col((r) => r[3]),
    volume: col((r) => r[4] ?? 1e9),
  };
  if (opts.funding) columns['funding_rate'] = Float64Array.from(opts.funding);
  const frame = { length: n, columns } as unknown as BarFrame;
  return { symbol, assetClass: opts.assetClass ?? 'etf', interval, bars: frame, dataset: `${symbol}:${interval}`, digest: tableDigest(frame) };
}

/** Flat bars at one price. */
export const flat = (price: number, n: number, volume = 1e9): Row[] => Array.from({ length: n }, () => [price, price, price, price, volume] as const);

/** A model that returns the decision scheduled for each step (by clock step), else null. */
export function scripted(
  name: string,
  universe: readonly string[],
  schedule: Readonly<Record<number, ModelDecision>>,
  seen?: (ctx: ModelContext) => void,
): Model {
  return {
    name,
    version: '1.0.0',
    universe,
    warmupBars: 1,
    decide(ctx) {
      seen?.(ctx);
      return schedule[ctx.barIndex] ?? null;
    },
  };
}

export const withBudget = (model: Model, budget: number): EngineModel => ({ model, budget });

/** A zero-cost, no-limits config, overlaid with `overlay` (config keys as in base.yaml). */
export function cfg(overlay: Record<string, unknown> = {}): BacktestConfig {
  const base = {
    initial_capital: 10_000,
    costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0 } },
    execution: { rebalance_band: 0, lots: { default: { lot_size: 1, min_qty: 0, min_notional: 0 } } },
    risk: {
      per_trade_risk: 1,
      per_asset_cap: 10,
      class_caps: {},
      max_gross: 10,
      drawdown: { reduce_at: 0.99, reduce_scale: 1, halt_at: 0.999, halt_action: 'no_new_entries' },
    },
  };
  return backtestSection.parse(mergeOverlay(base, overlay));
}

export const neutral: RegimeLookup = () => NEUTRAL_SNAPSHOT;

export { DAY };
