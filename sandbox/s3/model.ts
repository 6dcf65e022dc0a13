// The sandbox's data model of S3: the one shape every part of the sandbox (S3 API, inventory,
// Batch Operations, state files) reads and writes. Types and the value lists they come from;
// behaviour lives beside it.

/** Encryption states as S3 Inventory's EncryptionStatus field names them. */
export type EncryptionStatus = 'NOT-SSE' | 'SSE-S3' | 'SSE-KMS' | 'DSSE-KMS' | 'SSE-C';

/** Every storage class the sandbox holds, in a fixed order (the version store keeps the index). */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
  'REDUCED_REDUNDANCY',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export interface ObjectEncryption {
  readonly status: EncryptionStatus;
  /** Full key ARN for SSE-KMS and DSSE-KMS. */
  readonly kmsKeyArn?: string;
  /** Bucket Key flag; only meaningful for SSE-KMS. */
  readonly bucketKeyEnabled: boolean;
  /** MD5 of the customer key, for SSE-C. */
  readonly sseCustomerKeyMd5?: string;
}

export interface ObjectLockSettings {
  readonly mode?: 'GOVERNANCE' | 'COMPLIANCE';
  readonly retainUntil?: Date;
  readonly legalHold?: 'ON' | 'OFF';
}

/** Where an archived object stands with respect to RestoreObject. */
export interface RestoreState {
  readonly ongoing: boolean;
  /** When the restored copy expires; absent while the restore is ongoing. */
  readonly expiry?: Date;
  /**
   * When an ongoing restore completes (the sandbox's configurable restore delay). Readers go through
   * `effectiveRestore()` in s3/restore.ts, which turns an ongoing restore past this time into a done one.
   */
  readonly completesAt?: Date;
  /** Days the restored copy stays, from the RestoreObject request. */
  readonly days?: number;
}

/** The body is either real bytes or generated from a seed, so multi-GB objects cost metadata only. */
export type ObjectBody =
  | { readonly kind: 'bytes'; readonly data: Buffer }
  | { readonly kind: 'seeded'; readonly seed: number; readonly size: number }
  /**
   * Real bytes kept deflated, in chunks inflated independently: large text the sandbox writes
   * itself (completion reports of millions of tasks) at a fraction of its size. `md5` is of the bytes.
   */
  | {
      readonly kind: 'deflated';
      readonly chunks: readonly Buffer[];
      readonly chunkSizes: readonly number[];
      readonly size: number;
      readonly md5: string;
    }
  /**
   * Real bytes kept in a local file (body-files.ts): large bodies the sandbox writes itself, such
   * as inventory reports and UNLOAD files. The file never changes; `md5` is of the bytes.
   */
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly md5: string }
  /** Ranges of other bodies in order: what multipart uploads (UploadPartCopy) produce, copy-free. */
  | { readonly kind: 'composite'; readonly parts: readonly BodySlice[]; readonly size: number };

/** `length` bytes of a body other than a composite one, starting at `start`. */
export interface BodySlice {
  readonly body: Exclude<ObjectBody, { kind: 'composite' }>;
  readonly start: number;
  readonly length: number;
}

export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** 'null' for versions written while versioning was never enabled or suspended, as S3 reports it. */
  readonly versionId: string;
  readonly isDeleteMarker: boolean;
  readonly size: number;
  readonly lastModified: Date;
  readonly eTag: string;
  readonly storageClass: StorageClass;
  readonly isMultipartUploaded: boolean;
  /** Number of parts for multipart-uploaded objects (the `-N` of the ETag). */
  readonly partsCount?: number;
  readonly replicationStatus?: 'COMPLETED' | 'PENDING' | 'FAILED' | 'REPLICA';
  readonly encryption: ObjectEncryption;
  readonly objectLock: ObjectLockSettings;
  readonly intelligentTieringAccessTier?: string;
  readonly checksumAlgorithm?: 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';
  readonly contentType?: string;
  /** User metadata (x-amz-meta-*), lower-case names without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Canned ACL or 'private'; buckets with BucketOwnerEnforced ignore it. */
  readonly acl: string;
  readonly owner: string;
  readonly restore?: RestoreState;
  readonly body: ObjectBody;
}
