import { describe, expect, it } from 'vitest';
import { DAY } from '../../../src/core/time.js';
import { computeRuleRegimes } from '../../../src/regime/compute.js';
import { dailySeries } from '../../../src/regime/daily.js';
import { equityRegime } from '../../../src/regime/rules/equity.js';
import { createRng } from '../../../src/core/rng.js';
import { barsDataset, defaults, T0 } from '../fixtures.js';

describe('equity regime', () => {
  // Closes rise 0.1 a day from 100 for 280 days, then drop to 110 on day 280.
  // Day 280: MA200 = (Σ_{i=81}^{279} (100 + 0.1 i) + 110) / 200 = (19900 + 3582 + 110) / 200 = 117.96 > 110 → BEAR.
  // Day 279: close 127.9 > MA (117.95), R126 = 127.9/115.3 − 1 > 0, R252 = 127.9/102.7 − 1 > 0 → BULL.
  const close = Array.from({ length: 281 }, (_, i) => (i < 280 ? 100 + 0.1 * i : 110));
  const spy = barsDataset('SPY:1d', close);

  it('is BULL above the MA with positive momentum and flips to BEAR when the close falls below the MA', () => {
    const s = equityRegime(dailySeries(spy), defaults().equity);
    expect(Number.isNaN(s.code[251]!)).toBe(true); // 12-month momentum needs 252 earlier bars
    expect(s.code[252]).toBe(2);
    expect(s.code[279]).toBe(2);
    expect(s.code[280]).toBe(0);
  });

  it('the flip is known the next day (at the bar close), never on the crossing day itself', () => {
    const tl = computeRuleRegimes({ equity: dailySeries(spy) }, defaults());
    const day280 = T0 + 280 * DAY;
    expect(tl.lookup(day280).equity).toBe('BULL'); // the day's bar opens: still yesterday's regime
    expect(tl.lookup(day280 + 20 * 3600_000).equity).toBe('BULL'); // intraday on the crossing day
    expect(tl.lookup(day280 + DAY - 1).equity).toBe('BULL');
    expect(tl.lookup(day280 + DAY).equity).toBe('BEAR'); // close of day 280 = next day's open
    expect(tl.lookup(T0 + 252 * DAY).equity).toBe('NEUTRAL'); // warm-up: neutral until day 252 closes
    expect(tl.lookup(T0 + 253 * DAY).equity).toBe('BULL');
    expect(tl.lookup(T0 - 1)).toEqual({ equity: 'NEUTRAL', vol: 'NORMAL', crypto: 'RISK_OFF', macro: 'EXPANSION' });
  });

  it('uses close_ts when present (the regime is known at the session close, 21:00 UTC)', () => {
    const closeTs = close.map((_, i) => T0 + i * DAY + 21 * 3600_000);
    const tl = computeRuleRegimes({ equity: dailySeries(barsDataset('SPY:1d', close, { closeTs })) }, defaults());
    const day280 = T0 + 280 * DAY;
    expect(tl.lookup(day280 + 21 * 3600_000 - 1).equity).toBe('BULL');
    expect(tl.lookup(day280 + 21 * 3600_000).equity).toBe('BEAR');
  });

  it('is NEUTRAL above the MA when 6- and 12-month momenta disagree, and BEAR when both are negative', () => {
    // Up 0.5/day for 130 days, then down 0.2/day: at day 260 close = 165 − 0.2·130 = 139 (R252 = 139/104 − 1 > 0,
    // R126 = 139/(165 − 0.2·4) − 1 < 0); MA200 over days 61..260 ≈ 148.5 > 139 → BEAR (below the MA).
    // With a band of 10 % the close is "at the MA" and momenta are mixed → NEUTRAL.
    const c2 = Array.from({ length: 300 }, (_, i) => (i <= 130 ? 100 + 0.5 * i : 165 - 0.2 * (i - 130)));
    const d = dailySeries(barsDataset('SPY:1d', c2));
    expect(equityRegime(d, defaults().equity).code[260]).toBe(0);
    expect(equityRegime(d, { ...defaults().equity, ma_band: 0.1 }).code[260]).toBe(1);
    // Day 299: close 131.2, R126 < 0 and R252 = 131.2/123.5 − 1 > 0, still mixed; falling further makes both negative.
    const c3 = [...c2, ...Array.from({ length: 120 }, (_, i) => 131 - 0.3 * (i + 1))];
    const d3 = dailySeries(barsDataset('SPY:1d', c3));
    expect(equityRegime(d3, { ...defaults().equity, ma_band: 0.5 }).code[419]).toBe(0); // both momenta < 0 → BEAR inside the band
  });

  it('matches a naive re-implementation on a random walk (every row, warm-up included)', () => {
    const rng = createRng(3, 'test.equity');
    const c: number[] = [100];
    for (let i = 1; i < 700; i++) c.push(c[i - 1]! * Math.exp(0.012 * rng.normal() + 0.0002));
    const cfg = { ...defaults().equity, ma_band: 0.01 };
    const s = equityRegime(dailySeries(barsDataset('SPY:1d', c)), cfg);
    for (let i = 0; i < c.length; i++) {
      if (i < 252) {
        expect(Number.isNaN(s.code[i]!)).toBe(true);
        continue;
      }
      let sum = 0;
      for (let k = i - 199; k <= i; k++) sum += c[k]!;
      const ma = sum / 200;
      const r = [c[i]! / c[i - 126]! - 1, c[i]! / c[i - 252]! - 1];
      const expected = c[i]! > ma * 1.01 && r.every((x) => x > 0) ? 2 : c[i]! < ma * 0.99 || r.every((x) => x < 0) ? 0 : 1;
      expect(s.code[i]).toBe(expected);
    }
  });

  it('stays NaN (→ neutral) for a series shorter than the warm-up, and for NaN closes', () => {
    const s = equityRegime(dailySeries(barsDataset('SPY:1d', [1, 2, 3])), defaults().equity);
    expect([...s.code].every(Number.isNaN)).toBe(true);
    const withNaN = close.slice();
    withNaN[270] = Number.NaN;
    const s2 = equityRegime(dailySeries(barsDataset('SPY:1d', withNaN)), defaults().equity);
    expect(Number.isNaN(s2.code[270]!)).toBe(true);
  });
});
