/**
 * Secrets never leave the process in clear: every message, log line, transcript record and stored
 * row passes through `redact`, which replaces each configured secret (and its URL-encoded form) by
 * `[redacted]`. A server that echoes a request URL (`…?api_key=abc…`) in its error text is the
 * usual way a key would otherwise reach a transcript (docs/reliability.md).
 *
 * Secrets are the values of the environment variables edgelab reads keys from (`SECRET_ENV`),
 * of any variable whose name says it holds one (…_KEY, …_SECRET, …_TOKEN, …PASSWORD), and values
 * registered at run time by the code that reads them (a key under a renamed variable).
 */
export const SECRET_ENV = ['FRED_API_KEY', 'APCA_API_KEY_ID', 'APCA_API_SECRET_KEY'] as const;

const SECRET_NAME = /(_KEY|_KEY_ID|SECRET|TOKEN|PASSWORD|PASSPHRASE)$/i;
/** Shorter values are not treated as secrets (they would redact ordinary words and numbers). */
const MIN_LENGTH = 6;

const registered = new Set<string>();

/** Treat `value` as a secret from now on (the code that reads a key calls this). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_LENGTH) registered.add(value);
}

/** Every secret value known now: the named environment variables, look-alike names, registered values. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set(registered);
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_LENGTH) continue;
    if ((SECRET_ENV as readonly string[]).includes(name) || SECRET_NAME.test(name)) out.add(value);
  }
  // longest first, so a secret containing another is replaced whole
  return [...out].sort((a, b) => b.length - a.length);
}

export const REDACTED = '[redacted]';

/** `text` with every secret (plain, URL-encoded and JSON-escaped) replaced by [redacted]. */
export function redact(text: string): string {
  let out = text;
  for (const s of secretValues()) {
    for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** A JSON-like value with every string redacted (objects and arrays copied). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
