/**
 * The hybrid search (docs/optimize.md, "Search"; seed pipeline: grid / random, then evolutionary
 * refinement seeded from the best points):
 *
 *   1. grid: every point of the discrete dimensions (when asked);
 *   2. random: N points drawn from the dimensions (rng stream 'optimize-random');
 *   3. EA: a population seeded from the best points so far, then per generation: keep the `elite`
 *      best unchanged, fill the rest with children — two parents picked by tournament, uniform
 *      crossover with probability `crossover` (else a copy of the first), each gene mutated with
 *      probability `mutation` (a discrete gene moves its index by a rounded normal step of at least
 *      one, a continuous gene by a normal step of a tenth of its range, both clamped) — on rng
 *      stream 'optimize-ea'.
 *
 * Every draw comes from src/core/rng.ts, so the same seed proposes the same points in the same
 * order. A point proposed again is not evaluated again (it keeps its first score); `evaluate` only
 * sees new points, and `evaluations` counts them.
 */
import { canonicalJson } from '../core/canonical.js';
import { createRng, type Rng } from '../core/rng.js';
import { throwIfAborted } from '../core/errors.js';
import { gridPoints, samplePoint, type Dimension, type DimValue, type Point } from './dimensions.js';
import type { EaSettings } from './experiment.js';
import { compareScores } from './objective.js';

export type Phase = 'grid' | 'random' | 'ea';

export interface SearchSettings {
  readonly grid: boolean;
  readonly random: number;
  readonly ea: EaSettings;
  readonly seed: number;
}

export interface Scored {
  readonly point: Point;
  readonly score: number | null;
  readonly phase: Phase;
  /** Generation for EA points (0 for grid and random). */
  readonly generation: number;
}

/** Scores of new points, in their order (higher is better; null = no score). */
export type Evaluate = (points: readonly Point[], phase: Phase, generation: number) => Promise<readonly (number | null)[]>;

export interface SearchOutcome {
  /** Every distinct point evaluated, in evaluation order. */
  readonly evaluated: readonly Scored[];
  /** The best, or undefined when nothing scored. */
  readonly best?: Scored;
}

type Genome = number[];

function encode(dims: readonly Dimension[], p: Point): Genome {
  return dims.map((d) => {
    const v = p[d.path];
    if (d.kind === 'continuous') return v as number;
    const key = canonicalJson(v);
    const i = d.values.findIndex((x) => canonicalJson(x) === key);
    return i < 0 ? 0 : i;
  });
}

function decode(dims: readonly Dimension[], g: Genome): Point {
  const p: Record<string, DimValue> = {};
  dims.forEach((d, i) => (p[d.path] = d.kind === 'continuous' ? g[i]! : d.values[g[i]!]!));
  return p;
}

function mutateGene(d: Dimension, gene: number, rng: Rng): number {
  if (d.kind === 'continuous') return Math.min(d.high, Math.max(d.low, gene + rng.normal() * 0.1 * (d.high - d.low)));
  const n = d.values.length;
  if (n === 1) return 0;
  let step = Math.round(rng.normal() * Math.max(1, n / 10));
  if (step === 0) step = rng.uniform() < 0.5 ? -1 : 1;
  return Math.min(n - 1, Math.max(0, gene + step));
}

function tournament(pop: readonly Scored[], size: number, rng: Rng): Scored {
  let best = pop[rng.int(0, pop.length - 1)]!;
  for (let i = 1; i < size; i++) {
    const c = pop[rng.int(0, pop.length - 1)]!;
    if (compareScores(c.score, best.score) < 0) best = c;
  }
  return best;
}

const rank = (xs: readonly Scored[]): Scored[] => [...xs].sort((a, b) => compareScores(a.score, b.score));

export async function runSearch(dims: readonly Dimension[], s: SearchSettings, evaluate: Evaluate, signal?: AbortSignal): Promise<SearchOutcome> {
  const seen = new Map<string, Scored>();
  const evaluated: Scored[] = [];
  /** Evaluate the new points among `points`; returns every point's Scored (first score kept). */
  const score = async (points: readonly Point[], phase: Phase, generation: number): Promise<Scored[]> => {
    throwIfAborted(signal);
    const fresh: Point[] = [];
    const freshKeys = new Set<string>();
    for (const p of points) {
      const k = canonicalJson(p);
      if (!seen.has(k) && !freshKeys.has(k)) {
        freshKeys.add(k);
        fresh.push(p);
      }
    }
    if (fresh.length) {
      const scores = await evaluate(fresh, phase, generation);
      fresh.forEach((p, i) => {
        const sc: Scored = { point: p, score: scores[i] ?? null, phase, generation };
        seen.set(canonicalJson(p), sc);
        evaluated.push(sc);
      });
    }
    return points.map((p) => seen.get(canonicalJson(p))!);
  };

  if (s.grid) await score(gridPoints(dims), 'grid', 0);
  if (s.random > 0) {
    const rng = createRng(s.seed, 'optimize-random');
    await score(Array.from({ length: s.random }, () => samplePoint(dims, rng)), 'random', 0);
  }
  const ea = s.ea;
  if (ea.generations > 0 && dims.length > 0) {
    const rng = createRng(s.seed, 'optimize-ea');
    let pop = rank(evaluated).slice(0, ea.population);
    if (pop.length < ea.population) pop = pop.concat(await score(Array.from({ length: ea.population - pop.length }, () => samplePoint(dims, rng)), 'ea', 0));
    for (let gen = 1; gen <= ea.generations; gen++) {
      const elite = rank(pop).slice(0, Math.min(ea.elite, pop.length));
      const children: Point[] = [];
      while (elite.length + children.length < ea.population) {
        const a = encode(dims, tournament(pop, ea.tournament, rng).point);
        const b = encode(dims, tournament(pop, ea.tournament, rng).point);
        const cross = rng.uniform() < ea.crossover;
        const child = a.map((gene, i) => (cross && rng.uniform() < 0.5 ? b[i]! : gene));
        for (let i = 0; i < child.length; i++) if (rng.uniform() < ea.mutation) child[i] = mutateGene(dims[i]!, child[i]!, rng);
        children.push(decode(dims, child));
      }
      pop = elite.concat(await score(children, 'ea', gen));
    }
  }
  const best = rank(evaluated)[0];
  return { evaluated, ...(best && best.score !== null ? { best } : {}) };
}
