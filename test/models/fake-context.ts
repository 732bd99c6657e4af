/**
 * A minimal ModelContext driver for model unit tests, written independently of the backtest engine:
 * every symbol shares one clock (bar i closes at ts[i] + interval), `history` returns views ending
 * at the current bar, daily features are looked up as-of by linear scan, and exposures follow the
 * model's own last targets (as if every order filled) unless a test overrides them.
 */
import type { Model, ModelContext, ModelDecision, SymbolBar, AlignedSeries } from '../../src/models/types.js';
import { NEUTRAL_SNAPSHOT, type RegimeSnapshot } from '../../src/regime/types.js';
import type { Interval } from '../../src/core/time.js';
import { intervalMs } from '../../src/core/time.js';

export interface FakeBars {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume?: Float64Array;
}

export interface DriveOptions {
  readonly interval?: Interval;
  readonly daily?: Record<string, Record<string, AlignedSeries>>;
  readonly regime?: (t: number) => RegimeSnapshot;
  readonly budgetValue?: number;
  /** Override the exposure a model sees at bar i (e.g. a stop filled by the engine). */
  readonly exposure?: (i: number, symbol: string, last: number) => number;
  /** Start calling decide at this bar index (default: model.warmupBars - 1). */
  readonly start?: number;
}

export interface Step {
  readonly i: number;
  readonly t: number;
  readonly decision: ModelDecision | null;
}

/** Bars from closes only: open = previous close, high/low = max/min(open, close). */
export function barsFromCloses(closes: readonly number[], t0 = Date.UTC(2024, 0, 1), step = 86_400_000): FakeBars {
  const n = closes.length;
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = Float64Array.from(closes);
  for (let i = 0; i < n; i++) {
    ts[i] = t0 + i * step;
    open[i] = i === 0 ? closes[0]! : closes[i - 1]!;
    high[i] = Math.max(open[i]!, close[i]!);
    low[i] = Math.min(open[i]!, close[i]!);
  }
  return { ts, open, high, low, close };
}

export function drive(model: Model, bars: Record<string, FakeBars>, o: DriveOptions = {}): Step[] {
  const interval = o.interval ?? '1d';
  const ms = intervalMs(interval);
  const syms = model.universe;
  const clock = bars[syms[0]!]!.ts;
  const n = clock.length;
  let cur = -1;
  const lastW: Record<string, number> = Object.fromEntries(syms.map((s) => [s, 0]));
  const exposures: Record<string, number> = { ...lastW };
  const state: Record<string, unknown> = {};
  const barOf = (sym: string): SymbolBar => {
    const b = bars[sym]!;
    return {
      symbol: sym,
      assetClass: 'other',
      interval,
      index: cur,
      ts: b.ts[cur]!,
      open: b.open[cur]!,
      high: b.high[cur]!,
      low: b.low[cur]!,
      close: b.close[cur]!,
      volume: b.volume ? b.volume[cur]! : 0,
      fresh: true,
    };
  };
  const ctx = {
    t: 0,
    barIndex: 0,
    universe: syms,
    bars: [] as SymbolBar[],
    bar: barOf,
    history(sym: string, k: number, field = 'close') {
      const col = (bars[sym] as unknown as Record<string, Float64Array>)[field]!;
      return col.subarray(Math.max(0, cur + 1 - k), cur + 1);
    },
    lag(sym: string, k: number, field = 'close') {
      const col = (bars[sym] as unknown as Record<string, Float64Array>)[field]!;
      const i = cur - k;
      return i < 0 || k < 0 ? NaN : col[i]!;
    },
    daily(sym: string, feature: string) {
      const s = o.daily?.[sym]?.[feature];
      if (!s) return NaN;
      let v = NaN;
      for (let j = 0; j < s.ts.length && s.ts[j]! <= ctx.t; j++) v = s.values[j]!;
      return v;
    },
    dailyHistory() {
      return new Float64Array(0);
    },
    regime: NEUTRAL_SNAPSHOT,
    budget: { fraction: 1, value: o.budgetValue ?? 100_000 },
    exposures,
    state,
  };
  const steps: Step[] = [];
  const start = o.start ?? Math.max(0, model.warmupBars - 1);
  for (let i = start; i < n; i++) {
    cur = i;
    ctx.t = clock[i]! + ms;
    ctx.barIndex = i;
    ctx.bars = syms.map(barOf);
    (ctx as { regime: RegimeSnapshot }).regime = o.regime ? o.regime(ctx.t) : NEUTRAL_SNAPSHOT;
    for (const s of syms) exposures[s] = o.exposure ? o.exposure(i, s, lastW[s]!) : lastW[s]!;
    const d = model.decide(ctx as unknown as ModelContext);
    if (d) for (const s of syms) lastW[s] = d.weights[s] ?? 0;
    steps.push({ i, t: ctx.t, decision: d });
  }
  return steps;
}

/** The decisions that said something, as [bar index, weights]. */
export const decisionsOf = (steps: readonly Step[]): [number, Record<string, number>][] =>
  steps.filter((s) => s.decision !== null).map((s) => [s.i, { ...s.decision!.weights }]);
