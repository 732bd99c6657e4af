import { describe, expect, it } from 'vitest';
import { truthOf } from '../../../src/data/synthetic/index.js';
import { byName, col, datasets } from './fixtures.js';

const OPTS = { start: '2020-01-01', years: 1, equityStart: '2016-01-01' } as const;

/**
 * Planted drift per row rebuilt from the truth alone: each event ±(row+1) adds ±size/H to rows
 * row+1 … row+H (for the 4h ETF bars, the next session's two bars split 8 : 5 of 13 steps).
 */
function plantedDrift(n: number, events: readonly number[], h: number, sizeBps: number): Float64Array {
  const d = new Float64Array(n);
  for (const e of events) {
    const row = Math.abs(e) - 1;
    for (let j = 1; j <= h && row + j < n; j++) d[row + j]! += (Math.sign(e) * sizeBps) / 1e4 / h;
  }
  return d;
}

const sameBytes = (x: Float64Array, y: Float64Array): boolean =>
  Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

describe('placebo mode', () => {
  const real = datasets(11, OPTS);
  const placebo = datasets(11, { ...OPTS, placebo: true });

  it('keeps the regime path, the funding and liquidation events and every non-price column; truth sizes are 0', () => {
    expect(placebo.map((d) => d.name)).toEqual(real.map((d) => d.name));
    for (let i = 0; i < real.length; i++) {
      const a = real[i]!;
      const b = placebo[i]!;
      const ta = truthOf(a)!;
      const tb = truthOf(b)!;
      expect(tb.placebo).toBe(true);
      expect(tb.dailyRegime).toEqual(ta.dailyRegime);
      expect(tb.regimeRuns).toEqual(ta.regimeRuns);
      // rules on untouched columns fire identically; price rules see the planted drift, so the
      // events they find in the placebo data may differ a little
      expect(tb.events.funding_extreme_reversal).toEqual(ta.events.funding_extreme_reversal);
      expect(tb.events.liquidation_exhaustion).toEqual(ta.events.liquidation_exhaustion);
      for (const e of tb.edges) {
        expect(e.sizeBps).toBe(0);
        expect(e.active).toBe(false);
        expect(e.nominalSizeBps).toBeGreaterThan(0);
      }
      for (const name of Object.keys(a.table.columns)) {
        if (['open', 'high', 'low', 'close'].includes(name)) continue;
        expect(sameBytes(col(b, name), col(a, name)), `${a.name}.${name}`).toBe(true);
      }
    }
    // funding and macro datasets carry no edge: identical bytes
    for (const name of ['BTCUSDT:funding', 'MACRO:pmi', 'MACRO:curve_slope']) {
      expect(byName(placebo, name).digest).toBe(byName(real, name).digest);
    }
  });

  it('differs from the planted run only where edges act: Δ log return = the planted drift, 0 elsewhere', () => {
    for (const name of ['BTCUSDT:15m', 'XRPUSDT:15m', 'SPY:1d', 'QQQ:1d']) {
      const a = byName(real, name);
      const b = byName(placebo, name);
      const t = truthOf(a)!;
      const ca = col(a, 'close');
      const cb = col(b, 'close');
      const n = ca.length;
      const expected = new Float64Array(n);
      for (const e of t.edges) {
        const d = plantedDrift(n, t.events[e.id] ?? [], e.horizonBars, e.sizeBps);
        for (let i = 0; i < n; i++) expected[i]! += d[i]!;
      }
      let acting = 0;
      let maxErr = 0;
      for (let i = 1; i < n; i++) {
        const diff = Math.log(ca[i]! / ca[i - 1]!) - Math.log(cb[i]! / cb[i - 1]!);
        maxErr = Math.max(maxErr, Math.abs(diff - expected[i]!));
        if (expected[i] !== 0) acting++;
      }
      expect(maxErr, name).toBeLessThan(1e-9);
      expect(acting, name).toBeGreaterThan(0);
      expect(acting, name).toBeLessThan(n);
      // the gaps between trigger windows are untouched: plenty of rows with no drift at all
      expect(n - acting, name).toBeGreaterThan(n / 4);
    }
  });

  it('the planted run has every edge at its stated size in the truth', () => {
    const t = truthOf(byName(real, 'ETHUSDT:15m'))!;
    expect(t.placebo).toBe(false);
    expect(Object.fromEntries(t.edges.map((e) => [e.id, e.sizeBps]))).toEqual({
      funding_extreme_reversal: 50,
      vol_compression_breakout: 20,
      liquidation_exhaustion: 50,
    });
    expect(truthOf(byName(real, 'SPY:1d'))!.edges.map((e) => [e.id, e.sizeBps, e.horizonBars])).toEqual([['equity_reversal', 30, 1]]);
    expect(truthOf(byName(real, 'SPY:4h'))!.edges.map((e) => [e.id, e.sizeBps, e.horizonBars])).toEqual([['equity_reversal', 30, 2]]);
  });
});
