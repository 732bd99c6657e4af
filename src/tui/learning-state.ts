/**
 * What the learning pane shows, read from a result's blocks: each learning-curve series block
 * (pane 'learning', one per model a fit trained) becomes a curve, with the round the model keeps
 * and whether training stopped early taken from the same result's selected-rounds table
 * (src/ml/learning-table.ts). The values are the block's, untouched: the losses train.ts recorded.
 */
import type { SeriesBlock, TableBlock } from '../core/result.js';
import { LEARNING_TABLE_TITLE, NOTE_EARLY_STOP, NOTE_KEPT, labelOfLearningTitle } from '../ml/learning-table.js';
import { curvePlot, formatLoss, type LearningCurve } from './learning-chart.js';

export interface LearningPaneState {
  /** The line that produced them. */
  readonly source: string;
  readonly curves: readonly LearningCurve[];
}

/** The learning curves among a result's series blocks, in result order ([] when none). */
export function learningCurvesOf(series: readonly SeriesBlock[], tables: readonly TableBlock[]): LearningCurve[] {
  const stops = tables.find((t) => t.title === LEARNING_TABLE_TITLE);
  const col = (name: string): number => stops?.columns.indexOf(name) ?? -1;
  const [horizon, round, note] = [col('horizon'), col('round'), col('note')];
  return series
    .filter((b) => b.pane === 'learning')
    .map((b) => {
      const label = labelOfLearningTitle(b.title) ?? b.title;
      const rows = stops && horizon >= 0 && round >= 0 && note >= 0 ? stops.rows.filter((r) => r[horizon] === label) : [];
      const keptRow = rows.find((r) => String(r[note]).split(', ').includes(NOTE_KEPT));
      const stopped = rows.some((r) => String(r[note]).includes(NOTE_EARLY_STOP));
      const train = b.series.find((s) => s.name === 'train')?.values ?? b.series[0]?.values ?? [];
      const valid = b.series.find((s) => s.name === 'validation')?.values ?? [];
      return {
        label, rounds: b.x, train: train.map((v) => (v === null ? NaN : v)), valid,
        ...(keptRow ? { kept: Number(keptRow[round]) } : {}), stoppedEarly: stopped,
      };
    });
}

/**
 * A learning-curve series block as plain text for headless runs and transcripts' readers: its
 * title, the legend, and the chart (light lines train, double lines validation) in at most 80
 * columns. The kept round is in the result's selected-rounds table, printed after it.
 */
export function learningBlockText(b: SeriesBlock, width: number): string {
  const [curve] = learningCurvesOf([b], []);
  if (!curve) return b.title;
  const chart = curvePlot(curve, Math.min(width, 80), 12);
  return [`${b.title}: ─ train (last ${formatLoss(curve.train[curve.train.length - 1])}) · ═ validation (last ${formatLoss(curve.valid[curve.valid.length - 1])})`, ...chart].join('\n');
}
