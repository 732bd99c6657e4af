/**
 * Daily features for `ctx.daily`: computed from a symbol's daily bars and stamped with the time
 * each value becomes known (the daily bar's close: its `close_ts` column when present, else
 * ts + 1 day), so the engine's as-of lookup can never show a day before it has closed.
 *
 * Feature names: `close`; `sma_<N>` (N-day simple moving average of closes, NaN for the first N−1
 * days); `ret_<N>` (N-day simple return close[t]/close[t−N] − 1, NaN for the first N days).
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { sma } from '../features/indicators/sma.js';
import { simpleReturns } from '../features/indicators/returns.js';
import { availableAt } from '../features/align.js';
import type { AlignedSeries, DailyFeatures } from './types.js';

export interface DailyFeatureRequest {
  readonly symbol: string;
  readonly feature: string;
}

/** One feature column from a daily close column. */
export function dailyFeature(close: Float64Array, feature: string): Float64Array {
  if (feature === 'close') return close.slice();
  const m = /^(sma|ret)_(\d+)$/.exec(feature);
  if (!m) throw new UserError(`unknown daily feature '${feature}' (expected close, sma_<N> or ret_<N>)`, 'daily features');
  const n = Number(m[2]);
  if (!(n >= 1)) throw new UserError(`daily feature '${feature}' needs a period ≥ 1`, 'daily features');
  return m[1] === 'sma' ? sma(close, n) : simpleReturns(close, n);
}

/**
 * Build the requested features. `dailyBars(symbol)` returns the symbol's daily bars dataset (or
 * throws a UserError naming what is missing). Requests are deduplicated; output order is sorted by
 * symbol then feature, so the result does not depend on request order.
 */
export function buildDailyFeatures(requests: readonly DailyFeatureRequest[], dailyBars: (symbol: string) => Dataset): DailyFeatures {
  const bySymbol = new Map<string, Set<string>>();
  for (const r of requests) {
    const set = bySymbol.get(r.symbol) ?? new Set<string>();
    set.add(r.feature);
    bySymbol.set(r.symbol, set);
  }
  const out = new Map<string, Map<string, AlignedSeries>>();
  for (const symbol of [...bySymbol.keys()].sort()) {
    const ds = dailyBars(symbol);
    const close = ds.table.columns['close'];
    if (!(close instanceof Float64Array)) throw new UserError(`dataset has no numeric close column`, ds.name);
    const ts = availableAt(ds);
    const feats = new Map<string, AlignedSeries>();
    for (const f of [...bySymbol.get(symbol)!].sort()) feats.set(f, { ts, values: dailyFeature(close, f) });
    out.set(symbol, feats);
  }
  return out;
}
