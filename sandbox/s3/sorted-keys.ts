// A bucket's keys in S3's listing order (UTF-8 bytes), held as the key numbers of its version
// store: four bytes a key, where an array of the key strings kept five million strings alive.
import { compareKeys, lowerBound } from './key-order';

/** Where the keys come from: the version store's key numbers. */
/** Keys sorted at a time when a bucket's keys are first sorted. */
export const RUN_KEYS = 1 << 20;

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

  /**
   * Sorts every key of the store once (later changes are kept in order by insert and remove). The
   * keys are sorted in runs of RUN_KEYS strings and the runs merged, so at most one run's strings
   * exist at a time: fifty million key strings at once would need gigabytes of heap.
   */
  static of(names: KeyNames, runKeys = RUN_KEYS): SortedKeys {
    const runs: Int32Array[] = [];
    let batch: string[] = [];
    const endRun = () => {
      sortKeys(batch);
      runs.push(Int32Array.from(batch, (key) => names.keyNumber(key)));
      batch = [];
    };
    for (const k of names.keyNumbers()) {
      batch.push(names.keyName(k));
      if (batch.length === runKeys) endRun();
    }
    if (batch.length > 0 || runs.length === 0) endRun();
    return new SortedKeys(names, runs.length === 1 ? runs[0]! : mergeRuns(runs, names));
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

/** Merges sorted runs of key numbers into one, holding only each run's first key as a string. */
export function mergeRuns(runs: readonly Int32Array[], names: Pick<KeyNames, 'keyName'>): Int32Array {
  const out = new Int32Array(runs.reduce((n, run) => n + run.length, 0));
  const next = runs.map(() => 0);
  const heads = runs.map((run) => (run.length > 0 ? names.keyName(run[0]!) : ''));
  // A binary heap of run numbers, smallest head first.
  const heap = runs.map((_, r) => r).filter((r) => runs[r]!.length > 0);
  const less = (a: number, b: number) => compareKeys(heads[a]!, heads[b]!) < 0;
  const siftDown = (from: number) => {
    for (let at = from; ;) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const child = left + 1 < heap.length && less(heap[left + 1]!, heap[left]!) ? left + 1 : left;
      if (!less(heap[child]!, heap[at]!)) return;
      [heap[at], heap[child]] = [heap[child]!, heap[at]!];
      at = child;
    }
  };
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(i);
  for (let written = 0; heap.length > 0; written++) {
    const r = heap[0]!;
    const run = runs[r]!;
    const at = next[r]!;
    out[written] = run[at]!;
    next[r] = at + 1;
    if (at + 1 < run.length) heads[r] = names.keyName(run[at + 1]!);
    else {
      // The run is spent: its place at the top goes to the heap's last entry.
      const last = heap.pop()!;
      if (heap.length > 0) heap[0] = last;
    }
    siftDown(0);
  }
  return out;
}
