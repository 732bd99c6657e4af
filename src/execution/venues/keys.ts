/**
 * API keys come from the environment only (never from config files or arguments), and each value
 * read is registered with redact (src/core/redact.ts) at once, so no log line, error, transcript or
 * stored result can carry it in clear.
 */
import { registerSecret } from '../../core/redact.js';
import type { VenueName } from './types.js';
import { VenueError } from './types.js';

export interface VenueKeys {
  readonly key: string;
  readonly secret: string;
}

/** Environment variable names per venue: [key, secret]; binanceusdm falls back to the Binance pair. */
export const KEY_ENV: Readonly<Record<VenueName, readonly (readonly [string, string])[]>> = {
  binance: [['BINANCE_API_KEY', 'BINANCE_API_SECRET']],
  binanceusdm: [['BINANCE_USDM_API_KEY', 'BINANCE_USDM_API_SECRET'], ['BINANCE_API_KEY', 'BINANCE_API_SECRET']],
  kraken: [['KRAKEN_API_KEY', 'KRAKEN_API_SECRET']],
  // Kraken Futures keys are made on futures.kraken.com (or demo-futures.kraken.com), apart from spot keys
  krakenfutures: [['KRAKEN_FUTURES_API_KEY', 'KRAKEN_FUTURES_API_SECRET']],
  alpaca: [['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY']],
};

export function readVenueKeys(venue: VenueName, env: Readonly<Record<string, string | undefined>>): VenueKeys {
  for (const [keyName, secretName] of KEY_ENV[venue]) {
    const key = env[keyName];
    const secret = env[secretName];
    if (key && secret) {
      registerSecret(key);
      registerSecret(secret);
      return { key, secret };
    }
  }
  const [keyName, secretName] = KEY_ENV[venue][0]!;
  throw new VenueError('auth', `${venue} needs API keys: set ${keyName} and ${secretName} in the environment`);
}
