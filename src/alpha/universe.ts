/**
 * Point-in-time universe snapshots. `top_liquid_v1`: a symbol is a member at bar t when its average
 * dollar volume over the last `window` bars (ending at t, so known at t's close) is at least
 * `minUsdPerDay` expressed per day, optionally keeping only the `top` most liquid (docs/alpha.md).
 */
import { DAY, intervalMs } from '../core/time.js';
import { averageDollarVolume } from './kernels.js';
import { column, type Panel } from './panel.js';

export interface UniverseRule {
  readonly id: 'top_liquid_v1' | 'all';
  /** Bars in the ADV window. @default 24 */
  readonly window: number;
  /** Minimum average dollar volume per day. @default 1_000_000 */
  readonly minUsdPerDay: number;
  /** Keep at most this many members per bar, most liquid first (0 = no cap). @default 0 */
  readonly top: number;
}

export const DEFAULT_UNIVERSE: UniverseRule = { id: 'top_liquid_v1', window: 24, minUsdPerDay: 1_000_000, top: 0 };

/** Membership per bar and symbol (1 = member), T×N row-major like the panel. */
export function universeMembership(panel: Panel, rule: UniverseRule): Uint8Array {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const member = new Uint8Array(T * N);
  if (rule.id === 'all') {
    for (let k = 0; k < T * N; k++) member[k] = Number.isFinite(panel.close[k]!) ? 1 : 0;
    return member;
  }
  const perDay = DAY / intervalMs(panel.interval);
  const adv = new Float64Array(T * N).fill(NaN);
  for (let i = 0; i < N; i++) {
    const a = averageDollarVolume(column(panel.close, N, i), column(panel.volume, N, i), rule.window);
    for (let t = 0; t < T; t++) adv[t * N + i] = a[t]! * perDay;
  }
  for (let t = 0; t < T; t++) memberRow(adv.subarray(t * N, (t + 1) * N), rule, member.subarray(t * N, (t + 1) * N));
  return member;
}

/** One bar's membership from each symbol's ADV per day (NaN: not enough history). */
export function memberRow(advPerDay: Float64Array, rule: UniverseRule, out: Uint8Array): void {
  const order: number[] = [];
  for (let i = 0; i < advPerDay.length; i++) if (advPerDay[i]! >= rule.minUsdPerDay) order.push(i);
  if (rule.top > 0 && order.length > rule.top) {
    order.sort((a, b) => advPerDay[b]! - advPerDay[a]! || a - b);
    order.length = rule.top;
  }
  out.fill(0);
  for (const i of order) out[i] = 1;
}
