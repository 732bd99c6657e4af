import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/table.js';
import { getHmmLookup, getRegimeLookup, readRegimeState } from '../../src/regime/state.js';
import { shortConfig, T0 } from './fixtures.js';
import { smallMarket } from './market.js';
import { regimeSection } from '../../src/config/sections/regime.js';
import { DAY } from '../../src/core/time.js';

const session = (datasets: Map<string, Dataset>, regime = shortConfig()) => ({ seed: 1, config: { regime }, datasets, state: new Map<string, unknown>() });

describe('session regime state', () => {
  it('getRegimeLookup computes on demand, stores the timeline, and reuses it while inputs are unchanged', () => {
    const s = session(smallMarket(60, 2));
    expect(readRegimeState(s)).toBeUndefined();
    const a = getRegimeLookup(s);
    const stored = readRegimeState(s)!;
    expect(stored.used).toEqual(['SPY:1d', 'BTCUSDT:15m', 'MACRO:pmi', 'MACRO:curve_slope']);
    expect(getRegimeLookup(s)).toBe(a);
    expect(a(T0 + 59 * DAY).equity).toBe(stored.timeline.lookup(T0 + 59 * DAY).equity);
  });

  it('recomputes when a dataset changes or the config changes', () => {
    const m = smallMarket(60, 2);
    const s = session(m);
    const a = getRegimeLookup(s);
    m.delete('MACRO:pmi');
    const b = getRegimeLookup(s);
    expect(b).not.toBe(a);
    expect(readRegimeState(s)!.used).not.toContain('MACRO:pmi');
    s.config = { regime: regimeSection.parse({ ...shortConfig(), equity: { ma_days: 10, momentum_days: [3] } }) };
    expect(getRegimeLookup(s)).not.toBe(b);
  });

  it('getHmmLookup runs the configured HMM and caches it beside the rules', () => {
    const regime = regimeSection.parse({ hmm: { max_iterations: 20, restarts: 1 } });
    const s = session(smallMarket(80, 3), regime);
    const h = getHmmLookup(s);
    const snap = h(T0 + 79 * DAY);
    expect(snap).toBeDefined();
    expect(snap!.inSample).toBe(true);
    expect(Object.values(snap!.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(h(T0)).toBeUndefined(); // before the first observation
    expect(getHmmLookup(s)).toBe(h);
  });
});
