/**
 * Input validation and preparation for the engine: everything a user can get wrong is reported here,
 * before the first bar, as one UserError naming the model, symbol or config key — so a bad run stops
 * before anything is computed or stored.
 */
import { UserError, InvariantError } from '../core/errors.js';
import { parseUtc } from '../core/time.js';
import { byClass, keyCovers } from '../execution/classes.js';
import { borrowRate } from '../execution/borrow.js';
import type { CostRates, LotRule } from '../execution/types.js';
import { riskLimits } from '../risk/settings.js';
import type { LimitContext } from '../risk/limits.js';
import { budgetTable, type BudgetTable } from '../portfolio/budgets.js';
import { commonClock, prepareSymbol, type Clock, type SymbolData } from './engine-data.js';
import type { BacktestInput } from './types.js';
import type { DailyFeatures } from '../models/types.js';

export interface PreparedRun {
  readonly data: readonly SymbolData[];
  readonly symbolIndex: ReadonlyMap<string, number>;
  readonly universes: readonly (readonly number[])[];
  readonly rates: readonly CostRates[];
  readonly lots: readonly LotRule[];
  readonly budgets: BudgetTable;
  readonly limitContext: LimitContext;
  readonly clock: Clock;
  /** First and last clock steps that are recorded (inclusive). */
  readonly kStart: number;
  readonly kEnd: number;
}

export function prepareRun(input: BacktestInput): PreparedRun {
  const cfg = input.config;
  if (input.symbols.length === 0) {
    throw new UserError('no symbols to trade: backtest.universe is empty', 'config backtest.universe');
  }
  if (input.models.length === 0) {
    throw new UserError('no models to run: add or enable one under backtest.models', 'config backtest.models');
  }
  const symbolIndex = new Map<string, number>();
  input.symbols.forEach((s, i) => {
    if (symbolIndex.has(s.symbol)) throw new UserError(`symbol ${s.symbol} is listed twice`, 'config backtest.universe');
    symbolIndex.set(s.symbol, i);
  });
  const names = new Set<string>();
  const universes = input.models.map(({ model }) => {
    if (names.has(model.name)) throw new UserError(`model '${model.name}' is listed twice`, 'config backtest.models');
    names.add(model.name);
    if (model.universe.length === 0) throw new UserError(`model '${model.name}' has an empty universe`, model.name);
    return model.universe.map((sym) => {
      const i = symbolIndex.get(sym);
      if (i === undefined) {
        throw new UserError(
          `model '${model.name}' trades ${sym}, but there is no data for ${sym} in this backtest (symbols with data: ${[...symbolIndex.keys()].join(', ')}); ingest it and add it to backtest.universe`,
          sym,
        );
      }
      return i;
    });
  });
  const budgets = budgetTable(
    input.models.map((m) => ({ name: m.model.name, budget: m.budget })),
    cfg.regime_budgets,
  );
  const data = input.symbols.map(prepareSymbol);
  const rates = input.symbols.map((s): CostRates => {
    const c = byClass(cfg.costs, s.assetClass, 'costs');
    return {
      maker: c.maker_bps / 1e4, taker: c.taker_bps / 1e4, slippage: c.slippage_bps / 1e4, impactCoef: c.impact_coef,
      borrow: borrowRate(s.assetClass, c.borrow_bps_year),
    };
  });
  const lots = input.symbols.map((s): LotRule => {
    const l = byClass(cfg.execution.lots, s.assetClass, 'execution.lots');
    return { lotSize: l.lot_size, minQty: l.min_qty, minNotional: l.min_notional };
  });
  const limits = riskLimits(cfg.risk);
  const classMembers = limits.classCaps.map(({ key }) =>
    Int32Array.from(input.symbols.flatMap((s, i) => (keyCovers(key, s.assetClass) ? [i] : []))),
  );
  if (input.daily) checkDailyFeatures(input.daily);
  const clock = commonClock(data);
  const start = input.start ?? (cfg.start !== null ? parseUtc(cfg.start) : -Infinity);
  const end = input.end ?? (cfg.end !== null ? parseUtc(cfg.end) : Infinity);
  let kStart = 0;
  const { times, offset } = clock;
  while (kStart < clock.length && times[kStart]! + offset < start) kStart++;
  let kEnd = clock.length - 1;
  while (kEnd >= 0 && times[kEnd]! + offset > end) kEnd--;
  if (kStart > kEnd) {
    throw new UserError('no bar closes between the backtest start and end; widen backtest.start / backtest.end', 'config backtest.start');
  }
  return {
    data,
    symbolIndex,
    universes,
    rates,
    lots,
    budgets,
    limitContext: { symbols: input.symbols.map((s) => s.symbol), classMembers, limits },
    clock,
    kStart,
    kEnd,
  };
}

/**
 * Daily feature series that passed `checkDailyFeatures`, by their known-at times and values: a
 * feature series is made once and not written after (models/daily-features.ts), and the warm-up
 * probes run on the main run's series again, so the same arrays need checking once.
 */
const checkedDaily = new WeakMap<Float64Array, Float64Array>();

/**
 * Every daily feature series has as many values as known-at times, ascending. In a function of its
 * own, apart from `prepareRun`: V8 compiles a function while its loop runs, and this loop's own
 * compile is small where one of `prepareRun` with all it calls was the largest of a probed run.
 */
function checkDailyFeatures(daily: DailyFeatures): void {
  for (const [sym, feats] of daily) {
    for (const [name, series] of feats) {
      const ts = series.ts;
      if (checkedDaily.get(ts) === series.values) continue;
      if (series.values.length !== ts.length) throw new InvariantError(`daily feature ${sym}.${name}: ts and values differ in length`);
      for (let i = 1; i < ts.length; i++) {
        if (!(ts[i]! >= ts[i - 1]!)) throw new InvariantError(`daily feature ${sym}.${name}: known-at times not ascending at row ${i}`);
      }
      checkedDaily.set(ts, series.values);
    }
  }
}
