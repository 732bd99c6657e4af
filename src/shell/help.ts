/** Help text derived from command definitions and their zod schemas. */
import type { z } from 'zod';
import type { AnyCommand } from './command.js';
import type { Registry } from './registry.js';
import { descriptionOf, defaultOf, enumValues, isBooleanField, isOptional, isArrayField, toFlag } from './zod-introspect.js';
import type { Cell } from '../core/result.js';

/**
 * The usage line, generated from the command's schema so it names every argument: positionals in
 * order, then every flag. Value hints come from the command's hand-written `usage` when it shows
 * one for that flag (`--size units:N|equity:F`), else from the field's enum, default or name.
 */
export function usageOf(cmd: AnyCommand, label = cmd.name): string {
  const shape = cmd.schema.shape as Record<string, z.ZodType>;
  const positional = cmd.positional ?? [];
  const handHints = flagHints(cmd.usage ?? '');
  const pos = positional.map((k) => {
    const f = shape[k]!;
    const name = k.replace(/[A-Z]/g, (c) => `-${c}`).toUpperCase();
    const n = isArrayField(f) ? `${name}...` : name;
    return isOptional(f) ? `[${n}]` : n;
  });
  const flags = Object.keys(shape)
    .filter((k) => !positional.includes(k))
    .map((k) => {
      const flag = toFlag(k);
      return isBooleanField(shape[k]!) ? `[${flag}]` : `[${flag} ${handHints.get(flag) ?? valueHint(k, shape[k]!)}]`;
    });
  return [label, ...pos, ...flags].join(' ');
}

/** `--flag VALUE` pairs in a hand-written usage string. */
function flagHints(usage: string): Map<string, string> {
  const hints = new Map<string, string>();
  for (const m of usage.matchAll(/(--[a-z0-9-]+)\s+([^\s[\]-][^\s[\]]*)/g)) hints.set(m[1]!, m[2]!);
  return hints;
}

function valueHint(key: string, f: z.ZodType): string {
  const e = enumValues(f);
  if (e) return e.join('|');
  const d = defaultOf(f);
  if (typeof d === 'number' || (typeof d === 'string' && d !== '')) return String(d);
  const name = key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
  return isArrayField(f) ? `${name},...` : name;
}

/** Rows of (argument, description) for one command. */
export function argumentRows(cmd: AnyCommand): Cell[][] {
  const shape = cmd.schema.shape as Record<string, z.ZodType>;
  return Object.keys(shape).map((k) => {
    const f = shape[k]!;
    const isPos = (cmd.positional ?? []).includes(k);
    const d = defaultOf(f);
    const def = d === undefined || d === false ? '' : ` (default ${Array.isArray(d) ? d.join(',') || 'none' : String(d)})`;
    const e = enumValues(f);
    const choices = e && !descriptionOf(f).includes('|') ? ` [${e.join('|')}]` : '';
    const aliases = Object.entries(cmd.flagAliases ?? {}).filter(([, field]) => field === k).map(([alias]) => toFlag(alias));
    const also = aliases.length ? ` (also ${aliases.join(', ')})` : '';
    return [isPos ? k.toUpperCase() : toFlag(k), `${descriptionOf(f)}${choices}${def}${also}`];
  });
}

export function commandList(registry: Registry): Cell[][] {
  return registry.names().map((n) => {
    const c = registry.commands.get(n)!;
    const subs = registry.subcommands(n);
    const sub = subs && subs.size ? ` (${[...subs.keys()].join(', ')})` : '';
    return [n, `${c.summary}${sub}`];
  });
}
