import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, gates as gatesBlock, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { INTERVALS, isoUtc, type Interval } from '../src/core/time.js';
import { suggest } from '../src/core/suggest.js';
import { digestOf } from '../src/core/canonical.js';
import { modelNames } from '../src/models/registry.js';
import { resultsDbPath } from '../src/store/index.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { DEFAULT_EXPERIMENT, planOfPoint } from '../src/optimize/experiment.js';
import { parseRedisUrl } from '../src/scale/connection.js';
import { parseDuration, formatDuration, type WindowSettings } from '../src/walkforward/windows.js';
import { runWalkForward, type ParamPoint } from '../src/walkforward/run.js';
import { trialEvaluator } from '../src/walkforward/trial-evaluator.js';
import { DEFAULT_SMA_GRID, resolveWalkForwardTarget } from '../src/walkforward/target.js';
import { foldLine, paramsText, walkForwardBlocks } from '../src/walkforward/report.js';
import { storeWalkForward } from '../src/walkforward/store.js';
import { walkForwardBoard } from '../src/walkforward/live-board.js';

export default defineCommand({
  name: 'walkforward',
  summary: 'walk-forward analysis: parameters chosen in sample by an optimiser sweep, judged out of sample; the stitched out-of-sample curve, per-fold scores, DSR and PBO',
  job: true,
  usage: '[EXPERIMENT|MODEL|edge:ID] [--symbol S] [--interval 1d] [--grid fast=5..50:5,slow=20..200:10] [--train 2y] [--test 6m] [--step 6m] [--anchored] [--validation 3m] [--objective bps] [--workers N] [--backend local|bullmq] [--redis URL]',
  positional: ['target'],
  schema: z.object({
    target: z.string().default('sma_cross').describe(`an experiment in configs/experiments/ (e.g. ${DEFAULT_EXPERIMENT}) or a .yaml path, a model (${modelNames().join(', ')}), or edge:ID (a discovery candidate)`),
    symbol: z.string().optional().describe('symbol for a single-symbol model (default SPY for sma_cross)'),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval (default: the experiment\'s; 1d for sma_cross; else backtest.interval)'),
    grid: z.string().optional().describe(`grid dimensions NAME=FROM..TO:STEP or NAME=a|b, comma-separated, added to the experiment's (sma_cross default ${DEFAULT_SMA_GRID})`),
    train: z.string().default('2y').describe('training window: a duration like 2y, 18m, 12w, 90d'),
    test: z.string().default('6m').describe('test (out-of-sample) window after each training window'),
    step: z.string().optional().describe('how far each fold moves on (default: the test window; never shorter)'),
    anchored: z.boolean().default(false).describe('every training window starts at the first bar (expanding) instead of rolling'),
    validation: z.string().optional().describe('a validation slice between training and test: the best of the 5 in-sample leaders on it is chosen'),
    objective: z.string().optional().describe('metric to maximise in sample (max_drawdown, volatility, turnover are minimised): default the experiment\'s, else bps (Balanced Performance Score)'),
    workers: z.coerce.number().int().min(0).max(64).default(2).describe('worker threads for each fold\'s trials (0: in the job thread)'),
    backend: z.enum(['local', 'bullmq']).default('local').describe('local: the worker-thread pool; bullmq: BullMQ workers over Redis (edgelab worker --redis URL)'),
    redis: z.string().optional().describe('Redis URL for --backend bullmq (default: config scale.redis_url)'),
    force: z.boolean().default(false).describe('run on datasets whose readiness gate failed'),
    db: z.string().optional().describe('results database for trials and the walk-forward record (default: config session.results_db)'),
    noStore: z.boolean().default(false).describe('neither read back nor store trials, and store no walk-forward record (promotion gates read it)'),
  }),
  completion: { target: [...modelNames(), 'edge:'], symbol: 'symbol', interval: [...INTERVALS], db: 'path', backend: ['local', 'bullmq'] },
  examples: [
    'walkforward',
    'walkforward sma_cross --symbol SPY --interval 1d --train 2y --test 6m --step 6m',
    'walkforward demo --train 3y --test 1y',
    'walkforward sma_cross --grid fast=5..30:5,slow=50..200:50 --anchored --validation 3m',
    'walkforward sma_cross --backend bullmq --redis redis://127.0.0.1:6379',
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
    const target = await resolveWalkForwardTarget(session, args, db);
    const objective = args.objective ?? target.objective ?? 'bps';
    const redisUrl = args.redis ?? session.config.scale?.redis_url;
    if (args.backend === 'local' && args.redis !== undefined) throw new UserError('--redis needs --backend bullmq', '--redis');
    if (args.backend === 'bullmq' && redisUrl === undefined) throw new UserError('--backend bullmq needs --redis URL or config scale.redis_url (and workers: edgelab worker --redis URL)', '--backend');
    if (target.infeasible.count) io.log(`${target.infeasible.count} grid point(s) left out: ${target.infeasible.reason}`);
    const planOf = (point: ParamPoint, where = 'walkforward') => planOfPoint(target.base, Object.fromEntries(Object.entries(point).map(([k, v]) => [target.pathOf(k), v])), where);
    // One full-period run of the first point: the decision times the folds are cut from.
    io.progress({ label: 'walk-forward: reading the bar times', fraction: 0 });
    const whole = await runBacktestReport(planOf(target.points[0]!), session.datasets, { probes: false, force: args.force, signal: io.signal });
    if (!(objective in whole.metrics)) {
      const hint = suggest(objective, Object.keys(whole.metrics));
      throw new UserError(`unknown objective '${objective}'${hint ? `; did you mean '${hint}'?` : ''} (metrics: ${Object.keys(whole.metrics).join(', ')})`, '--objective');
    }
    let foldsDone = 0;
    let foldsTotal = 0;
    // The live leaderboard pane (docs/shell.md): folds as they finish, the fold in hand's in-sample top.
    const live = walkForwardBoard({ title: `walkforward ${target.name}${target.symbol ? ` ${target.symbol}` : ''} ${target.interval}`, objective, params: Object.keys(target.points[0] ?? {}) });
    const evaluator = trialEvaluator({
      session, base: target.base, pathOf: target.pathOf, objective, workers: args.workers, store: !args.noStore, force: args.force,
      ...(args.db !== undefined ? { db: args.db } : {}),
      ...(args.backend === 'bullmq' ? { bullmq: { target: parseRedisUrl(redisUrl!, args.redis ? '--redis' : 'scale.redis_url'), sweep: `${session.id}-wf-${digestOf({ name: target.name, grid: target.grid, objective }).slice(0, 12)}`, onLog: (l: string) => io.log(l) } } : {}),
      onTrials: (p) => {
        live.onTrials(p);
        io.progress({ label: `walk-forward fold ${foldsDone + 1}${foldsTotal ? `/${foldsTotal}` : ''} · ${p.done}/${p.total} trials${p.cached ? ` (${p.cached} read back)` : ''}`, fraction: foldsTotal ? (foldsDone + p.done / Math.max(1, p.total)) / foldsTotal : 0, board: live.board() });
      },
    });
    const wf = await runWalkForward({
      ts: whole.result.ts,
      settings,
      points: target.points,
      evaluator: live.watch(evaluator),
      periodsPerYear: whole.periodsPerYear,
      signal: io.signal,
      onFolds: (total) => {
        foldsTotal = total;
        live.onFolds(total);
      },
      onFold: (f, total) => {
        foldsDone = f.fold.index + 1;
        live.onFold(f);
        io.log(foldLine(f, total));
        io.progress({ label: `walk-forward fold ${f.fold.index + 1}/${total}`, fraction: (f.fold.index + 1) / total, board: live.board() });
      },
    }).finally(() => evaluator.close());
    const counts = evaluator.counts();
    // Said through the log: how many were read back depends on what the database held before.
    io.log(`${counts.cached} of ${counts.trials} trials read back from the results database, ${counts.trials - counts.cached} computed (${args.backend === 'bullmq' ? 'BullMQ workers' : args.workers ? `${args.workers} worker threads` : 'job thread'}); ${counts.navRuns} test-window backtests for the stitched curve`);
    // The bias probes and readiness of a full-period run with the last fold's parameters (what would trade next).
    const last = wf.folds[wf.folds.length - 1]!;
    io.progress({ label: 'walk-forward: bias probes on the last fold’s parameters', fraction: 1, board: live.board() });
    const final = await runBacktestReport(planOf(last.chosen), session.datasets, { force: args.force, signal: io.signal });
    const label = `${target.name}${target.symbol ? ` ${target.symbol}` : ''} ${target.interval}`;
    const blocks = [...walkForwardBlocks(wf, label), gatesBlock(`bias probes (full period, ${paramsText(last.chosen)})`, final.gates)];
    const summary = `walk-forward ${label}: ${wf.folds.length} folds (${args.anchored ? 'anchored' : 'rolling'} ${formatDuration(settings.train)}/${formatDuration(settings.test)}), OOS Sharpe ${fmt(wf.sharpe)}, DSR ${fmt(wf.overfit.deflated.dsr)}, PBO ${wf.overfit.pbo ? fmt(wf.overfit.pbo.pbo) : 'n/a'}`;
    const resultDigest = digestOf({ blocks });
    if (!args.noStore) {
      const id = await storeWalkForward(db, {
        model: target.experiment !== undefined ? (target.model ?? target.name) : target.name,
        settings: { ...(target.experiment !== undefined ? { experiment: target.experiment } : {}), train: args.train, test: args.test, step: args.step ?? args.test, anchored: args.anchored, validation: args.validation ?? null, grid: target.grid, interval: target.interval, symbol: target.symbol ?? null },
        summary: {
          oosSharpe: finite(wf.sharpe), oosMaxDrawdown: finite(wf.maxDrawdown), oosTotalReturn: finite(wf.totalReturn), oosTrades: wf.trades, folds: wf.folds.length,
          dsr: finite(wf.overfit.deflated.dsr), pbo: wf.overfit.pbo ? finite(wf.overfit.pbo.pbo) : null, lastParams: { ...last.chosen }, objective,
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

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
