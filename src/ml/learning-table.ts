/**
 * The learning curve of a boosted-tree fit as result blocks (docs/ml.md, "Panes"): per model, a
 * series block with the train and validation loss of every round (pane 'learning'), and one table
 * of selected rounds — round 0 (the constant model), the quarters of the rounds trained, the round
 * the model keeps (early stopping's best validation round) and the last round trained. The table
 * is what a headless run prints and what replay checks; the TUI's learning pane reads the kept
 * round from it.
 */
import { table, type SeriesBlock, type TableBlock } from '../core/result.js';

/** The selected-rounds table's title (the learning pane finds it by this). */
export const LEARNING_TABLE_TITLE = "learning curve: selected rounds (kept = early stopping's pick)";
export const LEARNING_TABLE_COLUMNS = ['horizon', 'round', 'train loss', 'validation loss', 'note'] as const;
/** Notes in the table's last column. */
export const NOTE_KEPT = 'kept';
export const NOTE_EARLY_STOP = 'early stop';

export interface CurveOfModel {
  /** Horizon label ('1d'). */
  readonly label: string;
  /** Train and validation loss per round, round 0 = the constant model (train.ts's curve). */
  readonly curve: readonly { round: number; train: number; valid: number }[];
  /** The round the model keeps. */
  readonly kept: number;
  readonly stoppedEarly: boolean;
}

/** 6 significant digits: the table's loss cells (enough to compare curves, short enough for 80 columns). */
const sig = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);

export const learningSeriesTitle = (label: string): string => `learning curve ${label} (train vs validation loss per round)`;

/** The horizon label of a learning-curve series block's title, or undefined for another block. */
export function labelOfLearningTitle(title: string): string | undefined {
  return /^learning curve (\S+) \(/.exec(title)?.[1];
}

export function learningSeries(m: CurveOfModel): SeriesBlock {
  return {
    kind: 'series', title: learningSeriesTitle(m.label), x: m.curve.map((p) => p.round), xKind: 'index', pane: 'learning',
    series: [{ name: 'train', values: m.curve.map((p) => p.train) }, { name: 'validation', values: m.curve.map((p) => (Number.isFinite(p.valid) ? p.valid : null)) }],
  };
}

/** The rounds the table shows for one curve, ascending, each once. */
export function selectedRounds(lastRound: number, kept: number): number[] {
  const picks = [0, Math.round(lastRound / 4), Math.round(lastRound / 2), Math.round((3 * lastRound) / 4), kept, lastRound];
  return [...new Set(picks.filter((r) => r >= 0 && r <= lastRound))].sort((a, b) => a - b);
}

export function learningTable(models: readonly CurveOfModel[]): TableBlock {
  const rows = models.flatMap((m) => {
    const last = m.curve.length - 1;
    return selectedRounds(last, m.kept).map((r) => {
      const p = m.curve[r]!;
      const note = [r === 0 ? 'start' : '', r === m.kept ? NOTE_KEPT : '', r === last ? (m.stoppedEarly ? `last, ${NOTE_EARLY_STOP}` : 'last') : ''].filter(Boolean).join(', ');
      return [m.label, p.round, sig(p.train), sig(p.valid), note];
    });
  });
  return table([...LEARNING_TABLE_COLUMNS], rows, LEARNING_TABLE_TITLE);
}
