/**
 * A small seeded pseudo-random generator (xoshiro128**), so the same `--seed` always produces the
 * same data on every machine. `Math.random` and `crypto` are never used for generated values.
 */
export interface Random {
  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** An integer in [min, max] (both inclusive). */
  between(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
}

/** A generator seeded from any string; different labels give independent streams from one seed. */
export function createRandom(seed: string): Random {
  const state = hashSeed(seed);
  // An all-zero state would only ever produce zeros.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 0x9e3779b9;

  function uint32(): number {
    const s = state;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  const next = () => uint32() / 4294967296;
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    uint32,
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick<T>(values: readonly T[]): T {
      if (values.length === 0) throw new Error('pick from an empty list');
      return values[int(values.length)]!;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** cyrb128: spreads a string over 128 bits of state. */
function hashSeed(seed: string): Uint32Array {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return Uint32Array.of(h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0);
}

/**
 * Draws indices in proportion to fixed weights (binary search over cumulative sums), so a pick
 * costs O(log n) however many times it is made.
 */
export class WeightedPicker {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new Error(`weight ${i} must be 0 or more`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('weights must not all be zero');
    this.total = sum;
  }

  get size(): number {
    return this.cumulative.length;
  }

  pick(random: Random): number {
    const target = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Weights 1/rank^exponent for ranks 1..n: the heavy tail of search popularity. */
export function zipfWeights(n: number, exponent: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, exponent));
}

/** A UUID-v4-shaped id drawn from the seeded stream (so ids repeat with the seed). */
export function randomUuid(random: Random): string {
  const a = random.uint32();
  const b = (random.uint32() & 0xffff0fff) | 0x00004000;
  const c = (random.uint32() & 0x3fffffff) | 0x80000000;
  const d = random.uint32();
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const bh = hex(b);
  const ch = hex(c);
  return `${hex(a)}-${bh.slice(0, 4)}-${bh.slice(4)}-${ch.slice(0, 4)}-${ch.slice(4)}${hex(d)}`;
}

/** `count` distinct indices from [0, n), in draw order (partial Fisher–Yates over a scratch array). */
export function sampleDistinct(random: Random, n: number, count: number): number[] {
  const k = Math.min(count, n);
  if (k * 4 < n) {
    const seen = new Set<number>();
    const out: number[] = [];
    while (out.length < k) {
      const i = random.int(n);
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
    }
    return out;
  }
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + random.int(n - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}
