/** The retry policy: deterministic backoff schedule, Retry-After parsing, giving up, cancelling. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRateLimitReset, parseRetryAfter, TransientError, withRetry } from '../../../src/data/network/retry.js';
import { CancelledError, UserError } from '../../../src/core/errors.js';
import { newStats } from '../../../src/data/network/types.js';
import { retrySection } from '../../../src/config/sections/network.js';
import { fakeClock } from './helpers.js';

const policy = retrySection.parse({ max_attempts: 4, base_delay_ms: 500, factor: 3, max_delay_ms: 10_000, max_retry_after_ms: 30_000 });

describe('backoffDelay', () => {
  it('grows base·factor^(k−1) and stops at max_delay_ms', () => {
    expect([1, 2, 3, 4, 5].map((k) => backoffDelay(policy, k))).toEqual([500, 1500, 4500, 10_000, 10_000]);
  });
});

describe('parseRetryAfter / parseRateLimitReset', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it('reads delta-seconds, fractions and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0.25 ', now)).toBe(250);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRateLimitReset('abc', now)).toBeUndefined();
  });
  it('turns an epoch-seconds reset into a wait', () => {
    expect(parseRateLimitReset(String(now / 1000 + 3), now)).toBe(3000);
    expect(parseRateLimitReset(String(now / 1000 - 3), now)).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries transient failures on the schedule, using a server wait when given', async () => {
    const clock = fakeClock(0);
    const stats = newStats();
    let n = 0;
    const value = await withRetry({ policy, deps: clock.deps, stats, what: 'test' }, async () => {
      n++;
      if (n === 1) throw new TransientError('HTTP 503', 'server', 503);
      if (n === 2) throw new TransientError('HTTP 429', 'rate-limit', 429, 2500);
      if (n === 3) throw new TransientError('reset', 'network');
      return 'done';
    });
    expect(value).toBe('done');
    expect(clock.sleeps).toEqual([500, 2500, 4500]);
    expect(stats.retries.map((e) => [e.attempt, e.reason, e.fromServer])).toEqual([
      [1, 'server', false],
      [2, 'rate-limit', true],
      [3, 'network', false],
    ]);
  });

  it('gives up after max_attempts with a message naming the count', async () => {
    const clock = fakeClock(0);
    let n = 0;
    const p = withRetry({ policy, deps: clock.deps, stats: newStats(), what: 'fred T10Y2Y' }, async () => {
      n++;
      throw new TransientError('HTTP 502', 'server', 502);
    });
    await expect(p).rejects.toThrow(new UserError('fred T10Y2Y: still failing after 4 attempts (HTTP 502); try again later or raise network.retry.max_attempts', 'network'));
    expect(n).toBe(4);
    expect(clock.sleeps).toEqual([500, 1500, 4500]);
  });

  it('does not retry other errors, and classify can turn a foreign error transient', async () => {
    const clock = fakeClock(0);
    let n = 0;
    await expect(
      withRetry({ policy, deps: clock.deps, stats: newStats(), what: 't' }, async () => {
        n++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(n).toBe(1);
    let m = 0;
    const ok = await withRetry(
      { policy, deps: clock.deps, stats: newStats(), what: 't', classify: (e) => ((e as Error).message === 'flaky' ? new TransientError('flaky', 'network') : undefined) },
      async () => {
        if (m++ === 0) throw new Error('flaky');
        return 1;
      },
    );
    expect(ok).toBe(1);
  });

  it('stops with the ban end instead of waiting longer than max_retry_after_ms', async () => {
    const clock = fakeClock(Date.parse('2024-01-01T00:00:00Z'));
    const p = withRetry({ policy, deps: clock.deps, stats: newStats(), what: 'binance klines' }, async () => {
      throw new TransientError('HTTP 418', 'rate-limit', 418, 120_000);
    });
    await expect(p).rejects.toThrow(/wait 120 s \(until 2024-01-01T00:02:00.000Z\) — the IP is banned/);
    expect(clock.sleeps).toEqual([]);
  });

  it('is cancelled by the abort signal between attempts', async () => {
    const controller = new AbortController();
    const clock = fakeClock(0);
    const deps = { ...clock.deps, signal: controller.signal };
    const p = withRetry({ policy, deps, stats: newStats(), what: 't' }, async () => {
      controller.abort();
      throw new TransientError('HTTP 500', 'server', 500);
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });
});
