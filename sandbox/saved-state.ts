// The shape of a saved sandbox state (state.json, and each line of versions.jsonl) as schemas: a
// state directory comes from outside the process (an older sandbox, a hand edit), so it is parsed
// into the world's types here rather than cast, and a bad field is named.
import { z } from 'zod';
import type { KmsAlias, KmsKey } from './kms/world';
import type { DefaultEncryption, InventoryConfiguration, PublicAccessBlock, XmlTree } from './s3/bucket-config';
import { STORAGE_CLASSES, type BodySlice, type ObjectBody, type ObjectVersion } from './s3/model';

/** A Date as JSON.stringify wrote it. */
const savedDate = z.string().transform((text, ctx) => {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return date;
});

const kmsKey: z.ZodType<KmsKey> = z.object({
  keyId: z.string(),
  arn: z.string(),
  description: z.string(),
  keyState: z.enum(['Enabled', 'Disabled', 'PendingDeletion']),
  creationDate: savedDate,
  keyManager: z.enum(['CUSTOMER', 'AWS']),
  keyUsage: z.literal('ENCRYPT_DECRYPT'),
  keySpec: z.literal('SYMMETRIC_DEFAULT'),
  multiRegion: z.boolean(),
  tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })),
  deletionDate: savedDate.optional(),
  policy: z.string(),
});

const kmsAlias: z.ZodType<KmsAlias> = z.object({
  aliasName: z.string(),
  aliasArn: z.string(),
  targetKeyId: z.string(),
  creationDate: savedDate,
});

const defaultEncryption: z.ZodType<DefaultEncryption> = z.object({
  sseAlgorithm: z.enum(['AES256', 'aws:kms', 'aws:kms:dsse']),
  kmsMasterKeyId: z.string().optional(),
  bucketKeyEnabled: z.boolean(),
});

const publicAccessBlock: z.ZodType<PublicAccessBlock> = z.object({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});

const inventoryConfiguration: z.ZodType<InventoryConfiguration> = z.object({
  id: z.string(),
  isEnabled: z.boolean(),
  destination: z.object({
    bucketArn: z.string(),
    format: z.enum(['CSV', 'ORC', 'Parquet']),
    accountId: z.string().optional(),
    prefix: z.string().optional(),
    encryption: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('SSE-S3') }), z.object({ kind: z.literal('SSE-KMS'), keyId: z.string() })])
      .optional(),
  }),
  filterPrefix: z.string().optional(),
  includedObjectVersions: z.enum(['All', 'Current']),
  optionalFields: z.array(z.string()),
  schedule: z.enum(['Daily', 'Weekly']),
});

const xmlTree: z.ZodType<XmlTree> = z.lazy(() => z.union([z.string(), z.record(z.string(), z.union([xmlTree, z.array(xmlTree)]))]));

const savedBucket = z.object({
  name: z.string().min(1),
  region: z.string().min(1),
  creationDate: z.string(),
  objectLockEnabled: z.boolean(),
  versioning: z.enum(['Unversioned', 'Enabled', 'Suspended']),
  ownership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']).optional(),
  encryption: defaultEncryption,
  publicAccessBlock: publicAccessBlock.optional(),
  policy: z.string().optional(),
  lifecycleRules: z.array(xmlTree).optional(),
  inventory: z.array(inventoryConfiguration),
  /** Parsed by the S3 event state's own schemas when the bucket is restored. */
  replication: z.unknown().optional(),
  notification: z.unknown().optional(),
});

export const savedStateSchema = z.object({
  format: z.number(),
  accountId: z.string(),
  region: z.string(),
  kms: z.object({ keys: z.array(kmsKey), aliases: z.array(kmsAlias) }),
  buckets: z.array(savedBucket),
  parts: z.record(z.string(), z.unknown()),
  /** The S3 event log, parsed by its own schema; absent in states saved before it existed. */
  events: z.unknown().optional(),
});

/** Bytes bodies are saved as base64 (see bodyReplacer in state.ts). */
const bytesBody = z
  .object({ kind: z.literal('bytes'), data: z.object({ base64: z.string() }) })
  .transform(({ data }): Extract<ObjectBody, { kind: 'bytes' }> => ({ kind: 'bytes', data: Buffer.from(data.base64, 'base64') }));
const seededBody = z.object({ kind: z.literal('seeded'), seed: z.number(), size: z.number() });
/** A deflated body's chunks are saved as base64 one by one (see bodyReplacer in state.ts). */
const deflatedBody = z
  .object({
    kind: z.literal('deflated'),
    chunks: z.array(z.object({ base64: z.string() })),
    chunkSizes: z.array(z.number()),
    size: z.number(),
    md5: z.string(),
  })
  .transform(({ chunks, chunkSizes, size, md5 }): Extract<ObjectBody, { kind: 'deflated' }> => ({
    kind: 'deflated',
    chunks: chunks.map((c) => Buffer.from(c.base64, 'base64')),
    chunkSizes,
    size,
    md5,
  }));
const sliceBody = z.union([bytesBody, seededBody, deflatedBody]);
const bodySlice: z.ZodType<BodySlice> = z.object({ body: sliceBody, start: z.number(), length: z.number() });
const objectBody: z.ZodType<ObjectBody> = z.union([
  bytesBody,
  seededBody,
  deflatedBody,
  z.object({ kind: z.literal('composite'), parts: z.array(bodySlice), size: z.number() }),
]);

export const savedVersionSchema: z.ZodType<ObjectVersion> = z.object({
  bucket: z.string(),
  key: z.string(),
  versionId: z.string(),
  isDeleteMarker: z.boolean(),
  size: z.number(),
  lastModified: savedDate,
  eTag: z.string(),
  storageClass: z.enum(STORAGE_CLASSES),
  isMultipartUploaded: z.boolean(),
  partsCount: z.number().optional(),
  replicationStatus: z.enum(['COMPLETED', 'PENDING', 'FAILED', 'REPLICA']).optional(),
  encryption: z.object({
    status: z.enum(['NOT-SSE', 'SSE-S3', 'SSE-KMS', 'DSSE-KMS', 'SSE-C']),
    kmsKeyArn: z.string().optional(),
    bucketKeyEnabled: z.boolean(),
    sseCustomerKeyMd5: z.string().optional(),
  }),
  objectLock: z.object({
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
    retainUntil: savedDate.optional(),
    legalHold: z.enum(['ON', 'OFF']).optional(),
  }),
  intelligentTieringAccessTier: z.string().optional(),
  checksumAlgorithm: z.enum(['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME']).optional(),
  contentType: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  acl: z.string(),
  owner: z.string(),
  restore: z
    .object({ ongoing: z.boolean(), expiry: savedDate.optional(), completesAt: savedDate.optional(), days: z.number().optional() })
    .optional(),
  body: objectBody,
});

/** The issues of a failed parse as `field.path: message`, the first few, for an error that names them. */
export function savedIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return `${issues.join('; ')}${error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : ''}`;
}
