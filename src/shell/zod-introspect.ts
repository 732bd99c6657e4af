/**
 * Just enough zod-4 introspection for the parser, help and completion: a field's base type after
 * unwrapping optional/default/nullable wrappers, its description, its enum values.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

const defOf = (t: z.ZodType): Def => (t as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'readonly', 'catch', 'prefault', 'nonoptional']);

/** The innermost non-wrapper schema (pipes unwrap to their input side). */
export function baseType(t: z.ZodType): z.ZodType {
  let cur = t;
  for (let i = 0; i < 16; i++) {
    const d = defOf(cur);
    if (WRAPPERS.has(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  return cur;
}

export const typeName = (t: z.ZodType): string => defOf(baseType(t)).type;

export const isBooleanField = (t: z.ZodType): boolean => typeName(t) === 'boolean';
export const isArrayField = (t: z.ZodType): boolean => typeName(t) === 'array';

/** Enum or literal values of a field, if any. */
export function enumValues(t: z.ZodType): string[] | undefined {
  const d = defOf(baseType(t));
  if (d.type === 'enum' && d.entries) return Object.values(d.entries).map(String);
  if (d.type === 'literal' && d.values) return d.values.map(String);
  return undefined;
}

export function descriptionOf(t: z.ZodType): string {
  let cur: z.ZodType | undefined = t;
  for (let i = 0; i < 16 && cur; i++) {
    if (cur.description) return cur.description;
    const d = defOf(cur);
    cur = d.innerType ?? d.in;
  }
  return '';
}

/** The default value of a field, if it has one. */
export function defaultOf(t: z.ZodType): unknown {
  let cur: z.ZodType | undefined = t;
  for (let i = 0; i < 16 && cur; i++) {
    const d = defOf(cur);
    if (d.type === 'default') return typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
    cur = d.innerType;
  }
  return undefined;
}

export const isOptional = (t: z.ZodType): boolean => t.safeParse(undefined).success;

export const toFlag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
export const fromFlag = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
