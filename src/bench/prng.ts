// A small seeded PRNG (mulberry32) and the picking helpers the generators use.
// Math.random is never used: the same seed must give the same records on every machine.

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: entries are [item, weight]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [item, w] of entries) {
      r -= w;
      if (r < 0) return item;
    }
    return entries[entries.length - 1]![0];
  }

  /** Index in [0, n) with a Zipf-like long tail (small indexes much more likely). */
  zipf(n: number, skew = 1.2): number {
    // Inverse-CDF of a continuous power law, cheap and good enough for a long tail.
    const u = this.next();
    if (Math.abs(skew - 1) < 1e-9) return Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
    const x = Math.pow(1 - u * (1 - Math.pow(n + 1, 1 - skew)), 1 / (1 - skew)) - 1;
    return Math.min(n - 1, Math.max(0, Math.floor(x)));
  }

  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }

  /** Lowercase letters and digits, as in generated pod-name suffixes. */
  alnum(length: number): string {
    const chars = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < length; i++) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }

  uuid(): string {
    const variant = '89ab'[Math.floor(this.next() * 4)];
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}
