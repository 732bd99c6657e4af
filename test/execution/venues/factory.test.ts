/**
 * createVenueBroker's refusals and the client order id format: an unknown broker name, missing keys
 * (the variable names are given, never a value), and ids every venue accepts — Binance's
 * newClientOrderId pattern ^[.A-Z:/a-z0-9_-]{1,36}$, Kraken's UUID form, Alpaca's ≤ 128 characters —
 * that stay the same for the same run and order and differ otherwise.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { createVenueBroker, venueClientOrderId } from '../../../src/execution/venues/index.js';

describe('createVenueBroker', () => {
  it('refuses an unknown broker name, listing the choices', async () => {
    await expect(createVenueBroker('bitmex', { symbols: ['BTCUSDT'], env: {} })).rejects.toThrow(/unknown broker 'bitmex' \(choose sim, binance, binanceusdm, kraken, krakenfutures, alpaca\)/);
  });

  it('refuses to start without keys, naming the variables to set', async () => {
    const p = createVenueBroker('kraken', { symbols: ['XBTUSD'], env: { KRAKEN_API_KEY: 'onlyTheKeyNoSecret' } });
    await expect(p).rejects.toBeInstanceOf(UserError);
    await expect(p).rejects.toThrow(/kraken needs API keys: set KRAKEN_API_KEY and KRAKEN_API_SECRET/);
    await expect(p).rejects.not.toThrow(/onlyTheKeyNoSecret/);
  });

  it('refuses kraken in sandbox mode without a base URL: Kraken spot has no sandbox', async () => {
    const env = { KRAKEN_API_KEY: 'k'.repeat(20), KRAKEN_API_SECRET: Buffer.from('s'.repeat(20)).toString('base64') };
    await expect(createVenueBroker('kraken', { symbols: ['XBTUSD'], env })).rejects.toThrow(/kraken has no spot sandbox/);
  });
});

describe('venue client order ids', () => {
  it('are RFC 9562 version-5 UUIDs every venue accepts, stable per (run, order) and distinct otherwise', () => {
    const a = venueClientOrderId('paper-1', 'paper-1-17');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
    expect(venueClientOrderId('paper-1', 'paper-1-17')).toBe(a);
    expect(venueClientOrderId('paper-2', 'paper-1-17')).not.toBe(a);
    expect(venueClientOrderId('paper-1', 'paper-1-18')).not.toBe(a);
    // the separator keeps ('a', 'bc') and ('ab', 'c') apart
    expect(venueClientOrderId('a', 'bc')).not.toBe(venueClientOrderId('ab', 'c'));
  });
});
