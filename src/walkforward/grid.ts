/**
 * `--grid fast=5..50:5,slow=20..200:10` → every combination of the listed values (the last name
 * varies fastest). A dimension is `lo..hi:step` (inclusive; the step defaults to 1) or a list
 * `a|b|c` of numbers or words. Combinations a model cannot take (fast ≥ slow for sma_cross) are
 * left to the caller's filter.
 */
import { UserError } from '../core/errors.js';
import type { ParamPoint } from './run.js';

export interface GridDimension {
  readonly name: string;
  readonly values: readonly (number | string)[];
}

/** Largest grid accepted (a typo like 1..100000 would otherwise hang the shell). */
export const MAX_GRID_POINTS = 10_000;

function dimension(part: string): GridDimension {
  const eq = part.indexOf('=');
  if (eq <= 0) throw new UserError(`expected name=lo..hi:step or name=a|b, got '${part}'`, '--grid');
  const name = part.slice(0, eq).trim();
  const spec = part.slice(eq + 1).trim();
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(spec);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    const step = range[3] !== undefined ? Number(range[3]) : 1;
    if (!(step > 0)) throw new UserError(`${name}: the step must be positive, got ${range[3]}`, '--grid');
    if (hi < lo) throw new UserError(`${name}: ${lo}..${hi} is empty (the upper bound is below the lower)`, '--grid');
    const count = Math.floor((hi - lo) / step + 1e-9) + 1;
    if (count > MAX_GRID_POINTS) throw new UserError(`${name}: ${count} values is more than ${MAX_GRID_POINTS}`, '--grid');
    // Values as lo + i·step, rounded to the step's decimals so 0.1 steps do not drift.
    const decimals = (range[3] ?? '').split('.')[1]?.length ?? 0;
    return { name, values: Array.from({ length: count }, (_, i) => Number((lo + i * step).toFixed(decimals))) };
  }
  const list = spec.split('|').map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) throw new UserError(`${name}: no values in '${spec}'`, '--grid');
  return { name, values: list.map((v) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : v)) };
}

export function parseGrid(spec: string): GridDimension[] {
  const dims = spec.split(',').map((p) => p.trim()).filter(Boolean).map(dimension);
  if (dims.length === 0) throw new UserError('the grid is empty', '--grid');
  const names = dims.map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UserError(`'${dup}' appears twice in the grid`, '--grid');
  const total = dims.reduce((n, d) => n * d.values.length, 1);
  if (total > MAX_GRID_POINTS) throw new UserError(`the grid has ${total} points, more than ${MAX_GRID_POINTS}`, '--grid');
  return dims;
}

/** Every combination of the dimensions' values (cartesian product; the last dimension varies fastest). */
export function gridPoints(dims: readonly GridDimension[]): ParamPoint[] {
  let points: Record<string, number | string>[] = [{}];
  for (const d of dims) points = points.flatMap((p) => d.values.map((v) => ({ ...p, [d.name]: v })));
  return points;
}
