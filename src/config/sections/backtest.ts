import { z } from 'zod';

/**
 * 'backtest' section of configs/base.yaml (seed 003 §4, §5, §7, §8.1): capital, universe, models and
 * budgets, regime budgets, risk limits, costs and execution assumptions.
 *
 * Asset-class keys (risk.class_caps, costs, execution.lots) match a symbol's asset class exactly
 * ('crypto_perp', 'etf', …) or through a group: 'crypto' = crypto_perp + crypto_spot,
 * 'equities' = equity + etf + index. An exact class key wins over its group; 'default' catches the rest.
 */

const fraction = (what: string) => z.number().min(0).max(1).describe(what);

export const universeEntrySchema = z
  .object({
    asset_class: z
      .enum(['crypto_perp', 'crypto_spot', 'equity', 'etf', 'index', 'fx', 'other'])
      .describe('asset class: picks costs, lot rules and class caps'),
    dataset: z.string().optional().describe("bars dataset for this symbol; default '<SYMBOL>:<backtest.interval>'"),
  })
  .strict();

export const modelEntrySchema = z
  .object({
    budget: fraction('fraction of NAV given to the model (B_m); budgets must sum to ≤ 1, the rest is cash'),
    enabled: z.boolean().default(true).describe('false leaves the model out of the backtest'),
    parameters: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("model parameters; each model validates its own (see the model's schema)"),
  })
  .strict();

export const costEntrySchema = z
  .object({
    maker_bps: z.number().min(0).default(2).describe('fee for resting (maker) limit fills, bps of notional'),
    taker_bps: z.number().min(0).default(5).describe('fee for market, stop and marketable limit fills, bps of notional'),
    slippage_bps: z.number().min(0).default(2).describe('adverse price move on market and stop fills, bps'),
    impact_coef: z
      .number()
      .min(0)
      .default(0.1)
      .describe('square-root impact: price move = coef × sqrt(order qty / average daily volume), as a fraction'),
    borrow_bps_year: z
      .number()
      .min(0)
      .optional()
      .describe(
        'borrow fee on short positions, bps per year of the short value (default 0 = none; e.g. 30 for general-collateral stock): |qty| × close × rate × bar length / 365 d at each bar close; never charged on crypto_perp (perpetuals pay funding)',
      ),
  })
  .strict();

export const lotEntrySchema = z
  .object({
    lot_size: z.number().positive().default(1).describe('quantity step: orders are rounded toward zero to a multiple'),
    min_qty: z.number().min(0).default(0).describe('orders smaller than this quantity are not sent'),
    min_notional: z.number().min(0).default(0).describe('orders smaller than this value (qty × price) are not sent'),
  })
  .strict();

const drawdownSchema = z
  .object({
    reduce_at: fraction('drawdown from the NAV peak at which the risk mode becomes REDUCED').default(0.1),
    reduce_scale: fraction('factor applied to every target weight while REDUCED').default(0.5),
    recover_at: fraction('drawdown below which REDUCED returns to NORMAL (hysteresis); null = ¾ of reduce_at').nullable().default(null),
    halt_at: fraction('drawdown at which the risk mode becomes HALT (latched for the rest of the run)').default(0.2),
    halt_action: z
      .enum(['no_new_entries', 'flatten'])
      .default('no_new_entries')
      .describe('HALT behaviour: keep positions but never increase or flip them, or close everything'),
  })
  .strict();

const killSwitchSchema = z
  .object({
    enabled: z.boolean().default(false).describe('true: flatten and HALT from the first bar (or from `at`)'),
    at: z.string().nullable().default(null).describe("UTC time the kill switch fires, e.g. '2022-05-09T00:00:00Z'; null = immediately when enabled"),
  })
  .strict();

const riskSchema = z
  .object({
    per_trade_risk: fraction('max fraction of NAV lost if a position is stopped out (needs a stop hint)').default(0.02),
    per_asset_cap: z.number().min(0).default(0.4).describe('max |weight| of NAV in one asset (above 1 allows leverage in one asset)'),
    class_caps: z
      .record(z.string(), z.number().min(0).describe('max gross weight of NAV in the class'))
      .default({ crypto: 0.2 })
      .describe("max gross weight per asset class or group, e.g. { crypto: 0.2 }"),
    max_gross: z.number().min(0).default(1.2).describe('max gross exposure Σ|w| as a multiple of NAV'),
    drawdown: drawdownSchema.default(drawdownSchema.parse({})).describe('global drawdown limits → risk modes'),
    kill_switch: killSwitchSchema.default(killSwitchSchema.parse({})).describe('manual kill switch'),
    maintenance_margin: z
      .record(z.string(), fraction('maintenance margin as a fraction of the position notional'))
      .optional()
      .describe(
        'maintenance margin per asset class or group (e.g. { equities: 0.3, crypto: 0.1 }); a bar that takes equity below Σ margin × |position value| liquidates that position at the margin level. Unset keys use equities 0.25, crypto 0.05, default 0.25',
      ),
    allow_negative_equity: z
      .boolean()
      .optional()
      .describe('keep a loss beyond zero equity after a liquidation (a gap) instead of writing it off; off by default, so NAV ≥ 0'),
  })
  .strict();

const executionSchema = z
  .object({
    fill: z
      .enum(['next_open', 'same_close'])
      .default('next_open')
      .describe('market orders decided at a bar close fill at the next bar open, or at that same close'),
    limit_fill: z
      .enum(['touch', 'through'])
      .default('touch')
      .describe('a limit fills when the bar touches the level (low ≤ buy limit) or only when it trades through it'),
    rebalance_band: z
      .number()
      .min(0)
      .default(0.02)
      .describe('with unchanged targets, trade back to target only when |target − current weight| exceeds this'),
    adv_days: z.number().int().positive().default(20).describe('days of bars in the average daily volume for impact'),
    max_participation: z
      .number()
      .gt(0)
      .max(1)
      .nullable()
      .optional()
      .describe(
        "fraction of a bar's volume one order may fill in that bar (e.g. 0.1), rounded down to the lot; the rest keeps working on later bars until done, replaced by a new order, or the run ends; a zero-volume bar fills nothing. Unset or null = no cap",
      ),
    funding: z.boolean().default(true).describe('pay or receive funding on perpetual positions (bars funding_rate column)'),
    lots: z
      .record(z.string(), lotEntrySchema)
      .default({
        equities: { lot_size: 1, min_qty: 1, min_notional: 0 },
        crypto: { lot_size: 0.0001, min_qty: 0.0001, min_notional: 10 },
        default: { lot_size: 1e-8, min_qty: 0, min_notional: 0 },
      })
      .describe('lot size and minimum order per asset class or group (equities: whole shares)'),
  })
  .strict();

export const backtestSection = z
  .object({
    initial_capital: z.number().positive().default(100_000).describe('starting cash in account currency'),
    interval: z
      .enum(['1m', '5m', '15m', '30m', '1h', '4h', '8h', '1d', '1w', '1M'])
      .default('4h')
      .describe('bar interval used to name each symbol\'s default dataset'),
    start: z.string().nullable().default(null).describe('first decision time (UTC), null = first bar'),
    end: z.string().nullable().default(null).describe('last bar time (UTC), null = last bar'),
    universe: z
      .record(z.string(), universeEntrySchema)
      .default({})
      .describe('symbols with their asset class and dataset'),
    models: z.record(z.string(), modelEntrySchema).default({}).describe('models with budgets and parameters'),
    regime_budgets: z
      .record(z.string(), z.record(z.string(), fraction('budget of the model in this regime')))
      .default({})
      .describe("budgets per regime, keyed '<dimension>_<value>' (equity_bear, vol_high, crypto_risk_off, macro_recession); first match in the order equity, vol, crypto, macro wins"),
    risk: riskSchema.default(riskSchema.parse({})).describe('risk engine limits'),
    costs: z
      .record(z.string(), costEntrySchema)
      .default({
        equities: { maker_bps: 0, taker_bps: 1, slippage_bps: 1, impact_coef: 0.1 },
        crypto: { maker_bps: 2, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1 },
        default: { maker_bps: 2, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1 },
      })
      .describe('fees, slippage and impact per asset class or group'),
    execution: executionSchema.default(executionSchema.parse({})).describe('fill assumptions'),
  })
  .passthrough();

export type BacktestConfig = z.infer<typeof backtestSection>;
export type UniverseEntry = z.infer<typeof universeEntrySchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type CostEntry = z.infer<typeof costEntrySchema>;
export type LotEntry = z.infer<typeof lotEntrySchema>;
export type RiskConfig = z.infer<typeof riskSchema>;
export type ExecutionConfig = z.infer<typeof executionSchema>;
