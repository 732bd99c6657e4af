/**
 * The spot twin (`ingest synthetic --spot`): its own random streams leave every other dataset's
 * bytes and digest unchanged; it is deterministic; its bars are consistent OHLC; and discovery
 * finds its planted desync edge (spot against the gap, 16 bars, 20 bp) with a CI covering the size,
 * while the placebo run's twin carries none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { tableDigest } from '../../../src/core/table.js';
import { generateSyntheticMarket, toDatasets } from '../../../src/data/synthetic/index.js';
import { spotDatasets, SPOT_DESYNC } from '../../../src/data/synthetic/spot.js';
import { createShell } from '../../../src/shell/runtime.js';
import { configSchema } from '../../../src/config/schema.js';
import { listCandidates } from '../../../src/store/ledger.js';

const seed = 42;
const opts = { seed, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'SPY'], years: 2 };
const dir = mkdtempSync(join(tmpdir(), 'edgelab-spot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spot twin', () => {
  it('every existing dataset keeps its digest (shell ingest with and without --spot)', async () => {
    const config = configSchema.parse({ synthetic: { symbols: opts.symbols, years: opts.years } });
    const plain = await createShell({ config, seed });
    const twin = await createShell({ config, seed });
    expect((await plain.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
    const r = (await twin.dispatcher.execute('ingest synthetic --spot')).result;
    expect(r.summary).toMatch(/3 spot twins/);
    for (const [name, ds] of plain.session.datasets) {
      expect(twin.session.datasets.get(name)!.digest, name).toBe(ds.digest);
      expect(tableDigest(twin.session.datasets.get(name)!.table), name).toBe(ds.digest);
    }
    const extra = [...twin.session.datasets.keys()].filter((k) => !plain.session.datasets.has(k));
    expect(extra).toEqual(['BTCUSDT-SPOT:15m', 'ETHUSDT-SPOT:15m', 'SOLUSDT-SPOT:15m']);
  }, 120_000);

  it('deterministic, consistent OHLC, a small basis, and events recorded', () => {
    const market = generateSyntheticMarket(opts, (s) => createRng(seed, s));
    const a = spotDatasets(market, (s) => createRng(seed, s));
    const b = spotDatasets(market, (s) => createRng(seed, s));
    expect(a.map((d) => d.digest)).toEqual(b.map((d) => d.digest));
    const perp = toDatasets(market).find((d) => d.name === 'BTCUSDT:15m')!;
    const spot = a[0]!;
    const col = (n: string, d = spot) => d.table.columns[n] as Float64Array;
    let maxGap = 0;
    for (let t = 0; t < spot.table.length; t++) {
      expect(col('high')[t]).toBeGreaterThanOrEqual(Math.max(col('open')[t]!, col('close')[t]!));
      expect(col('low')[t]).toBeLessThanOrEqual(Math.min(col('open')[t]!, col('close')[t]!));
      if (t > 0) expect(col('open')[t]).toBe(col('close')[t - 1]);
      maxGap = Math.max(maxGap, Math.abs(Math.log(col('close')[t]! / col('close', perp)[t]!)));
    }
    expect(maxGap).toBeGreaterThan(0.003);
    expect(maxGap).toBeLessThan(0.2);
    const desync = spot.meta!['desync'] as { events: number[]; size_bps: number };
    expect(desync.size_bps).toBe(SPOT_DESYNC.size_bps);
    expect(desync.events.length).toBeGreaterThan(50);
  });

  it.each([false, true])('discover on the twins, placebo %s: the desync edge found, or nothing', async (placebo) => {
    const db = join(dir, `spot-${placebo}.duckdb`);
    const config = configSchema.parse({ session: { results_db: db }, synthetic: { symbols: opts.symbols, years: opts.years } });
    const shell = await createShell({ config, seed });
    expect((await shell.dispatcher.execute(`ingest synthetic --spot${placebo ? ' --placebo' : ''}`)).result.status).toBe('ok');
    const r = (await shell.dispatcher.execute('discover cross_venue_desync --horizons 16')).result;
    expect(r.status, r.summary).toBe('ok');
    const c = (await listCandidates(db)).find((x) => x.grp === 'crypto_spot 15m' && x.condition === 'all' && x.action === 'against' && x.horizon === 16);
    if (placebo) {
      expect(c).toBeUndefined();
      return;
    }
    expect(c, r.summary).toBeDefined();
    expect(c!.ci_lo_bps).toBeLessThanOrEqual(SPOT_DESYNC.size_bps);
    expect(c!.ci_hi_bps).toBeGreaterThanOrEqual(SPOT_DESYNC.size_bps);
    expect(c!.mean_bps).toBeGreaterThan(0);
  }, 180_000);
});
