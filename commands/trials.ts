import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { resultsDbPath } from '../src/store/path.js';
import { listSweeps, loadSweep } from '../src/optimize/store.js';
import { checkObjective, scoreOf } from '../src/optimize/objective.js';
import { leaderboardBlock, pointText, rankRows } from '../src/optimize/leaderboard.js';

export default defineCommand({
  name: 'trials',
  summary: 'the leaderboard of an optimisation sweep (no argument: every recorded sweep)',
  job: true,
  usage: '[SWEEP] [--objective METRIC] [--rows N]',
  positional: ['sweep'],
  schema: z.object({
    sweep: z.string().optional().describe('a sweep id (or its start, e.g. sw-1a2b) or an experiment name (its latest sweep)'),
    objective: z.string().optional().describe("rank by this metric instead of the sweep's objective"),
    rows: z.coerce.number().int().min(1).max(10_000).default(20).describe('leaderboard rows to show'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { db: 'path' },
  examples: ['trials', 'trials demo', 'trials sw-1a2b3c --objective sharpe --rows 5'],
  async run(session, args, io) {
    const path = resultsDbPath(session, args.db);
    io.progress({ label: 'reading sweeps' });
    if (args.sweep === undefined) {
      const sweeps = await listSweeps(path);
      if (!sweeps.length) return ok('trials', [text('no sweeps recorded yet (run `optimize`)')]);
      return ok('trials', [table(['sweep', 'experiment', 'objective', 'trials'], sweeps.map((s) => [s.id, s.experiment, s.objective, s.trials]), 'sweeps (newest first)')], `${sweeps.length} sweeps`);
    }
    const { sweep, trials } = await loadSweep(path, args.sweep);
    const objective = checkObjective(args.objective ?? sweep.objective);
    const rows = trials.map((t) => ({ ...t, score: scoreOf(t.metrics, objective) }));
    const paths = [...new Set(trials.flatMap((t) => Object.keys(t.point)))];
    const best = rankRows(rows)[0];
    return ok(
      `trials ${sweep.id}`,
      [
        text(`sweep ${sweep.id} (${sweep.experiment}), ${trials.length} trials, ranked by ${objective}${best && best.score !== null ? `; best ${best.score.toFixed(4)} at ${pointText(best.point)}` : ''}`),
        leaderboardBlock(rows, paths, objective, args.rows),
      ],
      best && best.score !== null ? `best ${objective} ${best.score.toFixed(4)} at ${pointText(best.point)}` : `sweep ${sweep.id}`,
    );
  },
});
