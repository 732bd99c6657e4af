/**
 * The Trader (docs/backtest-engine.md "Trader, Broker, Clock"): the backtest's decisions, one bar
 * close at a time. The same object runs a backtest (historical clock, simulated broker), a replay
 * and, through a live clock, paper trading. At each bar-close event t (seed 003 §7):
 *
 *   1. bars closing at t: the broker meets its working orders and model stops with them (fills at
 *      the open, stop/limit levels, gaps), funding and borrow settle at the close, a position whose
 *      bar reached the margin level is liquidated (execution/margin.ts), the mark moves;
 *   2. NAV = cash + Σ qty × close; drawdown from the running peak → risk mode (NORMAL / REDUCED /
 *      HALT, kill switch);
 *   3. models decide at the close t (after warm-up) → weights relative to budgets;
 *   4. when a decision, a budget (regime), the risk mode or a fired stop changed anything: targets
 *      through the risk limits, attributed back to models (targets.ts, sleeves.ts);
 *   5. deltas → orders to the broker (next open, or this close with `same_close`);
 *   6. record NAV, cash, gross, net, drawdown, risk mode and breaches for t.
 *
 * Time comes only from the events. Deterministic: a fixed iteration order (symbols, then models, as
 * given). Allocation-free per step unless something is ordered, filled or breached.
 *
 * What step 6 records depends on the Trader's `StepRecording`: every series at every step (paper
 * trading reads them as it goes; snapshots and growing in place need them), the NAV and a log of
 * changes from which the other series are derived when read (a backtest: step-log.ts), or nothing
 * but the models' decisions (the bias probes' runs, which read only their signal traces).
 */
import { InvariantError, throwIfAborted } from '../core/errors.js';
import type { RegimeSnapshot } from '../regime/types.js';
import { budgetsFor } from '../portfolio/budgets.js';
import { nextRiskMode } from '../risk/mode.js';
import { MODE_HALT, MODE_NORMAL, MODE_REDUCED } from '../risk/types.js';
import type { Model } from '../models/types.js';
import { SimulatedBroker, type SimulatedBrokerSetup } from '../execution/simulated-broker.js';
import type { SimulatedVenue } from '../execution/simulated-venue.js';
import { liquidationFill, liquidationPrice, longBookCannotBreach, maintenanceRates } from '../execution/margin.js';
import { ClockState, EngineContext, SymbolBarView } from '../backtest/engine-context.js';
import type { PreparedRun } from '../backtest/engine-setup.js';
import { assemble, type Series } from '../backtest/engine-assemble.js';
import type { BacktestInput, BacktestResult } from '../backtest/types.js';
import { HistoricalClock, type BarClose, type Clock } from './clock.js';
import { ModelSleeves } from './sleeves.js';
import { StepLog } from './step-log.js';
import { PortfolioTargets, UniverseIndex } from './targets.js';

/**
 * What a Trader records at each step (step 6):
 *   'series'  every per-step series (NAV, cash, gross, net, drawdown, mode, breaches, each model's
 *             P&L) written at every step: paper trading reads them as it goes, snapshots copy them
 *             and `appendBars` grows them;
 *   'log'     the NAV, the models' P&L when there are several, and a log of the steps where cash,
 *             positions, the mode or the breaches changed; the result derives the other series when
 *             first read (step-log.ts), the same values. A backtest (`runBacktest`). The clock must be
 *             the run's own (`HistoricalClock` over `prep.clock`: each event's time is checked, once
 *             for the whole clock when `run` steps through it);
 *   'none'    nothing per step, and no fill or trade records: a run whose only output is what the
 *             models' decide calls saw (the bias probes' signal traces). It has no result.
 */
export type StepRecording = 'series' | 'log' | 'none';
const RECORD_SERIES = 0;
const RECORD_LOG = 1;
const RECORD_NONE = 2;
const RECORDINGS: Readonly<Record<StepRecording, number>> = { series: RECORD_SERIES, log: RECORD_LOG, none: RECORD_NONE };
const EMPTY_F64 = new Float64Array(0);

/** What a step leaves behind between events (the part of the state that is not in broker, sleeves or targets). */
export interface TraderProgress {
  peak: number;
  mode: number;
  killed: boolean;
  engaged: boolean;
  engagedAt: number;
  untilCheck: number;
  /** The last step processed (−1: none). */
  lastStep: number;
}

/**
 * The Trader depends on the venue only through `SimulatedVenue` (execution/simulated-venue.ts: the
 * Broker interface plus the bar hooks and the orders target weights become). `makeBroker` builds it
 * from the run's setup; the default is the backtest's SimulatedBroker.
 */
export class Trader<B extends SimulatedVenue = SimulatedBroker> {
  readonly broker: B;
  readonly sleeves: ModelSleeves;
  readonly targets: PortfolioTargets;
  /** Close of each symbol's latest bar. */
  readonly mark: Float64Array;
  readonly series: Series;
  readonly progress: TraderProgress;
  /** Per model: 1 once its universe has enough bars. */
  readonly warm: Uint8Array;
  readonly contexts: readonly EngineContext[];
  /** The regime the budgets were last set for (compared by identity, as the lookup returns shared snapshots). */
  lastRegime: RegimeSnapshot | null = null;
  private readonly clockState: ClockState;
  private readonly models: readonly Model[];
  private readonly symbolIndexByModel: readonly UniverseIndex[];
  private readonly warmNeed: Int32Array;
  private readonly previousBudget: Float64Array;
  private readonly borrowOn: Uint8Array;
  private readonly checkEvery: number;
  /** Maintenance margin per symbol (execution/margin.ts). */
  private readonly maintenance: Float64Array;
  /** Every maintenance margin ≤ 1 (a condition of `longBookCannotBreach`). */
  private readonly marginsAtMostOne: boolean;
  private readonly allowNegativeEquity: boolean;
  /** The venue liquidates by itself (an exchange book): no margin check here. */
  private readonly venueLiquidates: boolean;
  /** execution.funding: perpetual funding settles at bar closes. */
  private readonly fundingOn: boolean;
  /** RECORD_SERIES, RECORD_LOG or RECORD_NONE (see StepRecording). */
  private readonly recordKind: number;
  /** The change log of a 'log' Trader (null otherwise). */
  private readonly stepLog: StepLog | null;
  /** The peak NAV before the first step (the derived drawdown starts from it). */
  private readonly peakAtStart: number;
  /** The account's `changes` when the step log last compared cash and positions (−1: never). */
  private loggedChanges = -1;

  constructor(
    readonly input: BacktestInput,
    readonly prep: PreparedRun,
    makeBroker?: (setup: SimulatedBrokerSetup) => B,
    readonly recording: StepRecording = 'series',
  ) {
    const cfg = input.config;
    const { data } = prep;
    const S = data.length;
    const M = input.models.length;
    const modelNames = input.models.map((m) => m.model.name);
    const build = makeBroker ?? ((setup: SimulatedBrokerSetup) => new SimulatedBroker(setup) as unknown as B);
    this.broker = build({
      data,
      assetClass: input.symbols.map((s) => s.assetClass),
      rates: prep.rates,
      lots: prep.lots,
      initialCapital: cfg.initial_capital,
      limitFill: cfg.execution.limit_fill,
      sameClose: cfg.execution.fill === 'same_close',
      advDays: cfg.execution.adv_days,
      cap: cfg.execution.max_participation ?? 0,
      modelNames,
      records: recording !== 'none',
    });
    this.mark = new Float64Array(S).fill(NaN);
    this.sleeves = new ModelSleeves(S, M, prep.universes, this.broker.account.position);
    this.broker.attachSleeves(this.sleeves, this.sleeves.qty);
    this.targets = new PortfolioTargets(this.sleeves, this.broker, this.mark, prep.limitContext, prep.lots, cfg.execution.rebalance_band, modelNames);
    const cur = this.broker.barIndex;
    this.clockState = new ClockState(cfg.initial_capital, cur, this.mark);
    const views = input.symbols.map((s, i) => new SymbolBarView(s.symbol, s.assetClass, s.interval, i, data[i]!, this.clockState));
    const budget = this.targets.budget;
    const sleeveQty = this.sleeves.qty;
    const mark = this.mark;
    const state = this.clockState;
    this.contexts = input.models.map(({ model }, m) => {
      const uni = prep.universes[m]!;
      return new EngineContext(model.name, model.universe, uni.map((s) => views[s]!), input.daily, (u) => {
        const s = uni[u]!;
        const bv = budget[m]! * state.nav;
        return bv > 0 ? (sleeveQty[m * S + s]! * mark[s]!) / bv : 0;
      });
    });
    // Decisions are keyed by symbol; PortfolioTargets.applyDecision maps them to symbol indices with these.
    this.symbolIndexByModel = input.models.map(({ model }, m) => new UniverseIndex(model.universe, prep.universes[m]!));
    this.previousBudget = new Float64Array(M);
    this.warm = new Uint8Array(M);
    this.warmNeed = Int32Array.from(input.models, (m) => Math.max(1, Math.floor(m.model.warmupBars)));
    this.models = input.models.map((m) => m.model);
    const steps = prep.kEnd - prep.kStart + 1;
    this.recordKind = RECORDINGS[recording];
    this.fundingOn = cfg.execution.funding;
    const every = recording === 'series' ? steps : 0;
    const f64 = (n: number): Float64Array => (n > 0 ? new Float64Array(n) : EMPTY_F64);
    this.series = {
      ts: f64(every),
      navA: f64(recording === 'none' ? 0 : steps),
      cashA: f64(every),
      grossA: f64(every),
      netA: f64(every),
      ddA: f64(every),
      modeA: new Uint8Array(every),
      breachCount: new Uint32Array(every),
      // a single model's P&L is NAV − initial capital: derived from the NAV in a 'log' Trader
      pnlM: input.models.map(() => f64(recording === 'series' || (recording === 'log' && M > 1) ? steps : 0)),
    };
    this.stepLog = recording === 'log' ? new StepLog(S) : null;
    this.targets.recordsBreaches = recording !== 'none';
    this.borrowOn = Uint8Array.from(prep.rates, (r) => (r.borrow > 0 ? 1 : 0));
    this.checkEvery = Math.max(1, input.checkEvery ?? 65536);
    this.maintenance = maintenanceRates(input.symbols.map((s) => s.assetClass), cfg.risk.maintenance_margin);
    this.marginsAtMostOne = this.maintenance.every((m) => m <= 1);
    this.allowNegativeEquity = cfg.risk.allow_negative_equity ?? false;
    this.venueLiquidates = this.broker.liquidatesItself === true;
    // the book's starting cash: initial_capital, or what a venue account holds (engine/venue-book.ts)
    this.progress = { peak: this.broker.account.cash, mode: MODE_NORMAL, killed: false, engaged: false, engagedAt: -1, untilCheck: 1, lastStep: -1 };
    this.peakAtStart = this.progress.peak;
  }

  /**
   * Step through every event `clock` has due (a historical clock's all at once), in order: the same
   * as calling `step` with each. `step` checks a 'log' Trader's events against its run's clock; a
   * HistoricalClock over the run's own times and offset emits event k at exactly the time checked
   * (`times[k] + offset`, HistoricalClock.next and emitsClosesOf), so its events go to `advance`
   * unchecked (the check's code in the step cost ~2 % of an idle 1M-bar run: docs/backtest-engine.md
   * "Speed").
   */
  run(clock: Clock): void {
    if (clock instanceof HistoricalClock && clock.emitsClosesOf(this.prep.clock.times, this.prep.clock.offset)) {
      for (let e = clock.next(); e !== null; e = clock.next()) {
        if (--this.progress.untilCheck === 0) this.checkpoint(e);
        this.advance(e);
      }
    } else {
      for (let e = clock.next(); e !== null; e = clock.next()) this.step(e);
    }
  }

  /** Handle the bar-close event `e` (events come in clock order, each once). */
  step(e: BarClose): void {
    // a Trader that derives its series from its log steps on its run's clock (StepRecording 'log')
    if (this.recordKind === RECORD_LOG && e.step >= this.prep.kStart) this.checkOnClock(e);
    if (--this.progress.untilCheck === 0) this.checkpoint(e);
    this.advance(e);
  }

  /** Throw unless event `e` is its step's close on the run's clock (a 'log' Trader's series are derived from that clock). */
  private checkOnClock(e: BarClose): void {
    const clock = this.prep.clock;
    const close = clock.times[e.step]! + clock.offset;
    if (e.t !== close) throw new InvariantError(`a Trader that derives its series steps on its run's clock: event ${e.step} at ${e.t} is not the clock's close ${close}`);
  }

  /** `step` without the clock check. */
  private advance(e: BarClose): void {
    const t = e.t;
    const k = e.step;
    const { input, prep, broker, targets, sleeves, mark, progress } = this;
    const account = broker.account;
    const data = prep.data;
    const S = data.length;
    const M = this.models.length;
    const cur = broker.barIndex;
    const hasOrders = broker.hasOrders;
    const kStart = prep.kStart;
    progress.lastStep = k;
    const breaches = targets.breaches;
    const breachesBefore = breaches.length;
    // 1. bars closing at t
    const fundingOn = this.fundingOn;
    for (let s = 0; s < S; s++) {
      const d = data[s]!;
      let j = cur[s]! + 1;
      const cts = d.closeTs;
      while (j < d.n && (cts !== null ? cts[j]! : d.ts[j]! + d.step) <= t) {
        cur[s] = j;
        if (hasOrders[s] === 1) broker.onBar(s, j);
        if (fundingOn && d.funding !== null) broker.onFunding(s, j);
        if (this.borrowOn[s] === 1) broker.onBorrow(s, j);
        const held = account.position[s]!;
        // a long in a book with cash ≥ 0 and no short cannot reach its margin level (margin.ts longBookCannotBreach)
        if (held !== 0 && !this.venueLiquidates && !(held > 0 && longBookCannotBreach(account.cash, account.position, this.marginsAtMostOne))) {
          this.checkMargin(s, j, e, k - kStart);
        }
        mark[s] = d.close[j]!;
        j++;
      }
    }
    broker.now = t;
    if (k < kStart) return;
    const q = account.position;
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
    const nav = account.cash + pos;
    if (nav > progress.peak) progress.peak = nav;
    const dd = progress.peak > 0 ? 1 - nav / progress.peak : 0;
    const r = k - kStart;
    const prevMode = progress.mode;
    const limits = prep.limitContext.limits;
    // NORMAL stays NORMAL, and the kill switch waits, below both drawdown levels and before the kill
    // time (risk/mode.ts): most steps, and the only test they make
    let mode = MODE_NORMAL;
    let killNow = false;
    if (!(prevMode === MODE_NORMAL && dd < limits.reduceAt && dd < limits.haltAt && t < limits.killAt)) {
      mode = progress.mode = nextRiskMode(prevMode, dd, t, limits);
      killNow = !progress.killed && t >= limits.killAt;
      if (killNow) progress.killed = true;
      if ((mode !== prevMode || killNow) && targets.recordsBreaches) breaches.push(modeBreach(t, r, dd, mode, killNow, progress.killed, limits));
    }
    const state = this.clockState;
    state.t = t;
    state.step = k;
    state.nav = nav;
    // 3. decisions
    const regime = input.regimeAt(t);
    let dirty = mode !== prevMode || killNow || sleeves.stopFired;
    const budget = targets.budget;
    if (regime !== this.lastRegime) {
      this.lastRegime = regime;
      this.previousBudget.set(budget);
      budgetsFor(prep.budgets, regime, budget);
      for (let m = 0; m < M; m++) if (budget[m] !== this.previousBudget[m]) dirty = true;
    }
    for (let m = 0; m < M; m++) {
      if (this.warm[m] === 0 && !this.warmedUp(m)) continue;
      const ctx = this.contexts[m]!;
      ctx.t = t;
      ctx.barIndex = k;
      if (ctx.regime !== regime) ctx.regime = regime;
      ctx.budget.fraction = budget[m]!;
      ctx.budget.value = budget[m]! * nav;
      const dec = this.models[m]!.decide(ctx);
      if (dec !== null && dec !== undefined) {
        targets.applyDecision(m, dec, this.symbolIndexByModel[m]!, state);
        dirty = true;
      }
    }
    // 4. targets, 5. orders
    if (dirty) targets.recompute(state, r, mode, progress.killed);
    const version = targets.version + broker.version;
    if (dirty || version !== progress.engagedAt) {
      progress.engaged = targets.engaged();
      progress.engagedAt = targets.version + broker.version;
    }
    const before = broker.version;
    if (progress.engaged) targets.sendOrders(state, mode);
    // 6. record (a same-close fill may have moved cash and positions: re-mark then)
    const recordKind = this.recordKind;
    if (recordKind === RECORD_NONE) return;
    let pos2 = pos;
    let gross2 = gross;
    const changedInOrders = broker.version !== before;
    if (changedInOrders) {
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
    const sr = this.series;
    const nav2 = account.cash + pos2;
    if (nav2 > progress.peak) progress.peak = nav2;
    if (recordKind === RECORD_LOG) {
      this.logStep(r, nav, nav2, mode, breaches.length - breachesBefore, changedInOrders);
      return;
    }
    sr.ts[r] = t;
    sr.navA[r] = nav2;
    sr.cashA[r] = account.cash;
    sr.grossA[r] = nav2 > 0 ? gross2 / nav2 : 0;
    sr.netA[r] = nav2 > 0 ? pos2 / nav2 : 0;
    sr.ddA[r] = progress.peak > 0 ? 1 - nav2 / progress.peak : 0;
    sr.modeA[r] = mode;
    sr.breachCount[r] = breaches.length - breachesBefore;
    // one model: its attribution is the whole portfolio
    if (M === 1) sr.pnlM[0]![r] = nav2 - input.config.initial_capital;
    else for (let m = 0; m < M; m++) sr.pnlM[m]![r] = sleeves.valueOf(m, mark);
  }

  /** Whether model m's universe has enough bars now (then it stays warm: `warm`). */
  private warmedUp(m: number): boolean {
    const uni = this.prep.universes[m]!;
    const cur = this.broker.barIndex;
    for (let u = 0; u < uni.length; u++) if (cur[uni[u]!]! + 1 < this.warmNeed[m]!) return false;
    this.warm[m] = 1;
    return true;
  }

  /**
   * Every `checkEvery` steps: the abort signal and the progress callback. A method of its own: calls
   * written in the step's body, even in a branch taken once in 65 536 steps, made V8 keep the step's
   * values on the stack (docs/backtest-engine.md "Speed").
   */
  private checkpoint(e: BarClose): void {
    const { input, prep, progress } = this;
    const k = e.step;
    progress.lastStep = k;
    progress.untilCheck = this.checkEvery;
    throwIfAborted(input.signal);
    if (input.onProgress && k >= prep.kStart) input.onProgress({ step: k - prep.kStart, steps: prep.kEnd - prep.kStart + 1, t: e.t });
  }

  /** Step 6 of a 'log' Trader: the NAV, and what changed (see step-log.ts). */
  private logStep(r: number, navBeforeOrders: number, nav2: number, mode: number, breachCount: number, changedInOrders: boolean): void {
    const log = this.stepLog!;
    const { broker, series: sr } = this;
    sr.navA[r] = nav2;
    // Nothing to log (most steps): no cash or position change since the last comparison (the
    // account counts every change, venue fills between steps included), no order at this close,
    // the same mode, no breach. The rows are those the full comparison writes.
    const account = broker.account;
    const changes = account.changes;
    if (changes !== this.loggedChanges || changedInOrders || mode !== log.mode || breachCount !== 0) {
      // a NaN in the last row is unequal to itself, so `note` logs it again at the next step: compare then
      this.loggedChanges = log.note(r, account) ? changes : -1;
      // the peak sees both NAVs; where they are equal (no fill at this close) the NAV after is enough
      if (changedInOrders && navBeforeOrders !== nav2) log.navBeforeOrders.addPair(r, navBeforeOrders);
      if (mode !== log.mode) {
        log.modes.addPair(r, mode);
        log.mode = mode;
      }
      if (breachCount !== 0) log.breaches.addPair(r, breachCount);
    }
    const M = this.models.length;
    if (M > 1) for (let m = 0; m < M; m++) sr.pnlM[m]![r] = this.sleeves.valueOf(m, this.mark);
  }

  /**
   * Liquidate the position in symbol s if its bar j reached the margin level (execution/margin.ts),
   * other positions held at their marks; write off equity left below 0 unless allowed; log it.
   * Called at every bar of a held position: it takes the event, not its time, as a time passed to a
   * call that is not inlined is boxed on the heap (an allocation per bar).
   */
  private checkMargin(s: number, j: number, e: BarClose, step: number): void {
    const t = e.t;
    const account = this.broker.account;
    const position = account.position;
    const mark = this.mark;
    let rest = account.cash;
    for (let o = 0; o < position.length; o++) {
      if (o === s || position[o] === 0) continue;
      const v = position[o]! * mark[o]!;
      rest += v - this.maintenance[o]! * (v < 0 ? -v : v);
    }
    const q = position[s]!;
    const level = liquidationPrice(q, this.maintenance[s]!, rest);
    const d = this.prep.data[s]!;
    const hit = liquidationFill(q, level, d.open[j]!, d.high[j]!, d.low[j]!);
    if (hit === null) return;
    this.broker.liquidate(s, j, hit.price, hit.gap);
    let equity = account.cash;
    for (let o = 0; o < position.length; o++) if (position[o] !== 0) equity += position[o]! * mark[o]!;
    const shortfall = equity < 0 && !this.allowNegativeEquity ? -equity : 0;
    if (shortfall > 0) this.broker.writeOff(s, shortfall);
    if (!this.targets.recordsBreaches) return;
    this.targets.breaches.push({
      ts: t, step, kind: 'liquidation', subject: d.symbol, model: null, value: hit.price, limit: level,
      action:
        `liquidated ${-q} ${d.symbol} at ${hit.price}${hit.gap ? ' (gapped through the margin level: at the open)' : ''}, maintenance margin ${this.maintenance[s]}` +
        (shortfall > 0 ? `; equity below 0 by ${shortfall} written off (risk.allow_negative_equity is off)` : ''),
    });
  }

  /** Progress at its end (every step done): a run's last progress report, with or without a result. */
  reportDone(): void {
    const { input, prep } = this;
    const steps = prep.kEnd - prep.kStart + 1;
    if (input.onProgress) input.onProgress({ step: steps, steps, t: prep.clock.times[prep.kEnd]! + prep.clock.offset });
  }

  /** The result after the last event (the run's last step). */
  finish(): BacktestResult {
    const { input, prep } = this;
    if (this.recordKind === RECORD_NONE) throw new InvariantError('a Trader that records nothing (StepRecording none) has no result');
    throwIfAborted(input.signal);
    this.reportDone();
    const steps = prep.kEnd - prep.kStart + 1;
    // a backtest's records are made when read (order-log.ts, fill-log.ts): most runs read none
    const lazyRecords = this.stepLog !== null;
    const trades = this.broker.account.trades;
    const parts = {
      account: this.broker.account, sleeves: this.sleeves, mark: this.mark, breaches: this.targets.breaches,
      orders: lazyRecords ? () => this.broker.orders : this.broker.orders,
      fills: lazyRecords ? () => this.broker.fills : this.broker.fills,
      trades: lazyRecords ? trades.finishWhenRead(this.broker.account.position, this.mark) : trades.finish(this.broker.account.position, this.mark),
    };
    const log = this.stepLog;
    const logged = log === null ? undefined : {
      log, nav: this.series.navA, data: prep.data, times: prep.clock.times, offset: prep.clock.offset, kStart: prep.kStart,
      peakAtStart: this.peakAtStart, initialCapital: input.config.initial_capital,
    };
    return assemble(input, parts, this.series, this.progress.mode, logged);
  }
}

function modeBreach(
  t: number, step: number, dd: number, mode: number, killNow: boolean, killed: boolean, limits: PreparedRun['limitContext']['limits'],
): import('../risk/types.js').RiskBreach {
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
  return { ts: t, step, kind, subject: null, model: null, value: dd, limit, action };
}
