/** Assemble the immutable BacktestResult from the book and the recorded series. */
import { executionProfile } from '../execution/profile.js';
import { RISK_MODES } from '../risk/types.js';
import type { Book } from './engine-book.js';
import { finestInterval } from './engine-data.js';
import type { AssetAttribution, BacktestInput, BacktestResult, ModelAttribution } from './types.js';

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

/** What assembly reads from a book (the event engine's Book, or the fast path's single-asset book). */
export type AssembleBook = Pick<
  Book,
  | 'feesM' | 'slipM' | 'impM' | 'fundM' | 'borM' | 'decisionsM'
  | 'cashA' | 'q' | 'mark' | 'feesA' | 'slipA' | 'impA' | 'fundA' | 'borA' | 'tradedA'
  | 'breaches' | 'orders' | 'fills' | 'trades' | 'fees' | 'slippage' | 'impact' | 'fundingPaid' | 'borrowPaid' | 'traded'
>;

export function assemble(input: BacktestInput, book: AssembleBook, sr: Series, mode: number): BacktestResult {
  const cfg = input.config;
  const last = sr.navA.length - 1;
  const navEnd = sr.navA[last]!;
  const net = navEnd - cfg.initial_capital;
  const models: ModelAttribution[] = input.models.map(({ model, budget }, m) => ({
    name: model.name,
    version: model.version,
    parameters: model.parameters ?? {},
    budget,
    pnl: sr.pnlM[m]!,
    total: sr.pnlM[m]![last]!,
    fees: book.feesM[m]!,
    slippage: book.slipM[m]!,
    impact: book.impM[m]!,
    funding: book.fundM[m]!,
    borrow: book.borM[m]!,
    decisions: book.decisionsM[m]!,
  }));
  const assets: AssetAttribution[] = input.symbols.map((sym, s) => ({
    symbol: sym.symbol,
    assetClass: sym.assetClass,
    total: book.cashA[s]! + book.q[s]! * (book.mark[s]! || 0),
    fees: book.feesA[s]!,
    slippage: book.slipA[s]!,
    impact: book.impA[s]!,
    funding: book.fundA[s]!,
    borrow: book.borA[s]!,
    tradedNotional: book.tradedA[s]!,
    finalQty: book.q[s]!,
    finalWeight: navEnd > 0 && book.q[s] !== 0 ? (book.q[s]! * book.mark[s]!) / navEnd : 0,
  }));
  return {
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
    breaches: book.breaches,
    orders: book.orders,
    fills: book.fills,
    trades: book.trades.finish(book.q, book.mark),
    costs: costSummary(book, net),
    models,
    assets,
    finalMode: RISK_MODES[mode]!,
  };
}

/** The cost decomposition of a run: gross P&L = net + every cost paid. */
export function costSummary(
  book: Pick<AssembleBook, 'fees' | 'slippage' | 'impact' | 'fundingPaid' | 'traded'> & { readonly borrowPaid?: number },
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
