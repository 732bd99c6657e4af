/**
 * Agreement between planted (true) regime labels and predicted labels: the confusion matrix
 * (rows = truth, columns = prediction, both in `classes` order), accuracy = share of rows where the
 * labels are equal, and the chance level = the accuracy of the best constant guess (the share of
 * the most frequent true label). Rows whose truth or prediction is not in `classes` are skipped.
 */
export interface Confusion {
  readonly classes: readonly string[];
  readonly matrix: readonly (readonly number[])[];
  readonly n: number;
  readonly accuracy: number;
  readonly chance: number;
  readonly chanceLabel: string;
}

export function confusionMatrix(truth: readonly string[], predicted: readonly string[], classes: readonly string[]): Confusion {
  const k = classes.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  let hit = 0;
  const len = Math.min(truth.length, predicted.length);
  for (let i = 0; i < len; i++) {
    const a = classes.indexOf(truth[i]!);
    const b = classes.indexOf(predicted[i]!);
    if (a < 0 || b < 0) continue;
    matrix[a]![b]!++;
    n++;
    if (a === b) hit++;
  }
  let best = 0;
  for (let a = 1; a < k; a++) if (rowSum(matrix[a]!) > rowSum(matrix[best]!)) best = a;
  return {
    classes,
    matrix,
    n,
    accuracy: n ? hit / n : NaN,
    chance: n ? rowSum(matrix[best]!) / n : NaN,
    chanceLabel: classes[best] ?? '',
  };
}

const rowSum = (r: readonly number[]): number => r.reduce((s, v) => s + v, 0);
