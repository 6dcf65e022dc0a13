// A bucket's keys in S3's listing order (UTF-8 bytes), held as the key numbers of its version
// store: four bytes a key, where an array of the key strings kept five million strings alive.
import { compareKeys, lowerBound } from './key-order';

/** Where the keys come from: the version store's key numbers. */
export interface KeyNames {
  keyNumbers(): Iterable<number>;
  keyName(k: number): string;
  keyNumber(key: string): number;
}

export class SortedKeys implements Iterable<string> {
  private numbers: Int32Array;
  private count: number;

  private constructor(
    private readonly names: KeyNames,
    numbers: Int32Array,
  ) {
    this.numbers = numbers;
    this.count = numbers.length;
  }

  /** Sorts every key of the store once (later changes are kept in order by insert and remove). */
  static of(names: KeyNames): SortedKeys {
    const keys: string[] = [];
    for (const k of names.keyNumbers()) keys.push(names.keyName(k));
    sortKeys(keys);
    const numbers = new Int32Array(keys.length);
    for (let i = 0; i < keys.length; i++) numbers[i] = names.keyNumber(keys[i]!);
    return new SortedKeys(names, numbers);
  }

  get length(): number {
    return this.count;
  }

  /** The key at a position in listing order. */
  at(index: number): string {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`key position ${index} is outside 0..${this.count - 1}`);
    return this.names.keyName(this.numbers[index]!);
  }

  /** Adds a key new to the store at its place in the order. */
  insert(key: string, k: number): void {
    const at = lowerBound(this, key, true);
    if (this.count === this.numbers.length) {
      const bigger = new Int32Array(Math.max(16, this.numbers.length * 2));
      bigger.set(this.numbers);
      this.numbers = bigger;
    }
    this.numbers.copyWithin(at + 1, at, this.count);
    this.numbers[at] = k;
    this.count++;
  }

  /** Takes out a key the store no longer holds. */
  remove(key: string): void {
    const at = lowerBound(this, key, true);
    if (at >= this.count || this.at(at) !== key) return;
    this.numbers.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}

/**
 * Sorts keys into S3's order. The engine's own sort (UTF-16 code units) agrees with UTF-8 byte
 * order unless a surrogate pair meets a character in U+E000..U+FFFF, and is several times faster
 * than a comparator called from JavaScript: it goes first, and one pass over neighbours checks it.
 */
export function sortKeys(keys: string[]): string[] {
  keys.sort();
  for (let i = 1; i < keys.length; i++) if (compareKeys(keys[i - 1]!, keys[i]!) > 0) return keys.sort(compareKeys);
  return keys;
}
