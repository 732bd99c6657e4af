/**
 * Loading, overlaying, validating and digesting configuration.
 * Overlay rule: objects merge key by key; arrays and scalars in the overlay replace the base.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, stringify as stringifyYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type EdgelabConfig } from './schema.js';
import { UserError } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';

export type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (!isPlain(base) || !isPlain(overlay)) return overlay === undefined ? base : overlay;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = mergeOverlay(base[k], v);
  return out;
}

export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read config file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  return parseYamlText(text, path) ?? {};
}

/**
 * Parse YAML text; errors and warnings (an unknown tag, a %YAML 1.1 directive) become one UserError
 * naming the line, instead of the yaml library printing warnings raw to stderr.
 */
export function parseYamlText(text: string, where: string): unknown {
  const doc = parseDocument(text, { logLevel: 'silent', prettyErrors: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    const kind = doc.errors.length ? 'not valid YAML' : 'YAML warning';
    throw new UserError(`${kind}${line ? ` at line ${line}` : ''}: ${problem.message.split('\n')[0]}`, where);
  }
  try {
    return doc.toJS();
  } catch (err) {
    // e.g. an alias to an anchor that does not exist ('*x'), found by the fuzz harness
    throw new UserError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`, where);
  }
}

/** Validate a raw config object; zod issues become one readable line naming the path. */
export function validateConfig(raw: unknown, where?: string): EdgelabConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(formatIssues(parsed.error).replace(/Invalid input: /g, ''), where);
  return parsed.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function loadConfig(basePath: string, overlays: readonly string[] = []): { config: EdgelabConfig; raw: unknown } {
  let raw = readYamlFile(basePath);
  for (const o of overlays) raw = mergeOverlay(raw, readYamlFile(o));
  return { config: validateConfig(raw, overlays.length ? overlays[overlays.length - 1] : basePath), raw };
}

export const configDigest = (config: EdgelabConfig): string => digestOf(config);

export const configToYaml = (value: unknown): string => stringifyYaml(value, { lineWidth: 0 });

/** Read a dotted path ('backtest.risk.max_gross') from a config object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isPlain(cur) || !(part in cur)) throw new UserError(`no config key '${path}'`);
    cur = cur[part];
  }
  return cur;
}

/** Return a copy of `obj` with the dotted path set to `value`. */
export function setPath(obj: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = path.split('.');
  if (!isPlain(obj)) throw new UserError(`no config key '${path}'`);
  if (rest.length === 0) return { ...obj, [head!]: value };
  return { ...obj, [head!]: setPath(obj[head!] ?? {}, rest.join('.'), value) };
}
