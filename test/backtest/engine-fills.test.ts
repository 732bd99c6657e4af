/**
 * Hand-worked execution cases through the whole engine. Every number in the comments can be checked
 * with a pencil. Daily bars: the decision at step k (bar k's close) fills at bar k+1's open.
 */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { bars, cfg, DAY, neutral, scripted, T0, withBudget, type Row } from './engine-helpers.js';

const run = (rows: Row[], schedule: Parameters<typeof scripted>[2], overlay: Record<string, unknown> = {}, budget = 1) =>
  runBacktest({
    symbols: [bars('SPY', rows)],
    models: [withBudget(scripted('m', ['SPY'], schedule), budget)],
    config: cfg(overlay),
    regimeAt: neutral,
  });

describe('next-open market fill with fees and slippage', () => {
  // Capital 10,000. At bar 0's close (100) the model asks for 10% of NAV in SPY → 1,000 / 100 = 10 shares.
  // Bar 1 opens at 100.00. Taker 5 bps + slippage 2 bps:
  //   fill price = 100 × (1 + 0.0002) = 100.02
  //   fee        = 10 × 100.02 × 0.0005 = 0.5001
  //   slippage   = 10 × 100 × 0.0002 = 0.2
  //   cash       = 10,000 − 1,000.2 − 0.5001 = 8,999.2999
  // Bar 1 closes at 101 → NAV = 8,999.2999 + 10 × 101 = 10,009.2999
  // Gross P&L (before costs) = 10 × (101 − 100) = 10 = net 9.2999 + fees 0.5001 + slippage 0.2.
  const rows: Row[] = [
    [100, 100, 100, 100],
    [100, 102, 99, 101],
  ];
  const overlay = {
    costs: { default: { maker_bps: 2, taker_bps: 5, slippage_bps: 2, impact_coef: 0 } },
    execution: { rebalance_band: 0.05 },
  };
  test('fills 10 shares at 100.02 with fee 0.5001', () => {
    const r = run(rows, { 0: { weights: { SPY: 0.1 } } }, overlay);
    expect(r.fills).toHaveLength(1);
    const f = r.fills[0]!;
    expect(f.ts).toBe(T0 + DAY); // bar 1's open time
    expect(f.qty).toBe(10);
    expect(f.refPrice).toBe(100);
    expect(f.price).toBeCloseTo(100.02, 10);
    expect(f.fee).toBeCloseTo(0.5001, 10);
    expect(f.slippage).toBeCloseTo(0.2, 10);
    expect(f.liquidity).toBe('taker');
    expect(r.cash[1]).toBeCloseTo(8999.2999, 8);
    expect(r.nav[0]).toBe(10_000);
    expect(r.nav[1]).toBeCloseTo(10009.2999, 8);
    expect(r.costs.fees).toBeCloseTo(0.5001, 10);
    expect(r.costs.slippage).toBeCloseTo(0.2, 10);
    expect(r.costs.net).toBeCloseTo(9.2999, 8);
    expect(r.costs.gross).toBeCloseTo(10, 8);
  });
  test('same_close fills at the decision close instead', () => {
    // Same decision, fill rule same_close: fill at bar 0's close 100 × 1.0002 = 100.02 at time T0 + 1 day (bar 0's close).
    const r = run(rows, { 0: { weights: { SPY: 0.1 } } }, { ...overlay, execution: { rebalance_band: 0.05, fill: 'same_close' } });
    expect(r.fills).toHaveLength(1);
    expect(r.fills[0]!.ts).toBe(T0 + DAY);
    expect(r.fills[0]!.price).toBeCloseTo(100.02, 10);
    // marked at 100 right away: NAV = 10,000 − 0.2 − 0.5001
    expect(r.nav[0]).toBeCloseTo(9999.2999, 8);
    expect(r.profile.fillPrice).toBe('same_close');
  });
});

describe('stop orders', () => {
  // Bar 0 close 100: long 10% → 10 shares, protective stop at 95. Bar 1 fills the entry at its open 100.
  test('a stop gapped through fills at the open, not at the level', () => {
    // Bar 2 opens at 90, below the 95 stop: the stop fills at the open 90 (gap). P&L = 10 × (90 − 100) = −100.
    const rows: Row[] = [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [90, 92, 88, 91],
      [91, 91, 91, 91],
    ];
    const r = run(rows, { 0: { weights: { SPY: 0.1 }, stops: { SPY: { stop: 95 } } } });
    expect(r.fills).toHaveLength(2);
    const stop = r.fills[1]!;
    expect(stop.type).toBe('stop');
    expect(stop.qty).toBe(-10);
    expect(stop.price).toBe(90);
    expect(stop.gap).toBe(true);
    expect(stop.ts).toBe(T0 + 2 * DAY);
    expect(r.nav[2]).toBe(9900);
    // the model's weight is reset to 0 after its stop: no re-entry at bar 3
    expect(r.nav[3]).toBe(9900);
    expect(r.orders.find((o) => o.type === 'stop')!.status).toBe('filled');
  });
  test('a stop touched inside the bar fills at the level', () => {
    // Bar 2: open 98, low 94 → the 95 stop fills at 95. P&L = 10 × (95 − 100) = −50.
    const rows: Row[] = [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [98, 99, 94, 96],
    ];
    const r = run(rows, { 0: { weights: { SPY: 0.1 }, stops: { SPY: { stop: 95 } } } });
    const stop = r.fills[1]!;
    expect(stop.price).toBe(95);
    expect(stop.gap).toBe(false);
    expect(r.nav[2]).toBe(9950);
  });
  test('a short position gets a buy stop above', () => {
    // Short 10% → −10 shares at 100; buy stop 105; bar 2 high 106 → buys back 10 at 105: P&L −50.
    const rows: Row[] = [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [101, 106, 100, 104],
    ];
    const r = run(rows, { 0: { weights: { SPY: -0.1 }, stops: { SPY: { stop: 105 } } } });
    expect(r.fills.map((f) => [f.qty, f.price])).toEqual([[-10, 100], [10, 105]]);
    expect(r.nav[2]).toBe(9950);
  });
});

describe('limit orders', () => {
  // Bar 0 close 100: 10% long as a buy limit at 99 → 10 shares. Bar 1: open 100, high 101, low exactly 99.
  const rows: Row[] = [
    [100, 100, 100, 100],
    [100, 101, 99, 100.5],
  ];
  const overlay = { costs: { default: { maker_bps: 2, taker_bps: 5, slippage_bps: 2, impact_coef: 0 } } };
  test('touched exactly at the low: fills at 99 as maker (no slippage), fee 10 × 99 × 0.0002 = 0.198', () => {
    const r = run(rows, { 0: { weights: { SPY: 0.1 }, stops: { SPY: { limit: 99 } } } }, overlay);
    expect(r.fills).toHaveLength(1);
    const f = r.fills[0]!;
    expect(f.type).toBe('limit');
    expect(f.price).toBe(99);
    expect(f.liquidity).toBe('maker');
    expect(f.slippage).toBe(0);
    expect(f.fee).toBeCloseTo(0.198, 12);
    // cash = 10,000 − 990 − 0.198; NAV at 100.5 = 9,009.802 + 1,005 = 10,014.802
    expect(r.nav[1]).toBeCloseTo(10014.802, 9);
  });
  test("with limit_fill 'through' the same bar does not fill and the order expires", () => {
    const r = run(rows, { 0: { weights: { SPY: 0.1 }, stops: { SPY: { limit: 99 } } } }, { ...overlay, execution: { limit_fill: 'through' } });
    expect(r.fills).toHaveLength(0);
    expect(r.orders[0]!.status).toBe('expired');
    expect(r.profile.intrabar.limits).toBe('through');
  });
  test('an open below the buy limit fills at the open as taker', () => {
    const gapRows: Row[] = [
      [100, 100, 100, 100],
      [97, 98, 96, 97],
    ];
    const r = run(gapRows, { 0: { weights: { SPY: 0.1 }, stops: { SPY: { limit: 99 } } } }, overlay);
    expect(r.fills[0]!.refPrice).toBe(97);
    expect(r.fills[0]!.liquidity).toBe('taker');
    expect(r.fills[0]!.gap).toBe(true);
  });
});

describe('funding on a short perpetual', () => {
  // Capital 10,000; BTCUSDT crypto_perp at 20,000; model short 50% → −0.25 BTC, filled at bar 1's open 20,000.
  // funding_rate settles at bar closes: bar 2 +0.0001 at close 20,000 → the short receives 0.25 × 20,000 × 0.0001 = 0.5;
  // bar 3 −0.0002 at close 21,000 → the short pays 0.25 × 21,000 × 0.0002 = 1.05. Net funding paid = 1.05 − 0.5 = 0.55.
  const rows: Row[] = [
    [20000, 20000, 20000, 20000],
    [20000, 20000, 20000, 20000],
    [20000, 20000, 20000, 20000],
    [21000, 21000, 21000, 21000],
  ];
  const funding = [0.0005, 0, 0.0001, -0.0002];
  test('receives 0.5 then pays 1.05', () => {
    const r = runBacktest({
      symbols: [bars('BTCUSDT', rows, { assetClass: 'crypto_perp', funding })],
      models: [withBudget(scripted('m', ['BTCUSDT'], { 0: { weights: { BTCUSDT: -0.5 } } }), 1)],
      config: cfg({ execution: { rebalance_band: 0.5, lots: { crypto: { lot_size: 0.0001, min_qty: 0.0001, min_notional: 10 } } } }),
      regimeAt: neutral,
    });
    expect(r.fills[0]!.qty).toBe(-0.25);
    // bar 0's +0.0005 settled before any position: nothing
    expect(r.cash[1]).toBe(15000);
    expect(r.cash[2]).toBeCloseTo(15000.5, 10);
    expect(r.cash[3]).toBeCloseTo(15000.5 - 1.05, 10);
    expect(r.costs.funding).toBeCloseTo(0.55, 10);
    expect(r.assets[0]!.funding).toBeCloseTo(0.55, 10);
    expect(r.models[0]!.funding).toBeCloseTo(0.55, 10);
    // NAV at bar 3 = 14,999.45 − 0.25 × 21,000 = 9,749.45
    expect(r.nav[3]).toBeCloseTo(9749.45, 9);
    expect(r.trades[0]!.funding).toBeCloseTo(-0.55, 10);
  });
  test('funding off in the config: nothing is paid', () => {
    const r = runBacktest({
      symbols: [bars('BTCUSDT', rows, { assetClass: 'crypto_perp', funding })],
      models: [withBudget(scripted('m', ['BTCUSDT'], { 0: { weights: { BTCUSDT: -0.5 } } }), 1)],
      config: cfg({ execution: { funding: false, rebalance_band: 0.5, lots: { default: { lot_size: 0.0001, min_qty: 0, min_notional: 0 } } } }),
      regimeAt: neutral,
    });
    expect(r.costs.funding).toBe(0);
    expect(r.profile.funding).toBe('off');
  });
});

describe('square-root market impact', () => {
  // Capital 100,000; 10% of NAV at 100 → 100 shares. Day 0 traded 10,000 shares, so ADV before day 1 = 10,000.
  // participation = 100 / 10,000 = 0.01; impact = 0.1 × sqrt(0.01) = 0.01 (1%).
  // Buy at bar 1's open 100 → price 101; impact charge = 100 × 100 × 0.01 = 100; no fee, no slippage.
  test('impact 1% of 10,000 notional = 100', () => {
    const rows: Row[] = [
      [100, 100, 100, 100, 10_000],
      [100, 100, 100, 100, 10_000],
    ];
    const r = run(rows, { 0: { weights: { SPY: 0.1 } } }, {
      initial_capital: 100_000,
      costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0.1 } },
    });
    const f = r.fills[0]!;
    expect(f.qty).toBe(100);
    expect(f.price).toBeCloseTo(101, 10);
    expect(f.impact).toBeCloseTo(100, 9);
    expect(r.costs.impact).toBeCloseTo(100, 9);
    expect(r.nav[1]).toBeCloseTo(99_900, 8);
  });
});

describe('lots and shorts', () => {
  test('equities trade whole shares (rounded toward zero), crypto in 0.0001 steps', () => {
    // 10% of 10,000 at 33 → 30.30… shares → 30; BTC: 10% of 10,000 at 30,000 → 0.0333… → 0.0333
    const r = runBacktest({
      symbols: [bars('SPY', [[33, 33, 33, 33], [33, 33, 33, 33]]), bars('BTC', [[30000, 30000, 30000, 30000], [30000, 30000, 30000, 30000]], { assetClass: 'crypto_spot' })],
      models: [withBudget(scripted('m', ['SPY', 'BTC'], { 0: { weights: { SPY: 0.1, BTC: 0.1 } } }), 1)],
      config: cfg({
        execution: {
          lots: { equities: { lot_size: 1, min_qty: 1, min_notional: 0 }, crypto: { lot_size: 0.0001, min_qty: 0.0001, min_notional: 10 } },
        },
      }),
      regimeAt: neutral,
    });
    expect(r.fills.map((f) => [f.symbol, f.qty])).toEqual([['SPY', 30], ['BTC', 0.0333]]);
  });
  test('orders below the minimum notional are not sent', () => {
    const r = runBacktest({
      symbols: [bars('BTC', [[30000, 30000, 30000, 30000], [30000, 30000, 30000, 30000]], { assetClass: 'crypto_spot' })],
      models: [withBudget(scripted('m', ['BTC'], { 0: { weights: { BTC: 0.0001 } } }), 1)],
      config: cfg({ execution: { lots: { crypto: { lot_size: 0.0001, min_qty: 0.0001, min_notional: 10 } } } }),
      regimeAt: neutral,
    });
    expect(r.orders).toHaveLength(0);
  });
});
