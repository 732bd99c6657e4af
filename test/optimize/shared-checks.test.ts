/**
 * The engine's checks of a backtest's bars (engine-data.ts: timestamps strictly ascending, prices
 * finite and positive, close_ts after ts and ascending) run once where the trial pool copies a
 * dataset into shared memory (pool.ts `sharedDataset`, `barsChecked`), and each worker takes the
 * bars as checked instead of a pass of its own (trial-worker.ts, `adoptCheckedBars`):
 *
 * - `barsPassChecks` answers true exactly where `prepareSymbol` does not throw, on random bars with
 *   bad rows of every kind (fast-check);
 * - `sharedDataset` says so only for bars that pass; adopted columns skip the pass (so adopting is
 *   only for columns known to pass); a prefix view of adopted columns passes too;
 * - a sweep on bars that fail gives the same error on the worker pool as in the job thread.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adoptCheckedBars, barsPassChecks, prepareSymbol } from '../../src/backtest/engine-data.js';
import type { EngineSymbol } from '../../src/backtest/types.js';
import { loadConfig } from '../../src/config/load.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { Session } from '../../src/shell/session.js';
import { experimentFromOverlay } from '../../src/optimize/experiment.js';
import { sharedDataset } from '../../src/optimize/pool.js';
import { runTrials } from '../../src/optimize/runner.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('optimize-shared-checks');
const HOUR = 3_600_000;

type Columns = Record<string, Float64Array>;

/** n hourly bars at 100, with close_ts when `withCloseTs`. */
function columns(n: number, withCloseTs: boolean): Columns {
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * HOUR);
  const cols: Columns = {
    ts,
    open: new Float64Array(n).fill(100),
    high: new Float64Array(n).fill(101),
    low: new Float64Array(n).fill(99),
    close: new Float64Array(n).fill(100),
    volume: new Float64Array(n).fill(1),
  };
  if (withCloseTs) cols['close_ts'] = ts.map((t) => t + HOUR);
  return cols;
}

const symbolOf = (cols: Columns, n: number): EngineSymbol => ({
  symbol: 'X', assetClass: 'crypto_perp', interval: '1h', bars: { length: n, columns: cols } as unknown as BarFrame, dataset: 'X:1h', digest: 'x',
});

const throws = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};

/** A bad row: which column, what value. */
const BAD_VALUES = [NaN, 0, -1, Infinity, -Infinity];

describe('the bars’ checks done once for the pool', () => {
  it('barsPassChecks answers true exactly where prepareSymbol does not throw (fast-check)', () => {
    const edit = fc.record({
      column: fc.constantFrom('ts', 'open', 'high', 'low', 'close', 'close_ts', 'volume'),
      row: fc.nat(),
      value: fc.constantFrom(...BAD_VALUES, 'repeat-previous', 'back-one'),
    });
    let failing = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.array(edit, { maxLength: 3 }), (n, withCloseTs, edits) => {
        // two copies of the same bars: one for each function (both record what passed)
        const make = (): Columns => {
          const cols = columns(n, withCloseTs);
          for (const e of edits) {
            const col = cols[e.column];
            if (!col) continue;
            const row = e.row % n;
            const v = e.value;
            col[row] = v === 'repeat-previous' ? col[Math.max(0, row - 1)]! : v === 'back-one' ? col[row]! - 2 * HOUR : (v as number);
          }
          return cols;
        };
        const passes = barsPassChecks(make(), n);
        expect(passes).toBe(!throws(() => prepareSymbol(symbolOf(make(), n))));
        if (!passes) failing++;
      }),
      { seed: 12, numRuns: 400 },
    );
    expect(failing).toBeGreaterThan(50);
  });

  it('sharedDataset says the bars passed only when they do; adopted columns are not checked again', () => {
    const dataset = (cols: Columns, name: string): Dataset => {
      const table = { length: cols['ts']!.length, columns: cols } as unknown as BarFrame;
      return { name, kind: 'bars', stage: 'clean', symbol: 'X', interval: '1h', assetClass: 'crypto_perp', source: 'test', table, digest: tableDigest(table) };
    };
    expect(sharedDataset(dataset(columns(50, false), 'good:1h')).barsChecked).toBe(true);
    const bad = columns(50, false);
    bad['low']![30] = -1;
    expect(sharedDataset(dataset(bad, 'bad:1h')).barsChecked).toBeUndefined();
    // adopting skips the pass: it is for columns known to pass (here, deliberately, bad ones)
    const adopted = columns(50, false);
    adopted['low']![30] = -1;
    const copy = Object.fromEntries(Object.entries(adopted).map(([k, c]) => [k, c.slice()]));
    expect(() => prepareSymbol(symbolOf(copy, 50))).toThrow(/non-positive \(-1\) low/);
    adoptCheckedBars(adopted, 50);
    expect(() => prepareSymbol(symbolOf(adopted, 50))).not.toThrow();
    // so is a prefix view of them (how the probes truncate datasets)
    const view = Object.fromEntries(Object.entries(adopted).map(([k, c]) => [k, c.subarray(0, 40)]));
    expect(prepareSymbol(symbolOf(view, 40)).n).toBe(40);
  });

  const built = existsSync(join(root, 'dist/src/optimize/trial-worker.js'));
  it.skipIf(!built)('a sweep on bars that fail the checks gives the same error on the worker pool as in the job thread', async () => {
    const n = 3000;
    const cols = columns(n, false);
    for (let i = 0; i < n; i++) {
      const c = 100 * Math.exp(0.01 * Math.sin(i / 37) + 0.004 * Math.sin(i / 5));
      cols['open']![i] = cols['close']![i] = c;
      cols['high']![i] = c * 1.001;
      cols['low']![i] = c * 0.999;
    }
    cols['high']![2100] = NaN;
    const table = { length: n, columns: cols } as unknown as BarFrame;
    const data: Dataset = { name: 'CHK:1h', kind: 'bars', stage: 'clean', symbol: 'CHK', interval: '1h', assetClass: 'crypto_perp', source: 'test', table, digest: tableDigest(table) };
    const base = loadConfig(join(root, 'configs/base.yaml')).config;
    const withChk = { ...base, backtest: { ...base.backtest, universe: { CHK: { asset_class: 'crypto_perp' as const } } } };
    const experiment = experimentFromOverlay('t', { optimize: { model: 'sma_cross', interval: '1h' } }, withChk, 'test');
    const P = 'backtest.models.sma_cross.parameters.';
    const points = [{ [`${P}fast`]: 5, [`${P}slow`]: 20, [`${P}symbol`]: 'CHK' }, { [`${P}fast`]: 8, [`${P}slow`]: 30, [`${P}symbol`]: 'CHK' }];
    const error = async (workers: number): Promise<string> => {
      const session = new Session({ root, cwd: tmp.dir });
      session.addDataset(data);
      try {
        await runTrials(session, { base: experiment, points, workers, store: false });
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const inline = await error(0);
    expect(inline).toMatch(/a NaN high/);
    expect(await error(2)).toBe(inline);
  });
});
