import { describe, expect, test } from 'vitest';
import { applyRiskLimits, capPerTradeRisk, type LimitContext } from '../../src/risk/limits.js';
import { nextRiskMode } from '../../src/risk/mode.js';
import { riskLimits } from '../../src/risk/settings.js';
import { MODE_HALT, MODE_NORMAL, MODE_REDUCED, type RiskBreach, type RiskLimits } from '../../src/risk/types.js';

const limits = (over: Partial<RiskLimits> = {}): RiskLimits => ({
  perTradeRisk: 0.02,
  perAssetCap: 0.4,
  classCaps: [{ key: 'crypto', cap: 0.2 }],
  maxGross: 1.2,
  reduceAt: 0.1,
  recoverAt: 0.075,
  reduceScale: 0.5,
  haltAt: 0.2,
  haltAction: 'no_new_entries',
  killAt: Infinity,
  ...over,
});

// symbols: SPY, QQQ, BTC, ETH (the last two crypto)
const ctx = (l: RiskLimits): LimitContext => ({ symbols: ['SPY', 'QQQ', 'BTC', 'ETH'], classMembers: [Int32Array.of(2, 3)], limits: l });

function apply(raw: number[], mode = MODE_NORMAL, current = [0, 0, 0, 0], l = limits(), killed = false) {
  const out = new Float64Array(4);
  const breaches: RiskBreach[] = [];
  applyRiskLimits(ctx(l), Float64Array.from(raw), Float64Array.from(current), mode, killed, 0, 7, out, breaches);
  return { out: Array.from(out), breaches };
}

describe('applyRiskLimits', () => {
  test('nothing binds: targets pass through, no breach', () => {
    expect(apply([0.3, -0.2, 0.1, 0.05])).toEqual({ out: [0.3, -0.2, 0.1, 0.05], breaches: [] });
  });
  test('per-asset cap clips SPY 0.6 → 0.4 and a short −0.5 → −0.4', () => {
    const r = apply([0.6, -0.5, 0, 0]);
    expect(r.out).toEqual([0.4, -0.4, 0, 0]);
    expect(r.breaches.map((b) => [b.kind, b.subject, b.value, b.limit])).toEqual([
      ['per_asset_cap', 'SPY', 0.6, 0.4],
      ['per_asset_cap', 'QQQ', -0.5, 0.4],
    ]);
    expect(r.breaches[0]!.step).toBe(7);
  });
  test('class cap: BTC 0.2 + ETH −0.1 = 0.3 gross → scaled by 2/3', () => {
    const r = apply([0, 0, 0.2, -0.1]);
    expect(r.out[2]).toBeCloseTo(0.4 / 3, 15);
    expect(r.out[3]).toBeCloseTo(-0.2 / 3, 15);
    expect(r.breaches[0]).toMatchObject({ kind: 'class_cap', subject: 'crypto' });
  });
  test('max gross after the caps: 0.4 + 0.4 + 0.2 (crypto) + … = 1.4 > 1.2', () => {
    const r = apply([0.4, 0.4, 0.1, 0.1], MODE_NORMAL, [0, 0, 0, 0], limits({ maxGross: 0.9 }));
    expect(r.out.reduce((s, x) => s + Math.abs(x), 0)).toBeCloseTo(0.9, 12);
    expect(r.breaches.map((b) => b.kind)).toEqual(['max_gross']);
  });
  test('REDUCED halves every target', () => {
    expect(apply([0.4, -0.2, 0.1, 0], MODE_REDUCED).out).toEqual([0.2, -0.1, 0.05, 0]);
  });
  test('HALT no_new_entries: never above the current weight, never a flip, never a new position', () => {
    const r = apply([0.4, 0.3, -0.1, 0.1], MODE_HALT, [0.2, -0.1, 0, 0.15]);
    expect(r.out).toEqual([0.2, 0, 0, 0.1]);
    expect(r.breaches.map((b) => [b.kind, b.subject])).toEqual([
      ['halt_no_new_entries', 'SPY'],
      ['halt_no_new_entries', 'QQQ'],
      ['halt_no_new_entries', 'BTC'],
    ]);
  });
  test('HALT flatten and the kill switch zero everything', () => {
    expect(apply([0.4, 0.3, 0.1, 0.1], MODE_HALT, [0.4, 0.3, 0.1, 0.1], limits({ haltAction: 'flatten' })).out).toEqual([0, 0, 0, 0]);
    expect(apply([0.4, 0.3, 0.1, 0.1], MODE_HALT, [0.4, 0.3, 0.1, 0.1], limits(), true).out).toEqual([0, 0, 0, 0]);
  });
  test('NaN-free on empty input', () => {
    expect(apply([0, 0, 0, 0]).out).toEqual([0, 0, 0, 0]);
  });
});

describe('capPerTradeRisk', () => {
  test('stop 10% away, 2% risk → at most 20% of NAV', () => {
    expect(capPerTradeRisk(1, 100, 90, 0.02)).toBeCloseTo(0.2, 15);
    expect(capPerTradeRisk(-1, 100, 110, 0.02)).toBeCloseTo(-0.2, 15);
    expect(capPerTradeRisk(0.1, 100, 90, 0.02)).toBe(0.1);
    expect(capPerTradeRisk(0.5, 100, NaN, 0.02)).toBe(0.5);
    expect(capPerTradeRisk(0.5, 100, 100, 0.02)).toBe(0);
  });
});

describe('nextRiskMode', () => {
  const l = limits();
  test('thresholds, recovery from REDUCED, HALT latched', () => {
    expect(nextRiskMode(MODE_NORMAL, 0.099, 0, l)).toBe(MODE_NORMAL);
    expect(nextRiskMode(MODE_NORMAL, 0.1, 0, l)).toBe(MODE_REDUCED);
    expect(nextRiskMode(MODE_REDUCED, 0.05, 0, l)).toBe(MODE_NORMAL);
    // Hysteresis: REDUCED holds between recover_at (7.5%) and reduce_at (10%); NORMAL does not enter there.
    expect(nextRiskMode(MODE_REDUCED, 0.08, 0, l)).toBe(MODE_REDUCED);
    expect(nextRiskMode(MODE_REDUCED, 0.075, 0, l)).toBe(MODE_REDUCED);
    expect(nextRiskMode(MODE_REDUCED, 0.0749, 0, l)).toBe(MODE_NORMAL);
    expect(nextRiskMode(MODE_NORMAL, 0.08, 0, l)).toBe(MODE_NORMAL);
    expect(nextRiskMode(MODE_REDUCED, 0.2, 0, l)).toBe(MODE_HALT);
    expect(nextRiskMode(MODE_HALT, 0, 0, l)).toBe(MODE_HALT);
  });
  test('kill switch at its time', () => {
    const k = limits({ killAt: 1000 });
    expect(nextRiskMode(MODE_NORMAL, 0, 999, k)).toBe(MODE_NORMAL);
    expect(nextRiskMode(MODE_NORMAL, 0, 1000, k)).toBe(MODE_HALT);
  });
});

describe('riskLimits from config', () => {
  test('kill switch times and sorted class caps', () => {
    const base = {
      per_trade_risk: 0.02, per_asset_cap: 0.4, class_caps: { equities: 0.8, crypto: 0.2 }, max_gross: 1.2,
      drawdown: { reduce_at: 0.1, reduce_scale: 0.5, recover_at: null, halt_at: 0.2, halt_action: 'flatten' as const },
      kill_switch: { enabled: false, at: null },
    };
    const r = riskLimits(base);
    expect(r.classCaps).toEqual([{ key: 'crypto', cap: 0.2 }, { key: 'equities', cap: 0.8 }]);
    expect(r.killAt).toBe(Infinity);
    expect(r.recoverAt).toBeCloseTo(0.075, 15); // null → ¾ of reduce_at
    expect(riskLimits({ ...base, drawdown: { ...base.drawdown, recover_at: 0.1 } }).recoverAt).toBe(0.1); // = reduce_at: no hysteresis
    expect(() => riskLimits({ ...base, drawdown: { ...base.drawdown, recover_at: 0.12 } })).toThrow(/recover_at 0.12 is above reduce_at 0.1/);
    expect(riskLimits({ ...base, kill_switch: { enabled: true, at: null } }).killAt).toBe(-Infinity);
    expect(riskLimits({ ...base, kill_switch: { enabled: true, at: '2022-05-09' } }).killAt).toBe(Date.UTC(2022, 4, 9));
  });
});
