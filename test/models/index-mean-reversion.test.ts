import { describe, expect, it } from 'vitest';
import { createIndexMeanReversion, indexMeanReversionParams } from '../../src/models/index.js';
import { barsFromCloses, decisionsOf, drive } from './fake-context.js';

const p = indexMeanReversionParams.parse({
  symbols: ['SPY'],
  rsi_period: 2,
  rsi_entry: 10,
  rsi_exit: 70,
  bb_period: 5,
  bb_k: 1,
  time_stop_bars: 3,
  position_weight: 0.5,
});

describe('index_mean_reversion', () => {
  it('enters on RSI < 10 below the lower band and exits on reversion to the mean', () => {
    // i=5: closes 101,100,96 → RSI(2) = 0; band 99.6 − 1.8547 = 97.745 > 96 → enter.
    // i=8: close 99 ≥ SMA5(100,96,93,94,99) = 96.4 → exit.
    const d = decisionsOf(drive(createIndexMeanReversion(p), { SPY: barsFromCloses([100, 101, 100, 101, 100, 96, 93, 94, 99, 100]) }));
    expect(d).toEqual([
      [5, { SPY: 0.5 }],
      [8, { SPY: 0 }],
    ]);
  });
  it('exits on the time stop after 3 bars and can re-enter on the next bar', () => {
    // entry i=5; i=8 is 3 bars later → exit; i=9: RSI 0 and 90 < 92.4 − 2.059 → re-enter.
    const d = decisionsOf(drive(createIndexMeanReversion(p), { SPY: barsFromCloses([100, 101, 100, 101, 100, 96, 93, 92, 91, 90]) }));
    expect(d).toEqual([
      [5, { SPY: 0.5 }],
      [8, { SPY: 0 }],
      [9, { SPY: 0.5 }],
    ]);
  });
  it('does nothing on a flat series (RSI 50, σ 0)', () => {
    expect(decisionsOf(drive(createIndexMeanReversion(p), { SPY: barsFromCloses(new Array(12).fill(100)) }))).toEqual([]);
  });
});
