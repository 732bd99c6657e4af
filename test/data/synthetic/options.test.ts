import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { syntheticSection } from '../../../src/config/sections/synthetic.js';
import { addYears, resolveOptions, syntheticParams } from '../../../src/data/synthetic/index.js';
import { datasets } from './fixtures.js';

describe('synthetic options', () => {
  it('defaults: 2019-01-01 + 3 calendar years of crypto, ETFs and macro from 2010-01-01, all 7 symbols, edges on', () => {
    const o = resolveOptions({});
    expect(o.startMs).toBe(Date.UTC(2019, 0, 1));
    expect(o.endMs).toBe(Date.UTC(2022, 0, 1));
    expect(o.equityStartMs).toBe(Date.UTC(2010, 0, 1));
    expect(o.cryptoSymbols).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT']);
    expect(o.equitySymbols).toEqual(['SPY', 'QQQ']);
    expect(o.placebo).toBe(false);
    expect(o.seed).toBeNull();
  });

  it('the config section defaults equal the generator defaults (one source of truth in two places)', () => {
    const c = syntheticSection.parse({});
    expect(c.edges).toEqual(syntheticParams.DEFAULT_EDGES);
    expect(c.symbols).toEqual([...syntheticParams.DEFAULT_SYMBOLS]);
    expect(c.start).toBe(syntheticParams.DEFAULT_START);
    expect(c.years).toBe(syntheticParams.DEFAULT_YEARS);
    expect(c.equity_start).toBe(syntheticParams.DEFAULT_EQUITY_START);
    expect(syntheticSection.safeParse({ edges: { unknown_edge: {} } }).success).toBe(false);
    expect(syntheticSection.safeParse({ years: 0 }).success).toBe(false);
    expect(syntheticSection.parse({ edges: { liquidation_exhaustion: { ratio: 10 } } }).edges.liquidation_exhaustion).toEqual({
      ...syntheticParams.DEFAULT_EDGES.liquidation_exhaustion,
      ratio: 10,
    });
  });

  it('addYears: whole years by the calendar, fractions as 365.25-day years', () => {
    expect(addYears(Date.UTC(2019, 0, 1), 3)).toBe(Date.UTC(2022, 0, 1));
    expect(addYears(Date.UTC(2019, 0, 1), 0.5)).toBe(Date.UTC(2019, 0, 1) + 182 * 86_400_000);
    expect(addYears(Date.UTC(2020, 1, 29), 1)).toBe(Date.UTC(2021, 2, 1));
  });

  it('start is floored to its UTC day; an equity start after the crypto start is pulled back to it', () => {
    const o = resolveOptions({ start: '2021-03-04T13:37:00Z', equityStart: '2022-01-01', years: 1 });
    expect(o.startMs).toBe(Date.UTC(2021, 2, 4));
    expect(o.equityStartMs).toBe(Date.UTC(2021, 2, 4));
  });

  it.each([
    [{ years: 0 }, /years/],
    [{ years: -1 }, /years/],
    [{ years: 11 }, /at most 10/],
    [{ years: Number.NaN }, /years/],
    [{ years: 0.001 }, /at least 2 days/],
    [{ start: 'next tuesday' }, /cannot read/],
    [{ symbols: [] }, /no symbols/],
    [{ symbols: ['BTC-USDT'] }, /not a symbol/],
    [{ symbols: ['SPY', 'spy'] }, /twice/],
    [{ edges: { funding_extreme_reversal: { horizon_bars: 2.5 } } }, /whole number/],
    [{ edges: { funding_extreme_reversal: { bogus: 1 } as never } }, /unknown parameter/],
  ])('rejects %j with a UserError', (opts, msg) => {
    expect(() => resolveOptions(opts)).toThrow(UserError);
    expect(() => resolveOptions(opts)).toThrow(msg);
  });

  it('only crypto, only ETFs, extra symbols with generic profiles, and a 3-day span all generate', () => {
    const crypto = datasets(1, { symbols: ['btcusdt'], years: 0.01 });
    expect(crypto.map((d) => d.name)).toEqual(['BTCUSDT:15m', 'BTCUSDT:funding', 'MACRO:curve_slope', 'MACRO:pmi']);
    expect(crypto[0]!.table.length).toBe(3 * 96);
    const etf = datasets(1, { symbols: ['IWM'], start: '2020-01-01', years: 0.5, equityStart: '2019-06-01' });
    expect(etf.map((d) => d.name)).toEqual(['IWM:1d', 'IWM:4h', 'MACRO:curve_slope', 'MACRO:pmi']);
    expect(etf[0]!.table.length).toBeGreaterThan(250);
  });
});
