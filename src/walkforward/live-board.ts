/**
 * The live leaderboard of a walk-forward (src/shell/live-board.ts): the folds as they finish
 * (windows, chosen parameters, in-sample and out-of-sample score as the fold table shows them) and
 * the top trials of the fold in hand's in-sample sweep.
 *
 * Which sweep is in-sample is read from the order run.ts calls the evaluator in for each fold: the
 * first `evaluate` is the training window, then come the validation slice, the test run and the
 * all-points test matrix (for PBO). So the evaluator is wrapped, not changed: `watch(evaluator)`
 * notes the first call of each fold, and `onTrials` ranks only that sweep's trials (the others
 * still count towards trials/s).
 */
import { shortUtc } from '../core/time.js';
import type { LiveBoard } from '../shell/live-board.js';
import type { TrialProgress } from '../optimize/runner.js';
import { LiveBoardTracker, shortParams } from '../optimize/live-board.js';
import type { FoldResult, WalkForwardEvaluator } from './run.js';

const day = (t: number): string => shortUtc(t, true).slice(0, 10);
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface WalkForwardBoard {
  /** The evaluator to hand to runWalkForward (the same calls, in-sample sweeps noted). */
  watch<E extends WalkForwardEvaluator>(evaluator: E): E;
  /** Feed every sweep's trial progress here (trialEvaluator's onTrials). */
  onTrials(p: TrialProgress): void;
  onFolds(total: number): void;
  onFold(f: FoldResult): void;
  board(): LiveBoard;
}

export function walkForwardBoard(o: { readonly title: string; readonly objective: string; readonly params: readonly string[] }): WalkForwardBoard {
  const tracker = new LiveBoardTracker({ kind: 'walkforward', ...o });
  let foldsTotal: number | undefined;
  let foldsDone = 0;
  let callsInFold = 0;
  let inSample = false;
  let sweep = { done: 0, total: 0, cached: 0 };
  return {
    watch(evaluator) {
      return {
        ...evaluator,
        evaluate(points, window, signal) {
          inSample = callsInFold++ === 0;
          if (inSample) tracker.clearTop();
          return evaluator.evaluate(points, window, signal);
        },
        test(point, window, signal) {
          inSample = false;
          return evaluator.test(point, window, signal);
        },
      };
    },
    onTrials(p) {
      tracker.add(p.finished, { rank: inSample });
      sweep = { done: p.done, total: p.total, cached: p.cached };
    },
    onFolds(total) {
      foldsTotal = total;
    },
    onFold(f) {
      callsInFold = 0;
      foldsDone = f.fold.index + 1;
      tracker.addFold({
        fold: f.fold.index + 1,
        train: `${day(f.fold.train.start)}..${day(f.fold.train.end)}`,
        test: `${day(f.fold.test.start)}..${day(f.fold.test.end)}`,
        chosen: shortParams(f.chosen),
        inSample: finiteOrNull(f.inSampleScore),
        outOfSample: finiteOrNull(f.outOfSampleScore),
      });
    },
    board() {
      const phase = foldsTotal === undefined ? 'reading bar times' : foldsDone >= foldsTotal ? 'bias probes' : `fold ${foldsDone + 1}/${foldsTotal}${inSample ? ' in sample' : ' out of sample'}`;
      return tracker.board({ ...sweep, phase, ...(foldsTotal !== undefined ? { foldsTotal } : {}) });
    },
  };
}
