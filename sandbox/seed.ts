// Builds realistic worlds from a few numbers: N object versions per bucket with a chosen mix of
// encryption states, storage classes, sizes (some over 5 GB), versions per key, tags, metadata
// and hard keys. Bodies are seeded, and tag/metadata/encryption objects are shared, so a million
// versions cost little more than their ids.
import { SandboxConfigError } from './errors';
import { flatString, mix32, SeededRandom } from './random';
import { internEncryption } from './s3/encryption';
import type { EncryptionStatus, ObjectEncryption, ObjectVersion, StorageClass } from './s3/model';
import { NO_OBJECT_LOCK, NO_TAGS } from './s3/object-draft';
import type { SandboxWorld } from './world';

export interface SeedBucketSpec {
  readonly name: string;
  /** Object versions to create, delete markers included. */
  readonly versions: number;
  /** Versions per key (the newest is current). @default 1 */
  readonly versionsPerKey?: number;
  /** @default 'Enabled' when versionsPerKey > 1, else 'Unversioned' */
  readonly versioning?: 'Enabled' | 'Suspended' | 'Unversioned';
  /** Weights of encryption states. @default { 'SSE-S3': 1 } */
  readonly encryption?: Readonly<Partial<Record<EncryptionStatus, number>>>;
  /** Share of SSE-KMS versions with the Bucket Key flag. @default 0.5 */
  readonly bucketKeyRate?: number;
  /** KMS keys (any reference) for SSE-KMS and DSSE-KMS versions. @default one key aliased alias/sandbox-seed */
  readonly kmsKeys?: readonly string[];
  /** Weights of storage classes. @default { STANDARD: 1 } */
  readonly storageClasses?: Readonly<Partial<Record<StorageClass, number>>>;
  /** Body sizes in bytes, uniform in [min, max]. @default { min: 0, max: 65536 } */
  readonly sizes?: { readonly min: number; readonly max: number };
  /** Share of versions larger than 5 GB (the copy limit). @default 0 */
  readonly overFiveGbRate?: number;
  /** Share of versions carrying tags. @default 0.3 */
  readonly tagRate?: number;
  /** Share of versions carrying user metadata. @default 0.3 */
  readonly metadataRate?: number;
  /** Share of keys that are hard keys (spaces, +, %, unicode, 1,024 bytes, URL-escape look-alikes). @default 0.05 */
  readonly hardKeyRate?: number;
  /** Share of keys whose newest version is a delete marker (versioned buckets only). @default 0 */
  readonly deleteMarkerRate?: number;
  /** Share of multipart-uploaded versions. @default 0.1 */
  readonly multipartRate?: number;
  readonly objectLockEnabled?: boolean;
}

export interface SeedSpec {
  /** @default 1 */
  readonly seed?: number;
  readonly buckets: readonly SeedBucketSpec[];
}

export interface SeedSummary {
  readonly buckets: readonly { readonly name: string; readonly versions: number; readonly keys: number }[];
}

/** Keys S3 users actually have and naive code breaks on. */
export const HARD_KEY_STEMS: readonly string[] = [
  'with space/report 2024.csv',
  'plus+sign/a+b=c.txt',
  'percent/100%.txt',
  'a%2Fb',
  'looks/escaped%20space',
  'unicode/ünïcødé/日本語/😀.bin',
  'trailing-space ',
  'double//slash',
  'query?and#hash&amp;',
  'quote\'and"double',
];

/** A 1,024-byte key (S3's maximum), distinct per index. */
export function maxLengthKey(index: number): string {
  const head = `max-length/${index}/`;
  return head + 'k'.repeat(1024 - Buffer.byteLength(head));
}

const FIVE_GB = 5 * 1024 * 1024 * 1024;
const TAG_SETS: readonly Readonly<Record<string, string>>[] = (<Record<string, string>[]>[
  { team: 'payments' },
  { team: 'analytics', retention: '7y' },
  { classification: 'confidential', owner: 'platform' },
  { project: 'legacy-archive' },
]).map((t) => Object.freeze(t));
const METADATA_SETS: readonly Readonly<Record<string, string>>[] = (<Record<string, string>[]>[
  { source: 'batch-export' },
  { 'uploaded-by': 'etl', checksum: 'crc32' },
  { origin: 'mainframe', 'record-format': 'fixed' },
]).map((m) => Object.freeze(m));
const CONTENT_TYPES = ['application/octet-stream', 'text/csv', 'application/json', 'image/png'];

export function seedWorld(world: SandboxWorld, spec: SeedSpec): SeedSummary {
  const random = new SeededRandom(spec.seed ?? 1);
  // Dates are shared from a pool: a million Date objects would cost tens of MB for nothing.
  const base = Date.UTC(2021, 0, 1);
  const datePool = Array.from({ length: 4096 }, (_, i) => new Date(base + i * 6 * 3600 * 1000));
  return { buckets: spec.buckets.map((b) => seedBucket(world, b, random, datePool)) };
}

function seedBucket(
  world: SandboxWorld,
  spec: SeedBucketSpec,
  random: SeededRandom,
  datePool: readonly Date[],
): SeedSummary['buckets'][number] {
  validate(spec);
  const perKey = spec.versionsPerKey ?? 1;
  const bucket = world.s3.hasBucket(spec.name)
    ? world.s3.bucket(spec.name)
    : world.s3.createBucket({ name: spec.name, objectLockEnabled: spec.objectLockEnabled ?? false });
  const versioning = spec.versioning ?? (perKey > 1 ? 'Enabled' : 'Unversioned');
  if (versioning !== 'Unversioned') bucket.versioning = versioning;
  const keyRefs = spec.kmsKeys ?? [seedKeyArn(world)];
  const encryptions = encryptionChoices(world, spec, keyRefs);
  const encryptionWeights = spec.encryption ?? { 'SSE-S3': 1 };
  const classWeights = spec.storageClasses ?? { STANDARD: 1 };
  const sizes = spec.sizes ?? { min: 0, max: 65536 };
  const keyCount = Math.ceil(spec.versions / perKey);
  let created = 0;
  for (let k = 0; k < keyCount && created < spec.versions; k++) {
    const key = flatString(keyName(spec.name, k, random, spec.hardKeyRate ?? 0.05));
    const count = Math.min(perKey, spec.versions - created);
    const markerLast = versioning !== 'Unversioned' && count > 1 && random.next() < (spec.deleteMarkerRate ?? 0);
    for (let v = 0; v < count; v++) {
      const seed = mix32(spec.name.length + k, v + created);
      const versionId = versioning === 'Enabled' ? random.versionId() : 'null';
      const lastModified = datePool[Math.min(datePool.length - 1, Math.floor((k / keyCount) * (datePool.length - perKey)) + v)]!;
      if (markerLast && v === count - 1) {
        world.s3.insertVersion(deleteMarker(spec.name, key, versionId, lastModified, world.accountId));
        continue;
      }
      const status = random.weighted(encryptionWeights);
      const huge = random.next() < (spec.overFiveGbRate ?? 0);
      const size = huge ? FIVE_GB + random.int(1, 1024 * 1024 * 1024) : random.int(sizes.min, sizes.max);
      const multipart = huge || random.next() < (spec.multipartRate ?? 0.1);
      const partsCount = multipart ? Math.max(1, Math.ceil(size / (16 * 1024 * 1024))) : undefined;
      const version: ObjectVersion = {
        bucket: spec.name,
        key,
        versionId,
        isDeleteMarker: false,
        size,
        lastModified,
        eTag: seededETag(seed, partsCount),
        storageClass: random.weighted(classWeights),
        isMultipartUploaded: multipart,
        ...(partsCount !== undefined ? { partsCount } : {}),
        encryption: pickEncryption(encryptions, status, random, spec.bucketKeyRate ?? 0.5),
        objectLock: NO_OBJECT_LOCK,
        contentType: CONTENT_TYPES[seed % CONTENT_TYPES.length]!,
        metadata: random.next() < (spec.metadataRate ?? 0.3) ? random.pick(METADATA_SETS) : NO_TAGS,
        tags: random.next() < (spec.tagRate ?? 0.3) ? random.pick(TAG_SETS) : NO_TAGS,
        acl: 'private',
        owner: world.accountId,
        body: { kind: 'seeded', seed, size },
      };
      world.s3.insertVersion(version);
    }
    created += count;
  }
  bucket.compact();
  return { name: spec.name, versions: bucket.versionCount, keys: bucket.keyCount };
}

function validate(spec: SeedBucketSpec): void {
  if (!Number.isInteger(spec.versions) || spec.versions < 0)
    throw new SandboxConfigError(`seed bucket '${spec.name}': 'versions' must be a whole number. Received: ${spec.versions}`);
  const perKey = spec.versionsPerKey ?? 1;
  if (!Number.isInteger(perKey) || perKey < 1)
    throw new SandboxConfigError(`seed bucket '${spec.name}': 'versionsPerKey' must be 1 or more. Received: ${perKey}`);
  if (perKey > 1 && spec.versioning === 'Unversioned')
    throw new SandboxConfigError(`seed bucket '${spec.name}': 'versionsPerKey' > 1 needs versioning. Received versioning: Unversioned`);
  for (const [name, value] of Object.entries({
    bucketKeyRate: spec.bucketKeyRate,
    overFiveGbRate: spec.overFiveGbRate,
    tagRate: spec.tagRate,
    metadataRate: spec.metadataRate,
    hardKeyRate: spec.hardKeyRate,
    deleteMarkerRate: spec.deleteMarkerRate,
    multipartRate: spec.multipartRate,
  })) {
    if (value !== undefined && !(value >= 0 && value <= 1))
      throw new SandboxConfigError(`seed bucket '${spec.name}': '${name}' must be between 0 and 1. Received: ${value}`);
  }
}

function keyName(bucket: string, index: number, random: SeededRandom, hardKeyRate: number): string {
  if (random.next() < hardKeyRate) {
    const which = index % (HARD_KEY_STEMS.length + 1);
    return which === HARD_KEY_STEMS.length ? maxLengthKey(index) : `${HARD_KEY_STEMS[which]}-${index}`;
  }
  const year = 2019 + (index % 6);
  const month = String(1 + (index % 12)).padStart(2, '0');
  return `${bucket.length % 2 === 0 ? 'data' : 'logs'}/${year}/${month}/object-${String(index).padStart(8, '0')}.bin`;
}

function seedKeyArn(world: SandboxWorld): string {
  const alias = 'alias/sandbox-seed';
  const existing = world.kms.findKey(alias);
  if (existing) return existing.arn;
  const key = world.kms.createKey({ description: 'Key the seeder encrypts SSE-KMS versions with' });
  world.kms.createAlias(alias, key.keyId);
  return key.arn;
}

interface EncryptionChoices {
  readonly sseS3: ObjectEncryption;
  readonly notSse: ObjectEncryption;
  readonly kms: readonly ObjectEncryption[];
  readonly kmsBucketKey: readonly ObjectEncryption[];
  readonly dsse: readonly ObjectEncryption[];
  readonly sseC: readonly ObjectEncryption[];
}

function encryptionChoices(world: SandboxWorld, spec: SeedBucketSpec, keyRefs: readonly string[]): EncryptionChoices {
  const arns = keyRefs.map((ref) => {
    const key = world.kms.findKey(ref);
    if (!key) throw new SandboxConfigError(`seed bucket '${spec.name}': KMS key '${ref}' does not exist in the sandbox`);
    return key.arn;
  });
  return {
    sseS3: internEncryption({ status: 'SSE-S3', bucketKeyEnabled: false }),
    notSse: internEncryption({ status: 'NOT-SSE', bucketKeyEnabled: false }),
    kms: arns.map((arn) => internEncryption({ status: 'SSE-KMS', kmsKeyArn: arn, bucketKeyEnabled: false })),
    kmsBucketKey: arns.map((arn) => internEncryption({ status: 'SSE-KMS', kmsKeyArn: arn, bucketKeyEnabled: true })),
    dsse: arns.map((arn) => internEncryption({ status: 'DSSE-KMS', kmsKeyArn: arn, bucketKeyEnabled: false })),
    // Customer keys are never stored; these MD5s name two imaginary customer keys.
    sseC: ['rL0Y20zC+Fzt72VPzMSk2A==', 'XrY7u+Ae7tCTyyK7j1rNww=='].map((md5) =>
      internEncryption({ status: 'SSE-C', bucketKeyEnabled: false, sseCustomerKeyMd5: md5 }),
    ),
  };
}

function pickEncryption(
  choices: EncryptionChoices,
  status: EncryptionStatus,
  random: SeededRandom,
  bucketKeyRate: number,
): ObjectEncryption {
  switch (status) {
    case 'NOT-SSE':
      return choices.notSse;
    case 'SSE-S3':
      return choices.sseS3;
    case 'SSE-KMS':
      return random.pick(random.next() < bucketKeyRate ? choices.kmsBucketKey : choices.kms);
    case 'DSSE-KMS':
      return random.pick(choices.dsse);
    case 'SSE-C':
      return random.pick(choices.sseC);
  }
}

function seededETag(seed: number, partsCount: number | undefined): string {
  const digest = Buffer.allocUnsafe(16);
  for (let i = 0; i < 4; i++) digest.writeUInt32BE(mix32(seed, i), i * 4);
  // Not flattened: the version store keeps the digest's bytes, not this string.
  return partsCount === undefined ? `"${digest.toString('hex')}"` : `"${digest.toString('hex')}-${partsCount}"`;
}

function deleteMarker(bucket: string, key: string, versionId: string, lastModified: Date, owner: string): ObjectVersion {
  return {
    bucket,
    key,
    versionId,
    isDeleteMarker: true,
    size: 0,
    lastModified,
    eTag: '',
    storageClass: 'STANDARD',
    isMultipartUploaded: false,
    encryption: internEncryption({ status: 'NOT-SSE', bucketKeyEnabled: false }),
    objectLock: NO_OBJECT_LOCK,
    metadata: NO_TAGS,
    tags: NO_TAGS,
    acl: 'private',
    owner,
    body: { kind: 'bytes', data: EMPTY },
  };
}

const EMPTY = Buffer.alloc(0);
