/** Hand-worked risk-engine cases through the whole engine: drawdown modes, caps, kill switch. */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { RISK_MODES } from '../../src/risk/types.js';
import { bars, cfg, neutral, scripted, withBudget, type Row } from './engine-helpers.js';

const modes = (m: Uint8Array): string[] => Array.from(m, (c) => RISK_MODES[c]!);

describe('drawdown → REDUCED → HALT', () => {
  // Capital 10,000, model 100% long SPY from bar 0's close (100) → 100 shares at bar 1's open 100.
  // reduce_at 10% (scale 0.5), halt_at 20%, rebalance band 0.05.
  //   step 1: close 100 → NAV 10,000, DD 0        NORMAL
  //   step 2: close 88  → NAV 8,800,  DD 12%      REDUCED → target 0.5 → 0.5 × 8,800 / 88 = 50 shares → sell 50
  //   step 3: opens 88 (sell 50 → cash 4,400), close 80 → NAV 4,400 + 4,000 = 8,400, DD 16%   REDUCED
  //   step 4: close 70  → NAV 4,400 + 3,500 = 7,900, DD 21%   HALT
  //   flatten: sell 50 at bar 5's open 70 → cash 7,900; no_new_entries: keep 50, never buy.
  const rows: Row[] = [
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [100, 100, 88, 88],
    [88, 88, 80, 80],
    [80, 80, 70, 70],
    [70, 90, 70, 90],
    [90, 100, 90, 100],
  ];
  const risk = (action: string) => ({
    execution: { rebalance_band: 0.05 },
    risk: { drawdown: { reduce_at: 0.1, reduce_scale: 0.5, halt_at: 0.2, halt_action: action } },
  });
  // The model asks for 100% at step 0 and again (fresh decision) at step 5.
  const schedule = { 0: { weights: { SPY: 1 } }, 5: { weights: { SPY: 1 } } };
  const go = (action: string) =>
    runBacktest({ symbols: [bars('SPY', rows)], models: [withBudget(scripted('m', ['SPY'], schedule), 1)], config: cfg(risk(action)), regimeAt: neutral });

  test('flatten: modes, breaches and fills match the hand calculation', () => {
    const r = go('flatten');
    expect(modes(r.mode)).toEqual(['NORMAL', 'NORMAL', 'REDUCED', 'REDUCED', 'HALT', 'HALT', 'HALT']);
    expect(r.drawdown[2]).toBeCloseTo(0.12, 12);
    expect(r.drawdown[3]).toBeCloseTo(0.16, 12);
    expect(r.drawdown[4]).toBeCloseTo(0.21, 12);
    expect(r.fills.map((f) => [f.qty, f.price])).toEqual([[100, 100], [-50, 88], [-50, 70]]);
    expect(r.nav[3]).toBeCloseTo(8400, 9);
    expect(r.nav[4]).toBeCloseTo(7900, 9);
    // flat after HALT: the rally to 100 does not help, and the step-5 decision does not re-enter
    expect(r.nav[6]).toBeCloseTo(7900, 9);
    const kinds = r.breaches.map((b) => [b.step, b.kind]);
    expect(kinds).toEqual([[2, 'drawdown_reduce'], [4, 'drawdown_halt']]);
    expect(Array.from(r.breachCount)).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(r.finalMode).toBe('HALT');
    expect(r.fills[2]!.reason).toBe('risk_flatten');
  });

  test('no_new_entries: HALT keeps the 50 shares and never buys, even when the model asks', () => {
    const r = go('no_new_entries');
    expect(modes(r.mode).slice(4)).toEqual(['HALT', 'HALT', 'HALT']);
    expect(r.fills.map((f) => [f.qty, f.price])).toEqual([[100, 100], [-50, 88]]);
    // 50 shares ride the rally: NAV = 4,400 + 50 × 100 = 9,400
    expect(r.nav[6]).toBeCloseTo(9400, 9);
    expect(r.breaches.some((b) => b.kind === 'halt_no_new_entries')).toBe(true);
  });

  test('REDUCED recovers to NORMAL when the drawdown falls back under reduce_at', () => {
    // 100 shares; close 88 → REDUCED (sell 50 at 95 next open); then 120 → NAV 4,750 + 6,000 = 10,750 > peak: NORMAL
    const up: Row[] = [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 88, 88],
      [95, 120, 95, 120],
    ];
    const r = runBacktest({
      symbols: [bars('SPY', up)],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } } }), 1)],
      config: cfg(risk('flatten')),
      regimeAt: neutral,
    });
    expect(modes(r.mode)).toEqual(['NORMAL', 'NORMAL', 'REDUCED', 'NORMAL']);
    expect(r.nav[3]).toBeCloseTo(10750, 9);
    expect(r.breaches.map((b) => b.kind)).toEqual(['drawdown_reduce', 'drawdown_recovered']);
  });
});

describe('caps', () => {
  const flatRows: Row[] = [
    [100, 100, 100, 100],
    [100, 100, 100, 100],
  ];
  test('per-asset cap 0.4 binds: a 100% SPY target becomes 40 shares, breach recorded', () => {
    const r = runBacktest({
      symbols: [bars('SPY', flatRows)],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } } }), 1)],
      config: cfg({ risk: { per_asset_cap: 0.4 } }),
      regimeAt: neutral,
    });
    expect(r.fills[0]!.qty).toBe(40);
    expect(r.breaches).toHaveLength(1);
    expect(r.breaches[0]).toMatchObject({ kind: 'per_asset_cap', subject: 'SPY', value: 1, limit: 0.4, step: 0 });
    expect(r.breachCount[0]).toBe(1);
  });
  test('class cap crypto 0.2: BTC 0.15 + ETH 0.15 = 0.3 are scaled by 2/3 to 0.1 each', () => {
    // 10% of 10,000 = 1,000 → BTC at 100 → 10; ETH at 50 → 20
    const r = runBacktest({
      symbols: [
        bars('BTC', flatRows, { assetClass: 'crypto_perp' }),
        bars('ETH', flatRows.map((x) => x.map((v) => v! / 2) as unknown as Row), { assetClass: 'crypto_perp' }),
        bars('SPY', flatRows),
      ],
      models: [withBudget(scripted('m', ['BTC', 'ETH', 'SPY'], { 0: { weights: { BTC: 0.15, ETH: 0.15, SPY: 0.3 } } }), 1)],
      config: cfg({ risk: { class_caps: { crypto: 0.2 } }, execution: { lots: { default: { lot_size: 0.0001, min_qty: 0, min_notional: 0 } } } }),
      regimeAt: neutral,
    });
    expect(r.fills.map((f) => [f.symbol, f.qty])).toEqual([['BTC', 10], ['ETH', 20], ['SPY', 30]]);
    expect(r.breaches.map((b) => [b.kind, b.subject])).toEqual([['class_cap', 'crypto']]);
    expect(r.breaches[0]!.value).toBeCloseTo(0.3, 12);
  });
  test('max gross 1.2: 1.0 + 0.8 = 1.8 gross is scaled by 2/3', () => {
    const r = runBacktest({
      symbols: [bars('SPY', flatRows), bars('QQQ', flatRows)],
      models: [withBudget(scripted('m', ['SPY', 'QQQ'], { 0: { weights: { SPY: 1, QQQ: -0.8 } } }), 1)],
      config: cfg({ risk: { max_gross: 1.2 } }),
      regimeAt: neutral,
    });
    // SPY 1 × 2/3 = 0.6667 → 66 shares (rounded toward zero); QQQ −0.5333 → −53
    expect(r.fills.map((f) => [f.symbol, f.qty])).toEqual([['SPY', 66], ['QQQ', -53]]);
    expect(r.breaches[0]).toMatchObject({ kind: 'max_gross', limit: 1.2 });
    expect(r.breaches[0]!.value).toBeCloseTo(1.8, 12);
  });
  test('per-trade risk: 100% with a stop 10% away and 2% risk is capped at 20%', () => {
    const r = runBacktest({
      symbols: [bars('SPY', flatRows)],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 }, stops: { SPY: { stop: 90 } } } }), 1)],
      config: cfg({ risk: { per_trade_risk: 0.02 } }),
      regimeAt: neutral,
    });
    expect(r.fills[0]!.qty).toBe(20);
    expect(r.breaches[0]).toMatchObject({ kind: 'per_trade_risk', subject: 'SPY', model: 'm', value: 1 });
    expect(r.breaches[0]!.limit).toBeCloseTo(0.2, 12);
  });
});

describe('kill switch', () => {
  test('fires at its time: HALT, positions flattened at the next open', () => {
    const rows: Row[] = [
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 105],
      [106, 106, 106, 106],
    ];
    // bar closes: step k at T0 + (k+1) days, so the switch set for 2021-01-04 fires at step 2
    const r = runBacktest({
      symbols: [bars('SPY', rows)],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 0.5 } } }), 1)],
      config: cfg({ risk: { kill_switch: { enabled: true, at: '2021-01-04T00:00:00Z' } } }),
      regimeAt: neutral,
    });
    expect(modes(r.mode)).toEqual(['NORMAL', 'NORMAL', 'HALT', 'HALT']);
    expect(r.breaches.map((b) => b.kind)).toEqual(['kill_switch']);
    expect(r.fills.map((f) => [f.qty, f.price])).toEqual([[50, 100], [-50, 106]]);
  });
});
