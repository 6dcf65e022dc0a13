// A bucket's keys held outside the JavaScript heap: their characters in a byte arena, an
// open-addressing hash table of key numbers, and one number per key for its owner's use. Five
// million key strings with their Map entries cost about 600 MB of live heap, and every major
// garbage collection traced them again; here they cost about 60 bytes a key and nothing to trace.
// Keys are stored as one byte per character when every character fits in one (nearly all keys),
// else as UTF-16 code units, so every JavaScript string comes back exactly as it went in.

/** Bytes per arena chunk: keys never straddle two, and a chunk is never copied once written. */
const ARENA_CHUNK = 1 << 24;
/** The hash table grows when live keys and tombstones fill this share of its slots. */
const MAX_LOAD = 0.5;
const EMPTY_SLOT = 0;
const TOMBSTONE = -1;
export const NO_KEY = -1;

function hashKey(key: string): number {
  // FNV-1a over the UTF-16 code units: what a lookup has at hand, with nothing to encode first.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function isNarrow(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return false;
  return true;
}

function grown<T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(array: T, make: (n: number) => T, need: number): T {
  if (need <= array.length) return array;
  const bigger = make(Math.max(need, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Keys numbered from 0, each with one int32 value. Numbers of removed keys are given out again. */
export class KeyIndex {
  private readonly arena: Buffer[] = [];
  private arenaUsed = ARENA_CHUNK;
  /** Where each key's bytes start: chunk * ARENA_CHUNK + offset. */
  private position = new Float64Array(64);
  private byteLength = new Uint16Array(64);
  /** 1 when the key is stored as UTF-16 code units, 0 when one byte a character. */
  private wide = new Uint8Array(64);
  private hashes = new Int32Array(64);
  private values = new Int32Array(64);
  /** Whether a number holds a key now. */
  private live = new Uint8Array(64);
  /** Key number + 1 per slot; EMPTY_SLOT or TOMBSTONE otherwise. */
  private slots = new Int32Array(128);
  private tombstones = 0;
  private numbers = 0;
  private readonly freeNumbers: number[] = [];
  private liveCount = 0;

  get size(): number {
    return this.liveCount;
  }

  /** The key's number, or NO_KEY. */
  find(key: string): number {
    const hash = hashKey(key) | 0;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY_SLOT) return NO_KEY;
      if (entry === TOMBSTONE) continue;
      const k = entry - 1;
      if (this.hashes[k] === hash && this.equals(k, key)) return k;
    }
  }

  /** Adds a key that is not in the index yet and returns its number; its value starts at `value`. */
  add(key: string, value: number): number {
    const narrow = isNarrow(key);
    const bytes = narrow ? key.length : key.length * 2;
    if (bytes > 0xffff)
      throw new RangeError(`a key of ${key.length} characters is longer than the key index holds (S3 allows 1,024 bytes)`);
    if ((this.liveCount + this.tombstones + 1) / this.slots.length > MAX_LOAD) this.rehash();
    const k = this.freeNumbers.pop() ?? this.numbers++;
    if (k >= this.position.length) this.growColumns(k + 1);
    if (this.arenaUsed + bytes > ARENA_CHUNK) {
      this.arena.push(Buffer.allocUnsafe(ARENA_CHUNK));
      this.arenaUsed = 0;
    }
    const chunk = this.arena.length - 1;
    this.arena[chunk]!.write(key, this.arenaUsed, bytes, narrow ? 'latin1' : 'utf16le');
    this.position[k] = chunk * ARENA_CHUNK + this.arenaUsed;
    this.arenaUsed += bytes;
    this.byteLength[k] = bytes;
    this.wide[k] = narrow ? 0 : 1;
    const hash = hashKey(key) | 0;
    this.hashes[k] = hash;
    this.values[k] = value;
    this.live[k] = 1;
    this.place(k, hash);
    this.liveCount++;
    return k;
  }

  /** Removes a key by number; its bytes stay in the arena until the index is dropped. */
  remove(k: number): void {
    if (!this.live[k]) throw new RangeError(`key number ${k} holds no key`);
    const mask = this.slots.length - 1;
    for (let slot = this.hashes[k]! & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY_SLOT) throw new Error(`key number ${k} is missing from the hash table`);
      if (entry !== k + 1) continue;
      this.slots[slot] = TOMBSTONE;
      break;
    }
    this.tombstones++;
    this.live[k] = 0;
    this.liveCount--;
    this.freeNumbers.push(k);
  }

  /** The key a number holds. */
  name(k: number): string {
    const position = this.position[k]!;
    const chunk = this.arena[Math.floor(position / ARENA_CHUNK)]!;
    const start = position % ARENA_CHUNK;
    return chunk.toString(this.wide[k] ? 'utf16le' : 'latin1', start, start + this.byteLength[k]!);
  }

  /** Whether number k holds this key, compared in place. */
  equals(k: number, key: string): boolean {
    if (!this.live[k]) return false;
    const wide = this.wide[k] === 1;
    if (this.byteLength[k] !== (wide ? key.length * 2 : key.length)) return false;
    const position = this.position[k]!;
    const chunk = this.arena[Math.floor(position / ARENA_CHUNK)]!;
    const start = position % ARENA_CHUNK;
    if (!wide) {
      for (let i = 0; i < key.length; i++) if (chunk[start + i] !== key.charCodeAt(i)) return false;
      return true;
    }
    for (let i = 0; i < key.length; i++) if ((chunk[start + 2 * i]! | (chunk[start + 2 * i + 1]! << 8)) !== key.charCodeAt(i)) return false;
    return true;
  }

  value(k: number): number {
    return this.values[k]!;
  }

  setValue(k: number, value: number): void {
    this.values[k] = value;
  }

  /** Every live key number, in no particular order. */
  *liveNumbers(): IterableIterator<number> {
    for (let k = 0; k < this.numbers; k++) if (this.live[k]) yield k;
  }

  private place(k: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== EMPTY_SLOT && this.slots[slot] !== TOMBSTONE) slot = (slot + 1) & mask;
    if (this.slots[slot] === TOMBSTONE) this.tombstones--;
    this.slots[slot] = k + 1;
  }

  private rehash(): void {
    let size = this.slots.length;
    while ((this.liveCount + 1) / size > MAX_LOAD / 2) size *= 2;
    this.slots = new Int32Array(size);
    this.tombstones = 0;
    for (let k = 0; k < this.numbers; k++) if (this.live[k]) this.place(k, this.hashes[k]!);
  }

  private growColumns(need: number): void {
    this.position = grown(this.position, (n) => new Float64Array(n), need);
    this.byteLength = grown(this.byteLength, (n) => new Uint16Array(n), need);
    this.wide = grown(this.wide, (n) => new Uint8Array(n), need);
    this.hashes = grown(this.hashes, (n) => new Int32Array(n), need);
    this.values = grown(this.values, (n) => new Int32Array(n), need);
    this.live = grown(this.live, (n) => new Uint8Array(n), need);
  }
}
