import { describe, expect, it } from 'vitest';
import { dailySeries } from '../../../src/regime/daily.js';
import { impliedVolRegime, realisedVol, realisedVolRegime } from '../../../src/regime/rules/vol.js';
import { regimeSection } from '../../../src/config/sections/regime.js';
import { barsDataset, defaults } from '../fixtures.js';

/** Closes whose log returns alternate +a, −a. */
const zigzag = (a: number, n: number): number[] => {
  const c = [100];
  for (let i = 1; i < n; i++) c.push(c[i - 1]! * Math.exp(i % 2 ? a : -a));
  return c;
};

describe('vol regime', () => {
  it('realised vol of alternating ±a log returns is a·√(20/19)·√252 (sample sd over 20 returns)', () => {
    const v = realisedVol(Float64Array.from(zigzag(0.01, 60)), 20, 252);
    expect(Number.isNaN(v[19]!)).toBe(true); // needs 20 returns = 21 closes
    expect(v[20]).toBeCloseTo(0.01 * Math.sqrt(20 / 19) * Math.sqrt(252), 12);
    expect(v[59]).toBeCloseTo(0.01 * Math.sqrt(20 / 19) * Math.sqrt(252), 12);
  });

  it('classifies by level: 0 % → LOW, 16.3 % → NORMAL, 32.6 % → HIGH', () => {
    const cfg = defaults().vol;
    const code = (c: number[]) => realisedVolRegime(dailySeries(barsDataset('SPY:1d', c)), cfg).code;
    expect(code(new Array(40).fill(100))[30]).toBe(0);
    expect(code(zigzag(0.01, 40))[30]).toBe(1);
    expect(code(zigzag(0.02, 40))[30]).toBe(2);
  });

  it('percentile mode ranks today among the previous window (LOW when calmest, HIGH when most volatile)', () => {
    const cfg = regimeSection.parse({ vol: { mode: 'percentile', window_days: 5, percentile_window_days: 10 } }).vol;
    // 30 days at ±1 %, then 10 days at ±3 %: the vol jumps up → top of its window → HIGH.
    const c = [...zigzag(0.01, 30)];
    for (let i = 0; i < 10; i++) c.push(c[c.length - 1]! * Math.exp(i % 2 ? 0.03 : -0.03));
    const s = realisedVolRegime(dailySeries(barsDataset('SPY:1d', c)), cfg);
    expect(Number.isNaN(s.code[13]!)).toBe(true); // 5 returns + 10 ranks − 1 = index 14 first
    expect(s.code[14]).toBe(1); // constant vol: rank (10+1)/2/10 = 0.55 → NORMAL
    expect(s.code[31]).toBe(2);
  });

  it('implied vol uses its own thresholds (VIX points)', () => {
    const s = impliedVolRegime(Float64Array.of(1, 2, 3, 4), Float64Array.of(12, 15, 30, Number.NaN), 'MACRO:vix', defaults().vol);
    expect([...s.code]).toEqual([0, 1, 2, Number.NaN]);
  });
});
