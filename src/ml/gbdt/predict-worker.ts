/**
 * Prediction worker (a piscina thread): scores one range of rows with the flattened forest
 * (forest.ts). The forest's arrays, the feature matrix and the output live in SharedArrayBuffers set
 * up by predict-pool.ts, so a task carries only views' buffers and the row range.
 */
import { addForestScores, type FlatForest } from './forest.js';
import type { Tree } from './tree.js';

export interface PredictTask {
  readonly features: number; readonly outputs: number; readonly trees: number;
  readonly depth: SharedArrayBuffer; readonly splitOffset: SharedArrayBuffer; readonly leafOffset: SharedArrayBuffer;
  readonly column: SharedArrayBuffer; readonly threshold: SharedArrayBuffer; readonly missingRight: SharedArrayBuffer; readonly leafValue: SharedArrayBuffer;
  readonly deep: ReadonlyArray<readonly [number, Tree]>;
  readonly x: SharedArrayBuffer; readonly out: SharedArrayBuffer; readonly rows: number; readonly fromRow: number; readonly toRow: number;
}

export function forestOfTask(t: PredictTask): FlatForest {
  return {
    features: t.features, outputs: t.outputs, trees: t.trees,
    depth: new Int32Array(t.depth), splitOffset: new Int32Array(t.splitOffset), leafOffset: new Int32Array(t.leafOffset),
    column: new Int32Array(t.column), threshold: new Float64Array(t.threshold), missingRight: new Uint8Array(t.missingRight), leafValue: new Float64Array(t.leafValue),
    deep: new Map(t.deep),
  };
}

export default function score(t: PredictTask): number {
  addForestScores(forestOfTask(t), new Float64Array(t.x), t.rows, new Float64Array(t.out), t.fromRow, t.toRow);
  return t.toRow - t.fromRow;
}
