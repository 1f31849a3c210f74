/**
 * Deterministic stand-ins for what is not public, every record marked `synthetic`. The same
 * inputs always give the same data, so demos, tests and benchmarks see one world.
 */

export const SYNTHETIC = 'synthetic';

/** A small seeded PRNG (mulberry32): reproducible across runs and platforms. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
