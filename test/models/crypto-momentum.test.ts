import { describe, expect, it } from 'vitest';
import { createCryptoMomentum, cryptoMomentumParams } from '../../src/models/index.js';
import { NEUTRAL_SNAPSHOT } from '../../src/regime/types.js';
import { barsFromCloses, decisionsOf, drive } from './fake-context.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1); // a Monday: bar i closes at Jan (2 + i), so bar 6 closes Monday Jan 8
const btc = barsFromCloses(Array.from({ length: 16 }, (_, i) => 100 + i), t0);
const eth = barsFromCloses([100, 100, 100, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220], t0);
const on = { ...NEUTRAL_SNAPSHOT, crypto: 'RISK_ON' as const };
const off = { ...NEUTRAL_SNAPSHOT, crypto: 'RISK_OFF' as const };

describe('crypto_momentum', () => {
  const p = cryptoMomentumParams.parse({ lookback_days: 3, top_n: 1, gate: 'regime' });
  const model = () => createCryptoMomentum(p, DAY);
  it('holds the top-momentum coin and rotates only at the weekly boundary', () => {
    // i=3: BTC +3 %, ETH 0 → BTC. i=6 (closes Monday): ETH 130/100 − 1 = 30 % > BTC 106/103 − 1 → ETH.
    const d = decisionsOf(drive(model(), { BTCUSDT: btc, ETHUSDT: eth }, { regime: () => on }));
    expect(d).toEqual([
      [3, { BTCUSDT: 1, ETHUSDT: 0 }],
      [6, { BTCUSDT: 0, ETHUSDT: 1 }],
    ]);
  });
  it('goes flat at once when the crypto regime turns off and re-enters only at the next week', () => {
    const offAt = t0 + 9 * DAY; // close of bar 8
    const d = decisionsOf(drive(model(), { BTCUSDT: btc, ETHUSDT: eth }, { regime: (t) => (t === offAt ? off : on) }));
    expect(d).toEqual([
      [3, { BTCUSDT: 1, ETHUSDT: 0 }],
      [6, { BTCUSDT: 0, ETHUSDT: 1 }],
      [8, { BTCUSDT: 0, ETHUSDT: 0 }],
      [13, { BTCUSDT: 0, ETHUSDT: 1 }],
    ]);
  });
  it('internal gate: flat while BTC is below its average', () => {
    const down = barsFromCloses(Array.from({ length: 16 }, (_, i) => 200 - i), t0);
    const q = cryptoMomentumParams.parse({ lookback_days: 3, gate: 'internal', gate_sma_days: 5 });
    const d = decisionsOf(drive(createCryptoMomentum(q, DAY), { BTCUSDT: down, ETHUSDT: eth }));
    expect(d).toEqual([[4, { BTCUSDT: 0, ETHUSDT: 0 }]]);
  });
  it('rejects a gate symbol outside the universe', () => {
    expect(cryptoMomentumParams.safeParse({ gate_symbol: 'SOLUSDT' }).success).toBe(false);
  });
});
