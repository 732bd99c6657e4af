/**
 * What may cross to a job's worker: plain data survives structured clone unchanged; functions and
 * class instances do not (a class instance arrives without its methods), so they stay behind.
 */
import { describe, expect, it } from 'vitest';
import { isPlainData, snapshotOf, changesSince, markOf, applyChanges } from '../../../src/shell/jobs/snapshot.js';
import { Session } from '../../../src/shell/session.js';
import { tableDigest, type Dataset } from '../../../src/core/table.js';

class Timeline {
  lookup(t: number): number {
    return t;
  }
}

const bars = (name: string, closes: number[]): Dataset => {
  const table = { length: closes.length, columns: { ts: Float64Array.from(closes, (_, i) => i * 86_400_000), close: Float64Array.from(closes) } };
  return { name, kind: 'bars', stage: 'clean', source: 'test', table, digest: tableDigest(table) };
};

describe('isPlainData', () => {
  it.each([
    ['numbers and strings', { a: 1, b: 'x', c: [1, 2, { d: null }] }, true],
    ['typed arrays, maps, sets, dates', { f: new Float64Array(3), m: new Map([['k', [1]]]), s: new Set([1]), d: new Date(0) }, true],
    ['a function deep inside', { a: [{ b: { lookup: (t: number) => t } }] }, false],
    ['a class instance', { timeline: new Timeline() }, false],
    ['a map holding a class instance', new Map([['k', new Timeline()]]), false],
  ])('%s', (_name, value, plain) => {
    expect(isPlainData(value)).toBe(plain);
    // The independent fact: what structured clone does to it (toStrictEqual compares classes too).
    let survives: boolean;
    try {
      const copy = structuredClone(value) as unknown;
      survives = true;
      try {
        expect(copy).toStrictEqual(value);
      } catch {
        survives = false;
      }
    } catch {
      survives = false;
    }
    expect(survives).toBe(plain);
  });
});

describe('snapshot and changes', () => {
  it('a snapshot leaves out what cannot cross; changes carry only what the job changed', () => {
    const session = new Session({ config: new Session().config, seed: 7 });
    session.addDataset(bars('A:1d', [1, 2, 3]));
    session.addDataset(bars('B:1d', [4, 5]));
    session.state.set('plain', { x: 1 });
    session.state.set('regime', { timeline: new Timeline() });
    const snap = snapshotOf(session);
    expect(snap.state.map(([k]) => k)).toEqual(['plain']);
    expect(snap.datasets.map((d) => d.name)).toEqual(['A:1d', 'B:1d']);

    // A "job": replaces B, adds C, drops A, sets a plain and a non-plain result.
    const mark = markOf(session);
    const copy = new Session({ config: session.config, seed: 7 });
    for (const ds of snap.datasets) copy.addDataset(ds);
    const job = { session: copy };
    job.session.addDataset(bars('B:1d', [4, 6]));
    job.session.addDataset(bars('C:1d', [9]));
    job.session.datasets.delete('A:1d');
    job.session.state.set('backtest', { nav: Float64Array.of(1, 2) });
    job.session.state.set('regime', { timeline: new Timeline() });
    const changes = changesSince(job.session, { ...mark, state: new Map(), digests: mark.digests });
    expect(changes.datasets.map((d) => d.name)).toEqual(['B:1d', 'C:1d']);
    expect(changes.removedDatasets).toEqual(['A:1d']);
    expect(changes.state.map(([k]) => k)).toEqual(['backtest']);

    const changed = applyChanges(session, changes);
    expect(Object.keys(changed)).toEqual(['B:1d', 'C:1d']);
    expect([...session.datasets.keys()]).toEqual(['B:1d', 'C:1d']);
    expect(session.datasets.get('B:1d')!.table.columns['close']).toEqual(Float64Array.of(4, 6));
    // The live session keeps its own (working) regime result.
    expect((session.state.get('regime') as { timeline: Timeline }).timeline.lookup(3)).toBe(3);
  });
});
