import { describe, expect, it } from 'vitest';
import { DAY } from '../../../src/core/time.js';
import { macroRegime } from '../../../src/regime/rules/macro.js';
import { defaults } from '../fixtures.js';

const series = (name: string, pts: [number, number][]) => ({ name, ts: Float64Array.from(pts.map((p) => p[0] * DAY)), value: Float64Array.from(pts.map((p) => p[1])) });

describe('macro regime', () => {
  const cfg = { ...defaults().macro, inversion_persist_days: 10 };

  it('EXPANSION with PMI > 50 and a positive curve; SLOWDOWN when either turns; RECESSION once PMI ≤ 50 and the inversion persists', () => {
    const pmi = series('MACRO:pmi', [[0, 52], [30, 49]]);
    const curve = series('MACRO:curve_slope', [[1, 0.5], [5, -0.1], [12, -0.2], [16, -0.3], [20, 0.1], [31, -0.1], [35, -0.1], [41, -0.2]]);
    const s = macroRegime(pmi, curve, cfg);
    expect([...s.knownAt].map((t) => t / DAY)).toEqual([0, 1, 5, 12, 16, 20, 30, 31, 35, 41]);
    // day 0: curve unknown → NaN; 1: EXPANSION; 5: inverted → SLOWDOWN; 12: inverted 7 days, PMI 52 → SLOWDOWN;
    // 16: 11 days but PMI > 50 → SLOWDOWN; 20: curve positive → EXPANSION; 30: PMI 49 → SLOWDOWN;
    // 31: new inversion starts; 35: 4 days → SLOWDOWN; 41: 10 days ≥ 10 → RECESSION
    expect([...s.code]).toEqual([Number.NaN, 2, 1, 1, 1, 2, 1, 1, 1, 0]);
  });

  it('uses only the series that exist: PMI alone or the curve alone never reach RECESSION', () => {
    expect([...macroRegime(series('p', [[0, 51], [1, 50]]), undefined, cfg).code]).toEqual([2, 1]);
    expect([...macroRegime(undefined, series('c', [[0, 1], [1, -1], [30, -1]]), cfg).code]).toEqual([2, 1, 1]);
  });

  it('takes simultaneous releases together', () => {
    const s = macroRegime(series('p', [[3, 45]]), series('c', [[3, 1]]), cfg);
    expect([...s.knownAt]).toEqual([3 * DAY]);
    expect([...s.code]).toEqual([1]);
  });
});
