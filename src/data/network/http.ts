/**
 * HTTP for the sources we call without ccxt (Yahoo through yahoo-finance2's `fetch` option,
 * Alpaca, FRED): Node's global fetch with a per-request timeout, pacing, and retry of transient
 * answers (429/418 with Retry-After or X-RateLimit-Reset, 5xx, network errors). Non-transient
 * answers (4xx) are returned to the caller, which reads the source's own error shape.
 */
import { CancelledError } from '../../core/errors.js';
import type { Pacer } from './pacer.js';
import { parseRateLimitReset, parseRetryAfter, TransientError, withRetry, type RetryContext } from './retry.js';

export interface HttpContext extends RetryContext {
  readonly pacer: Pacer;
  readonly timeoutMs: number;
}

/** One GET (or other init) with pacing, timeout and retry; returns the first non-transient Response. */
export async function fetchWithRetry(ctx: HttpContext, url: string, init: RequestInit = {}): Promise<Response> {
  return withRetry(ctx, async () => {
    await ctx.pacer.take();
    ctx.stats.requests++;
    const signals = [AbortSignal.timeout(ctx.timeoutMs)];
    if (ctx.deps.signal) signals.push(ctx.deps.signal);
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (err) {
      if (ctx.deps.signal?.aborted) throw new CancelledError();
      throw new TransientError(`network error: ${networkCause(err, url)}`, 'network');
    }
    const status = res.status;
    if (status === 429 || status === 418 || status >= 500) {
      const now = ctx.deps.now();
      const wait =
        parseRetryAfter(res.headers.get('retry-after'), now) ??
        (status === 429 ? parseRateLimitReset(res.headers.get('x-ratelimit-reset'), now) : undefined);
      const body = (await res.text().catch(() => '')).slice(0, 200);
      const reason = status >= 500 ? 'server' : 'rate-limit';
      throw new TransientError(`HTTP ${status}${body ? ` ${body}` : ''}`, reason, status, wait);
    }
    return res;
  });
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** GET a JSON document (see fetchWithRetry); `body` is undefined when the text is not JSON. */
export async function getJson(ctx: HttpContext, url: string, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const res = await fetchWithRetry(ctx, url, { headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** Replace the origin (scheme://host:port) of `url` by `base` when `base` is set, keeping path and query. */
export function rebase(url: string, base: string): string {
  if (!base) return url;
  const u = new URL(url);
  const b = base.replace(/\/+$/, '');
  // new URL('https://api.kraken.com').pathname is '/': keep a trailing slash only if the URL had one.
  const path = url.split('?')[0]!.endsWith('/') ? u.pathname : u.pathname.replace(/\/+$/, '');
  return `${b}${path}${u.search}`;
}

/**
 * What went wrong with a request that got no answer, in words: fetch wraps the socket error in a
 * TypeError ("fetch failed") whose cause has the code, sometimes inside an AggregateError (one
 * error per address tried).
 */
export function networkCause(err: unknown, url: string): string {
  const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the text as given
  }
  const words: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${host} (nothing listening there?)`,
    ENOTFOUND: `host ${host} not found (DNS)`,
    ECONNRESET: `connection to ${host} reset`,
    ETIMEDOUT: `connection to ${host} timed out`,
    EAI_AGAIN: `cannot resolve ${host} right now (DNS)`,
  };
  if (code) return words[code] ?? `${code} talking to ${host}`;
  if ((err as Error).name === 'TimeoutError') return `no answer from ${host} in time`;
  return `cannot reach ${host} (${(err as Error).message})`;
}
