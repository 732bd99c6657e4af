import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, gates as gatesBlock, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { INTERVALS, isoUtc, type Interval } from '../src/core/time.js';
import { suggest } from '../src/core/suggest.js';
import { digestOf } from '../src/core/canonical.js';
import { findModelSpec, modelNames } from '../src/models/registry.js';
import { edgeTemplateFor } from '../src/research/edge-template.js';
import { loadCandidate } from '../src/store/ledger.js';
import { resultsDbPath } from '../src/store/index.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { parseDuration, formatDuration, type WindowSettings } from '../src/walkforward/windows.js';
import { runWalkForward, type ParamPoint } from '../src/walkforward/run.js';
import { backtestEvaluator, planFor } from '../src/walkforward/backtest-evaluator.js';
import { gridPoints, parseGrid } from '../src/walkforward/grid.js';
import { foldLine, paramsText, walkForwardBlocks } from '../src/walkforward/report.js';
import { storeWalkForward } from '../src/walkforward/store.js';
import type { Session } from '../src/shell/session.js';

/** Without --grid, sma_cross walks forward over this grid (fast < slow kept). */
export const DEFAULT_SMA_GRID = 'fast=5..30:5,slow=40..200:40';

export default defineCommand({
  name: 'walkforward',
  summary: 'walk-forward analysis: parameters chosen in sample, judged out of sample; the stitched out-of-sample curve, per-fold scores, DSR and PBO',
  job: true,
  usage: '[MODEL|edge:ID] [--symbol S] [--interval 1d] [--grid fast=5..50:5,slow=20..200:10] [--train 2y] [--test 6m] [--step 6m] [--anchored] [--validation 3m] [--objective bps]',
  positional: ['model'],
  schema: z.object({
    model: z.string().default('sma_cross').describe(`the model to walk forward: ${modelNames().join(', ')}, or edge:ID (a discovery candidate)`),
    symbol: z.string().optional().describe('symbol for a single-symbol model (default SPY for sma_cross)'),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval (default 1d for sma_cross, else backtest.interval)'),
    grid: z.string().optional().describe(`parameter grid, name=lo..hi:step or name=a|b, comma-separated (sma_cross default ${DEFAULT_SMA_GRID})`),
    train: z.string().default('2y').describe('training window: a duration like 2y, 18m, 12w, 90d'),
    test: z.string().default('6m').describe('test (out-of-sample) window after each training window'),
    step: z.string().optional().describe('how far each fold moves on (default: the test window; never shorter)'),
    anchored: z.boolean().default(false).describe('every training window starts at the first bar (expanding) instead of rolling'),
    validation: z.string().optional().describe('a validation slice between training and test: the best of the 5 in-sample leaders on it is chosen'),
    objective: z.string().default('bps').describe('metric to maximise in sample: bps (Balanced Performance Score), sharpe, cagr, sortino, calmar…'),
    force: z.boolean().default(false).describe('run on datasets whose readiness gate failed'),
    db: z.string().optional().describe('results database to store the walk-forward in (default: config session.results_db)'),
    noStore: z.boolean().default(false).describe('do not store the walk-forward record (promotion gates read it)'),
  }),
  completion: { model: [...modelNames(), 'edge:'], symbol: 'symbol', interval: [...INTERVALS], db: 'path' },
  examples: [
    'walkforward',
    'walkforward sma_cross --symbol SPY --interval 1d --train 2y --test 6m --step 6m',
    'walkforward sma_cross --grid fast=5..30:5,slow=50..200:50 --anchored --validation 3m',
    'walkforward edge:E3 --train 1y --test 3m',
  ],
  async run(session, args, io) {
    const settings: WindowSettings = {
      train: parseDuration(args.train, '--train'),
      test: parseDuration(args.test, '--test'),
      step: parseDuration(args.step ?? args.test, '--step'),
      anchored: args.anchored,
      ...(args.validation !== undefined ? { validation: parseDuration(args.validation, '--validation') } : {}),
    };
    const db = resultsDbPath(session, args.db);
    const target = await resolveTarget(session, args, db);
    const options = { config: session.config, datasets: session.datasets, model: target.model, baseParams: target.baseParams, plan: { interval: target.interval }, objective: args.objective, force: args.force };
    const evaluator = backtestEvaluator(options);
    // One full-period run of the first point: the decision times the folds are cut from.
    io.progress({ label: 'walk-forward: reading the bar times', fraction: 0 });
    const whole = await runBacktestReport(planFor(options, target.points[0]!), session.datasets, { probes: false, force: args.force, signal: io.signal });
    if (!(args.objective in whole.metrics)) {
      const hint = suggest(args.objective, Object.keys(whole.metrics));
      throw new UserError(`unknown objective '${args.objective}'${hint ? `; did you mean '${hint}'?` : ''} (metrics: ${Object.keys(whole.metrics).join(', ')})`, '--objective');
    }
    const wf = await runWalkForward({
      ts: whole.result.ts,
      settings,
      points: target.points,
      evaluator,
      periodsPerYear: whole.periodsPerYear,
      signal: io.signal,
      onFold: (f, total) => {
        io.log(foldLine(f, total));
        io.progress({ label: `walk-forward fold ${f.fold.index + 1}/${total}`, fraction: (f.fold.index + 1) / total });
      },
    });
    // The bias probes and readiness of a full-period run with the last fold's parameters (what would trade next).
    const last = wf.folds[wf.folds.length - 1]!;
    io.progress({ label: 'walk-forward: bias probes on the last fold’s parameters', fraction: 1 });
    const final = await runBacktestReport(planFor(options, last.chosen), session.datasets, { force: args.force, signal: io.signal });
    const label = `${args.model}${target.symbol ? ` ${target.symbol}` : ''} ${target.interval}`;
    const blocks = [...walkForwardBlocks(wf, label), gatesBlock(`bias probes (full period, ${paramsText(last.chosen)})`, final.gates)];
    const summary = `walk-forward ${label}: ${wf.folds.length} folds (${args.anchored ? 'anchored' : 'rolling'} ${formatDuration(settings.train)}/${formatDuration(settings.test)}), OOS Sharpe ${fmt(wf.sharpe)}, DSR ${fmt(wf.overfit.deflated.dsr)}, PBO ${wf.overfit.pbo ? fmt(wf.overfit.pbo.pbo) : 'n/a'}`;
    const resultDigest = digestOf({ blocks });
    if (!args.noStore) {
      const id = await storeWalkForward(db, {
        model: args.model,
        settings: { train: args.train, test: args.test, step: args.step ?? args.test, anchored: args.anchored, validation: args.validation ?? null, grid: target.grid, interval: target.interval, symbol: target.symbol ?? null },
        summary: {
          oosSharpe: finite(wf.sharpe), oosMaxDrawdown: finite(wf.maxDrawdown), oosTotalReturn: finite(wf.totalReturn), oosTrades: wf.trades, folds: wf.folds.length,
          dsr: finite(wf.overfit.deflated.dsr), pbo: wf.overfit.pbo ? finite(wf.overfit.pbo.pbo) : null, lastParams: { ...last.chosen }, objective: args.objective,
          from: isoUtc(wf.ts[0]!), to: isoUtc(wf.ts[wf.ts.length - 1]!),
        },
        folds: wf.folds.map((f) => ({ fold: f.fold.index + 1, train: [isoUtc(f.fold.train.start), isoUtc(f.fold.train.end)], test: [isoUtc(f.fold.test.start), isoUtc(f.fold.test.end)], chosen: f.chosen, is: finite(f.inSampleScore), oos: finite(f.outOfSampleScore), trades: f.outOfSampleTrades })),
        probes: final.gates,
        readiness: Object.fromEntries(final.data.map((d) => [d.name, session.datasets.get(d.name)?.gate?.pass ?? true])),
        dataDigests: Object.fromEntries(final.data.map((d) => [d.name, d.digest])),
        configDigest: session.configDigest,
        seed: session.seed,
        resultDigest,
        sessionId: session.id,
        transcript: session.results.map((r) => ({ line: r.line, status: r.status })),
      });
      // Logged, not in the result: ids count the database's records, which a replay starts without.
      io.log(`stored as walk-forward ${id} in ${db}`);
    }
    return ok(`walkforward ${label}`, [text(summary), ...blocks], summary);
  },
});

interface Target {
  readonly model: string;
  readonly baseParams: Record<string, unknown>;
  readonly interval: Interval;
  readonly symbol?: string;
  readonly grid: string | null;
  readonly points: readonly ParamPoint[];
}

interface TargetArgs {
  readonly model: string;
  readonly symbol?: string | undefined;
  readonly interval?: Interval | undefined;
  readonly grid?: string | undefined;
  readonly force: boolean;
}

/** The model, its fixed parameters and the grid of points to choose among. */
async function resolveTarget(session: Session, args: TargetArgs, db: string): Promise<Target> {
  if (args.model.startsWith('edge:')) {
    const edge = edgeTemplateFor(await loadCandidate(db, args.model.slice(5)), session.datasets);
    const grid = args.grid ?? null;
    return { model: 'edge_template', baseParams: edge.params, interval: args.interval ?? edge.interval, grid, points: grid ? gridPoints(parseGrid(grid)) : [{}] };
  }
  if (!findModelSpec(args.model)) {
    const hint = suggest(args.model, modelNames());
    throw new UserError(`unknown model '${args.model}'${hint ? `; did you mean '${hint}'?` : ''} (models: ${modelNames().join(', ')})`, 'model');
  }
  const sma = args.model === 'sma_cross';
  const symbol = args.symbol?.toUpperCase() ?? (sma ? 'SPY' : undefined);
  const grid = args.grid ?? (sma ? DEFAULT_SMA_GRID : null);
  let points: ParamPoint[] = grid ? gridPoints(parseGrid(grid)) : [{}];
  if (sma) points = points.filter((p) => !(typeof p['fast'] === 'number' && typeof p['slow'] === 'number' && p['fast'] >= p['slow']));
  if (points.length === 0) throw new UserError('no point of the grid is valid (sma_cross needs fast < slow)', '--grid');
  return { model: args.model, baseParams: symbol ? { symbol } : {}, interval: args.interval ?? (sma ? '1d' : session.config.backtest.interval), ...(symbol ? { symbol } : {}), grid, points };
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
