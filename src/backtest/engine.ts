/**
 * The backtest event loop (seed 003 §7; ARCHITECTURE "backtest uses models, portfolio, risk,
 * execution"). On a common clock (the union of every symbol's bar close times), at each step t:
 *
 *   1. bars closing at t: pending orders and resting stops fill inside the bar (next open, stop/limit
 *      levels, gaps at the open), perpetual funding settles at the close, the symbol is marked;
 *   2. NAV = cash + Σ qty × close; drawdown from the running peak → risk mode (NORMAL / REDUCED / HALT,
 *      kill switch);
 *   3. models decide at the close t (after warm-up) → weights relative to budgets;
 *   4. when a decision, a budget (regime), the risk mode or a fired stop changed anything: NAV weights
 *      B_m · w_m(a), netted across models, through the risk limits → target weights, attributed back
 *      to models;
 *   5. deltas → orders (to target when it changed, else when drift exceeds the band), filled at the
 *      next bar per the fill rule (or at this close with `same_close`);
 *   6. record NAV, cash, gross, net, drawdown, risk mode and breaches for step t.
 *
 * Deterministic: no clock, no randomness, a fixed iteration order (symbols, then models, as given).
 * Allocation-free per step unless something is ordered, filled or breached.
 */
import { throwIfAborted } from '../core/errors.js';
import type { RegimeSnapshot } from '../regime/types.js';
import { budgetsFor } from '../portfolio/budgets.js';
import { nextRiskMode } from '../risk/mode.js';
import { MODE_HALT, MODE_NORMAL, MODE_REDUCED } from '../risk/types.js';
import { Book } from './engine-book.js';
import { EngineContext, SymbolBarView, type ClockState } from './engine-context.js';
import { prepareRun } from './engine-setup.js';
import type { BacktestInput, BacktestResult } from './types.js';
import { assemble } from './engine-assemble.js';

export function runBacktest(input: BacktestInput): BacktestResult {
  const cfg = input.config;
  const prep = prepareRun(input);
  const { data, kStart, kEnd, budgets } = prep;
  const clockTimes = prep.clock.times;
  const clockOffset = prep.clock.offset;
  const S = data.length;
  const M = input.models.length;
  const limits = prep.limitContext.limits;
  const book = new Book({
    data,
    assetClass: input.symbols.map((s) => s.assetClass),
    rates: prep.rates,
    lots: prep.lots,
    modelNames: input.models.map((m) => m.model.name),
    universes: prep.universes,
    initialCapital: cfg.initial_capital,
    limitFill: cfg.execution.limit_fill,
    sameClose: cfg.execution.fill === 'same_close',
    band: cfg.execution.rebalance_band,
    advDays: cfg.execution.adv_days,
    fundingOn: cfg.execution.funding,
    limitContext: prep.limitContext,
    cap: cfg.execution.max_participation ?? 0,
  });
  const cur = new Int32Array(S).fill(-1);
  book.curIndexHint = cur;
  const state: ClockState = { t: NaN, step: -1, nav: cfg.initial_capital, cur, mark: book.mark };
  const views = input.symbols.map((s, i) => new SymbolBarView(s.symbol, s.assetClass, s.interval, i, data[i]!, state));
  const B = book.B;
  const ctxs = input.models.map(({ model }, m) => {
    const uni = prep.universes[m]!;
    return new EngineContext(model.name, model.universe, uni.map((s) => views[s]!), input.daily, (u) => {
      const s = uni[u]!;
      const bv = B[m]! * state.nav;
      return bv > 0 ? (book.qm[m * S + s]! * book.mark[s]!) / bv : 0;
    });
  });
  const uniToSym = prep.universes;
  // Decisions are keyed by symbol; Book.applyDecision maps them to symbol indices with these.
  const symIndexByModel = input.models.map(({ model }, m) => new Map(model.universe.map((sym, u) => [sym, uniToSym[m]![u]!] as const)));
  const prevB = new Float64Array(M);
  const warm = new Uint8Array(M);
  const warmNeed = Int32Array.from(input.models, (m) => Math.max(1, Math.floor(m.model.warmupBars)));
  const models = input.models.map((m) => m.model);

  const steps = kEnd - kStart + 1;
  const ts = new Float64Array(steps);
  const navA = new Float64Array(steps);
  const cashA = new Float64Array(steps);
  const grossA = new Float64Array(steps);
  const netA = new Float64Array(steps);
  const ddA = new Float64Array(steps);
  const modeA = new Uint8Array(steps);
  const breachCount = new Uint32Array(steps);
  const pnlM = input.models.map(() => new Float64Array(steps));
  const pnl0 = pnlM[0]!;
  const initialCapital = cfg.initial_capital;

  const checkEvery = Math.max(1, input.checkEvery ?? 65536);
  const signal = input.signal;
  const onProgress = input.onProgress;
  const regimeAt = input.regimeAt;
  let lastRegime: RegimeSnapshot | null = null;
  let regime: RegimeSnapshot | null = null;
  let peak = cfg.initial_capital;
  let mode = MODE_NORMAL;
  let killed = false;
  const q = book.q;
  const mark = book.mark;
  const hasOrders = book.hasOrders;
  const fundingOn = cfg.execution.funding;
  const borrowOn = Uint8Array.from(prep.rates, (r) => (r.borrow > 0 ? 1 : 0));
  let untilCheck = 1;
  let engaged = false;
  let engagedAt = -1;

  for (let k = 0; k <= kEnd; k++) {
    const t = clockTimes[k]! + clockOffset;
    if (--untilCheck === 0) {
      untilCheck = checkEvery;
      throwIfAborted(signal);
      if (onProgress && k >= kStart) onProgress({ step: k - kStart, steps, t });
    }
    // 1. bars closing at t
    for (let s = 0; s < S; s++) {
      const d = data[s]!;
      let j = cur[s]! + 1;
      const cts = d.closeTs;
      while (j < d.n && (cts !== null ? cts[j]! : d.ts[j]! + d.step) <= t) {
        cur[s] = j;
        if (hasOrders[s] === 1) book.onBar(s, j);
        if (fundingOn && d.funding !== null) book.onFunding(s, j);
        if (borrowOn[s] === 1) book.onBorrow(s, j);
        mark[s] = d.close[j]!;
        j++;
      }
    }
    if (k < kStart) continue;
    // 2. NAV, drawdown, risk mode
    let pos = 0;
    let gross = 0;
    for (let s = 0; s < S; s++) {
      const qs = q[s]!;
      if (qs !== 0) {
        const v = qs * mark[s]!;
        pos += v;
        gross += v < 0 ? -v : v;
      }
    }
    const nav = book.cash + pos;
    if (nav > peak) peak = nav;
    const dd = peak > 0 ? 1 - nav / peak : 0;
    const r = k - kStart;
    const breachesBefore = book.breaches.length;
    const prevMode = mode;
    mode = nextRiskMode(mode, dd, t, limits);
    const killNow = !killed && t >= limits.killAt;
    if (killNow) killed = true;
    if (mode !== prevMode || killNow) {
      const kind = killNow ? 'kill_switch' : mode === MODE_HALT ? 'drawdown_halt' : mode === MODE_REDUCED ? 'drawdown_reduce' : 'drawdown_recovered';
      const limit = killNow ? 0 : mode === MODE_HALT ? limits.haltAt : limits.reduceAt;
      const action =
        mode === MODE_HALT
          ? killed || limits.haltAction === 'flatten'
            ? 'mode HALT: flatten'
            : 'mode HALT: no new entries'
          : mode === MODE_REDUCED
            ? `mode REDUCED: targets × ${limits.reduceScale}`
            : 'mode NORMAL';
      book.breaches.push({ ts: t, step: r, kind, subject: null, model: null, value: dd, limit, action });
    }
    state.t = t;
    state.step = k;
    state.nav = nav;
    // 3. decisions
    regime = regimeAt(t);
    let dirty = mode !== prevMode || killNow || book.stopFired;
    if (regime !== lastRegime) {
      lastRegime = regime;
      prevB.set(B);
      budgetsFor(budgets, regime, B);
      for (let m = 0; m < M; m++) if (B[m] !== prevB[m]) dirty = true;
    }
    for (let m = 0; m < M; m++) {
      if (warm[m] === 0) {
        const uni = uniToSym[m]!;
        let ok = 1;
        for (let u = 0; u < uni.length; u++) if (cur[uni[u]!]! + 1 < warmNeed[m]!) ok = 0;
        if (ok === 0) continue;
        warm[m] = 1;
      }
      const ctx = ctxs[m]!;
      ctx.t = t;
      ctx.barIndex = k;
      ctx.regime = regime;
      ctx.budget.fraction = B[m]!;
      ctx.budget.value = B[m]! * nav;
      const dec = models[m]!.decide(ctx);
      if (dec !== null && dec !== undefined) {
        book.applyDecision(m, models[m]!.name, dec, symIndexByModel[m]!, t);
        dirty = true;
      }
    }
    // 4. targets, 5. orders
    if (dirty) book.recompute(t, r, nav, mode, killed);
    if (dirty || book.version !== engagedAt) {
      engaged = book.engaged();
      engagedAt = book.version;
    }
    const before = book.version;
    if (engaged) book.generateOrders(t, nav, mode);
    // 6. record (a same-close fill may have moved cash and positions: re-mark then)
    let pos2 = pos;
    let gross2 = gross;
    if (book.version !== before) {
      pos2 = 0;
      gross2 = 0;
      for (let s = 0; s < S; s++) {
        const qs = q[s]!;
        if (qs !== 0) {
          const v = qs * mark[s]!;
          pos2 += v;
          gross2 += v < 0 ? -v : v;
        }
      }
    }
    const nav2 = book.cash + pos2;
    if (nav2 > peak) peak = nav2;
    ts[r] = t;
    navA[r] = nav2;
    cashA[r] = book.cash;
    grossA[r] = nav2 > 0 ? gross2 / nav2 : 0;
    netA[r] = nav2 > 0 ? pos2 / nav2 : 0;
    ddA[r] = peak > 0 ? 1 - nav2 / peak : 0;
    modeA[r] = mode;
    breachCount[r] = book.breaches.length - breachesBefore;
    if (M === 1) {
      // one model: its attribution is the whole portfolio
      pnl0[r] = nav2 - initialCapital;
    } else for (let m = 0; m < M; m++) {
      let v = book.cashM[m]!;
      for (let s = 0; s < S; s++) {
        const qm = book.qm[m * S + s]!;
        if (qm !== 0) v += qm * mark[s]!;
      }
      pnlM[m]![r] = v;
    }
  }
  throwIfAborted(signal);
  if (onProgress) onProgress({ step: steps, steps, t: clockTimes[kEnd]! + clockOffset });
  return assemble(input, book, { ts, navA, cashA, grossA, netA, ddA, modeA, breachCount, pnlM }, mode);
}
