import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../../src/core/time.js';
import { computeRuleRegimes } from '../../../src/regime/compute.js';
import { dailySeries } from '../../../src/regime/daily.js';
import { cryptoRegime } from '../../../src/regime/rules/crypto.js';
import { barsDataset, defaults, T0 } from '../fixtures.js';

describe('crypto regime', () => {
  it('is RISK_ON above the 200-day MA with positive 60-day momentum, RISK_OFF otherwise', () => {
    // Rising 1 %/day for 230 days, then flat for 70 days: the 60-day momentum turns 0 (not > 0) on day 290.
    const c = Array.from({ length: 300 }, (_, i) => 100 * 1.01 ** Math.min(i, 229));
    const s = cryptoRegime(dailySeries(barsDataset('BTCUSDT:1d', c, { assetClass: 'crypto_perp' })), defaults().crypto);
    expect(Number.isNaN(s.code[198]!)).toBe(true);
    expect(s.code[199]).toBe(1);
    expect(s.code[288]).toBe(1); // c[288] = c[229] > c[228] = c[288 − 60]
    expect(s.code[289]).toBe(0); // c[289] = c[229] = c[289 − 60]: momentum exactly 0 → RISK_OFF
  });

  it('resamples 15m bars to UTC days: the flip is known when the day’s last bar closes', () => {
    // 15m bars: 96 per day; the daily close rises for 250 days, then day 250 closes far lower.
    const days = 251;
    const close: number[] = [];
    for (let d = 0; d < days; d++) for (let k = 0; k < 96; k++) close.push(d < 250 ? 100 + d + k / 100 : k < 95 ? 350 : 100);
    const ds = barsDataset('BTCUSDT:15m', close, { interval: '15m', stepMs: 15 * MINUTE, assetClass: 'crypto_perp' });
    const daily = dailySeries(ds);
    expect(daily.close.length).toBe(days);
    expect(daily.close[249]).toBeCloseTo(349.95, 12);
    expect(daily.knownAt[250]).toBe(T0 + 251 * DAY); // last bar opens 23:45, closes at midnight
    const tl = computeRuleRegimes({ crypto: daily }, defaults());
    expect(tl.lookup(T0 + 251 * DAY - 1).crypto).toBe('RISK_ON');
    expect(tl.lookup(T0 + 251 * DAY).crypto).toBe('RISK_OFF');
  });
});
