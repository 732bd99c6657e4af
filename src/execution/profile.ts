/**
 * The execution profile: every fill assumption of a run, declared up front. It heads every
 * backtest result, is stored with the run and is part of the run digest, so two runs with different
 * assumptions never look alike and `runs diff` shows what changed.
 */
import type { BacktestConfig } from '../config/sections/backtest.js';
import type { ExecutionProfile } from './types.js';

export function executionProfile(cfg: BacktestConfig): ExecutionProfile {
  const costs: Record<string, ExecutionProfile['costs'][string]> = {};
  let borrows = false;
  for (const k of Object.keys(cfg.costs).sort()) {
    const c = cfg.costs[k]!;
    // A zero borrow rate is left out, so profiles (and digests) of runs without borrow stay as they were.
    const borrow = c.borrow_bps_year ? { borrow_bps_year: c.borrow_bps_year } : {};
    if (c.borrow_bps_year) borrows = true;
    costs[k] = { maker_bps: c.maker_bps, taker_bps: c.taker_bps, slippage_bps: c.slippage_bps, impact_coef: c.impact_coef, ...borrow };
  }
  const lots: Record<string, { lot_size: number; min_qty: number; min_notional: number }> = {};
  for (const k of Object.keys(cfg.execution.lots).sort()) {
    const l = cfg.execution.lots[k]!;
    lots[k] = { lot_size: l.lot_size, min_qty: l.min_qty, min_notional: l.min_notional };
  }
  return {
    decisionTime: 'bar_close',
    fillPrice: cfg.execution.fill,
    intrabar: {
      path: 'ohlc',
      stops: 'trigger inside next bar high/low; gap through the level fills at the open',
      limits: cfg.execution.limit_fill,
    },
    costs,
    impact: { formula: 'coef * sqrt(|qty| / ADV)', advDays: cfg.execution.adv_days, appliesTo: 'taker fills' },
    slippageAppliesTo: 'taker fills (market, stop, marketable limit)',
    lots,
    funding: cfg.execution.funding ? 'bars funding_rate × position notional at the close; longs pay positive rates' : 'off',
    rebalanceBand: cfg.execution.rebalance_band,
    shorts: 'allowed when a model asks for negative weights',
    ...(typeof cfg.execution.max_participation === 'number'
      ? {
          participation: {
            maxParticipation: cfg.execution.max_participation,
            rule: 'an order fills at most cap × bar volume per bar (rounded down to the lot); the rest works on later bars; zero volume fills nothing' as const,
          },
        }
      : {}),
    ...(borrows ? { borrow: '|qty| × close × borrow_bps_year/1e4 × bar length / 365 d at each close of a short position; not on crypto_perp' as const } : {}),
  };
}

/** Two short lines for the top of a result, e.g. in the log and in `runs show`. */
export function describeProfile(p: ExecutionProfile): string[] {
  const fill = p.fillPrice === 'next_open' ? 'decide at bar close · market fills next open' : 'decide at bar close · market fills same close';
  const costs = Object.entries(p.costs)
    .map(([k, c]) => `${k} ${c.taker_bps}/${c.maker_bps} bps taker/maker · slip ${c.slippage_bps} · impact ${c.impact_coef}√(q/ADV${p.impact.advDays}d)${c.borrow_bps_year ? ` · borrow ${c.borrow_bps_year} bps/yr` : ''}`)
    .join('; ');
  return [
    `execution: ${fill} · stops OHLC path, gaps fill at open · limits fill on ${p.intrabar.limits} · band ${p.rebalanceBand}${p.participation ? ` · ≤ ${p.participation.maxParticipation} of bar volume per order` : ''}`,
    `costs: ${costs} · funding ${p.funding === 'off' ? 'off' : 'on'}`,
  ];
}
