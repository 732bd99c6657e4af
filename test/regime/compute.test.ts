import { describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/time.js';
import { computeRuleRegimes, ruleInputsFrom } from '../../src/regime/compute.js';
import { regimeCodesOnBars } from '../../src/regime/timeline.js';
import { regimeSection } from '../../src/config/sections/regime.js';
import { barsDataset, datasetMap, defaults, seriesDataset, shortConfig, T0 } from './fixtures.js';

const walk = (n: number, drift: number): number[] => Array.from({ length: n }, (_, i) => 100 * Math.exp(drift * i + 0.02 * Math.sin(i / 3)));

describe('computeRuleRegimes / ruleInputsFrom', () => {
  it('missing inputs leave their dimension neutral and say so (not an error)', () => {
    const cfg = shortConfig();
    const inputs = ruleInputsFrom(datasetMap(barsDataset('SPY:1d', walk(60, 0.002))), cfg);
    const tl = computeRuleRegimes(inputs, cfg);
    expect(tl.dimensions.equity.status).toBe('ok');
    expect(tl.dimensions.vol.status).toBe('ok');
    expect(tl.dimensions.crypto).toMatchObject({ status: 'missing', note: "no dataset or symbol 'BTCUSDT' with price bars" });
    expect(tl.dimensions.macro).toMatchObject({ status: 'missing', note: 'neither MACRO:pmi nor MACRO:curve_slope is loaded' });
    const last = tl.lookup(T0 + 100 * DAY);
    expect(last.crypto).toBe('RISK_OFF');
    expect(last.macro).toBe('EXPANSION');
    expect(last.equity).toBe('BULL');
  });

  it('an input named explicitly must exist: a clear message listing the symbols that do', () => {
    const ds = datasetMap(barsDataset('SPY:1d', walk(60, 0.002)), barsDataset('QQQ:1d', walk(60, 0.001)));
    expect(() => ruleInputsFrom(ds, shortConfig(), { equity: 'SPX' })).toThrow("--equity: no dataset or symbol 'SPX' with price bars; symbols with bars: QQQ, SPY");
    expect(() => ruleInputsFrom(new Map(), shortConfig(), { crypto: 'BTCUSDT' })).toThrow(/no bar datasets are loaded: try `ingest synthetic`/);
  });

  it('an explicit series dataset where bars are needed is rejected with the dataset name', () => {
    const ds = datasetMap(seriesDataset('MACRO:pmi', [0], [50]));
    expect(() => ruleInputsFrom(ds, shortConfig(), { equity: 'MACRO:pmi' })).toThrow('MACRO:pmi: is a series dataset; the regime engine needs price bars here');
  });

  it("vol.source 'implied' needs its dataset; 'auto' prefers it when loaded", () => {
    const spy = barsDataset('SPY:1d', walk(60, 0.002));
    const implied = regimeSection.parse({ vol: { source: 'implied' } });
    expect(() => ruleInputsFrom(datasetMap(spy), implied)).toThrow(/vol.source is 'implied' but none of MACRO:vix, VIX:1d is loaded/);
    const vix = seriesDataset('MACRO:vix', [T0 + 10 * DAY, T0 + 20 * DAY], [30, 12]);
    const tl = computeRuleRegimes(ruleInputsFrom(datasetMap(spy, vix), shortConfig()), shortConfig());
    expect(tl.dimensions.vol.sources).toEqual(['MACRO:vix']);
    expect(tl.lookup(T0 + 15 * DAY).vol).toBe('HIGH');
    expect(tl.lookup(T0 + 20 * DAY).vol).toBe('LOW');
  });

  it('prefers SPY:1d for daily closes, and resamples the finest bars when there is none', () => {
    const spy4h = barsDataset('SPY:4h', walk(120, 0.001), { interval: '4h', stepMs: 4 * 3600_000 });
    const inputs = ruleInputsFrom(datasetMap(spy4h), shortConfig());
    expect(inputs.equity?.source).toBe('SPY:4h');
    expect(inputs.equity?.close.length).toBe(20);
    const both = ruleInputsFrom(datasetMap(spy4h, barsDataset('SPY:1d', walk(60, 0.002))), shortConfig());
    expect(both.equity?.source).toBe('SPY:1d');
  });

  it('gives every bar the snapshot known at its open', () => {
    const tl = computeRuleRegimes(ruleInputsFrom(datasetMap(barsDataset('SPY:1d', walk(60, 0.002))), shortConfig()), shortConfig());
    const first = tl.dimensions.equity.firstKnown!;
    const bars = Float64Array.of(first - 1, first, first + 3600_000);
    const codes = regimeCodesOnBars(tl, bars);
    expect([...codes.equity]).toEqual([1, 2, 2]);
  });

  it('empty inputs give an empty timeline whose lookup is neutral', () => {
    const tl = computeRuleRegimes({}, defaults());
    expect(tl.ts.length).toBe(0);
    expect(tl.lookup(0)).toEqual({ equity: 'NEUTRAL', vol: 'NORMAL', crypto: 'RISK_OFF', macro: 'EXPANSION' });
  });
});
