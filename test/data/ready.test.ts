import { describe, expect, it } from 'vitest';
import { assertReady } from '../../src/data/ready.js';
import type { Dataset, ReadinessGate } from '../../src/core/table.js';

const table = { length: 1, columns: { ts: Float64Array.of(0) } };
const ds = (stage: Dataset['stage'], gate?: ReadinessGate): Dataset => ({
  name: stage === 'raw' ? 'raw:ABC:1d' : 'ABC:1d',
  kind: 'bars',
  stage,
  source: 'test',
  table,
  digest: 'd',
  ...(gate ? { gate } : {}),
});
const failing: ReadinessGate = {
  pass: false,
  facts: {},
  gates: [
    { name: 'coverage', value: 0.8, threshold: '≥ 0.95', pass: false },
    { name: 'rows', value: 300, threshold: '≥ 30', pass: true },
    { name: 'gaps', value: 31, threshold: '≤ 20', pass: false },
  ],
};

describe('assertReady', () => {
  it('lets a passed gate, an ungated derived dataset and --force through', () => {
    expect(() => assertReady(ds('clean', { ...failing, pass: true }), false)).not.toThrow();
    expect(() => assertReady(ds('derived'), false)).not.toThrow();
    expect(() => assertReady(ds('clean', failing), true)).not.toThrow();
    expect(() => assertReady(ds('raw'), true)).not.toThrow();
  });
  it('refuses a failed gate, naming every failed gate and its threshold', () => {
    expect(() => assertReady(ds('clean', failing), false)).toThrow(
      'ABC:1d: readiness gate failed: coverage 0.8 (needs ≥ 0.95), gaps 31 (needs ≤ 20); fix the data or pass --force',
    );
  });
  it('refuses raw data that was never cleaned', () => {
    expect(() => assertReady(ds('raw'), false)).toThrow('raw:ABC:1d: is raw data that has not been cleaned: run `clean raw:ABC:1d` first, or pass --force');
  });
});
