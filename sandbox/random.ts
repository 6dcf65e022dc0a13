// A small seeded PRNG (mulberry32) and a 32-bit mixer: the sandbox's only source of randomness
// where results must repeat from a seed (fault injection, seeding, generated object bodies).

/** Mixes two 32-bit integers into one well-distributed 32-bit integer. */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const VERSION_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/**
 * A flat copy of a string. V8 keeps concatenations as ropes (cons strings) that cost far more
 * than their characters; strings held by a million versions are flattened once.
 */
export function flatString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T extends string>(weights: Readonly<Partial<Record<T, number>>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of entries) {
      r -= w;
      if (r < 0) return item;
    }
    return entries[entries.length - 1]![0];
  }

  /** A 32-character id from [A-Za-z0-9._], the alphabet of S3 version ids. */
  versionId(): string {
    // Built in a buffer: `+=` would leave a 32-node rope per id, 1 KB each across a million versions.
    const id = Buffer.allocUnsafe(32);
    for (let i = 0; i < 32; i++) id[i] = VERSION_ID_ALPHABET.charCodeAt(Math.floor(this.next() * VERSION_ID_ALPHABET.length));
    return id.toString('latin1');
  }
}
