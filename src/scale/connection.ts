/**
 * Where the Redis of a scale-out sweep is (docs/scale-out.md): `--redis URL`, else config
 * `scale.redis_url`. Only `redis://` and `rediss://` URLs with a host are accepted, so a typo fails
 * here in one line instead of as a connection timeout later.
 */
import { UserError } from '../core/errors.js';

export interface RedisTarget {
  /** The URL as given (shown to the user; credentials redacted by src/core/redact.ts when registered). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
}

export function parseRedisUrl(raw: string, where = '--redis'): RedisTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`not a URL: '${raw}' (expected redis://HOST:PORT, e.g. redis://127.0.0.1:6379)`, where);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(`expected a redis:// or rediss:// URL, got '${u.protocol}'`, where);
  if (!u.hostname) throw new UserError(`'${raw}' names no host`, where);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText ? Number(dbText) : 0;
  if (!Number.isInteger(db) || db < 0) throw new UserError(`the database number '${dbText}' is not a non-negative integer`, where);
  return { url: raw, host: u.hostname, port, db };
}

/**
 * BullMQ connection options. Workers need `maxRetriesPerRequest: null` (blocking commands must not
 * give up while Redis restarts); the shell's queue side uses the same so a Redis restart during a
 * sweep is waited out, not turned into lost results.
 */
export function bullConnection(target: RedisTarget): { url: string; maxRetriesPerRequest: null; enableOfflineQueue: boolean; retryStrategy: (times: number) => number } {
  return { url: target.url, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: (times) => Math.min(50 * times, 1000) };
}
