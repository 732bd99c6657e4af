/**
 * Search dimensions of an experiment (docs/optimize.md, "Experiments"). A field of an experiment
 * overlay becomes a dimension when its value is
 *
 *   - a list where the base value is a scalar: `fast: [5, 10, 20]` (a list where the base value is
 *     itself a list replaces it; write a list of lists, or `{choice: [...]}`, to search over lists);
 *   - a range: `{from: 5, to: 50, step: 5}` (both ends included);
 *   - a distribution: `{uniform: [a, b]}`, `{log_uniform: [a, b]}`, `{int: [a, b]}` or `{choice: [...]}`.
 *
 * A dimension is discrete (a finite list of values: lists, ranges, int, choice) or continuous
 * (uniform, log-uniform). Grid search enumerates discrete dimensions; random search samples any;
 * the evolutionary search moves along a discrete dimension's index and a continuous one's value.
 */
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

export type DimValue = number | string | boolean | null | readonly unknown[] | Readonly<Record<string, unknown>>;

export interface DiscreteDimension {
  readonly path: string;
  readonly kind: 'discrete';
  readonly values: readonly DimValue[];
}

export interface ContinuousDimension {
  readonly path: string;
  readonly kind: 'continuous';
  readonly low: number;
  readonly high: number;
  /** Sample log(value) uniformly (both ends > 0). */
  readonly log: boolean;
}

export type Dimension = DiscreteDimension | ContinuousDimension;

/** A parameter point: dimension path → value. */
export type Point = Readonly<Record<string, DimValue>>;

/** Most values one discrete dimension may hold (a typo such as step 0.0001 fails here, not in memory). */
export const MAX_DIMENSION_VALUES = 100_000;

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const rangeSchema = z
  .object({ from: num, to: num, step: num.refine((s) => s > 0, 'step must be > 0').optional() })
  .strict()
  .refine((r) => r.to >= r.from, { message: "'to' must be at least 'from'", path: ['to'] });
const pairSchema = z.tuple([num, num]).refine((p) => p[1] > p[0], 'the second bound must exceed the first');
const uniformSchema = z.object({ uniform: pairSchema }).strict();
const logUniformSchema = z.object({ log_uniform: pairSchema.refine((p) => p[0] > 0, 'both bounds must be > 0') }).strict();
const intSchema = z.object({ int: z.tuple([z.number().int(), z.number().int()]).refine((p) => p[1] >= p[0], 'the second bound must be at least the first') }).strict();
const choiceSchema = z.object({ choice: z.array(z.unknown()).min(1, 'choice needs at least one value') }).strict();

const DIMENSION_KEYS: readonly (readonly string[])[] = [['from', 'to', 'step'], ['from', 'to'], ['uniform'], ['log_uniform'], ['int'], ['choice']];

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does an object look like a range or distribution (its keys are exactly one of the forms)? */
export function isDimensionObject(v: unknown): v is Record<string, unknown> {
  if (!isPlain(v)) return false;
  const keys = Object.keys(v).sort();
  return DIMENSION_KEYS.some((form) => form.length === keys.length && [...form].sort().every((k, i) => k === keys[i]));
}

/** Round a range value to the step's decimals (0.1 + 0.2 steps give 0.3, not 0.30000000000000004). */
function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function issueText(error: z.ZodError, path: string): string {
  const i = error.issues[0]!;
  const sub = i.path.length ? `.${i.path.join('.')}` : '';
  return `${path}${sub}: ${i.message.replace(/^Invalid input: /, '')}`;
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, path: string, where: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(issueText(parsed.error, path), where);
  return parsed.data;
}

/** The dimension a range or distribution object describes; `where` names the file in errors. */
export function parseDimensionObject(raw: Record<string, unknown>, path: string, where: string): Dimension {
  if ('from' in raw) {
    const r = parseWith(rangeSchema, raw, path, where);
    const step = r.step ?? 1;
    const count = Math.floor((r.to - r.from) / step + 1e-9) + 1;
    if (count > MAX_DIMENSION_VALUES) throw new UserError(`${path}: the range has ${count} values (at most ${MAX_DIMENSION_VALUES}); use a larger step`, where);
    const digits = Math.max(decimalsOf(r.from), decimalsOf(step));
    const values = Array.from({ length: count }, (_, i) => Number((r.from + i * step).toFixed(digits)));
    return { path, kind: 'discrete', values };
  }
  if ('uniform' in raw) {
    const u = parseWith(uniformSchema, raw, path, where);
    return { path, kind: 'continuous', low: u.uniform[0], high: u.uniform[1], log: false };
  }
  if ('log_uniform' in raw) {
    const u = parseWith(logUniformSchema, raw, path, where);
    return { path, kind: 'continuous', low: u.log_uniform[0], high: u.log_uniform[1], log: true };
  }
  if ('int' in raw) {
    const r = parseWith(intSchema, raw, path, where);
    const count = r.int[1] - r.int[0] + 1;
    if (count > MAX_DIMENSION_VALUES) throw new UserError(`${path}: {int: [${r.int[0]}, ${r.int[1]}]} has ${count} values (at most ${MAX_DIMENSION_VALUES})`, where);
    return { path, kind: 'discrete', values: Array.from({ length: count }, (_, i) => r.int[0] + i) };
  }
  const c = parseWith(choiceSchema, raw, path, where);
  return { path, kind: 'discrete', values: c.choice as DimValue[] };
}

/**
 * Split an experiment overlay into a plain overlay and its dimensions. Each dimension is left in the
 * overlay as its first value (or a continuous dimension's lower bound), so the overlay validates as
 * a config; `base` is the configuration the overlay applies to (to tell a list dimension from a
 * list-valued field).
 */
export function extractDimensions(overlay: unknown, base: unknown, where: string, prefix = ''): { overlay: unknown; dimensions: Dimension[] } {
  const dimensions: Dimension[] = [];
  const walk = (value: unknown, baseValue: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      if (Array.isArray(baseValue) && !value.every(Array.isArray)) return value; // a list-valued field, replaced
      if (value.length === 0) throw new UserError(`${path}: an empty list is no search dimension (give at least one value)`, where);
      dimensions.push({ path, kind: 'discrete', values: value as DimValue[] });
      return value[0];
    }
    if (isDimensionObject(value) && !isDimensionObject(baseValue)) {
      const dim = parseDimensionObject(value, path, where);
      dimensions.push(dim);
      return dim.kind === 'discrete' ? dim.values[0] : dim.low;
    }
    if (isPlain(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, isPlain(baseValue) ? baseValue[k] : undefined, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  const out = walk(overlay, base, prefix);
  return { overlay: out, dimensions };
}

/** Number of points of a full grid (Infinity when a dimension is continuous). */
export function gridSize(dims: readonly Dimension[]): number {
  let n = 1;
  for (const d of dims) n *= d.kind === 'discrete' ? d.values.length : Infinity;
  return n;
}

/** Every point of the grid, the first dimension varying slowest (refuses continuous dimensions). */
export function gridPoints(dims: readonly Dimension[], limit = 1_000_000): Point[] {
  const continuous = dims.find((d) => d.kind === 'continuous');
  if (continuous) throw new UserError(`${continuous.path} is a continuous distribution: a grid cannot enumerate it (sample it with --random N, or give a range with a step)`, 'grid');
  const size = gridSize(dims);
  if (size > limit) throw new UserError(`the grid has ${size.toLocaleString('en-US')} points (at most ${limit.toLocaleString('en-US')}); narrow it or use --random N`, 'grid');
  const points: Point[] = [];
  const rec = (i: number, acc: Record<string, DimValue>): void => {
    if (i === dims.length) {
      points.push({ ...acc });
      return;
    }
    const d = dims[i] as DiscreteDimension;
    for (const v of d.values) {
      acc[d.path] = v;
      rec(i + 1, acc);
    }
  };
  rec(0, {});
  return points;
}

/** One value drawn from a dimension. */
export function sampleValue(d: Dimension, rng: Rng): DimValue {
  if (d.kind === 'discrete') return d.values[rng.int(0, d.values.length - 1)]!;
  const u = rng.uniform();
  return d.log ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
}

export function samplePoint(dims: readonly Dimension[], rng: Rng): Point {
  const p: Record<string, DimValue> = {};
  for (const d of dims) p[d.path] = sampleValue(d, rng);
  return p;
}

/**
 * `fast=5..50:5,slow=20..200:10` (the --grid flag) → dimensions. A bare name is resolved by
 * `resolve` (e.g. to `backtest.models.sma_cross.parameters.fast`); values are `a..b:step`,
 * `a..b` (step 1) or `a|b|c`.
 */
export function parseGridFlag(text: string, resolve: (name: string) => string): Dimension[] {
  const dims: Dimension[] = [];
  for (const part of text.split(/,(?=[A-Za-z_][\w.]*=)/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UserError(`expected NAME=FROM..TO:STEP or NAME=a|b|c, got '${part}'`, '--grid');
    const name = part.slice(0, eq).trim();
    const spec = part.slice(eq + 1).trim();
    const path = resolve(name);
    const m = /^(-?[\d.]+(?:e-?\d+)?)\.\.(-?[\d.]+(?:e-?\d+)?)(?::([\d.]+(?:e-?\d+)?))?$/.exec(spec);
    if (m) {
      const range = parseDimensionObject({ from: Number(m[1]), to: Number(m[2]), ...(m[3] !== undefined ? { step: Number(m[3]) } : {}) }, name, '--grid');
      dims.push({ ...range, path });
      continue;
    }
    const values = spec.split('|').map((v) => v.trim()).filter((v) => v !== '');
    if (!values.length) throw new UserError(`${name}: no values after '='`, '--grid');
    const typed = values.map((v) => (v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v));
    dims.push({ path, kind: 'discrete', values: typed });
  }
  return dims;
}
