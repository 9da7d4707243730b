// The evaluation's only source of randomness: mulberry32, a well-known 32-bit generator (period
// 2^32) that is small enough to read at a glance and plenty for a simulation of a few million
// spans. Math.random cannot be seeded, and a run must be reproducible from its --seed alone.

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  /** Standard normal (Box-Muller; one of the pair is kept for the next call). */
  normal(): number;
  /** exp(normal) scaled so the median is `median`; sigma is the spread of the logarithm. */
  logNormal(median: number, sigma: number): number;
  /** Exponentially distributed with the given mean (waiting times of a Poisson process). */
  exponential(mean: number): number;
  /** Lowercase hex, `chars` long (a multiple of 8 is cheapest). */
  hex(chars: number): string;
  /** A new generator seeded from this one: a sub-stream whose use does not shift this one's. */
  fork(): Prng;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  let spareNormal: number | null = null;

  function nextUint32(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  const next = (): number => nextUint32() / 4_294_967_296;

  const normal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    // 1 - next() is in (0, 1]: the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  return {
    next,
    int: (n) => Math.floor(next() * n),
    between: (min, max) => min + (max - min) * next(),
    chance: (probability) => next() < probability,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    hex(chars) {
      let out = '';
      while (out.length < chars) out += nextUint32().toString(16).padStart(8, '0');
      return out.length === chars ? out : out.slice(0, chars);
    },
    fork: () => createPrng(nextUint32()),
  };
}

/** Picks an index with probability proportional to its weight (a handful of weights: a scan). */
export function pickWeighted(prng: Prng, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let point = prng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    point -= weights[i] ?? 0;
    if (point < 0) return i;
  }
  return weights.length - 1;
}
