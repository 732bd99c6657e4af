import { describe, expect, it } from 'vitest';
import { createVolCompression, volCompressionParams } from '../../src/models/index.js';
import { decisionsOf, drive, type FakeBars } from './fake-context.js';

const HOUR = 3_600_000;
type Row = [number, number, number, number];
/** Six wide bars (TR 4), two narrow (TR 1), then a breakout bar closing 102.5. */
const setup = (): Row[] => [
  ...Array.from({ length: 6 }, (): Row => [100, 102, 98, 100]),
  [100, 100.5, 99.5, 100],
  [100, 100.5, 99.5, 100],
  [100, 103, 100, 102.5],
];
const quiet = (c: number): Row => [c, c + 0.5, c - 0.5, c];
function scenario(after: number[], t0 = Date.UTC(2024, 0, 1), rows: Row[] = [...setup(), ...after.map(quiet)]): FakeBars {
  const col = (k: number) => Float64Array.from(rows.map((r) => r[k]!));
  return { ts: Float64Array.from(rows.map((_, i) => t0 + i * HOUR)), open: col(0), high: col(1), low: col(2), close: col(3) };
}
const base = { symbol: 'BTCUSDT', atr_fast: 2, atr_slow: 6, compression_ratio: 0.6, box_bars: 2, confirm_atr: 0, stop_atr: 1, target_atr: 2, max_hold_bars: 5 };

describe('vol_compression_v1', () => {
  // At i=8 (as of bar 7): ATR2 = 1, ATR6 = (4·4 + 1 + 1)/6 = 3 → ratio 1/3 ≤ 0.6; box high 100.5 <
  // close 102.5 → long; stop 102.5 − 3 = 99.5, target 102.5 + 6 = 108.5. (At i=7 the ratio is 0.71.)
  it('enters on a confirmed breakout from compression with a stop hint, exits on time', () => {
    const steps = drive(createVolCompression(volCompressionParams.parse(base)), { BTCUSDT: scenario([103, 104, 105, 106, 107, 107]) }, { interval: '1h' });
    const entry = steps.find((s) => s.i === 8)!.decision!;
    expect(entry.weights).toEqual({ BTCUSDT: 1 });
    expect(entry.stops!['BTCUSDT']!.stop).toBeCloseTo(99.5, 12);
    expect(decisionsOf(steps)).toEqual([
      [8, { BTCUSDT: 1 }],
      [13, { BTCUSDT: 0 }],
    ]);
  });
  it('exits at the target on a close at or beyond it', () => {
    const d = decisionsOf(drive(createVolCompression(volCompressionParams.parse(base)), { BTCUSDT: scenario([103, 109, 109]) }, { interval: '1h' }));
    expect(d).toEqual([
      [8, { BTCUSDT: 1 }],
      [10, { BTCUSDT: 0 }],
    ]);
  });
  it('forgets a trade the engine stopped out and takes no second entry the same UTC day', () => {
    // Entry at bar 8, the engine's stop fills in bar 9 (exposure 0 from bar 9), then a second
    // identical setup whose breakout is bar 18. Starting at 00:00 both entries fall on one UTC day;
    // starting at 10:00 the second breakout closes at 05:00 the next day and is taken.
    const rows = [...setup(), quiet(99), ...setup()];
    const run = (t0: number) =>
      decisionsOf(
        drive(createVolCompression(volCompressionParams.parse(base)), { BTCUSDT: scenario([], t0, rows) }, { interval: '1h', exposure: (i, _s, last) => (i === 9 ? 0 : last) }),
      );
    expect(run(Date.UTC(2024, 0, 1))).toEqual([[8, { BTCUSDT: 1 }]]);
    expect(run(Date.UTC(2024, 0, 1, 10))).toEqual([
      [8, { BTCUSDT: 1 }],
      [18, { BTCUSDT: 1 }],
    ]);
  });
  it('ratchets a trailing stop and never loosens it', () => {
    const steps = drive(createVolCompression(volCompressionParams.parse({ ...base, trail_atr: 1, target_atr: 10, max_hold_bars: 50 })), { BTCUSDT: scenario([103, 104, 103.5]) }, { interval: '1h' });
    const stops = steps.filter((s) => s.decision?.stops).map((s) => [s.i, s.decision!.stops!['BTCUSDT']!.stop]);
    expect(stops).toEqual([
      [8, 99.5],
      [9, 100],
      [10, 101],
    ]);
  });
  it('goes short on a downside breakout when allowed, and not otherwise', () => {
    const bars = scenario([]);
    (bars.close as Float64Array)[8] = 97.5;
    (bars.low as Float64Array)[8] = 97;
    (bars.high as Float64Array)[8] = 100;
    expect(decisionsOf(drive(createVolCompression(volCompressionParams.parse(base)), { BTCUSDT: bars }, { interval: '1h' }))).toEqual([[8, { BTCUSDT: -1 }]]);
    expect(decisionsOf(drive(createVolCompression(volCompressionParams.parse({ ...base, allow_short: false })), { BTCUSDT: bars }, { interval: '1h' }))).toEqual([]);
  });
});
