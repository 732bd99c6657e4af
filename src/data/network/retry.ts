/**
 * Retry with deterministic exponential backoff.
 *
 * Wait before retry k (k = 1 after the first failure) is
 *   wait_k = min(max_delay_ms, base_delay_ms · factor^(k−1))
 * unless the server named a wait (Retry-After or X-RateLimit-Reset): then exactly that wait, as
 * long as it is no longer than max_retry_after_ms (a Binance 418 ban can last days: we stop and
 * say until when instead of hanging the session). No jitter: one client per session, and a fixed
 * schedule lets tests and transcripts show the same waits every time.
 *
 * Only transient failures are retried: rate limits (429, Binance 418), server errors (5xx) and
 * network errors. Everything else (bad symbol, bad key, 4xx) fails at once.
 */
import { redact } from '../../core/redact.js';
import { CancelledError, UserError } from '../../core/errors.js';
import type { RetryConfig } from '../../config/sections/network.js';
import type { FetchStats, NetworkDeps, RetryEvent } from './types.js';

/** A failure worth retrying. `retryAfterMs` is the server's own wait when it gave one. */
export class TransientError extends Error {
  readonly reason: RetryEvent['reason'];
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, reason: RetryEvent['reason'], status?: number, retryAfterMs?: number) {
    super(redact(message));
    this.name = 'TransientError';
    this.reason = reason;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The computed (schedule) wait before retry number `retry` (1-based). */
export function backoffDelay(policy: RetryConfig, retry: number): number {
  const raw = policy.base_delay_ms * Math.pow(policy.factor, retry - 1);
  return Math.min(policy.max_delay_ms, raw);
}

/**
 * Parse a Retry-After header: delta-seconds ('2', '0.5') or an HTTP date (compared with `now`).
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Alpaca-style X-RateLimit-Reset (epoch seconds) as a wait from `now`. */
export function parseRateLimitReset(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value) * 1000 - now);
}

export interface RetryContext {
  readonly policy: RetryConfig;
  readonly deps: NetworkDeps;
  readonly stats: FetchStats;
  /** What is being fetched, for messages: 'binanceusdm BTCUSDT klines'. */
  readonly what: string;
  /** Maps a thrown error to a TransientError (retry) or returns undefined (rethrow as is). */
  readonly classify?: (err: unknown) => TransientError | undefined;
}

/** Run `attempt` until it succeeds, a non-transient error is thrown, or attempts run out. */
export async function withRetry<T>(ctx: RetryContext, attempt: () => Promise<T>): Promise<T> {
  const { policy, deps, stats } = ctx;
  for (let n = 1; ; n++) {
    if (deps.signal?.aborted) throw new CancelledError();
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof CancelledError || err instanceof UserError) throw err;
      const t = err instanceof TransientError ? err : ctx.classify?.(err);
      if (!t) throw err;
      if (n >= policy.max_attempts) {
        throw new UserError(
          `${ctx.what}: still failing after ${n} attempts (${t.message}); try again later or raise network.retry.max_attempts`,
          'network',
        );
      }
      const fromServer = t.retryAfterMs !== undefined;
      const waitMs = fromServer ? t.retryAfterMs! : backoffDelay(policy, n);
      if (fromServer && waitMs > policy.max_retry_after_ms) {
        const until = new Date(deps.now() + waitMs).toISOString();
        throw new UserError(
          `${ctx.what}: the server asks us to wait ${Math.ceil(waitMs / 1000)} s (until ${until})${t.status === 418 ? ' — the IP is banned for exceeding request weight' : ''}; longer than network.retry.max_retry_after_ms, so stopping here`,
          'network',
        );
      }
      const event: RetryEvent = {
        attempt: n,
        waitMs,
        reason: t.reason,
        fromServer,
        ...(t.status !== undefined ? { status: t.status } : {}),
      };
      stats.retries.push(event);
      deps.log?.(`${ctx.what}: ${t.message}; retry ${n} in ${waitMs} ms`);
      await deps.sleep(waitMs, deps.signal);
    }
  }
}
