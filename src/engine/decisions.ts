/**
 * A run made for its models' decisions alone, without the book (docs/backtest-engine.md "Speed"):
 * the bias probes read only what the models' decide calls returned (their signal traces), so where
 * no decide call depends on the book, the broker, the sleeves, the targets and the risk engine need
 * not run.
 *
 * What a Trader (trader.ts) hands a model at a bar close, and where it comes from:
 *   t, barIndex, the bars up to t      the clock and each symbol's bar cursor (bars closing at or
 *                                      before t; `closeOf`), as the Trader's step 1 moves them
 *   daily features, regime             the run's input at t
 *   budget.fraction                    the regime budgets (portfolio/budgets.ts) at t
 *   state                              the model's own
 *   budget.value, exposures            the NAV and the positions: the book
 * and when: at every close from the run's first recorded step, once every symbol of its universe has
 * `warmupBars` bars, models in input order. None of the first five depends on the book, so this run
 * makes the very decide calls of a Trader over the same input (same contexts, same order) as long as
 * no model reads the last two. Those throw `BookReadError` here: a model that reads its budget's
 * value or its exposures stops the run, and the caller runs the Trader instead
 * (backtest/run-backtest.ts `runProbe`). Each decision is checked as the Trader checks it
 * (targets.ts `validateDecision`), so an invalid one fails here as it fails there.
 * test/engine/decisions.test.ts compares the decide calls of both runs.
 */
import { throwIfAborted } from '../core/errors.js';
import type { RegimeSnapshot } from '../regime/types.js';
import { budgetsFor } from '../portfolio/budgets.js';
import { ClockState, EngineContext, SymbolBarView } from '../backtest/engine-context.js';
import type { PreparedRun } from '../backtest/engine-setup.js';
import type { BacktestInput } from '../backtest/types.js';
import type { Model } from '../models/types.js';
import { HistoricalClock } from './clock.js';
import { UniverseIndex, validateDecision } from './targets.js';

/** A model read the book (its budget's value or its exposures) in a run made without one. */
export class BookReadError extends Error {
  constructor(readonly model: string, what: string) {
    super(`model '${model}' read ${what}, which a run for the decisions alone does not keep`);
  }
}

/** Where a read of the book was seen (kept beside the throw: a model that catches the error still ends the run). */
interface BookReads {
  model: string | null;
  what: string;
}

function bookRead(reads: BookReads, model: string, what: string): never {
  reads.model = model;
  reads.what = what;
  throw new BookReadError(model, what);
}

/** The budget a context holds in a run without a book: the fraction as the Trader sets it, no value. */
class BudgetWithoutNav {
  fraction = 0;
  constructor(
    private readonly model: string,
    private readonly reads: BookReads,
  ) {}
  get value(): number {
    return bookRead(this.reads, this.model, 'its budget value (NAV)');
  }
}

/**
 * Make every decide call of a backtest of `input` without a book (see above), reporting progress and
 * checking for cancellation as `Trader.step` does (at step 0 and every `checkEvery` steps, before the
 * step's bars). Throws `BookReadError` when a model reads the book.
 *
 * The steps run in stretches between those checks (`DecisionSteps.run`), and the checks and the
 * progress calls are made here, outside the stepping code: every probe run brings a progress
 * callback of its own, and a call to one the stepping code had not seen made V8 (Node 20) drop its
 * optimised code at the end of each probe run, so that the next run started unoptimised and had it
 * compiled again.
 */
export function stepDecisions(input: BacktestInput, prep: PreparedRun): void {
  const { kStart, kEnd } = prep;
  const { times, offset } = prep.clock;
  const steps = new DecisionSteps(input, prep);
  const checkEvery = Math.max(1, input.checkEvery ?? 65536);
  const total = kEnd - kStart + 1;
  for (let from = 0; from <= kEnd; from += checkEvery) {
    throwIfAborted(input.signal);
    if (input.onProgress && from >= kStart) input.onProgress({ step: from - kStart, steps: total, t: times[from]! + offset });
    steps.run(from, Math.min(kEnd, from + checkEvery - 1));
  }
  throwIfAborted(input.signal);
  if (input.onProgress) input.onProgress({ step: total, steps: total, t: times[kEnd]! + offset });
}

/** The stepping state of a run for the decisions alone: bar cursors, contexts, warm-up and budgets. */
class DecisionSteps {
  private readonly models: readonly Model[];
  private readonly contexts: readonly EngineContext[];
  private readonly symbolIndexByModel: readonly UniverseIndex[];
  private readonly cur: Int32Array;
  private readonly state: ClockState;
  private readonly warmNeed: Int32Array;
  private readonly warm: Uint8Array;
  private readonly budget: Float64Array;
  private readonly reads: BookReads = { model: null, what: '' };
  private lastRegime: RegimeSnapshot | null = null;

  constructor(
    private readonly input: BacktestInput,
    private readonly prep: PreparedRun,
  ) {
    const { data, universes } = prep;
    const S = data.length;
    const models = input.models.map((m) => m.model);
    this.models = models;
    this.cur = new Int32Array(S).fill(-1);
    this.state = new ClockState(NaN, this.cur, new Float64Array(S).fill(NaN));
    const views = input.symbols.map((s, i) => new SymbolBarView(s.symbol, s.assetClass, s.interval, i, data[i]!, this.state));
    const reads = this.reads;
    this.contexts = models.map((model, m) => {
      const readsExposure = (): number => bookRead(reads, model.name, 'its exposures (positions)');
      return new EngineContext(model.name, model.universe, universes[m]!.map((s) => views[s]!), input.daily, readsExposure, new BudgetWithoutNav(model.name, reads));
    });
    this.symbolIndexByModel = models.map((model, m) => new UniverseIndex(model.universe, universes[m]!));
    this.warmNeed = Int32Array.from(models, (m) => Math.max(1, Math.floor(m.warmupBars)));
    this.warm = new Uint8Array(models.length);
    this.budget = new Float64Array(models.length);
  }

  /** Steps `from` … `to` of the clock (inclusive), in order. */
  run(from: number, to: number): void {
    const { input, prep, models, contexts, cur, state, warm, warmNeed, budget, reads } = this;
    const { data, universes, kStart } = prep;
    const S = data.length;
    const M = models.length;
    const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, from, to);
    for (let e = clock.next(); e !== null; e = clock.next()) {
      const t = e.t;
      const k = e.step;
      // the bars closing at t (the Trader's step 1 without the broker)
      for (let s = 0; s < S; s++) {
        const d = data[s]!;
        let j = cur[s]! + 1;
        const cts = d.closeTs;
        while (j < d.n && (cts !== null ? cts[j]! : d.ts[j]! + d.step) <= t) cur[s] = j++;
      }
      if (k < kStart) continue;
      state.t = t;
      state.step = k;
      const regime = input.regimeAt(t);
      if (regime !== this.lastRegime) {
        this.lastRegime = regime;
        budgetsFor(prep.budgets, regime, budget);
      }
      for (let m = 0; m < M; m++) {
        if (warm[m] === 0) {
          const uni = universes[m]!;
          let ok = 1;
          for (let u = 0; u < uni.length; u++) if (cur[uni[u]!]! + 1 < warmNeed[m]!) ok = 0;
          if (ok === 0) continue;
          warm[m] = 1;
        }
        const ctx = contexts[m]!;
        ctx.t = t;
        ctx.barIndex = k;
        ctx.regime = regime;
        ctx.budget.fraction = budget[m]!;
        const dec = models[m]!.decide(ctx);
        if (reads.model !== null) throw new BookReadError(reads.model, reads.what);
        if (dec !== null && dec !== undefined) validateDecision(models[m]!.name, dec, this.symbolIndexByModel[m]!, ctx);
      }
    }
  }
}
