/**
 * A small random market for the point-in-time tests: SPY daily bars (known at 21:00 UTC), BTCUSDT
 * 15m bars, a monthly PMI and a daily curve slope, plus `perturbAfter` which changes every value
 * that is not yet known at a cut time.
 */
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import { DAY, HOUR, MINUTE } from '../../src/core/time.js';
import { availableAt } from '../../src/features/align.js';
import { barsDataset, seriesDataset, T0 } from './fixtures.js';

export function smallMarket(days: number, seed: number): Map<string, Dataset> {
  const rng = createRng(seed, 'test.regime.market');
  const spy: number[] = [100];
  for (let i = 1; i < days; i++) spy.push(spy[i - 1]! * Math.exp(0.012 * rng.normal() + 0.0003));
  const closeTs = spy.map((_, i) => T0 + i * DAY + 21 * HOUR);
  const btc: number[] = [];
  let p = 30000;
  for (let i = 0; i < days * 96; i++) {
    // slow regime-like drift so the trend rules flip a few times
    p *= Math.exp(0.004 * rng.normal() + 0.0004 * Math.sin(i / 2000));
    btc.push(p);
  }
  const pmiTs: number[] = [];
  const pmi: number[] = [];
  for (let m = 0; m * 30 < days; m++) {
    pmiTs.push(T0 + (m * 30 + 2) * DAY + 14 * HOUR);
    pmi.push(50 + 3 * rng.normal());
  }
  const curveTs: number[] = [];
  const curve: number[] = [];
  let y = 0.3;
  for (let d = 0; d < days; d++) {
    y += 0.08 * rng.normal();
    curveTs.push(T0 + d * DAY + 21 * HOUR);
    curve.push(y);
  }
  const list = [
    barsDataset('SPY:1d', spy, { closeTs }),
    barsDataset('BTCUSDT:15m', btc, { interval: '15m', stepMs: 15 * MINUTE, assetClass: 'crypto_perp' }),
    seriesDataset('MACRO:pmi', pmiTs, pmi),
    seriesDataset('MACRO:curve_slope', curveTs, curve),
  ];
  return new Map(list.map((d) => [d.name, d]));
}

/** Copy of the market with every row not yet known at `cut` changed (bars: close > cut; series: ts > cut). */
export function perturbAfter(market: Map<string, Dataset>, cut: number, seed: number): Map<string, Dataset> {
  const rng = createRng(seed, 'test.regime.perturb');
  const out = new Map<string, Dataset>();
  for (const [name, ds] of market) {
    const known = availableAt(ds);
    const columns: Record<string, Float64Array> = {};
    for (const [k, c] of Object.entries(ds.table.columns)) columns[k] = (c as Float64Array).slice();
    for (let i = 0; i < ds.table.length; i++) {
      if (known[i]! <= cut) continue;
      if (ds.kind === 'series') {
        columns['value']![i] = columns['value']![i]! + 5 * rng.normal();
      } else {
        const f = Math.exp(0.2 * rng.normal());
        for (const k of ['open', 'high', 'low', 'close']) columns[k]![i] = columns[k]![i]! * f;
      }
    }
    const table = { length: ds.table.length, columns };
    out.set(name, { ...ds, table, digest: tableDigest(table) });
  }
  return out;
}
