/**
 * Histogram worker (a piscina thread): adds one chunk of a node's rows into its own partial
 * histogram. Every array is a view of a SharedArrayBuffer set up by pool.ts, so a task carries only
 * offsets; nothing is copied or allocated per node.
 */
import { accumulateHistogram, clearHistogram } from './histogram.js';

export interface HistTask {
  readonly bins: SharedArrayBuffer; readonly gh: SharedArrayBuffer; readonly rowIndex: SharedArrayBuffer;
  readonly active: SharedArrayBuffer; readonly partial: SharedArrayBuffer;
  readonly features: number; readonly start: number; readonly end: number; readonly activeCount: number;
  readonly unitHessian: boolean; readonly countsKnown: boolean;
}

export default function build(t: HistTask): number {
  const hist = new Float64Array(t.partial);
  const active = new Int32Array(t.active);
  clearHistogram(hist, active, t.activeCount);
  accumulateHistogram(new Uint32Array(t.bins), t.features, new Float64Array(t.gh), new Int32Array(t.rowIndex), t.start, t.end, active, t.activeCount, hist, t.unitHessian, t.countsKnown);
  return t.end - t.start;
}
