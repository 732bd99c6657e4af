/**
 * The fast path's BacktestResult, the one engine-assemble.ts builds for the event engine, field for
 * field. The NAV series and every total are computed by the run; what can be derived from the
 * run's columnar logs (fast-path-book.ts) is derived the first time it is read:
 *   - ts, cash, gross, net, drawdown and the model's P&L series, in one pass over the steps that
 *     replays the logged cash/position changes (cash and position only change at logged events;
 *     between them gross, net and P&L follow from the NAV and the close, and the drawdown from the
 *     running peak of the NAV, including the NAV marked before a same-close fill);
 *   - the order, fill and trade records (trades: the logged fills and funding payments replayed
 *     through the event engine's TradeTracker).
 * Each is computed once and then kept (a data property replaces the getter), so reading a result
 * twice costs once, and every derived value is the one the event engine records, bit for bit
 * (test/backtest/fast-path*.test.ts compare them field by field and by digest).
 */
import { newFillCost } from '../execution/costs.js';
import { executionProfile } from '../execution/profile.js';
import type { FillRecord, OrderRecord, OrderStatus } from '../execution/types.js';
import { RISK_MODES } from '../risk/types.js';
import { costSummary } from './engine-assemble.js';
import { finestInterval } from './engine-data.js';
import { TradeTracker } from './engine-trades.js';
import {
  E_CASH, E_FILL, E_NAV_PRE, E_PAY, E_Q, E_STEP, F_BAR, F_ORDER, F_QTY, F_REF, F_TS, O_CLOSED, O_PLACED, O_QTY, O_STATUS, ORDER_CANCELLED, ORDER_FILLED, type FastBook,
} from './fast-path-book.js';
import type { BacktestInput, BacktestResult, ModelAttribution, TradeRecord } from './types.js';

/** What the loop leaves behind besides the book. */
export interface FastRun {
  readonly book: FastBook;
  /** NAV at each step (computed by the loop). */
  readonly nav: Float64Array;
  /** Clock: step r is clock index kStart + r, at times[k] + offset. */
  readonly times: Float64Array;
  readonly offset: number;
  readonly kStart: number;
  /** The symbol's closes, indexed like the clock (one regular or close_ts symbol). */
  readonly close: Float64Array;
  /** The last close (the final mark). */
  readonly mark: number;
}

interface Derived {
  readonly ts: Float64Array;
  readonly cash: Float64Array;
  readonly gross: Float64Array;
  readonly net: Float64Array;
  readonly drawdown: Float64Array;
  readonly pnl: Float64Array;
}

/** Define `key` on `o` as computed on first read, then kept. */
function lazy(o: object, key: string, make: () => unknown): void {
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get(): unknown {
      const value = make();
      Object.defineProperty(o, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
}

/** The per-step series the event engine records, from the NAV series and the logged events. */
export function deriveSeries(run: FastRun, initialCapital: number): Derived {
  const steps = run.nav.length;
  const ev = run.book.events;
  const d: Derived = {
    ts: new Float64Array(steps),
    cash: new Float64Array(steps),
    gross: new Float64Array(steps),
    net: new Float64Array(steps),
    drawdown: new Float64Array(steps),
    pnl: new Float64Array(steps),
  };
  fillSeries(
    run.nav, run.close, run.times, run.offset, run.kStart, initialCapital,
    ev.column(E_STEP), ev.column(E_CASH), ev.column(E_Q), ev.column(E_NAV_PRE),
    d.ts, d.cash, d.gross, d.net, d.drawdown, d.pnl,
  );
  return d;
}

/** deriveSeries' loop, on plain arrays only (compiled on its own, quickly, the first time it runs). */
function fillSeries(
  nav: Float64Array, close: Float64Array, times: Float64Array, offset: number, kStart: number, initialCapital: number,
  evR: Float64Array, evCash: Float64Array, evQ: Float64Array, evNavPre: Float64Array,
  ts: Float64Array, cashS: Float64Array, gross: Float64Array, net: Float64Array, dd: Float64Array, pnl: Float64Array,
): void {
  const steps = nav.length;
  const ne = evR.length;
  let e = 0;
  let nextR = ne > 0 ? evR[0]! : Infinity;
  let cash = initialCapital;
  let q = 0;
  let peak = initialCapital;
  for (let r = 0; r < steps; r++) {
    if (r === nextR) {
      do {
        cash = evCash[e]!;
        q = evQ[e]!;
        const pre = evNavPre[e]!;
        if (pre > peak) peak = pre;
        e++;
      } while (e < ne && evR[e] === r);
      nextR = e < ne ? evR[e]! : Infinity;
    }
    const k = kStart + r;
    const mark = close[k]!;
    const pos2 = q !== 0 ? q * mark : 0;
    const nav2 = nav[r]!;
    if (nav2 > peak) peak = nav2;
    ts[r] = times[k]! + offset;
    cashS[r] = cash;
    gross[r] = nav2 > 0 ? (pos2 < 0 ? -pos2 : pos2) / nav2 : 0;
    net[r] = nav2 > 0 ? pos2 / nav2 : 0;
    dd[r] = peak > 0 ? 1 - nav2 / peak : 0;
    pnl[r] = nav2 - initialCapital;
  }
}

const STATUS: readonly OrderStatus[] = ['open', 'cancelled', 'filled'];

export function ordersOf(book: FastBook, symbol: string): OrderRecord[] {
  const ol = book.orders;
  const [qty, placedAt, status, closed] = [ol.column(O_QTY), ol.column(O_PLACED), ol.column(O_STATUS), ol.column(O_CLOSED)];
  const out: OrderRecord[] = new Array(ol.length);
  for (let i = 0; i < out.length; i++) {
    const st = status[i]!;
    const closedAt = closed[i]!;
    out[i] = {
      id: i + 1, symbol, qty: qty[i]!, type: 'market', price: null, placedAt: placedAt[i]!, model: null, reason: 'rebalance',
      status: STATUS[st]!, closedAt: st === ORDER_CANCELLED || st === ORDER_FILLED ? closedAt : null,
    };
  }
  return out;
}

export function fillsOf(book: FastBook, symbol: string): FillRecord[] {
  const fl = book.fills;
  const [order, ts, qty, ref, bar] = [fl.column(F_ORDER), fl.column(F_TS), fl.column(F_QTY), fl.column(F_REF), fl.column(F_BAR)];
  const assetClass = book.assetClass;
  const c = newFillCost();
  const out: FillRecord[] = new Array(fl.length);
  for (let i = 0; i < out.length; i++) {
    const q = qty[i]!;
    book.costOf(q, ref[i]!, bar[i]!, c);
    out[i] = {
      orderId: order[i]! + 1, symbol, assetClass, ts: ts[i]!, qty: q, refPrice: ref[i]!, price: c.price, notional: Math.abs(q * c.price),
      fee: c.fee, slippage: c.slippage, impact: c.impact, liquidity: 'taker', gap: false, type: 'market', reason: 'rebalance',
    };
  }
  return out;
}

/** The fills and funding payments, in their order, through the event engine's trade tracker. */
export function tradesOf(book: FastBook, symbol: string, finalMark: number): TradeRecord[] {
  const tracker = new TradeTracker([symbol]);
  const ev = book.events;
  const [fill, pay, qAfter] = [ev.column(E_FILL), ev.column(E_PAY), ev.column(E_Q)];
  const fl = book.fills;
  const [ts, qty, ref, bar] = [fl.column(F_TS), fl.column(F_QTY), fl.column(F_REF), fl.column(F_BAR)];
  const c = newFillCost();
  let q = 0;
  for (let e = 0; e < ev.length; e++) {
    const f = fill[e]!;
    if (f >= 0) {
      book.costOf(qty[f]!, ref[f]!, bar[f]!, c);
      tracker.onFill(0, q, qty[f]!, c.price, c.fee, ts[f]!);
    } else tracker.onFunding(0, pay[e]!);
    q = qAfter[e]!;
  }
  return tracker.finish(Float64Array.of(book.q), Float64Array.of(finalMark));
}

export function fastResult(input: BacktestInput, run: FastRun): BacktestResult {
  const cfg = input.config;
  const { book, nav, mark } = run;
  const steps = nav.length;
  const navEnd = nav[steps - 1]!;
  const net = navEnd - cfg.initial_capital;
  const sym = input.symbols[0]!;
  const { model, budget } = input.models[0]!;
  let derived: Derived | null = null;
  const series = (): Derived => (derived ??= deriveSeries(run, cfg.initial_capital));
  const m = {
    name: model.name, version: model.version, parameters: model.parameters ?? {}, budget, pnl: null as unknown as Float64Array,
    total: navEnd - cfg.initial_capital, fees: book.feesM, slippage: book.slipM, impact: book.impM, funding: book.fundM, borrow: 0, decisions: book.decisions,
  } satisfies ModelAttribution;
  lazy(m, 'pnl', () => series().pnl);
  const q = book.q;
  const result = {
    profile: executionProfile(cfg),
    initialCapital: cfg.initial_capital,
    interval: finestInterval(input.symbols),
    symbols: [{ symbol: sym.symbol, assetClass: sym.assetClass, dataset: sym.dataset, digest: sym.digest }],
    ts: null as unknown as Float64Array,
    nav,
    cash: null as unknown as Float64Array,
    gross: null as unknown as Float64Array,
    net: null as unknown as Float64Array,
    drawdown: null as unknown as Float64Array,
    mode: null as unknown as Uint8Array,
    breachCount: null as unknown as Uint32Array,
    breaches: book.breaches,
    orders: [] as OrderRecord[],
    fills: [] as FillRecord[],
    trades: [] as TradeRecord[],
    costs: costSummary(book, net),
    models: [m],
    assets: [
      {
        symbol: sym.symbol,
        assetClass: sym.assetClass,
        total: book.cashA + q * (mark || 0),
        fees: book.feesA,
        slippage: book.slipA,
        impact: book.impA,
        funding: book.fundA,
        borrow: 0,
        tradedNotional: book.tradedA,
        finalQty: q,
        finalWeight: navEnd > 0 && q !== 0 ? (q * mark) / navEnd : 0,
      },
    ],
    finalMode: RISK_MODES[0]!,
  } satisfies BacktestResult;
  for (const k of ['ts', 'cash', 'gross', 'net', 'drawdown'] as const) lazy(result, k, () => series()[k]);
  // NORMAL (0) and no breach at every step
  lazy(result, 'mode', () => new Uint8Array(steps));
  lazy(result, 'breachCount', () => new Uint32Array(steps));
  lazy(result, 'orders', () => ordersOf(book, sym.symbol));
  lazy(result, 'fills', () => fillsOf(book, sym.symbol));
  lazy(result, 'trades', () => tradesOf(book, sym.symbol, mark));
  return result;
}
