/**
 * One place that maps a source id to its client, and the real (non-test) sleep. The wall clock is
 * not read here: callers pass `now` (the commands pass Date.now; tests a fake clock).
 */
import { CancelledError } from '../../core/errors.js';
import type { NetworkConfig } from '../../config/sections/network.js';
import { AlpacaSource } from './alpaca-source.js';
import { CcxtSource } from './ccxt-source.js';
import { FredSource } from './fred-source.js';
import { YahooSource } from './yahoo-source.js';
import type { NetworkDeps, NetworkSource, NetworkSourceId } from './types.js';

export function createNetworkSource(id: NetworkSourceId, config: NetworkConfig, deps: NetworkDeps): NetworkSource {
  switch (id) {
    case 'binance':
    case 'binanceusdm':
    case 'kraken':
      return new CcxtSource(id, config, deps);
    case 'yahoo':
      return new YahooSource(config, deps);
    case 'alpaca':
      return new AlpacaSource(config, deps);
    case 'fred':
      return new FredSource(config, deps);
  }
}

/** Wait `ms` on a timer; rejects with CancelledError as soon as `signal` fires. */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
