/**
 * The backtest orchestration the `backtest` command calls: build the models of a plan, find their
 * bars (resampling when needed), daily features and the regime lookup, run the engine, then the
 * metrics, the cost decomposition, the risk-mode timeline, the split by regime and the bias probes
 * (which re-run this same pipeline on truncated data and with other warm-ups). Pure given its
 * inputs: datasets, plan, options; no clock, no randomness.
 */
import { CancelledError, UserError, throwIfAborted } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';
import { resultDigest } from './engine-digest.js';
import type { Gate } from '../core/result.js';
import { isoUtc } from '../core/time.js';
import type { Dataset } from '../core/table.js';
import type { AssetClass } from '../core/table.js';
import { buildModel, type ModelSpec } from '../models/registry.js';
import { buildDailyFeatures, type DailyFeatureRequest } from '../models/daily-features.js';
import type { DailyFeatures, Model } from '../models/types.js';
import { computeRuleRegimes, ruleInputsFrom } from '../regime/compute.js';
import { coveredLookup } from '../regime/coverage.js';
import type { RegimeLookup } from '../regime/types.js';
import { chooseEngine, runBacktestAuto, type EngineChoice } from './fast-path-select.js';
import { runDecisionsWithoutBook, runForDecisions } from './engine.js';
import { BookReadError } from '../engine/decisions.js';
import { traceFromSignal, type FastModel } from './fast-path.js';
import type { BacktestInput, BacktestResult, EngineSymbol } from './types.js';
import type { BarFrame } from '../core/table.js';
import { barsFor } from './run-backtest-data.js';
import type { BacktestPlan } from './run-backtest-plan.js';
import { calendarOfClasses, computeMetrics, dailyCloseRows, performanceInput, type AnnualisationBasis, type CloseRows } from './metrics/index.js';
import { decomposeCosts, type CostDecomposition } from './report-costs.js';
import { modeChangesAt, type ModeChange } from './report-tables.js';
import { regimeSplit, type RegimeSplitRow } from './report-regime.js';
import { closedTradePnl, countPositive, modeChangeSteps, modeReader, valuesAt } from './result-series.js';
import { fastStepSummary } from './fast-path-steps.js';
import { fromFastClock } from './fast-path-result.js';
import {
  compareLookAhead,
  compareWarmup,
  cutTimes,
  emptyTrace,
  LOOKAHEAD_FRACTIONS,
  recordModel,
  TraceRecorder,
  truncateDatasets,
  warmupGate,
  WARMUP_VARIANTS,
  type LookAheadResult,
  type SignalTrace,
  type WarmupComparison,
} from './probes.js';

export interface RunProgress {
  /** 'backtest', 'look-ahead probe 2/3', 'warm-up probe (longer)'. */
  readonly phase: string;
  /** 0..1 over the whole job (main run and probes). */
  readonly fraction: number;
  /** Decision time reached in the current phase. */
  readonly t?: number;
  /** Clock steps done in the current phase (for a rate). */
  readonly steps?: number;
}

export interface RunOptions {
  /** Run on datasets whose readiness gate failed. */
  readonly force?: boolean;
  /** Run the bias probes. @default true */
  readonly probes?: boolean;
  readonly lookAheadFractions?: readonly number[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RunProgress) => void;
  /**
   * Replace or instrument each built model, in the main run and in every probe run, given the
   * datasets of that run (probe runs see truncated ones). Used by tests to plant a look-ahead bug.
   */
  readonly decorate?: Decorate;
}

export type Decorate = (model: Model, datasets: ReadonlyMap<string, Dataset>) => Model;

export interface UsedData {
  readonly name: string;
  readonly digest: string;
  readonly source: string;
}

export interface BacktestReport {
  readonly plan: BacktestPlan;
  readonly result: BacktestResult;
  /** Metric values by key (see metrics/index.ts). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly periodsPerYear: number;
  /** How the return-based metrics are annualised: bar returns on a regular daily clock, else daily returns at UTC day closes (its `label` is shown). */
  readonly annualisation: AnnualisationBasis;
  /** Bias probe gates (look-ahead, warm-up); empty when probes are off. */
  readonly gates: readonly Gate[];
  readonly lookAhead?: LookAheadResult;
  readonly warmup?: readonly WarmupComparison[];
  readonly costs: CostDecomposition;
  readonly modeChanges: readonly ModeChange[];
  readonly regimeSplit: readonly RegimeSplitRow[];
  /** Every dataset the run read, with its content digest (for the run record). */
  readonly data: readonly UsedData[];
  /**
   * Which engine ran the main run (the fast path or the event engine) and why. Not digested: both
   * give the same result.
   */
  readonly engine: EngineChoice;
  /** Digest of the plan, the data digests and every output (equity, fills, trades, metrics, gates). */
  readonly digest: string;
}

/**
 * The point-in-time rule-regime lookup from whatever regime inputs are loaded, and the datasets it
 * read. Where a dimension's inputs are absent or do not cover a time (regime/coverage.ts), its
 * snapshot says so (`noData`): models see the neutral value, regime budgets do not match it, and
 * the split by regime shows "no data".
 */
export function regimeLookupFor(datasets: ReadonlyMap<string, Dataset>, cfg: BacktestPlan['regime']): { lookup: RegimeLookup; used: readonly Dataset[] } {
  const inputs = ruleInputsFrom(datasets, cfg);
  return { lookup: coveredLookup(computeRuleRegimes(inputs, cfg)), used: inputs.used };
}

interface Prepared {
  readonly input: BacktestInput;
  readonly specs: readonly ModelSpec[];
  readonly data: readonly UsedData[];
  readonly traces: Map<string, SignalTrace>;
  /** What a later run on these very datasets may take over instead of computing it again. */
  readonly inputs: DerivedInputs;
}

/**
 * Each symbol's bars, the daily features and the regime lookup of a plan, all pure functions of the
 * plan and the datasets they were built from (`datasets`, the same Map object), with the datasets
 * they read. The warm-up probes run on the main run's datasets and reuse these (bars resampled from
 * finer ones are not resampled again); the look-ahead probes (truncated datasets, another Map) always
 * build their own, so a cut run never sees values built from data after its cut.
 */
interface DerivedInputs {
  readonly datasets: ReadonlyMap<string, Dataset>;
  /** Each symbol's bars as `barsFor` found them (resampled when only finer bars are loaded). */
  readonly bars: ReadonlyMap<string, Dataset>;
  readonly daily: DailyFeatures | undefined;
  readonly regimeAt: RegimeLookup;
  readonly used: readonly Dataset[];
}

type Wrap = (model: Model, spec: ModelSpec, params: Record<string, unknown>, trace: SignalTrace) => Model;

/** Trace wrappers → the model they wrap, so the fast path can run the model and fill the trace. */
const tracedModels = new WeakMap<Model, { readonly inner: Model; readonly trace: SignalTrace }>();
/** Trace wrappers → their recorder, whose decisions go into the trace when the run is over (`finishTraces`). */
const recorders = new WeakMap<Model, TraceRecorder>();
function traced(model: Model, trace: SignalTrace, warmupBars?: number): Model {
  const recorder = new TraceRecorder(trace);
  const w = recordModel(model, recorder, warmupBars !== undefined ? { warmupBars } : {});
  tracedModels.set(w, { inner: model, trace });
  recorders.set(w, recorder);
  return w;
}

/** After a run: the recorded decisions of its traced models into their traces (see TraceRecorder). */
function finishTraces(input: BacktestInput): void {
  for (const { model } of input.models) recorders.get(model)?.finish();
}

const traceAll: Wrap = (model, _spec, _params, trace) => traced(model, trace);
const noTrace: Wrap = (model) => model;

/**
 * Run a prepared input on the fast path when it is eligible (fast-path-select.ts), else on the event
 * engine. A decorated model (the test hook) always takes the event engine: a decorator that spreads
 * the model would keep a `targetsVector` that no longer matches its `decide`.
 */
function runPrepared(input: BacktestInput, decorated: boolean): { result: BacktestResult; engine: EngineChoice } {
  return runBacktestAuto(input, fastModelOf(input), decorated ? 'a decorated model (test hook) runs on the event engine' : undefined);
}

/** The single model of a run as the fast path takes it (unwrapping the probes' trace wrapper), or null. */
function fastModelOf(input: BacktestInput): FastModel | null {
  if (input.models.length !== 1) return null;
  const outer = input.models[0]!.model;
  const t = tracedModels.get(outer);
  return { model: t?.inner ?? outer, warmupBars: outer.warmupBars, ...(t ? { trace: t.trace } : {}) };
}

/**
 * A run's engine input: a prepared input with the run's own options (progress, cancellation, check
 * interval) on an object of one fixed shape. The stepping loops read `input.regimeAt` at every step
 * (engine/decisions.ts `DecisionSteps.run`, engine/trader.ts `step`); an object literal spread
 * from the prepared input got its hidden class from transitions that V8 drops once no object of it is
 * alive, and a later run's input then came with a new one: the loop compiled for the old one was
 * thrown away at its first step (seen as "wrong map" deoptimisations of `DecisionSteps.run`, once per
 * probe run of a probed report, with `node --trace-deopt`). A class's instances keep one.
 */
class RunInput implements BacktestInput {
  readonly symbols: BacktestInput['symbols'];
  readonly models: BacktestInput['models'];
  readonly config: BacktestInput['config'];
  readonly regimeAt: BacktestInput['regimeAt'];
  readonly daily: BacktestInput['daily'];
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: BacktestInput['onProgress'];
  readonly checkEvery: number | undefined;

  constructor(base: BacktestInput, extra: Partial<BacktestInput>) {
    const x = { ...base, ...extra };
    this.symbols = x.symbols;
    this.models = x.models;
    this.config = x.config;
    this.regimeAt = x.regimeAt;
    this.daily = x.daily;
    this.start = x.start;
    this.end = x.end;
    this.signal = x.signal;
    this.onProgress = x.onProgress;
    this.checkEvery = x.checkEvery;
  }
}

/**
 * A probe run: only its signal traces are read, so where the trace follows from the model's signal
 * alone (fast-path.ts `traceFromSignal`) it is taken from there without simulating; otherwise the
 * run is made. A decorated model (the test hook) always runs. A run on the event engine is made for
 * its decisions alone: without the book where no model reads it (engine.ts
 * `runDecisionsWithoutBook`), else, prepared again (fresh models and traces), through the Trader
 * (`runForDecisions`); both make the same decide calls. Returns the preparation whose traces hold
 * the run's signals. Progress only moves forward (a run made again reports from where the first
 * stopped).
 */
function runProbe(prepare: () => Prepared, extra: Partial<BacktestInput>, decorated: boolean): Prepared {
  let reached = -1;
  const onProgress = extra.onProgress;
  const forward: Partial<BacktestInput> = onProgress === undefined ? extra : {
    ...extra,
    onProgress: (p) => {
      if (p.step <= reached) return;
      reached = p.step;
      onProgress(p);
    },
  };
  const p = prepare();
  const input = new RunInput(p.input, forward);
  const fast = decorated ? null : fastModelOf(input);
  if (fast !== null && traceFromSignal(input, fast)) return p;
  if (!decorated && chooseEngine(input, fast).path !== 'event') {
    runPrepared(input, decorated);
    finishTraces(input);
    return p;
  }
  try {
    runDecisionsWithoutBook(input);
    finishTraces(input);
    return p;
  } catch (err) {
    if (!(err instanceof BookReadError)) throw err;
  }
  const again = prepare();
  runForDecisions(new RunInput(again.input, forward));
  finishTraces(again.input);
  return again;
}

/** Build everything the engine needs for a plan from a set of datasets. */
export function prepareBacktest(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>, force: boolean, wrap: Wrap = traceAll, decorate?: Decorate, reuse?: DerivedInputs): Prepared {
  const env = { interval: plan.interval };
  const built = plan.models.map((pm) => {
    const b = buildModel(pm.name, pm.params, env);
    return { pm, ...b, model: decorate ? decorate(b.model, datasets) : b.model };
  });
  const traces = new Map<string, SignalTrace>();
  const models = built.map(({ pm, model, spec, params }) => {
    // Direction keys are read only for models whose weights scale with NAV (the warm-up probe compares
    // their directions); a 1M-step run would otherwise fill a third array of 1M keys for nothing.
    const trace = emptyTrace(spec.navDependent?.(pm.params) ?? false);
    traces.set(model.name, trace);
    return { model: wrap(model, spec, params, trace), budget: pm.budget };
  });
  const symbols = [...new Set(built.flatMap((b) => b.model.universe))].sort();
  // Datasets read, by name; their content digests are read only when asked for (a probe run that
  // only traces its signal never asks, and a truncated dataset's digest is a pass over its columns).
  const used = new Map<string, Dataset>();
  const shared = reuse !== undefined && reuse.datasets === datasets ? reuse : undefined;
  const bars = new Map<string, Dataset>();
  const engineSymbols: EngineSymbol[] = symbols.map((symbol) => {
    const entry = plan.backtest.universe[symbol];
    const ds = shared?.bars.get(symbol) ?? barsFor(datasets, symbol, plan.interval, force, entry?.dataset);
    bars.set(symbol, ds);
    used.set(ds.name, ds);
    const assetClass: AssetClass = entry?.asset_class ?? ds.assetClass ?? 'other';
    return {
      symbol, assetClass, interval: ds.interval ?? plan.interval, bars: ds.table as BarFrame, dataset: ds.name,
      get digest(): string {
        return ds.digest;
      },
    };
  });
  const inputs = shared ?? derivedInputs(plan, datasets, built, bars);
  for (const ds of inputs.used) used.set(ds.name, ds);
  const { daily, regimeAt } = inputs;
  const input: BacktestInput = { symbols: engineSymbols, models, config: plan.backtest, regimeAt, ...(daily ? { daily } : {}) };
  let data: UsedData[] | null = null;
  return {
    input,
    specs: built.map((b) => b.spec),
    get data(): readonly UsedData[] {
      data ??= [...used.values()].map((ds) => ({ name: ds.name, digest: ds.digest, source: ds.source })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return data;
    },
    traces,
    inputs,
  };
}

/** The daily features the plan's models ask for and the regime lookup, built from `datasets`, beside the bars found for each symbol. */
function derivedInputs(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>, built: readonly { spec: ModelSpec; params: Record<string, unknown> }[], bars: ReadonlyMap<string, Dataset>): DerivedInputs {
  const used: Dataset[] = [];
  const requests: DailyFeatureRequest[] = built.flatMap((b) => (b.spec.dailyFeatures ? [...b.spec.dailyFeatures(b.params)] : []));
  const daily = requests.length
    ? buildDailyFeatures(requests, (symbol) => {
        const ds = datasets.get(`${symbol}:1d`);
        if (!ds) throw new UserError(`daily bars ${symbol}:1d are needed for daily features (${requests.filter((r) => r.symbol === symbol).map((r) => r.feature).join(', ')}); load them first`, symbol);
        used.push(ds);
        return ds;
      })
    : undefined;
  const regimes = regimeLookupFor(datasets, plan.regime);
  used.push(...regimes.used);
  return { datasets, bars, daily, regimeAt: regimes.lookup, used };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Run the plan, its metrics, reports and (by default) the bias probes. */
export async function runBacktestReport(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>, o: RunOptions = {}): Promise<BacktestReport> {
  const force = o.force ?? false;
  const probes = o.probes ?? true;
  const signal = o.signal;
  const report = (phase: string, lo: number, hi: number) => (p: { step: number; steps: number; t: number }) =>
    o.onProgress?.({ phase, fraction: lo + (hi - lo) * (p.steps > 0 ? p.step / p.steps : 1), t: p.t, steps: p.step });
  const mainShare = probes ? 0.4 : 1;

  const decorate = o.decorate;
  // Signals are recorded only for the probes (a trace costs a push per model and step).
  const main = prepareBacktest(plan, datasets, force, probes ? traceAll : noTrace, decorate);
  const { result, engine } = runPrepared(new RunInput(main.input, { ...(signal ? { signal } : {}), onProgress: report('backtest', 0, mainShare), checkEvery: 4096 }), decorate !== undefined);
  finishTraces(main.input);

  // a fast-path result's step figures (and the report's charts) in one pass over its steps
  const stepFigures = fastStepSummary(result);
  const assetClasses = result.symbols.map((s) => s.assetClass);
  // a fast-path result's day-close rows are remembered per clock (performanceInput computes them otherwise)
  const calendar = calendarOfClasses(assetClasses);
  const closeRows = fromFastClock<CloseRows>(result, `close rows ${calendar}`, (ts) => dailyCloseRows(ts, calendar));
  const perf = performanceInput({
    ts: result.ts,
    equity: result.nav,
    interval: result.interval,
    assetClasses,
    ...(closeRows !== null ? { closeRows } : {}),
    tradePnl: closedTradePnl(result),
    heldSteps: stepFigures?.held ?? countPositive(result, 'gross'),
    tradedNotional: result.costs.tradedNotional,
    ...(stepFigures ? { steps: { count: result.nav.length, sum: stepFigures.navSum, maxDrawdown: stepFigures.maxDrawdown } } : {}),
  });
  const metrics = computeMetrics(perf);
  const costs = decomposeCosts({
    initialCapital: result.initialCapital,
    finalEquity: result.nav[result.nav.length - 1]!,
    fees: result.costs.fees,
    slippage: result.costs.slippage,
    impact: result.costs.impact,
    funding: result.costs.funding,
    borrow: result.costs.borrow,
  });
  const changeSteps = modeChangeSteps(result);
  const changes = modeChangesAt(result.ts, changeSteps, modeReader(result), valuesAt(result, 'drawdown', changeSteps), result.breaches);
  const split = regimeSplit(perf.returnTs, perf.returns, main.input.regimeAt, perf.periodsPerYear);

  const gates: Gate[] = [];
  let lookAhead: LookAheadResult | undefined;
  let warmup: WarmupComparison[] | undefined;
  if (probes) {
    await yieldToEventLoop();
    throwIfAborted(signal);
    const cuts = cutTimes(main.traces, o.lookAheadFractions ?? LOOKAHEAD_FRACTIONS);
    const truncated: { cut: number; traces: Map<string, SignalTrace> }[] = [];
    const skipped: string[] = [];
    for (let i = 0; i < cuts.length; i++) {
      const cut = cuts[i]!;
      const lo = mainShare + (0.3 * i) / cuts.length;
      try {
        const cutData = truncateDatasets(datasets, cut);
        const extra = { ...(signal ? { signal } : {}), onProgress: report(`look-ahead probe ${i + 1}/${cuts.length}`, lo, lo + 0.3 / cuts.length), checkEvery: 4096 };
        const p = runProbe(() => prepareBacktest(plan, cutData, force, traceAll, decorate), extra, decorate !== undefined);
        truncated.push({ cut, traces: p.traces });
      } catch (err) {
        if (err instanceof CancelledError || !(err instanceof UserError)) throw err;
        skipped.push(`${isoUtc(cut)}: ${err.message}`);
      }
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
    if (truncated.length > 0) {
      lookAhead = compareLookAhead(main.traces, truncated);
      gates.push(skipped.length ? { ...lookAhead.gate, reason: `${lookAhead.gate.reason ?? ''}; skipped ${skipped.join('; ')}` } : lookAhead.gate);
    } else {
      gates.push({ name: 'look-ahead', value: null, threshold: '0 changed signals before each cut', pass: false, reason: cuts.length ? `no truncated run could be made (${skipped.join('; ')})` : 'too few decisions to cut' });
    }
    const navScaled = new Set(plan.models.filter((pm, i) => main.specs[i]!.navDependent?.(pm.params)).map((pm) => pm.name));
    warmup = [];
    for (let v = 0; v < WARMUP_VARIANTS.length; v++) {
      const variant = WARMUP_VARIANTS[v]!;
      const lo = mainShare + 0.3 + 0.15 * v;
      const extra = { ...(signal ? { signal } : {}), onProgress: report(`warm-up probe (${variant.name})`, lo, lo + 0.15), checkEvery: 4096 };
      const prepare = (): Prepared => prepareBacktest(plan, datasets, force, (model, _s, _p, trace) => traced(model, trace, variant.bars(model.warmupBars)), decorate, main.inputs);
      const p = runProbe(prepare, extra, decorate !== undefined);
      warmup.push(...compareWarmup(variant.name, main.traces, p.traces, navScaled));
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
    gates.push(warmupGate(warmup));
  }

  const digest = digestOf({
    plan: { kind: plan.kind, label: plan.label, interval: plan.interval, backtest: plan.backtest, regime: plan.regime, models: plan.models },
    data: main.data,
    // every series, order, fill, trade, breach and attribution total of the engine result
    result: resultDigest(result),
    metrics,
    gates,
  });
  return {
    plan,
    result,
    metrics,
    periodsPerYear: perf.periodsPerYear,
    annualisation: perf.basis,
    gates,
    ...(lookAhead ? { lookAhead } : {}),
    ...(warmup ? { warmup } : {}),
    costs,
    modeChanges: changes,
    regimeSplit: split,
    data: main.data,
    engine,
    digest,
  };
}
