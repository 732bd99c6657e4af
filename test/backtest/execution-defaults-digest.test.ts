/**
 * Borrow fees and the participation cap are off by default, and off means the engine behaves as it
 * did before they existed: the digests below were recorded on commit 4d9625a (before either feature)
 * and must not move. The demo portfolio (configs/base.yaml, three models, regime budgets, risk
 * engine) runs on a synthetic market; sma_cross long/short runs on the fast path and on the event
 * engine. The config digest of configs/base.yaml is pinned too (new fields are optional, so a config
 * that does not set them parses to the same object). Since result digest scheme 2 the pinned
 * scheme-1 values are checked through test/helpers/reference-digest.ts, and the scheme-2 values are
 * pinned beside them; since scheme 3 the scheme-2 values are checked through the same helper, and
 * the scheme-3 values pinned beside them; since scheme 4 likewise the scheme-3 values.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, configDigest } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import type { Model } from '../../src/models/types.js';
import { portfolioPlan, singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { referenceReportDigest, referenceResultDigest, scheme2ReportDigest, scheme2ResultDigest, scheme3ReportDigest, scheme3ResultDigest } from '../helpers/reference-digest.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));

/** Result digests of scheme 1 (test/helpers/reference-digest.ts), as recorded on 4d9625a. */
const PINNED = {
  // base.yaml's digest as of 3ccc8ef (data.readiness.min_series_values added; the backtest section unchanged).
  config: 'd459aa5356e6de1dd07a45a5010d3c864240f8e87cba26f8b75f02dce01afb9e',
  portfolioResult: 'b5cb8f92b8970ac6265f58f9f5c76853d5077317a193b09a902e4bdd7ee4a8df',
  // The report digest holds the metrics. The demo portfolio's 4h clock is irregular, so its Sharpe,
  // Sortino, volatility, CAGR and PSR now come from daily calendar returns (metrics-daily-basis.test.ts
  // checks them against an independent computation); on 4d9625a it was b53f2c84dc5b…e59b7b. The result
  // digest is unchanged.
  portfolioReport: 'be4a2ca7e489ce6fa9d5c628badf5350935536b0f375ad6c54b5a43d17cb989c',
  smaResult: 'c174c85cfdb7f288ef55350a8d16a435fc6f04e3728f0da40e7fe6dfc99abe68',
  smaReport: '97aa036a6fe967feaad9da2df9051e38735af32104c27c9dc3113fd35a7bbedc',
};

/**
 * The same results under result digest scheme 2 (columns as bytes, docs/backtest-engine.md "Result
 * digest"). Each is pinned beside its scheme-1 value above, computed on the same result in the same
 * test (test/helpers/reference-digest.ts), so the pair is the fact behind the new value: the results
 * did not move, only the way they are hashed.
 */
const PINNED_SCHEME_2 = {
  portfolioResult: '093c88862a4c7e3d700f1ac43ad288277260daebfd0a8c96773bfca37fc4f234',
  portfolioReport: '2ebb6aa5d7550acf77310144a9fa3ac3ec53955eb11df126e71c84e74e3017f6',
  smaResult: '9720bb20de5ebd903a61e749f75f351608857047e4794dfa479bcf400a4a5d87',
  smaReport: 'd8fe16c0421b2e09e2b694d883a6bbb1b8f144d831ab733106cdac9ec51e42f9',
};

/**
 * The same results under result digest scheme 3 (derived series left out, the clock, mode and
 * breach counts as runs; docs/backtest-engine.md "Result digest"), pinned beside their scheme-1 and
 * scheme-2 values, which are computed on the same result in the same test: the results did not
 * move, only the way they are hashed.
 */
const PINNED_SCHEME_3 = {
  portfolioResult: '97939760cd71beb4cd8a3b098559dfd4a58b30cc9d4350836d702387e86bc7b4',
  portfolioReport: '44e42dde82b6d3c2878e2d000fc630c300bd3e37c05f0ecc6a0d0c6427dcd1e2',
  smaResult: 'f2f4db9bf5fa6e596dbfaa1cb8a857c22667f95ee96e5105580499839ebae216',
  smaReport: '5a322ae4109d54f66b663096d8d94309f131c60c0371cca4f7425eb234a04203',
};

/**
 * The same results under result digest scheme 4 (record columns in compact forms: a column of one
 * repeated value written once, a column of numbers as its float64s alone), pinned beside their
 * scheme-1, -2 and -3 values, which are computed on the same result in the same test: the results
 * did not move, only the way they are hashed.
 */
const PINNED_SCHEME_4 = {
  portfolioResult: 'dce592c6c756257e90c0514742dcda80a7306db55f5df9a90eed12bb5cd63edb',
  portfolioReport: 'eed75135afc672ab65005e2a0319578aa90ab8b4035f76f88665887b507ec804',
  smaResult: '83aed8087d4703fcc30fc1075210efa5c0648a2cb9dbf22ce853e3e40f7529d7',
  smaReport: '335a529730cc08cae006fe2f6aa9de24fb953829c27b825766939e3411cad0af',
};

describe('defaults leave every digest as before borrow fees and the participation cap', () => {
  it('configs/base.yaml parses to the same config digest', () => {
    expect(configDigest(config)).toBe(PINNED.config);
  });
  it('the demo portfolio: same result and report digests', async () => {
    const r = await runBacktestReport(portfolioPlan(config), data, { probes: false });
    expect(referenceResultDigest(r.result)).toBe(PINNED.portfolioResult);
    expect(referenceReportDigest(r)).toBe(PINNED.portfolioReport);
    expect(scheme2ResultDigest(r.result)).toBe(PINNED_SCHEME_2.portfolioResult);
    expect(scheme2ReportDigest(r)).toBe(PINNED_SCHEME_2.portfolioReport);
    expect(scheme3ResultDigest(r.result)).toBe(PINNED_SCHEME_3.portfolioResult);
    expect(scheme3ReportDigest(r)).toBe(PINNED_SCHEME_3.portfolioReport);
    expect(resultDigest(r.result)).toBe(PINNED_SCHEME_4.portfolioResult);
    expect(r.digest).toBe(PINNED_SCHEME_4.portfolioReport);
  }, 60_000);
  it('written out as off (borrow_bps_year: 0 on every cost key, max_participation: null): the same result digests', async () => {
    const bt = config.backtest;
    const off = {
      ...config,
      backtest: {
        ...bt,
        costs: Object.fromEntries(Object.entries(bt.costs).map(([k, c]) => [k, { ...c, borrow_bps_year: 0 }])),
        execution: { ...bt.execution, max_participation: null },
      },
    };
    const r = await runBacktestReport(portfolioPlan(off), data, { probes: false });
    expect(referenceResultDigest(r.result)).toBe(PINNED.portfolioResult);
    const plan = singleModelPlan(off, 'sma_cross', { params: { symbol: 'SPY', fast: 5, slow: 20, short: true }, interval: '1d' });
    const fast = await runBacktestReport(plan, data, { probes: false });
    expect(fast.engine.path).toBe('fast');
    expect(referenceResultDigest(fast.result)).toBe(PINNED.smaResult);
  }, 60_000);
  it('sma_cross long/short on SPY 1d: same digests on the fast path and on the event engine', async () => {
    const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'SPY', fast: 5, slow: 20, short: true }, interval: '1d' });
    const fast = await runBacktestReport(plan, data, { probes: false });
    const event = await runBacktestReport(plan, data, { probes: false, decorate: (m: Model): Model => m });
    expect(fast.engine.path).toBe('fast');
    expect(event.engine.path).toBe('event');
    for (const r of [fast, event]) {
      expect(referenceResultDigest(r.result)).toBe(PINNED.smaResult);
      expect(referenceReportDigest(r)).toBe(PINNED.smaReport);
      expect(scheme2ResultDigest(r.result)).toBe(PINNED_SCHEME_2.smaResult);
      expect(scheme2ReportDigest(r)).toBe(PINNED_SCHEME_2.smaReport);
      expect(scheme3ResultDigest(r.result)).toBe(PINNED_SCHEME_3.smaResult);
      expect(scheme3ReportDigest(r)).toBe(PINNED_SCHEME_3.smaReport);
      expect(resultDigest(r.result)).toBe(PINNED_SCHEME_4.smaResult);
      expect(r.digest).toBe(PINNED_SCHEME_4.smaReport);
    }
  }, 60_000);
});
