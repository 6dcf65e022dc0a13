// One bucket's versions held column by column in typed arrays, one compact row per version, with
// the few repeated values (encryption states, tag sets, content types) interned. A JS object per
// version cost about 400 heap bytes and left tens of millions of objects for the collector to
// trace; a row costs 99 bytes of typed arrays and none. Versions the columns cannot hold exactly (real
// bytes, Object Lock, restores, unusual ids or ETags) are kept whole beside them, so every
// version reads back exactly as it was written. Keys live off the heap too, in a KeyIndex.
import { STORAGE_CLASSES, type ObjectBody, type ObjectEncryption, type ObjectVersion } from './model';
import { internEncryption } from './encryption';
import { NO_OBJECT_LOCK, NO_TAGS } from './object-draft';
import { KeyIndex, NO_KEY } from './key-index';

/** Rows per chunk: columns grow a chunk at a time, never by copying what they already hold. */
const CHUNK_BITS = 16;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ROWS - 1;
const VERSION_ID_BYTES = 32;
const MD5_BYTES = 16;
export const NO_ROW = -1;

const STORAGE_CLASS_INDEX = new Map(STORAGE_CLASSES.map((c, i) => [c, i]));

// Flags of a row.
const DELETE_MARKER = 1;
const MULTIPART = 2;
const NULL_VERSION_ID = 4;
/** The version is kept whole in `spilled`; its columns hold only the key chain. */
const SPILLED = 8;
/** The body is empty bytes (delete markers, empty objects), not a seeded body. */
const EMPTY_BODY = 16;
/** The ETag is empty (delete markers). */
const EMPTY_ETAG = 32;
/** The ETag has a `-N` parts suffix, N in `etagParts`. */
const ETAG_PARTS = 64;

const PLAIN_ETAG = /^"([0-9a-f]{32})(?:-([1-9][0-9]{0,8}))?"$/;
const EMPTY_BYTES = Buffer.alloc(0);

/** Values seen often, numbered once: a column stores the number. Full tables refuse new values. */
class Interner<T> {
  readonly values: (T | undefined)[] = [undefined];
  private readonly numbers = new Map<T, number>();

  constructor(private readonly limit: number) {}

  /** The number of a value already in the table. */
  known(value: T): number | undefined {
    return this.numbers.get(value);
  }

  /** The value's number (0 for undefined), or -1 when the table is full. */
  numberOf(value: T | undefined): number {
    if (value === undefined) return 0;
    let n = this.numbers.get(value);
    if (n === undefined) {
      if (this.values.length >= this.limit) return -1;
      n = this.values.length;
      this.values.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }
}

/** Tag sets and metadata interned by content, so equal maps written apart share one frozen object. */
class RecordInterner {
  readonly values: Readonly<Record<string, string>>[] = [NO_TAGS];
  private readonly byIdentity = new Map<Readonly<Record<string, string>>, number>([[NO_TAGS, 0]]);
  private readonly byContent = new Map<string, number>([['[]', 0]]);

  constructor(private readonly limit: number) {}

  numberOf(record: Readonly<Record<string, string>>): number {
    const known = this.byIdentity.get(record);
    if (known !== undefined) return known;
    const content = JSON.stringify(Object.entries(record));
    let n = this.byContent.get(content);
    if (n === undefined) {
      if (this.values.length >= this.limit) return -1;
      n = this.values.length;
      this.values.push(Object.freeze({ ...record }));
      this.byContent.set(content, n);
    }
    // Only frozen records are remembered by identity: a caller could change a mutable one later.
    if (Object.isFrozen(record) && this.byIdentity.size < this.limit) this.byIdentity.set(record, n);
    return n;
  }
}

class Chunk {
  readonly keyOf = new Int32Array(CHUNK_ROWS);
  /** The next older version of the same key, or NO_ROW. */
  readonly older = new Int32Array(CHUNK_ROWS);
  readonly versionId = new Uint8Array(CHUNK_ROWS * VERSION_ID_BYTES);
  readonly etag = new Uint8Array(CHUNK_ROWS * MD5_BYTES);
  readonly etagParts = new Int32Array(CHUNK_ROWS);
  readonly partsCount = new Int32Array(CHUNK_ROWS);
  readonly size = new Float64Array(CHUNK_ROWS);
  readonly lastModified = new Float64Array(CHUNK_ROWS);
  readonly seed = new Uint32Array(CHUNK_ROWS);
  readonly flags = new Uint8Array(CHUNK_ROWS);
  readonly storageClass = new Uint8Array(CHUNK_ROWS);
  readonly encryption = new Uint16Array(CHUNK_ROWS);
  readonly contentType = new Uint16Array(CHUNK_ROWS);
  readonly metadata = new Uint16Array(CHUNK_ROWS);
  readonly tags = new Uint16Array(CHUNK_ROWS);
  /** acl, owner, checksum algorithm, replication status, access tier: numbers in `labels`. */
  readonly acl = new Uint8Array(CHUNK_ROWS);
  readonly owner = new Uint8Array(CHUNK_ROWS);
  readonly checksum = new Uint8Array(CHUNK_ROWS);
  readonly replication = new Uint8Array(CHUNK_ROWS);
  readonly tier = new Uint8Array(CHUNK_ROWS);
  /** Byte views of the id and ETag columns, for latin1 and hex text without copies. */
  readonly versionIdBytes = Buffer.from(this.versionId.buffer);
  readonly etagBytes = Buffer.from(this.etag.buffer);
}

/**
 * The versions of one bucket, by key. Rows are numbers; a key's versions form a chain from its
 * newest row through `older`. Reads build a fresh ObjectVersion from the row (versions are values).
 */
export class VersionStore {
  private readonly chunks: Chunk[] = [];
  private rows = 0;
  private readonly freeRows: number[] = [];
  private readonly spilled = new Map<number, ObjectVersion>();
  /** Keys by number, each with its newest row as its value. */
  private readonly keyIndex = new KeyIndex();
  private readonly encryptions = new Interner<ObjectEncryption>(65_535);
  private readonly contentTypes = new Interner<string>(65_535);
  private readonly labels = new Interner<string>(255);
  private readonly records = new RecordInterner(65_535);
  private total = 0;
  private lastKey: string | undefined;
  private lastKeyNumber = 0;
  private lastFound = NO_ROW;

  constructor(private readonly bucketName: string) {}

  get versionCount(): number {
    return this.total;
  }

  get keyCount(): number {
    return this.keyIndex.size;
  }

  /** Every live key number (see keyName, keyNumber), in no particular order. */
  keyNumbers(): IterableIterator<number> {
    return this.keyIndex.liveNumbers();
  }

  /** The key a key number holds. */
  keyName(k: number): string {
    return this.keyIndex.name(k);
  }

  /** A key's number, or NO_KEY when it holds no version. */
  keyNumber(key: string): number {
    return this.keyIndex.find(key);
  }

  hasKey(key: string): boolean {
    return this.keyIndex.find(key) !== NO_KEY;
  }

  /** The newest row of a key, or NO_ROW. */
  newestRow(key: string): number {
    // A copy in place reads a key and then appends to it: the append finds the key remembered.
    if (key === this.lastKey) return this.keyIndex.value(this.lastKeyNumber);
    const k = this.keyIndex.find(key);
    if (k === NO_KEY) return NO_ROW;
    this.lastKey = key;
    this.lastKeyNumber = k;
    return this.keyIndex.value(k);
  }

  /** The next older row of the same key, or NO_ROW. */
  olderRow(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.older[row & CHUNK_MASK]!;
  }

  /** A row's version id, read without building the version. */
  versionIdAt(row: number): string {
    const version = this.spilled.get(row);
    if (version) return version.versionId;
    const chunk = this.chunks[row >>> CHUNK_BITS]!;
    const at = row & CHUNK_MASK;
    if (chunk.flags[at]! & NULL_VERSION_ID) return 'null';
    return chunk.versionIdBytes.toString('latin1', at * VERSION_ID_BYTES, (at + 1) * VERSION_ID_BYTES);
  }

  /** The row holding a key's version with this id, or NO_ROW. */
  findRow(key: string, versionId: string): number {
    // A write reads its version, then replaces it: the second lookup is answered from the first.
    const last = this.lastFound;
    if (last !== NO_ROW && this.rowIsLive(last) && this.keyIndex.equals(this.keyOfRow(last), key) && this.rowHasId(last, versionId))
      return last;
    for (let row = this.newestRow(key); row !== NO_ROW; row = this.olderRow(row)) {
      if (!this.rowHasId(row, versionId)) continue;
      this.lastFound = row;
      return row;
    }
    return NO_ROW;
  }

  private keyOfRow(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.keyOf[row & CHUNK_MASK]!;
  }

  /** Whether a row holds a version now (freed rows keep their old columns until reused). */
  private rowIsLive(row: number): boolean {
    return row < this.rows && this.keyOfRow(row) !== NO_ROW;
  }

  /** Whether a row's version id is this one, compared in place: no string is built per row passed. */
  private rowHasId(row: number, versionId: string): boolean {
    const whole = this.spilled.get(row);
    if (whole) return whole.versionId === versionId;
    const chunk = this.chunks[row >>> CHUNK_BITS]!;
    const at = row & CHUNK_MASK;
    if (chunk.flags[at]! & NULL_VERSION_ID) return versionId === 'null';
    if (versionId.length !== VERSION_ID_BYTES) return false;
    const bytes = chunk.versionId;
    const start = at * VERSION_ID_BYTES;
    for (let i = 0; i < VERSION_ID_BYTES; i++) if (bytes[start + i] !== versionId.charCodeAt(i)) return false;
    return true;
  }

  /**
   * Adds a version as the newest of its key, first dropping the key's version with the same id
   * (S3's `null` rule). Says whether the key is new to the store.
   */
  append(version: ObjectVersion): boolean {
    // Seeding and loading append a key's versions one after another: one hash lookup per key.
    let k = version.key === this.lastKey ? this.lastKeyNumber : this.keyIndex.find(version.key);
    const isNewKey = k === NO_KEY;
    if (k === NO_KEY) k = this.keyIndex.add(version.key, NO_ROW);
    else {
      for (let row = this.keyIndex.value(k); row !== NO_ROW; row = this.olderRow(row)) {
        if (!this.rowHasId(row, version.versionId)) continue;
        this.unlink(row, k);
        break;
      }
    }
    const row = this.allocateRow();
    const chunk = this.chunks[row >>> CHUNK_BITS]!;
    const at = row & CHUNK_MASK;
    chunk.keyOf[at] = k;
    chunk.older[at] = this.keyIndex.value(k);
    this.keyIndex.setValue(k, row);
    this.write(row, version);
    this.total++;
    this.lastKey = version.key;
    this.lastKeyNumber = k;
    return isNewKey;
  }

  /** Overwrites a row with a changed version of the same key and id. */
  write(row: number, version: ObjectVersion): void {
    this.spilled.delete(row);
    if (!this.fillColumns(row, version)) {
      const chunk = this.chunks[row >>> CHUNK_BITS]!;
      chunk.flags[row & CHUNK_MASK] = SPILLED;
      this.spilled.set(row, version);
    }
  }

  /** Unlinks a row from its key's chain; the key goes when its last version does. */
  delete(row: number): void {
    const k = this.chunks[row >>> CHUNK_BITS]!.keyOf[row & CHUNK_MASK]!;
    this.unlink(row, k);
    if (this.keyIndex.value(k) === NO_ROW) {
      if (this.lastKeyNumber === k) this.lastKey = undefined;
      this.keyIndex.remove(k);
    }
  }

  /** Takes a row out of key k's chain and frees it; the key stays, even with no versions left. */
  private unlink(row: number, k: number): void {
    const older = this.olderRow(row);
    if (this.keyIndex.value(k) === row) this.keyIndex.setValue(k, older);
    else {
      let newer = this.keyIndex.value(k);
      while (this.olderRow(newer) !== row) newer = this.olderRow(newer);
      this.chunks[newer >>> CHUNK_BITS]!.older[newer & CHUNK_MASK] = older;
    }
    this.spilled.delete(row);
    this.chunks[row >>> CHUNK_BITS]!.keyOf[row & CHUNK_MASK] = NO_ROW;
    this.freeRows.push(row);
    this.total--;
  }

  /** The version a row holds, built afresh. */
  version(row: number): ObjectVersion {
    const whole = this.spilled.get(row);
    if (whole) return whole;
    const c = this.chunks[row >>> CHUNK_BITS]!;
    const at = row & CHUNK_MASK;
    const flags = c.flags[at]!;
    const size = c.size[at]!;
    const partsCount = c.partsCount[at]!;
    const contentType = this.contentTypes.values[c.contentType[at]!];
    const checksumAlgorithm = this.labels.values[c.checksum[at]!] as ObjectVersion['checksumAlgorithm'];
    const replicationStatus = this.labels.values[c.replication[at]!] as ObjectVersion['replicationStatus'];
    const tier = this.labels.values[c.tier[at]!];
    const body: ObjectBody = flags & EMPTY_BODY ? { kind: 'bytes', data: EMPTY_BYTES } : { kind: 'seeded', seed: c.seed[at]!, size };
    const version: {
      -readonly [K in keyof ObjectVersion]: ObjectVersion[K];
    } = {
      bucket: this.bucketName,
      key: this.keyIndex.name(c.keyOf[at]!),
      versionId: this.versionIdAt(row),
      isDeleteMarker: (flags & DELETE_MARKER) !== 0,
      size,
      lastModified: new Date(c.lastModified[at]!),
      eTag: this.etagAt(c, at, flags),
      storageClass: STORAGE_CLASSES[c.storageClass[at]!]!,
      isMultipartUploaded: (flags & MULTIPART) !== 0,
      encryption: this.encryptions.values[c.encryption[at]!]!,
      objectLock: NO_OBJECT_LOCK,
      metadata: this.records.values[c.metadata[at]!]!,
      tags: this.records.values[c.tags[at]!]!,
      acl: this.labels.values[c.acl[at]!]!,
      owner: this.labels.values[c.owner[at]!]!,
      body,
    };
    if (partsCount >= 0) version.partsCount = partsCount;
    if (contentType !== undefined) version.contentType = contentType;
    if (checksumAlgorithm !== undefined) version.checksumAlgorithm = checksumAlgorithm;
    if (replicationStatus !== undefined) version.replicationStatus = replicationStatus;
    if (tier !== undefined) version.intelligentTieringAccessTier = tier;
    return version;
  }

  private etagAt(c: Chunk, at: number, flags: number): string {
    if (flags & EMPTY_ETAG) return '';
    const hex = c.etagBytes.toString('hex', at * MD5_BYTES, (at + 1) * MD5_BYTES);
    return flags & ETAG_PARTS ? `"${hex}-${c.etagParts[at]}"` : `"${hex}"`;
  }

  /** Interned states are known by identity; another object is interned first (a string key per call). */
  private encryptionNumber(encryption: ObjectEncryption): number {
    return this.encryptions.known(encryption) ?? this.encryptions.numberOf(internEncryption(encryption));
  }

  private allocateRow(): number {
    const free = this.freeRows.pop();
    if (free !== undefined) return free;
    const row = this.rows++;
    if (row >>> CHUNK_BITS >= this.chunks.length) this.chunks.push(new Chunk());
    return row;
  }

  /** Writes a version into its row's columns; false when the columns cannot hold it exactly. */
  private fillColumns(row: number, v: ObjectVersion): boolean {
    if (v.bucket !== this.bucketName || v.restore !== undefined) return false;
    const lock = v.objectLock;
    if (lock.mode !== undefined || lock.retainUntil !== undefined || lock.legalHold !== undefined) return false;
    let bodyFlag = 0;
    let seed = 0;
    if (v.body.kind === 'seeded') {
      if (v.body.size !== v.size || !(v.body.seed >= 0 && v.body.seed <= 0xffffffff && Number.isInteger(v.body.seed))) return false;
      seed = v.body.seed;
    } else if (v.body.kind === 'bytes' && v.body.data.length === 0 && v.size === 0) bodyFlag = EMPTY_BODY;
    else return false;
    let etagFlag = 0;
    let etagParts = 0;
    let md5Hex = '';
    if (v.eTag === '') etagFlag = EMPTY_ETAG;
    else {
      const m = PLAIN_ETAG.exec(v.eTag);
      if (!m) return false;
      md5Hex = m[1]!;
      if (m[2] !== undefined) {
        etagFlag = ETAG_PARTS;
        etagParts = Number(m[2]);
      }
    }
    const idFlag = v.versionId === 'null' ? NULL_VERSION_ID : 0;
    if (!idFlag && !isCompactId(v.versionId)) return false;
    const storageClass = STORAGE_CLASS_INDEX.get(v.storageClass);
    if (storageClass === undefined) return false;
    if (v.partsCount !== undefined && !(Number.isInteger(v.partsCount) && v.partsCount >= 0 && v.partsCount <= 0x7fffffff)) return false;
    const encryption = this.encryptionNumber(v.encryption);
    const contentType = this.contentTypes.numberOf(v.contentType);
    const metadata = this.records.numberOf(v.metadata);
    const tags = this.records.numberOf(v.tags);
    const acl = this.labels.numberOf(v.acl);
    const owner = this.labels.numberOf(v.owner);
    const checksum = this.labels.numberOf(v.checksumAlgorithm);
    const replication = this.labels.numberOf(v.replicationStatus);
    const tier = this.labels.numberOf(v.intelligentTieringAccessTier);
    if (encryption < 0 || contentType < 0 || metadata < 0 || tags < 0 || acl <= 0 || owner <= 0) return false;
    if (checksum < 0 || replication < 0 || tier < 0) return false;

    const c = this.chunks[row >>> CHUNK_BITS]!;
    const at = row & CHUNK_MASK;
    c.flags[at] = (v.isDeleteMarker ? DELETE_MARKER : 0) | (v.isMultipartUploaded ? MULTIPART : 0) | idFlag | bodyFlag | etagFlag;
    if (!idFlag) c.versionIdBytes.write(v.versionId, at * VERSION_ID_BYTES, VERSION_ID_BYTES, 'latin1');
    if (!(etagFlag & EMPTY_ETAG)) c.etagBytes.write(md5Hex, at * MD5_BYTES, MD5_BYTES, 'hex');
    c.etagParts[at] = etagParts;
    c.partsCount[at] = v.partsCount ?? -1;
    c.size[at] = v.size;
    c.lastModified[at] = v.lastModified.getTime();
    c.seed[at] = seed;
    c.storageClass[at] = storageClass;
    c.encryption[at] = encryption;
    c.contentType[at] = contentType;
    c.metadata[at] = metadata;
    c.tags[at] = tags;
    c.acl[at] = acl;
    c.owner[at] = owner;
    c.checksum[at] = checksum;
    c.replication[at] = replication;
    c.tier[at] = tier;
    return true;
  }
}

/** 32 one-byte characters: what seeded and newly written version ids are. */
function isCompactId(id: string): boolean {
  if (id.length !== VERSION_ID_BYTES) return false;
  for (let i = 0; i < VERSION_ID_BYTES; i++) if (id.charCodeAt(i) > 0xff) return false;
  return true;
}
