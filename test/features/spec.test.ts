/** Feature spec parsing: canonical text, defaults, column names and clear messages for bad specs. */
import { describe, expect, it } from 'vitest';
import { parseSpec, parseSpecs } from '../../src/features/spec.js';
import { UserError } from '../../src/core/errors.js';
import { INDICATORS } from '../../src/features/registry.js';

describe('parseSpec', () => {
  it.each([
    ['sma:50', 'sma:50', ['sma_50']],
    ['SMA:50', 'sma:50', ['sma_50']],
    ['rsi', 'rsi:14', ['rsi_14']],
    ['bb:20,2', 'bb:20,2', ['bb_20_2_mid', 'bb_20_2_upper', 'bb_20_2_lower', 'bb_20_2_pctb', 'bb_20_2_width']],
    ['bb:20,2.5', 'bb:20,2.5', ['bb_20_2.5_mid', 'bb_20_2.5_upper', 'bb_20_2.5_lower', 'bb_20_2.5_pctb', 'bb_20_2.5_width']],
    ['bb:10', 'bb:10,2', ['bb_10_2_mid', 'bb_10_2_upper', 'bb_10_2_lower', 'bb_10_2_pctb', 'bb_10_2_width']],
    ['macd:12,26,9', 'macd:12,26,9', ['macd_12_26_9_line', 'macd_12_26_9_signal', 'macd_12_26_9_hist']],
    ['stoch', 'stoch:14,3,3', ['stoch_14_3_3_k', 'stoch_14_3_3_d']],
    ['daily:sma:200', 'daily:sma:200', ['daily_sma_200']],
    ['sma:20@volume', 'sma:20@volume', ['sma_20_volume']],
    ['tr', 'tr', ['tr']],
    ['funding_persist', 'funding_persist', ['funding_persist']],
    [' atr:14 ', 'atr:14', ['atr_14']],
  ])('%s → %s', (input, text, columns) => {
    const s = parseSpec(input);
    expect(s.text).toBe(text);
    expect(s.columns).toEqual(columns);
  });

  it('records timeframe, source and parameters', () => {
    expect(parseSpec('daily:rsi:5@open')).toMatchObject({ indicator: 'rsi', params: [5], source: 'open', timeframe: 'daily' });
  });

  it.each([
    ['sma:-3', 'sma: period must be a positive integer, got -3'],
    ['sma:0', 'sma: period must be a positive integer, got 0'],
    ['sma:2.5', 'sma: period must be a positive integer, got 2.5'],
    ['sma:abc', 'sma: period must be a positive integer, got abc'],
    ['std:1', 'std: period must be an integer ≥ 2, got 1'],
    ['bb:20,-1', 'bb: k must be a non-negative number, got -1'],
    ['sma:5,6', 'sma: takes at most 1 parameter (period), got 2'],
    ['tr:3', "tr: takes no parameters, got '3'"],
    ['macd:26,12,9', 'macd: fast period must be below slow period, got 26,12'],
    ['smaa:50', "unknown indicator 'smaa'; did you mean 'sma'?"],
    ['rsii', "unknown indicator 'rsii'; did you mean 'rsi'?"],
    ['frobnicate:3', "unknown indicator 'frobnicate' (indicators: atr, bb,"],
    ['atr:14@volume', 'atr reads high, low and close; it takes no @column'],
    ['daily:funding_z:30', 'funding_z is computed on funding events'],
    ['sma:5@1x', "'1x' is not a column name"],
    ['', 'empty feature spec'],
  ])('%s is rejected: %s', (input, message) => {
    expect(() => parseSpec(input)).toThrow(UserError);
    expect(() => parseSpec(input)).toThrow(message);
  });

  it('the message is exactly the one users see', () => {
    expect(() => parseSpec('sma:-3')).toThrow(/^sma: period must be a positive integer, got -3$/);
  });

  it('every indicator parses with its defaults and gets distinct column names', () => {
    const all = [...INDICATORS.keys()].map((n) => parseSpec(n));
    const cols = all.flatMap((s) => s.columns);
    expect(new Set(cols).size).toBe(cols.length);
  });
});

describe('parseSpecs', () => {
  it('drops exact duplicates (same columns) and keeps order', () => {
    expect(parseSpecs(['sma:50', 'rsi', 'SMA:50', 'rsi:14']).map((s) => s.text)).toEqual(['sma:50', 'rsi:14']);
  });
});
