/**
 * Request pacing for the sources we call directly (Yahoo, Alpaca, FRED): at most one request per
 * `minIntervalMs`, measured on the injected clock. ccxt exchanges use ccxt's own rate limiter
 * (`enableRateLimit`, `rateLimit`) instead.
 */
import type { NetworkDeps } from './types.js';

export class Pacer {
  private last = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly minIntervalMs: number,
    private readonly deps: NetworkDeps,
  ) {}

  /** Wait until the next request is allowed, then mark it as sent. */
  async take(): Promise<void> {
    if (this.minIntervalMs > 0) {
      const wait = this.last + this.minIntervalMs - this.deps.now();
      if (wait > 0) await this.deps.sleep(wait, this.deps.signal);
    }
    this.last = this.deps.now();
  }
}
