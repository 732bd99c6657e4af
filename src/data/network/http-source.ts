/**
 * What the sources we call over plain HTTP (Alpaca, FRED, Yahoo) share: their counters, and one
 * HTTP context that paces requests at the source's `rate_limit_ms` and retries by `network.retry`
 * with `network.timeout_ms` per request. ccxt exchanges page and pace through ccxt instead.
 */
import type { NetworkConfig } from '../../config/sections/network.js';
import type { HttpContext } from './http.js';
import { Pacer } from './pacer.js';
import { newStats, type NetworkDeps } from './types.js';

export abstract class HttpSource {
  readonly regularBars = false;
  readonly stats = newStats();
  protected readonly http: HttpContext;

  /** `what` names the requests in retry messages; `rateLimitMs` is the source's minimum spacing. */
  protected constructor(
    protected readonly config: NetworkConfig,
    protected readonly deps: NetworkDeps,
    what: string,
    rateLimitMs: number,
  ) {
    this.http = { policy: config.retry, deps, stats: this.stats, what, pacer: new Pacer(rateLimitMs, deps), timeoutMs: config.timeout_ms };
  }

  async close(): Promise<void> {}
}
