/**
 * Assemble the immutable BacktestResult from the Trader's account, sleeves and recorded series. A
 * Trader that logs its steps (engine/step-log.ts) hands over its NAV and the log instead: the
 * result's other per-step series are then derived the first time they are read, and kept.
 */
import type { Account } from '../execution/account.js';
import { executionProfile } from '../execution/profile.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';
import { RISK_MODES, type RiskBreach } from '../risk/types.js';
import type { ModelSleeves } from '../engine/sleeves.js';
import { deriveBreachCounts, deriveModes, deriveSeries, type DerivedSeries, type StepLogRun } from '../engine/step-log.js';
import { finestInterval } from './engine-data.js';
import { closeTimes, lazy } from './fast-path-result.js';
import type { AssetAttribution, BacktestInput, BacktestResult, ModelAttribution, TradeRecord } from './types.js';

export interface Series {
  ts: Float64Array;
  navA: Float64Array;
  cashA: Float64Array;
  grossA: Float64Array;
  netA: Float64Array;
  ddA: Float64Array;
  modeA: Uint8Array;
  breachCount: Uint32Array;
  pnlM: Float64Array[];
}

/** What assembly reads from the Trader. */
export interface AssembleParts {
  readonly account: Account;
  readonly sleeves: ModelSleeves;
  readonly mark: Float64Array;
  /** The order records, or what makes them: then the result's `orders` are made when first read. */
  readonly orders: readonly OrderRecord[] | (() => readonly OrderRecord[]);
  /** The fill records, or what makes them: then the result's `fills` are made when first read. */
  readonly fills: readonly FillRecord[] | (() => readonly FillRecord[]);
  /** The round-trip trades, or what makes them (engine-trades.ts `finishWhenRead`): then made when first read. */
  readonly trades: readonly TradeRecord[] | (() => readonly TradeRecord[]);
  readonly breaches: readonly RiskBreach[];
}

/**
 * @param logged the NAV and step log of a Trader that records 'log' (engine/trader.ts): the series
 *   not in `sr` are derived from it when first read
 */
export function assemble(input: BacktestInput, parts: AssembleParts, sr: Series, mode: number, logged?: StepLogRun): BacktestResult {
  const { account, sleeves, mark } = parts;
  const cfg = input.config;
  const last = sr.navA.length - 1;
  const navEnd = sr.navA[last]!;
  const net = navEnd - cfg.initial_capital;
  // a logged run of one model: its P&L is NAV − initial capital, derived (the total as the step computes it)
  const pnlDerived = logged !== undefined && input.models.length === 1;
  const models: ModelAttribution[] = input.models.map(({ model, budget }, m) => ({
    name: model.name,
    version: model.version,
    parameters: model.parameters ?? {},
    budget,
    pnl: pnlDerived ? EMPTY : sr.pnlM[m]!,
    total: pnlDerived ? navEnd - cfg.initial_capital : sr.pnlM[m]![last]!,
    fees: sleeves.fees[m]!,
    slippage: sleeves.slippage[m]!,
    impact: sleeves.impact[m]!,
    funding: sleeves.funding[m]!,
    borrow: sleeves.borrow[m]!,
    decisions: sleeves.decisions[m]!,
  }));
  const assets: AssetAttribution[] = input.symbols.map((sym, s) => ({
    symbol: sym.symbol,
    assetClass: sym.assetClass,
    total: account.cashByAsset[s]! + account.position[s]! * (mark[s]! || 0),
    fees: account.feesByAsset[s]!,
    slippage: account.slippageByAsset[s]!,
    impact: account.impactByAsset[s]!,
    funding: account.fundingByAsset[s]!,
    borrow: account.borrowByAsset[s]!,
    tradedNotional: account.tradedByAsset[s]!,
    finalQty: account.position[s]!,
    finalWeight: navEnd > 0 && account.position[s] !== 0 ? (account.position[s]! * mark[s]!) / navEnd : 0,
  }));
  const result: BacktestResult = {
    profile: executionProfile(cfg),
    initialCapital: cfg.initial_capital,
    interval: finestInterval(input.symbols),
    symbols: input.symbols.map((s) => ({ symbol: s.symbol, assetClass: s.assetClass, dataset: s.dataset, digest: s.digest })),
    ts: sr.ts,
    nav: sr.navA,
    cash: sr.cashA,
    gross: sr.grossA,
    net: sr.netA,
    drawdown: sr.ddA,
    mode: sr.modeA,
    breachCount: sr.breachCount,
    breaches: parts.breaches,
    orders: typeof parts.orders === 'function' ? [] : parts.orders,
    fills: typeof parts.fills === 'function' ? [] : parts.fills,
    trades: typeof parts.trades === 'function' ? [] : parts.trades,
    costs: costSummary(account, net),
    models,
    assets,
    finalMode: RISK_MODES[mode]!,
  };
  if (logged !== undefined) deriveWhenRead(result, logged, pnlDerived);
  const makeOrders = parts.orders;
  if (typeof makeOrders === 'function') lazy(result, 'orders', makeOrders);
  const makeFills = parts.fills;
  if (typeof makeFills === 'function') lazy(result, 'fills', makeFills);
  const makeTrades = parts.trades;
  if (typeof makeTrades === 'function') lazy(result, 'trades', makeTrades);
  return result;
}

const EMPTY = new Float64Array(0);

/** The per-step series of a logged run as getters that derive them on first read (engine/step-log.ts). */
function deriveWhenRead(result: BacktestResult, logged: StepLogRun, pnlDerived: boolean): void {
  const steps = logged.nav.length;
  let derived: DerivedSeries | null = null;
  const series = (): DerivedSeries => (derived ??= deriveSeries(logged));
  lazy(result, 'ts', () => closeTimes(logged.times, logged.offset).subarray(logged.kStart, logged.kStart + steps));
  lazy(result, 'cash', () => series().cash);
  lazy(result, 'gross', () => series().gross);
  lazy(result, 'net', () => series().net);
  lazy(result, 'drawdown', () => series().drawdown);
  lazy(result, 'mode', () => deriveModes(logged.log, steps));
  lazy(result, 'breachCount', () => deriveBreachCounts(logged.log, steps));
  if (pnlDerived) lazy(result.models[0]!, 'pnl', () => series().pnl);
}

/** The cost decomposition of a run: gross P&L = net + every cost paid. */
export function costSummary(
  book: Pick<Account, 'fees' | 'slippage' | 'impact' | 'fundingPaid' | 'traded'> & { readonly borrowPaid?: number },
  net: number,
): BacktestResult['costs'] {
  const borrow = book.borrowPaid ?? 0;
  return {
    // + 0 when nothing was borrowed: the same sum, bit for bit, as before borrow fees existed
    gross: net + book.fees + book.slippage + book.impact + book.fundingPaid + borrow,
    fees: book.fees,
    slippage: book.slippage,
    impact: book.impact,
    funding: book.fundingPaid,
    borrow,
    net,
    tradedNotional: book.traded,
  };
}
