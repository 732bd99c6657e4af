/**
 * Volatility compression → expansion: the channel of the previous W bars is among the narrowest
 * of its own history (width rank ≤ pct among K widths taken every `step` bars), and the close
 * breaks out of it. Direction: the breakout's. The detector is the market's published
 * compression rule (createCompressionDetector: monotonic-deque channels, one event per horizon).
 */
import { createCompressionDetector } from '../../data/synthetic/triggers/vol-compression.js';
import { DAY } from '../../core/time.js';
import { columnProblem, scaled, type EventFamily, type FamilyEvent, type FamilyParams } from '../types.js';

export const volCompression: EventFamily = {
  id: 'vol_compression',
  title: 'volatility compression → expansion',
  rule: 'the W-bar channel ranks in the narrowest pct of its history and the close breaks it; direction = breakout',
  defaults: (barMs) =>
    barMs >= DAY
      ? { channel_bars: 10, percentile: 0.1, history: 60, step_bars: 5, cooldown_bars: 5 }
      : { channel_bars: 32, percentile: 0.1, history: 180, step_bars: 16, cooldown_bars: 16 },
  perturb: (p) => [
    { ...p, percentile: p['percentile']! * 0.7 },
    { ...p, percentile: p['percentile']! * 1.5 },
    { ...p, channel_bars: scaled(p['channel_bars']!, 1.25) },
  ],
  unusable: (a) => columnProblem(a, 'close', a.close) ?? columnProblem(a, 'high', a.high),
  detect(a, p: FamilyParams): FamilyEvent[] {
    const n = a.close.length;
    const det = createCompressionDetector(n, {
      channel_bars: p['channel_bars']!,
      percentile: p['percentile']!,
      history: p['history']!,
      step_bars: p['step_bars']!,
      horizon_bars: p['cooldown_bars']!,
    });
    const out: FamilyEvent[] = [];
    for (let t = 0; t < n; t++) {
      const d = det.observe(t, a.high[t]!, a.low[t]!, a.close[t]!);
      if (d !== 0) out.push({ row: t, direction: d > 0 ? 1 : -1 });
    }
    return out;
  },
};
