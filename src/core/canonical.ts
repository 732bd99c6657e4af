import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, non-finite numbers spelled as strings
 * ("NaN", "Infinity", "-Infinity") so they do not collapse into null, and -0 written as 0.
 * JavaScript's number-to-string is the shortest round-trip form (ECMA-262 Number::toString),
 * so the same value prints the same way on every platform.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

function write(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return '"NaN"';
      if (v === Infinity) return '"Infinity"';
      if (v === -Infinity) return '"-Infinity"';
      return Object.is(v, -0) ? '0' : JSON.stringify(v);
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'object': {
      if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
      if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>, write).join(',')}]`;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialise a ${typeof v}`);
  }
}

/** sha256 hex of canonical JSON. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** sha256 hex of raw bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A short digest for display (first 12 hex characters). */
export const short = (digest: string): string => digest.slice(0, 12);
