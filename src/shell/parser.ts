/**
 * Command-line parsing: tokenising with shell-like quoting, then mapping tokens onto a command's
 * zod object schema (positional fields in order, `--kebab-case` flags, bare boolean switches).
 */
import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { AnyCommand } from './command.js';
import { fromFlag, isArrayField, isBooleanField, toFlag } from './zod-introspect.js';
import { suggest } from '../core/suggest.js';
import { formatIssues } from '../config/load.js';

/** Split a line into words. Single and double quotes group; backslash escapes the next character. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new UserError(`unclosed ${quote} quote`, 'input');
  if (inWord) out.push(cur);
  return out;
}

/** True for a word that is a flag (not a negative number). */
const isFlag = (w: string): boolean => w.startsWith('--') && w.length > 2;

/** The schema field a flag sets: its own name, or the field it is an alias of (`flagAliases`). */
export function resolveFlagKey(cmd: AnyCommand, key: string): string {
  const aliases = cmd.flagAliases;
  return aliases && Object.hasOwn(aliases, key) ? aliases[key]! : key;
}

/**
 * Map words (after the command name) onto the schema's fields. Returns the raw object handed to
 * `schema.safeParse`; throws UserError for unknown flags, missing flag values and extra words.
 */
export function bindArgs(cmd: AnyCommand, words: readonly string[], label = cmd.name): Record<string, unknown> {
  const shape = cmd.schema.shape as Record<string, z.ZodType>;
  const positional = cmd.positional ?? [];
  // Null prototype: a flag named like an Object member (--constructor, --__proto__, --to-string) is
  // just an unknown key here, never a prototype lookup or a prototype write.
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!isFlag(w)) {
      rest.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    const flag = eq > 0 ? w.slice(0, eq) : w;
    const key = resolveFlagKey(cmd, fromFlag(flag));
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field || positional.includes(key)) {
      const flags = Object.keys(shape).filter((k) => !positional.includes(k)).map(toFlag);
      const hint = suggest(flag, flags);
      throw new UserError(
        `unknown flag ${flag}${hint ? `; did you mean ${hint}?` : flags.length ? ` (flags: ${flags.join(' ')})` : ' (it takes no flags)'}`,
        label,
      );
    }
    let value: string | boolean;
    if (eq > 0) value = w.slice(eq + 1);
    else if (isBooleanField(field)) value = true;
    else {
      const next = words[i + 1];
      if (next === undefined || isFlag(next)) throw new UserError(`${flag} needs a value`, label);
      value = next;
      i++;
    }
    if (isBooleanField(field) && typeof value === 'string') {
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(value)) throw new UserError(`${flag} takes true or false, got '${value}'`, label);
      value = ['true', '1', 'yes'].includes(value);
    }
    if (isArrayField(field)) {
      const prev = (raw[key] as unknown[] | undefined) ?? [];
      raw[key] = [...prev, ...String(value).split(',').filter((s) => s !== '')];
    } else {
      if (key in raw) throw new UserError(`${flag} given twice`, label);
      raw[key] = value;
    }
  }
  let p = 0;
  for (const key of positional) {
    if (p >= rest.length) break;
    const field = shape[key]!;
    if (isArrayField(field)) {
      raw[key] = rest.slice(p);
      p = rest.length;
    } else {
      raw[key] = rest[p++];
    }
  }
  if (p < rest.length) {
    throw new UserError(`unexpected argument '${rest[p]}'${positional.length ? '' : ` (${label} takes no positional arguments)`}`, label);
  }
  return raw;
}

/** Validate bound words with the schema; errors name the argument as the user typed it. */
export function validateArgs(cmd: AnyCommand, raw: Record<string, unknown>, label = cmd.name): Record<string, unknown> {
  const parsed = cmd.schema.safeParse(raw);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const positional = cmd.positional ?? [];
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const name = !key ? 'arguments' : positional.includes(key) ? `<${key}>` : toFlag(key);
  const given = key in raw ? ` (got '${String(raw[key])}')` : '';
  const missing = !(key in raw) && issue.code === 'invalid_type';
  const message = missing ? 'is required' : `${issue.message.replace(/^Invalid input: /, '')}${given}`;
  throw new UserError(`${name} ${message}`, label);
}

export { formatIssues };
