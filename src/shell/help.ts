/** Help text derived from command definitions and their zod schemas. */
import type { z } from 'zod';
import type { AnyCommand } from './command.js';
import type { Registry } from './registry.js';
import { descriptionOf, defaultOf, enumValues, isBooleanField, isOptional, isArrayField, toFlag } from './zod-introspect.js';
import type { Cell } from '../core/result.js';

export function usageOf(cmd: AnyCommand, label = cmd.name): string {
  if (cmd.usage !== undefined) return `${label} ${cmd.usage}`.trim();
  const shape = cmd.schema.shape as Record<string, z.ZodType>;
  const pos = (cmd.positional ?? []).map((k) => {
    const f = shape[k]!;
    const name = k.replace(/[A-Z]/g, (c) => `-${c}`).toUpperCase();
    const n = isArrayField(f) ? `${name}...` : name;
    return isOptional(f) ? `[${n}]` : n;
  });
  const flags = Object.keys(shape)
    .filter((k) => !(cmd.positional ?? []).includes(k))
    .map((k) => (isBooleanField(shape[k]!) ? `[${toFlag(k)}]` : `[${toFlag(k)} ${valueHint(shape[k]!)}]`));
  return [label, ...pos, ...flags].join(' ');
}

function valueHint(f: z.ZodType): string {
  const e = enumValues(f);
  if (e) return e.join('|');
  return 'V';
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
    return [isPos ? k.toUpperCase() : toFlag(k), `${descriptionOf(f)}${choices}${def}`];
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
