import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { tableDigest, type Dataset } from '../../../src/core/table.js';
import {
  dailyRegimeAt,
  edgeEvents,
  encodeRuns,
  expandRuns,
  regimeAt,
  regimeCodes,
  requireTruth,
  truthOf,
  REGIME_NAMES,
} from '../../../src/data/synthetic/index.js';
import { byName, col, datasets } from './fixtures.js';

const all = datasets(42, { start: '2020-01-01', years: 1, equityStart: '2018-01-01' });

const plain: Dataset = (() => {
  const table = { length: 1, columns: { ts: new Float64Array([0]), value: new Float64Array([1]) } };
  return { name: 'MACRO:other', kind: 'series', stage: 'clean', source: 'file:x.csv', table, digest: tableDigest(table) };
})();

describe('ground truth in dataset.meta.truth', () => {
  it('truthOf returns the typed record for synthetic datasets and undefined otherwise', () => {
    for (const d of all) {
      const t = truthOf(d);
      expect(t, d.name).toBeDefined();
      expect(t!.version).toBe(1);
      expect(t!.seed).toBe(42);
      expect(t!.placebo).toBe(false);
      expect(t!.chain.states).toEqual([...REGIME_NAMES]);
    }
    expect(truthOf(plain)).toBeUndefined();
    expect(() => requireTruth(plain)).toThrow(UserError);
    expect(() => regimeCodes(plain)).toThrow(/no ground truth/);
  });

  it('is JSON-safe: a JSON round trip gives the same record', () => {
    for (const d of all) expect(JSON.parse(JSON.stringify(truthOf(d)))).toEqual(truthOf(d));
  });

  it('row labels agree with the daily path at each row’s UTC day (checked row by row)', () => {
    for (const name of ['ETHUSDT:15m', 'SPY:1d', 'QQQ:4h', 'MACRO:pmi', 'MACRO:curve_slope']) {
      const d = byName(all, name);
      const t = truthOf(d)!;
      expect(t.regimeRuns[0]![0]).toBe(0);
      const codes = expandRuns(t.regimeRuns, d.table.length);
      const ts = col(d, 'ts');
      let mismatches = 0;
      for (let i = 0; i < d.table.length; i++) {
        if (REGIME_NAMES[codes[i]!] !== dailyRegimeAt(t, ts[i]!)) mismatches++;
        if (i % 997 === 0) expect(regimeAt(t, i)).toBe(REGIME_NAMES[codes[i]!]);
      }
      expect(mismatches, name).toBe(0);
    }
  });

  it('funding rows carry the label of their settlement bar', () => {
    const f = byName(all, 'BTCUSDT:funding');
    const t = truthOf(f)!;
    const codes = expandRuns(t.regimeRuns, f.table.length);
    const ts = col(f, 'ts');
    for (let k = 0; k < f.table.length; k += 50) expect(REGIME_NAMES[codes[k]!]).toBe(dailyRegimeAt(t, ts[k]! - 900_000));
  });

  it('events decode to ascending rows inside the table, and edges list rule, horizon and size', () => {
    const d = byName(all, 'BTCUSDT:15m');
    const t = truthOf(d)!;
    expect(t.edges.map((e) => e.id)).toEqual(['funding_extreme_reversal', 'vol_compression_breakout', 'liquidation_exhaustion']);
    for (const e of t.edges) {
      expect(e.trigger.length).toBeGreaterThan(40);
      expect(e.horizonBars).toBeGreaterThan(0);
      expect(e.datasets).toContain('BTCUSDT:15m');
      const ev = edgeEvents(t, e.id);
      expect(ev.length).toBeGreaterThan(10);
      for (let k = 0; k < ev.length; k++) {
        expect(ev[k]!.row).toBeGreaterThanOrEqual(0);
        expect(ev[k]!.row).toBeLessThan(d.table.length);
        if (k > 0) expect(ev[k]!.row).toBeGreaterThan(ev[k - 1]!.row);
      }
    }
    // funding events sit on settlement bars only
    const ts = col(d, 'ts');
    for (const { row } of edgeEvents(t, 'funding_extreme_reversal')) expect((ts[row]! + 900_000) % (8 * 3_600_000)).toBe(0);
    expect(truthOf(byName(all, 'MACRO:pmi'))!.edges).toEqual([]);
  });
});

describe('run-length encoding of labels', () => {
  it('round-trips, including empty and single-run inputs', () => {
    const codes = Uint8Array.from([0, 0, 1, 1, 1, 3, 2, 2, 0]);
    const runs = encodeRuns(codes);
    expect(runs).toEqual([[0, 'bull'], [2, 'bear'], [5, 'crash'], [6, 'choppy'], [8, 'bull']]);
    expect(expandRuns(runs, codes.length)).toEqual(codes);
    expect(encodeRuns(new Uint8Array(0))).toEqual([]);
    expect(expandRuns([], 0)).toEqual(new Uint8Array(0));
    expect(expandRuns([[0, 'choppy']], 3)).toEqual(Uint8Array.from([2, 2, 2]));
  });
});
