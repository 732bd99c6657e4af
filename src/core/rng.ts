/**
 * Seeded randomness. The engine never calls Math.random(): every random draw comes from an `Rng`
 * derived from the session seed and a stream name, so a replay with the same seed draws the same
 * numbers regardless of what other streams were used before.
 *
 * Generator: xoroshiro128+ from pure-rand (Blackman & Vigna), mutable ("unsafe") API for speed.
 * Uniforms use 53 bits (two 32-bit outputs); normals use the Box–Muller transform.
 */
import prand from 'pure-rand';
import { createHash } from 'node:crypto';

export interface Rng {
  /** Uniform in [0, 1) with 53 bits of precision. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Student-t with `nu` degrees of freedom, scaled to unit variance when `unitVariance` (needs nu > 2). */
  studentT(nu: number, unitVariance?: boolean): number;
  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
}

/** Derive a 32-bit seed from the session seed and a stream name (sha256, first 4 bytes). */
export function streamSeed(seed: number, stream: string): number {
  const h = createHash('sha256').update(`${seed}\u0000${stream}`).digest();
  return h.readInt32LE(0);
}

export function createRng(seed: number, stream = 'default'): Rng {
  const gen = prand.xoroshiro128plus(streamSeed(seed, stream));
  let spare: number | null = null;
  const u32 = (): number => (gen.unsafeNext() >>> 0);
  const uniform = (): number => {
    const hi = u32() >>> 5; // 27 bits
    const lo = u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const chiSquare = (nu: number): number => {
    // Sum of squared normals for integer nu; Marsaglia–Tsang gamma for the rest.
    if (Number.isInteger(nu) && nu <= 30) {
      let s = 0;
      for (let i = 0; i < nu; i++) {
        const z = normal();
        s += z * z;
      }
      return s;
    }
    const a = nu / 2;
    const d = a - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return 2 * d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return 2 * d * v;
    }
  };
  return {
    uniform,
    normal,
    studentT(nu: number, unitVariance = true): number {
      const t = normal() / Math.sqrt(chiSquare(nu) / nu);
      return unitVariance && nu > 2 ? t * Math.sqrt((nu - 2) / nu) : t;
    },
    int(lo: number, hi: number): number {
      return lo + Math.floor(uniform() * (hi - lo + 1));
    },
  };
}
