/**
 * What to run: the configured portfolio (the enabled models of `backtest.models` with their budgets
 * and `regime_budgets`) or one model on its own. A plan is plain data (config sections and model
 * parameters, already validated), so it can be digested into the run record and re-run by probes.
 */
import { UserError } from '../core/errors.js';
import type { Interval } from '../core/time.js';
import type { EdgelabConfig } from '../config/schema.js';
import type { BacktestConfig } from '../config/sections/backtest.js';
import { parseModelParams } from '../models/registry.js';

export interface PlannedModel {
  readonly name: string;
  /** Base budget B_m (fraction of NAV). */
  readonly budget: number;
  /** Parameters validated by the model's schema (defaults filled). */
  readonly params: Record<string, unknown>;
}

export interface BacktestPlan {
  /** 'portfolio' or the single model's name. */
  readonly kind: 'portfolio' | 'single';
  readonly label: string;
  readonly interval: Interval;
  /** The effective `backtest` section (single-model overrides applied). */
  readonly backtest: BacktestConfig;
  readonly regime: EdgelabConfig['regime'];
  readonly models: readonly PlannedModel[];
}

/** The configured portfolio: enabled models in name order. */
export function portfolioPlan(config: EdgelabConfig): BacktestPlan {
  const bt = config.backtest;
  const names = Object.keys(bt.models)
    .filter((n) => bt.models[n]!.enabled)
    .sort();
  if (names.length === 0) throw new UserError('no models to run: add or enable one under backtest.models', 'config backtest.models');
  const models = names.map((name) => ({ name, budget: bt.models[name]!.budget, params: parseModelParams(name, bt.models[name]!.parameters) }));
  return { kind: 'portfolio', label: `portfolio (${names.join(', ')})`, interval: bt.interval, backtest: bt, regime: config.regime, models };
}

export interface SingleModelOptions {
  /** Parameter overrides from the command line, merged over backtest.models.<name>.parameters. */
  readonly params?: Record<string, unknown>;
  readonly interval?: Interval;
  readonly fill?: 'next_open' | 'same_close';
  /** Commission as a percentage of notional (0.1 = 0.1 %) on every fill; slippage and impact then default to 0. */
  readonly commissionPct?: number;
  readonly slippageBps?: number;
  /** Borrow fee on short positions, bps per year, for every cost key (perpetual swaps never pay it). */
  readonly borrowBps?: number;
  /** Largest fraction of a bar's volume an order may fill in that bar (partial fills). */
  readonly maxParticipation?: number;
  /** Keep the configured risk limits (default: out of the way, like a classic single-strategy backtest). */
  readonly keepRisk?: boolean;
  /** How to name a bad parameter in the error (the command names its flag). */
  readonly where?: (field: string) => string;
}

/**
 * One model with the whole book (budget 1). Unless `keepRisk`, the risk engine's caps are set so
 * they never bind (per-asset 1, no class caps, gross ≤ 1, no drawdown modes) and positions are not
 * re-balanced for drift (band ∞), which is how a classic single-strategy backtest behaves: size at
 * entry, hold until the signal changes.
 */
export function singleModelPlan(config: EdgelabConfig, name: string, o: SingleModelOptions = {}): BacktestPlan {
  const bt = config.backtest;
  const base = bt.models[name]?.parameters ?? {};
  const params = parseModelParams(name, { ...base, ...(o.params ?? {}) }, o.where);
  const commission = (borrow?: number) => ({
    maker_bps: o.commissionPct! * 100, taker_bps: o.commissionPct! * 100, slippage_bps: o.slippageBps ?? 0, impact_coef: 0,
    ...(borrow ? { borrow_bps_year: borrow } : {}),
  });
  // The commission replaces fees, slippage and impact; configured borrow rates stay (per key, when any is set).
  const borrows = Object.values(bt.costs).some((c) => c.borrow_bps_year);
  const costed =
    o.commissionPct !== undefined
      ? borrows
        ? Object.fromEntries(Object.entries(bt.costs).map(([k, c]) => [k, commission(c.borrow_bps_year)]))
        : { default: commission() }
      : o.slippageBps !== undefined
        ? Object.fromEntries(Object.entries(bt.costs).map(([k, c]) => [k, { ...c, slippage_bps: o.slippageBps! }]))
        : bt.costs;
  const costs = o.borrowBps !== undefined ? Object.fromEntries(Object.entries(costed).map(([k, c]) => [k, { ...c, borrow_bps_year: o.borrowBps! }])) : costed;
  const risk = o.keepRisk
    ? bt.risk
    : {
        ...bt.risk,
        per_asset_cap: 1,
        class_caps: {},
        max_gross: 1,
        drawdown: { ...bt.risk.drawdown, reduce_at: 1, halt_at: 1 },
      };
  const backtest: BacktestConfig = {
    ...bt,
    models: { [name]: { budget: 1, enabled: true, parameters: params } },
    regime_budgets: {},
    costs,
    risk,
    execution: {
      ...bt.execution,
      fill: o.fill ?? bt.execution.fill,
      rebalance_band: o.keepRisk ? bt.execution.rebalance_band : Infinity,
      ...(o.maxParticipation !== undefined ? { max_participation: o.maxParticipation } : {}),
    },
  };
  const sym = typeof params['symbol'] === 'string' ? ` ${params['symbol']}` : '';
  return { kind: 'single', label: `${name}${sym}`, interval: o.interval ?? bt.interval, backtest, regime: config.regime, models: [{ name, budget: 1, params }] };
}
