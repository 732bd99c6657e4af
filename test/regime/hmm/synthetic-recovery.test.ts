/**
 * Must-show 3: on the synthetic demo data (the generator of `ingest synthetic`, session seed 42),
 * the HMM's filtered states recover the planted regimes clearly better than chance. Chance is the
 * best constant guess: always answering the most frequent planted regime. The confusion matrix is
 * printed (rows = planted regime, columns = filtered HMM label).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { generateSyntheticMarket, toDatasets, truthOf } from '../../../src/data/synthetic/index.js';
import { regimeSection } from '../../../src/config/sections/regime.js';
import { dailySeries } from '../../../src/regime/daily.js';
import { hmmObservations } from '../../../src/regime/hmm/observations.js';
import { runHmm } from '../../../src/regime/hmm/walk-forward.js';
import { hmmConfusion } from '../../../src/regime/report.js';
import type { Confusion } from '../../../src/regime/hmm/confusion.js';

function recover(seed: number): Confusion {
  const market = generateSyntheticMarket({ seed, symbols: ['BTCUSDT'] }, (stream) => createRng(seed, stream));
  const btc = toDatasets(market).find((d) => d.name === 'BTCUSDT:15m')!;
  const cfg = regimeSection.parse({}).hmm; // the shipped defaults (configs/base.yaml)
  const h = runHmm(hmmObservations(dailySeries(btc), cfg), cfg, { seed });
  return hmmConfusion(h, truthOf(btc)!);
}

function print(seed: number, c: Confusion): void {
  const w = 8;
  const lines = [
    `HMM on synthetic BTCUSDT (seed ${seed}), ${c.n} days: planted (rows) × filtered (columns)`,
    ['', ...c.classes].map((s) => s.padStart(w)).join(''),
    ...c.classes.map((name, a) => [name, ...c.matrix[a]!.map(String)].map((s) => s.padStart(w)).join('')),
    `accuracy ${(c.accuracy * 100).toFixed(1)}% · chance ${(c.chance * 100).toFixed(1)}% (always ${c.chanceLabel})`,
  ];
  console.log(lines.join('\n'));
}

describe('HMM recovery of the planted synthetic regimes', () => {
  it('demo data (seed 42): filtered-state accuracy beats the best constant guess by more than 20 points', () => {
    const c = recover(42);
    print(42, c);
    expect(c.n).toBeGreaterThan(1000);
    expect(c.accuracy).toBeGreaterThan(c.chance + 0.2);
    // crash, choppy and bull days are each recognised more often than not (bear is partly taken for bull)
    const recall = (i: number) => c.matrix[i]![i]! / c.matrix[i]!.reduce((s, v) => s + v, 0);
    expect(recall(c.classes.indexOf('crash'))).toBeGreaterThan(0.5);
    expect(recall(c.classes.indexOf('choppy'))).toBeGreaterThan(0.5);
    expect(recall(c.classes.indexOf('bull'))).toBeGreaterThan(0.5);
  });

  it('five other seeds: every one above chance, and more than 12 points above it on average', () => {
    // Seed 3 is the weak case: its likelihood-best fit names the calm state "bull" because that
    // state's realised mean return is higher there (labels by mean cannot always tell bull from choppy).
    const margins: number[] = [];
    for (const seed of [7, 3, 11, 5, 9]) {
      const c = recover(seed);
      print(seed, c);
      expect(c.accuracy, `seed ${seed}`).toBeGreaterThan(c.chance);
      margins.push(c.accuracy - c.chance);
    }
    const mean = margins.reduce((a, b) => a + b, 0) / margins.length;
    console.log(`margins over chance: ${margins.map((m) => (m * 100).toFixed(1)).join(', ')} points; mean ${(mean * 100).toFixed(1)}`);
    expect(mean).toBeGreaterThan(0.12);
  });
});
