/**
 * Tab completion for the shell prompt: a pure function of (registry, session, line).
 *
 * It completes, at the end of the line, whichever token is being typed:
 *   - the first token: command names;
 *   - the second token of a command with subcommands: subcommand names;
 *   - a token starting with `-`: the command's `--kebab-case` flags (schema keys, camelCase →
 *     kebab-case) and `--help`, except flags already given;
 *   - a value after a flag or in a positional slot: from the field's `completion` source
 *     ('dataset', 'symbol', 'command', 'config', 'path', 'run' or a fixed list), else from a zod enum.
 *     'run' offers 'last' and the ids the caller's `extra.runIds` knows now (it must not wait).
 * Matching is by prefix, case-sensitive first and case-insensitive when nothing matches.
 * The filesystem is read only for the 'path' source.
 */
import { readdirSync } from 'node:fs';
import type { z } from 'zod';
import type { AnyCommand, CompletionSource } from './command.js';
import { baseType, enumValues, fromFlag, isArrayField, isBooleanField, toFlag } from './zod-introspect.js';
import type { Session } from './session.js';
import { resolveFlagKey } from './parser.js';

/** The part of the registry completion needs (src/shell/registry.ts `Registry` satisfies it). */
export interface CompletionRegistry {
  readonly commands: ReadonlyMap<string, AnyCommand>;
  subcommands(name: string): ReadonlyMap<string, AnyCommand> | undefined;
}

/** The part of the session completion needs. */
export type CompletionSession = Pick<Session, 'datasets' | 'symbols' | 'config' | 'resolvePath'>;

/** Values that live outside the session, supplied by the caller. */
export interface CompletionExtra {
  /** Stored run ids known now (never waits: src/shell/run-id-cache.ts); undefined while the first read runs (Tab then offers nothing, not just 'last'). */
  readonly runIds?: () => readonly string[] | undefined;
}

export interface Completion {
  /** Index in the line where the token being completed starts; candidates replace line.slice(start). */
  readonly start: number;
  /** Full replacement tokens, sorted and unique. Empty when nothing applies. */
  readonly candidates: string[];
}

interface Token {
  readonly text: string;
  readonly start: number;
}

/** Split on whitespace, remembering where each token starts. A trailing space opens an empty token. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) tokens.push({ text: m[0], start: m.index });
  const last = tokens[tokens.length - 1];
  if (!last || last.start + last.text.length < line.length) tokens.push({ text: '', start: line.length });
  return tokens;
}

export const toKebab = (key: string): string => toFlag(key).slice(2);

const shapeOf = (cmd: AnyCommand): Record<string, z.ZodType> => cmd.schema.shape as Record<string, z.ZodType>;
const fieldIs = (cmd: AnyCommand, key: string, test: (t: z.ZodType) => boolean): boolean => {
  const field = shapeOf(cmd)[key];
  return field !== undefined && test(field);
};

/** Every dotted key of a config object: sections and leaves ('backtest', 'backtest.fees_bps', ...). */
export function configKeys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.push(path, ...configKeys(v, path));
  }
  return out;
}

/** Entries of the directory typed so far ('data/se' lists data/), directories with a trailing '/'. */
function pathCandidates(session: CompletionSession, partial: string): string[] {
  const slash = partial.lastIndexOf('/');
  const typedDir = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const showHidden = partial.slice(slash + 1).startsWith('.');
  try {
    return readdirSync(session.resolvePath(typedDir === '' ? '.' : typedDir), { withFileTypes: true })
      .filter((e) => showHidden || !e.name.startsWith('.'))
      .map((e) => typedDir + e.name + (e.isDirectory() ? '/' : ''));
  } catch {
    return [];
  }
}

function valuesFor(
  source: CompletionSource | undefined,
  cmd: AnyCommand,
  key: string,
  registry: CompletionRegistry,
  session: CompletionSession,
  partial: string,
  extra: CompletionExtra = {},
): string[] {
  if (source === undefined) {
    const field = shapeOf(cmd)[key];
    if (!field) return [];
    const base = baseType(field) as z.ZodType & { element?: z.ZodType };
    return enumValues(isArrayField(field) && base.element ? base.element : field) ?? [];
  }
  if (typeof source !== 'string') return [...source];
  switch (source) {
    case 'dataset':
      return [...session.datasets.keys()];
    case 'symbol':
      return session.symbols();
    case 'command':
      return [...registry.commands.keys()];
    case 'config':
      return configKeys(session.config);
    case 'path':
      return pathCandidates(session, partial);
    case 'run': {
      if (!extra.runIds) return ['last'];
      const ids = extra.runIds();
      return ids ? ['last', ...ids] : [];
    }
  }
  return [];
}

function match(candidates: readonly string[], partial: string): string[] {
  const uniq = [...new Set(candidates)].sort();
  const exact = uniq.filter((c) => c.startsWith(partial));
  if (exact.length > 0 || partial === '') return exact;
  const lower = partial.toLowerCase();
  return uniq.filter((c) => c.toLowerCase().startsWith(lower));
}

const none = (start: number): Completion => ({ start, candidates: [] });

/** Completion candidates for the token at the end of `line`. */
export function complete(registry: CompletionRegistry, session: CompletionSession, line: string, extra: CompletionExtra = {}): Completion {
  const tokens = tokenize(line);
  const current = tokens[tokens.length - 1]!;
  if (tokens.length === 1) return { start: current.start, candidates: match([...registry.commands.keys()], current.text) };

  let cmd = registry.commands.get(tokens[0]!.text);
  if (!cmd) return none(current.start);
  let rest = tokens.slice(1);
  const subs = cmd.subcommands ? registry.subcommands(cmd.name) : undefined;
  // `runs --since …`: flags right after a command with subcommands are the command's own
  if (subs && !rest[0]!.text.startsWith('-')) {
    if (rest.length === 1) return { start: current.start, candidates: match([...subs.keys()], current.text) };
    const sub = subs.get(rest[0]!.text);
    if (!sub) return none(current.start);
    cmd = sub;
    rest = rest.slice(1);
  }

  const shape = shapeOf(cmd);
  const positional = cmd.positional ?? [];
  const flagKeys = Object.keys(shape).filter((k) => !positional.includes(k));

  // Walk the finished tokens: which flags were given, how many positional slots are filled.
  const given = new Set<string>();
  let positionalCount = 0;
  let pendingFlag: string | undefined;
  for (const tok of rest.slice(0, -1)) {
    if (pendingFlag !== undefined) {
      pendingFlag = undefined;
      continue;
    }
    if (tok.text.startsWith('--')) {
      const [name, value] = tok.text.slice(2).split('=', 2) as [string, string | undefined];
      const key = resolveFlagKey(cmd, fromFlag(name));
      given.add(key);
      if (value === undefined && key in shape && !fieldIs(cmd, key, isBooleanField)) pendingFlag = key;
    } else {
      positionalCount++;
    }
  }

  const source = (key: string): CompletionSource | undefined => cmd.completion?.[key];
  if (pendingFlag !== undefined) {
    return { start: current.start, candidates: match(valuesFor(source(pendingFlag), cmd, pendingFlag, registry, session, current.text, extra), current.text) };
  }
  if (current.text.startsWith('--') && current.text.includes('=')) {
    const eq = current.text.indexOf('=');
    const key = resolveFlagKey(cmd, fromFlag(current.text.slice(2, eq)));
    const partial = current.text.slice(eq + 1);
    if (!(key in shape)) return none(current.start + eq + 1);
    return { start: current.start + eq + 1, candidates: match(valuesFor(source(key), cmd, key, registry, session, partial, extra), partial) };
  }
  if (current.text.startsWith('-')) {
    const aliasKeys = Object.entries(cmd.flagAliases ?? {}).filter(([, field]) => !given.has(field)).map(([alias]) => alias);
    const flags = [...flagKeys.filter((k) => !given.has(k) || fieldIs(cmd, k, isArrayField)), ...aliasKeys].map(toFlag);
    if (!given.has('help')) flags.push('--help');
    return { start: current.start, candidates: match(flags, current.text) };
  }
  const lastPositional = positional[positional.length - 1];
  const slot =
    positionalCount < positional.length
      ? positional[positionalCount]
      : lastPositional !== undefined && fieldIs(cmd, lastPositional, isArrayField)
        ? lastPositional
        : undefined;
  if (slot === undefined) return none(current.start);
  return { start: current.start, candidates: match(valuesFor(source(slot), cmd, slot, registry, session, current.text, extra), current.text) };
}

/** Longest common prefix of the candidates ('' for none). */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates) {
    let i = 0;
    while (i < prefix.length && i < c.length && prefix[i] === c[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/**
 * Apply a completion to the line: a single candidate replaces the token (plus a space unless it is
 * a directory); several extend the token to their common prefix. `ambiguous` lists the choices
 * still open, for the prompt to show.
 */
export function applyCompletion(line: string, completion: Completion): { line: string; ambiguous: string[] } {
  const { start, candidates } = completion;
  const typed = line.slice(start);
  if (candidates.length === 0) return { line, ambiguous: [] };
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return { line: line.slice(0, start) + only + (only.endsWith('/') ? '' : ' '), ambiguous: [] };
  }
  const prefix = commonPrefix(candidates);
  const next = prefix.length > typed.length ? line.slice(0, start) + prefix : line;
  return { line: next, ambiguous: candidates };
}
