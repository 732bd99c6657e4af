/**
 * The live leaderboard's top list (src/optimize/live-board.ts) against an independent ranking done
 * here with a plain sort of every trial: the board keeps only the best N, yet its list equals the
 * first N of the full sort, whatever the batches; ties keep arrival order, a trial reported twice
 * counts once, infeasible points are never ranked, and a minimised objective shows its own value.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LiveBoardTracker, type BoardInput } from '../../src/optimize/live-board.js';
import { walkForwardBoard } from '../../src/walkforward/live-board.js';
import type { FoldResult, WalkForwardEvaluator } from '../../src/walkforward/run.js';

const trial = (i: number, score: number | null, extra: Partial<BoardInput> = {}): BoardInput => ({
  key: `k${i}`,
  point: { 'backtest.models.sma_cross.parameters.fast': i, 'backtest.models.sma_cross.parameters.slow': 100 + i },
  score,
  metrics: { bps: score, sharpe: score === null ? null : score / 2, max_drawdown: 0.1 + i / 1000 },
  trades: i,
  cached: i % 2 === 0,
  ...extra,
});

describe('live leaderboard', () => {
  it('the top N equals the first N of a plain sort of every trial, in any batching', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }), { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (scores, batch) => {
        const trials = scores.map((s, i) => trial(i, s));
        const board = new LiveBoardTracker({ kind: 'optimize', title: 't', objective: 'bps', params: ['backtest.models.sma_cross.parameters.fast'], limit: 5 });
        for (let i = 0; i < trials.length; i += batch) board.add(trials.slice(i, i + batch));
        // Independent: scored before unscored, higher first, ties by arrival.
        const expected = trials
          .map((t, i) => ({ t, i }))
          .sort((a, b) => (a.t.score === null ? (b.t.score === null ? a.i - b.i : 1) : b.t.score === null ? -1 : b.t.score - a.t.score || a.i - b.i))
          .slice(0, 5)
          .map((x) => x.t.trades);
        const got = board.board({ done: trials.length, total: 60, cached: 0 });
        expect(got.top.map((r) => r.trades)).toEqual(expected);
        expect(got.top.map((r) => r.rank)).toEqual(expected.map((_, i) => i + 1));
        expect(got.evaluated).toBe(trials.length);
      }),
    );
  });

  it('short parameter names, raw metrics, duplicates once, infeasible left out', () => {
    const board = new LiveBoardTracker({ kind: 'optimize', title: 'optimize demo', objective: 'max_drawdown', params: ['backtest.models.sma_cross.parameters.fast', 'backtest.models.sma_cross.parameters.slow'] });
    // max_drawdown is minimised: the score is its negative, the board shows the drawdown itself
    board.add([trial(1, -0.2, { metrics: { max_drawdown: 0.2, sharpe: 1.1 } }), trial(2, -0.05, { metrics: { max_drawdown: 0.05, sharpe: 0.4 } })]);
    board.add([trial(2, -0.05, { metrics: { max_drawdown: 0.05, sharpe: 0.4 } }), trial(3, null, { key: '', infeasible: 'fast must be < slow' })]);
    const b = board.board({ done: 3, total: 3, cached: 1, phase: 'grid' });
    expect(b.params).toEqual(['fast', 'slow']);
    expect(b.top).toEqual([
      { rank: 1, params: { fast: 2, slow: 102 }, objective: 0.05, sharpe: 0.4, maxDrawdown: 0.05, trades: 2, cached: true },
      { rank: 2, params: { fast: 1, slow: 101 }, objective: 0.2, sharpe: 1.1, maxDrawdown: 0.2, trades: 1, cached: false },
    ]);
    expect(b.evaluated).toBe(3); // 1, 2 and the infeasible point; the repeated 2 once
    expect(b.folds).toBeUndefined();
  });

  it('walk-forward: folds as they finish; the top list is the fold in hand’s in-sample sweep only', async () => {
    const wf = walkForwardBoard({ title: 'walkforward sma_cross SPY 1d', objective: 'bps', params: ['fast', 'slow'] });
    const calls: string[] = [];
    const evaluator = wf.watch<WalkForwardEvaluator>({
      evaluate: async (points) => {
        calls.push('evaluate');
        return points.map(() => ({ score: 0, returns: new Float64Array(0), trades: 0 }));
      },
      test: async () => ({ score: 0, returns: new Float64Array(0), trades: 0, ts: new Float64Array(0), nav: new Float64Array(0), initialCapital: 1 }),
    });
    const progress = (finished: BoardInput[]): void => wf.onTrials({ done: finished.length, total: finished.length, cached: 0, finished: finished as never });
    wf.onFolds(2);
    await evaluator.evaluate([{ fast: 1 }], { start: 0, end: 1 }); // fold 1 training window
    progress([trial(1, 0.3), trial(2, 0.9)]);
    await evaluator.test({ fast: 2 }, { start: 1, end: 2 });
    await evaluator.evaluate([{ fast: 1 }], { start: 1, end: 2 }); // fold 1 all-points test matrix
    progress([trial(11, 5), trial(12, 6)]);
    expect(wf.board().top.map((r) => r.trades)).toEqual([2, 1]); // out-of-sample trials not ranked
    expect(wf.board().phase).toBe('fold 1/2 out of sample');
    const day = Date.UTC(2020, 0, 1);
    wf.onFold({ fold: { index: 0, train: { start: day, end: day + 86_400_000 * 365 }, test: { start: day + 86_400_000 * 366, end: day + 86_400_000 * 546 } }, chosen: { fast: 2, slow: 102 }, chosenIndex: 1, inSampleScore: 0.9, outOfSampleScore: Number.NaN, outOfSampleTrades: 3 } as unknown as FoldResult);
    await evaluator.evaluate([{ fast: 1 }], { start: 2, end: 3 }); // fold 2 training window: a fresh list
    progress([trial(21, 0.1)]);
    const b = wf.board();
    expect(b.top.map((r) => r.trades)).toEqual([21]);
    expect(b.folds).toEqual([{ fold: 1, train: '2020-01-01..2020-12-31', test: '2021-01-01..2021-06-30', chosen: { fast: 2, slow: 102 }, inSample: 0.9, outOfSample: null }]);
    expect(b.foldsTotal).toBe(2);
    expect(b.phase).toBe('fold 2/2 in sample');
    expect(b.evaluated).toBe(5);
    expect(calls).toEqual(['evaluate', 'evaluate', 'evaluate']);
  });
});
