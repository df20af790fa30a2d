// Module-level aliases for the hot paths: in a vm context (Jest) every global lookup is slow.
const { PI, cos, exp, imul, log, max, round, sqrt } = Math;

/** Mixes two integers into a 30-bit seed: counter-based hashing, so any (seed, counter) pair has its own stream. */
export function mix(a: number, b: number): number {
  let h = imul(a ^ imul(b + 0x9e3779b9, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  h = imul(h ^ b, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = imul(h, 0x297a2d39);
  h ^= h >>> 15;
  // 30 bits: a small integer for V8, so seeds passed around are never boxed.
  return h >>> 2;
}

/** A seed from a string (FNV-1a, then mixed with its length). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h >>> 0, s.length);
}

/**
 * mulberry32. The state lives in an Int32Array and hot paths take their draws
 * through `fill` into a Float64Array: doubles returned from calls V8 does not
 * inline are boxed, and millions of them per window made the GC the top cost.
 * `seed` resets the whole state, so one instance serves any number of streams.
 */
export class Rng {
  private readonly st = new Int32Array(1);
  seed(s: number): this {
    this.st[0] = s;
    return this;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.st[0] = (this.st[0]! + 0x6d2b79f5) | 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** The next n uniforms, into out[0..n). */
  fill(out: Float64Array, n: number): void {
    let s = this.st[0]!;
    for (let i = 0; i < n; i++) {
      let t = (s = (s + 0x6d2b79f5) | 0);
      t = imul(t ^ (t >>> 15), t | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    this.st[0] = s;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = 1 - this.next();
    return sqrt(-2 * log(u)) * cos(2 * PI * this.next());
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      // Knuth: cheap for the small per-stream rates that dominate.
      const l = exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > l) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return max(0, round(lambda + sqrt(lambda) * this.normal()));
  }
}

/** x limited to [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Draws from cumulative odds cum[start..start + n) with the uniform u: the first index whose odds exceed u (the last when none does). */
export function pick(cum: Float32Array, start: number, n: number, u: number): number {
  let i = 0;
  while (i < n - 1 && u >= cum[start + i]!) i++;
  return i;
}
