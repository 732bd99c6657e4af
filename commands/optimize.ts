import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, metrics, text, type Block } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { digestOf, short } from '../src/core/canonical.js';
import { suggest } from '../src/core/suggest.js';
import { findModelSpec, modelNames } from '../src/models/registry.js';
import { resultsDbPath } from '../src/store/path.js';
import { gridSize, parseGridFlag, type Dimension } from '../src/optimize/dimensions.js';
import {
  DEFAULT_EXPERIMENT, dimensionPathResolver, experimentFile, experimentFromOverlay, experimentNames, loadExperiment, type Experiment,
} from '../src/optimize/experiment.js';
import { checkObjective, objectiveNames } from '../src/optimize/objective.js';
import { runTrials, sessionDataDigest, type TrialResult } from '../src/optimize/runner.js';
import { parseRedisUrl } from '../src/scale/connection.js';
import { runSearch, type Phase } from '../src/optimize/search.js';
import { writeSweep } from '../src/optimize/store.js';
import { leaderboardBlock, pointText } from '../src/optimize/leaderboard.js';
import { LiveBoardTracker } from '../src/optimize/live-board.js';
import { overfitBlocks, overfitReport } from '../src/overfit/index.js';
import type { Session } from '../src/shell/session.js';

/** The experiment named by the argument: a file in configs/experiments/, a .yaml path, or a model. */
function resolveExperiment(session: Session, ref: string | undefined): Experiment {
  const name = ref ?? DEFAULT_EXPERIMENT;
  const file = experimentFile(session.root, name, (p) => session.resolvePath(p));
  if (file) return loadExperiment(file, session.config);
  if (findModelSpec(name)) return experimentFromOverlay(name, { optimize: { model: name } }, session.config, 'optimize');
  const known = [...experimentNames(session.root), ...modelNames()];
  const hint = suggest(name, known);
  throw new UserError(`no experiment or model '${name}'${hint ? `; did you mean '${hint}'?` : ''} (experiments: ${experimentNames(session.root).join(', ') || 'none'}; models: ${modelNames().join(', ')})`, 'experiment');
}

export default defineCommand({
  name: 'optimize',
  summary: 'search an experiment\'s parameters (grid, random, evolutionary) on the worker pool; trials are stored and read back',
  job: true,
  usage: '[EXPERIMENT|MODEL] [--grid fast=5..50:5,slow=20..200:10] [--random N] [--ea GENS] [--objective METRIC] [--workers N] [--backend local|bullmq] [--redis URL] [--seed N]',
  positional: ['experiment'],
  schema: z.object({
    experiment: z.string().optional().describe(`an experiment in configs/experiments/ (default ${DEFAULT_EXPERIMENT}), a .yaml path, or a model name`),
    grid: z.string().optional().describe("grid dimensions NAME=FROM..TO:STEP or NAME=a|b, comma-separated (a bare NAME is the model's parameter)"),
    random: z.coerce.number().int().min(0).max(1_000_000).optional().describe('random points to draw (seeded)'),
    ea: z.coerce.number().int().min(0).max(10_000).optional().describe('generations of evolutionary refinement seeded from the best points'),
    population: z.coerce.number().int().min(2).max(10_000).optional().describe('EA individuals per generation'),
    objective: z.string().optional().describe(`metric to maximise (default bps; max_drawdown, volatility, turnover are minimised): ${objectiveNames().join(', ')}`),
    workers: z.coerce.number().int().min(0).max(64).default(2).describe('worker threads for the trials (0: in the job thread)'),
    backend: z.enum(['local', 'bullmq']).default('local').describe('local: the worker-thread pool; bullmq: BullMQ workers over Redis (edgelab worker --redis URL)'),
    redis: z.string().optional().describe('Redis URL for --backend bullmq (default: config scale.redis_url)'),
    seed: z.coerce.number().int().min(0).optional().describe('seed of random and EA (default: the experiment\'s, else the session seed)'),
    rows: z.coerce.number().int().min(1).max(10_000).default(10).describe('leaderboard rows to show'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    noStore: z.boolean().default(false).describe('neither read back nor store trials'),
    force: z.boolean().default(false).describe('run on datasets whose readiness gate failed'),
  }),
  completion: { objective: objectiveNames(), db: 'path', backend: ['local', 'bullmq'] },
  examples: [
    'optimize',
    'optimize sma_cross --grid fast=5..50:5,slow=20..200:10',
    'optimize sma_cross --grid fast=5..50:5,slow=20..200:10 --random 40 --ea 5 --objective sharpe',
    'optimize demo --workers 1 --seed 7',
  ],
  async run(session, args, io) {
    const base = resolveExperiment(session, args.experiment);
    const flagDims = args.grid !== undefined ? parseGridFlag(args.grid, dimensionPathResolver(base.settings.model)) : [];
    const dims: Dimension[] = [...base.dimensions.filter((d) => !flagDims.some((f) => f.path === d.path)), ...flagDims];
    if (!dims.length) throw new UserError(`no search dimensions: give --grid NAME=FROM..TO:STEP or put a list or range in the experiment`, args.experiment ?? DEFAULT_EXPERIMENT);
    const s = base.settings;
    const objective = checkObjective(args.objective ?? s.objective);
    const seed = args.seed ?? s.seed ?? session.seed;
    const settings = {
      grid: args.random !== undefined && args.grid === undefined ? false : s.grid && dims.every((d) => d.kind === 'discrete'),
      random: args.random ?? s.random,
      ea: { ...s.ea, ...(args.ea !== undefined ? { generations: args.ea } : {}), ...(args.population !== undefined ? { population: args.population } : {}) },
      seed,
    };
    const redisUrl = args.redis ?? session.config.scale?.redis_url;
    if (args.backend === 'bullmq' && redisUrl === undefined) throw new UserError('--backend bullmq needs --redis URL or config scale.redis_url (and workers: edgelab worker --redis URL)', '--backend');
    const bullmq = args.backend === 'bullmq' ? { target: parseRedisUrl(redisUrl!, args.redis ? '--redis' : 'scale.redis_url'), sweep: `${session.id}-${digestOf({ dims, settings }).slice(0, 12)}`, onLog: (l: string) => io.log(l) } : undefined;
    if (args.backend === 'local' && args.redis !== undefined) throw new UserError('--redis needs --backend bullmq', '--redis');
    const expected = (settings.grid ? gridSize(dims) : 0) + settings.random + settings.ea.generations * settings.ea.population;
    const results: { result: TrialResult; phase: Phase }[] = [];
    let cachedCount = 0;
    const started = performance.now();
    // The live leaderboard pane (docs/shell.md): the best trials so far ride on every progress report.
    const live = new LiveBoardTracker({ kind: 'optimize', title: `optimize ${base.name}`, objective, params: dims.map((d) => d.path) });
    const outcome = await runSearch(
      dims,
      settings,
      async (points, phase, generation) => {
        const before = results.length;
        const got = await runTrials(
          session,
          { base, points, objective, workers: args.workers, store: !args.noStore, ...(bullmq ? { bullmq } : {}), ...(args.db !== undefined ? { db: args.db } : {}), force: args.force },
          {
            signal: io.signal,
            onProgress: (p) => {
              live.add(p.finished);
              const best = [...results.map((r) => r.result), ...(p.best ? [p.best] : [])].filter((r) => r.score !== null).sort((a, b) => b.score! - a.score!)[0];
              const secs = (performance.now() - started) / 1000;
              io.progress({
                label: `${phase}${phase === 'ea' ? ` gen ${generation}` : ''} · ${before + p.done}/${Math.max(expected, before + p.total)} trials${best ? ` · best ${objective} ${best.score!.toFixed(4)} ${pointText(best.point)}` : ''}`,
                fraction: Math.min(1, (before + p.done) / Math.max(expected, before + p.total)),
                ...(secs > 0.05 ? { rate: `${((before + p.done) / secs).toFixed(1)} trials/s` } : {}),
                board: live.board({ done: before + p.done, total: Math.max(expected, before + p.total), cached: cachedCount + p.cached, phase: `${phase}${phase === 'ea' ? ` gen ${generation}` : ''}` }),
              });
            },
          },
        );
        for (const r of got) {
          results.push({ result: r, phase });
          if (r.cached) cachedCount++;
        }
        return got.map((r) => r.score);
      },
      io.signal,
    );
    // The board's last state says what the log and the result say: every point asked, none left to run.
    const infeasibleCount = results.filter((r) => r.result.infeasible).length;
    io.progress({ label: `${results.length} trials`, fraction: 1, board: live.board({ done: results.length, total: results.length, cached: cachedCount, infeasible: infeasibleCount }) });
    const dataDigest = sessionDataDigest(session.datasets.values());
    const sweepId = `sw-${short(digestOf({ experiment: base.name, raw: base.raw, dims, settings, objective, data: dataDigest }))}`;
    const feasible = results.filter((r) => !r.result.infeasible);
    if (!args.noStore) {
      await writeSweep(resultsDbPath(session, args.db), {
        id: sweepId, experiment: base.name, objective, settings: { dims, ...settings }, seed, dataDigest,
        trials: feasible.map((r) => ({ key: r.result.key, phase: r.phase })),
      });
    }
    // Said through the log: how many were read back depends on what the database held before.
    io.log(`${cachedCount} of ${feasible.length} trials read back from the results database, ${feasible.length - cachedCount} computed`);
    const rows = results.map((r) => ({ ...r.result, phase: r.phase }));
    const best = outcome.best;
    const byPhase = (ph: Phase): number => results.filter((r) => r.phase === ph).length;
    const blocks: Block[] = [
      text(best ? `best ${objective} ${best.score!.toFixed(4)} at ${pointText(best.point)} (${best.phase})` : `no trial has a ${objective} value`, best ? 'good' : 'warn'),
      leaderboardBlock(rows, dims.map((d) => d.path), objective, args.rows),
      metrics(
        [
          { name: 'sweep', value: sweepId },
          { name: 'trials evaluated', value: results.length, unit: 'count' },
          { name: 'grid', value: byPhase('grid'), unit: 'count' },
          { name: 'random', value: byPhase('random'), unit: 'count' },
          { name: 'evolutionary', value: byPhase('ea'), unit: 'count' },
          { name: 'infeasible points', value: results.length - feasible.length, unit: 'count' },
          { name: 'seed', value: seed },
        ],
        'search',
      ),
    ];
    const withReturns = feasible.filter((r) => r.result.returns.length > 1 && r.result.score !== null);
    const bestResult = best ? withReturns.find((r) => r.result.point === best.point || pointText(r.result.point) === pointText(best.point)) : undefined;
    if (bestResult && withReturns.length > 0 && withReturns.every((r) => r.result.returns.length === bestResult.result.returns.length)) {
      blocks.push(...overfitBlocks(overfitReport({ selected: Float64Array.from(bestResult.result.returns), trials: withReturns.map((r) => Float64Array.from(r.result.returns)), signal: io.signal })));
    }
    return ok(`optimize ${base.name}`, blocks, best ? `optimize ${base.name}: best ${objective} ${best.score!.toFixed(4)} at ${pointText(best.point)} over ${results.length} trials (sweep ${sweepId})` : `optimize ${base.name}: no scored trial`);
  },
});
