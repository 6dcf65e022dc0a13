// What to do with each object version, per DOMAIN.md's table: the one rule the Athena query, the
// direct engine and the verifier all follow.

/** Batch Operations copies objects up to 5 GiB; larger sources need multipart copy. */
export const MAX_BATCH_COPY_BYTES = 5_368_709_120;

/** Storage classes whose objects must be restored before they can be read (and so copied). */
export const ARCHIVED_STORAGE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

export const ACTIONS = [
  /** SSE-KMS with Bucket Key (key to be confirmed by HeadObject: inventory has no key id). */
  'compliant',
  /** SSE-S3, or SSE-KMS without Bucket Key: UpdateObjectEncryption re-wraps the data key in place. */
  'update-encryption',
  /** NOT-SSE, readable, up to 5 GiB: Batch Operations copy in place with SSE-KMS. */
  'copy',
  /** NOT-SSE over 5 GiB: multipart copy by the runner. */
  'copy-too-large',
  /**
   * NOT-SSE under Object Lock retention or legal hold: a copy job applies one lock setting to all its
   * objects, so these are copied one by one with their own retention and legal hold carried over.
   */
  'copy-locked',
  /** NOT-SSE in Glacier Flexible Retrieval or Deep Archive: restore first, then copy. */
  'needs-restore',
  /** SSE-C: cannot be touched without the customer's key; reported, never guessed. */
  'sse-c',
  /** DSSE-KMS: already dual-layer KMS; reported and left alone. */
  'dsse-kms',
  /**
   * NOT-SSE noncurrent version: a copy in place would make its old content current again, and
   * UpdateObjectEncryption refuses unencrypted sources; the noncurrent-version expiration removes it.
   */
  'noncurrent-unencrypted',
  /** Delete markers have no data to encrypt. */
  'delete-marker',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions the runner performs; the others are reported with their reason. */
export const ACTIONABLE = ['update-encryption', 'copy', 'copy-too-large', 'copy-locked', 'needs-restore'] as const satisfies readonly Action[];
export type ActionableAction = (typeof ACTIONABLE)[number];

export const UNTOUCHED_REASONS: Readonly<Record<Exclude<Action, ActionableAction>, string>> = {
  compliant: 'already SSE-KMS with a Bucket Key',
  'sse-c': 'encrypted with a customer-provided key (SSE-C): only its owner can rewrite it',
  'dsse-kms': 'already dual-layer SSE-KMS (DSSE-KMS): left alone unless asked',
  'noncurrent-unencrypted': 'unencrypted noncurrent version: cannot be re-encrypted in place; the noncurrent-version expiration removes it after verification',
  'delete-marker': 'delete marker: no data to encrypt',
};

/** The inventory fields classification reads. */
export interface VersionFacts {
  readonly isDeleteMarker: boolean;
  readonly isLatest: boolean;
  readonly encryptionStatus: string;
  /** 'ENABLED' or 'DISABLED'; empty where inventory leaves it blank. */
  readonly bucketKeyStatus: string;
  readonly storageClass: string;
  readonly size: number;
  /** GOVERNANCE or COMPLIANCE when the version has retention; empty otherwise. @default '' */
  readonly objectLockMode?: string;
  /** ON or OFF. @default '' */
  readonly legalHoldStatus?: string;
}

/** Per-bucket choices that change what is done with a version (from the bucket's stack outputs). */
export interface ClassifyOptions {
  /**
   * Current DSSE-KMS versions are copied in place like unencrypted ones (the bucket opted in);
   * noncurrent ones stay to the expiration. @default false
   */
  readonly migrateDsseKms?: boolean;
}

export function classifyVersion(v: VersionFacts, options: ClassifyOptions = {}): Action {
  if (v.isDeleteMarker) return 'delete-marker';
  if (v.encryptionStatus === 'DSSE-KMS' && options.migrateDsseKms && v.isLatest) return classifyVersion({ ...v, encryptionStatus: 'NOT-SSE' });
  switch (v.encryptionStatus) {
    case 'SSE-KMS':
      return v.bucketKeyStatus === 'ENABLED' ? 'compliant' : 'update-encryption';
    case 'SSE-S3':
      return 'update-encryption';
    case 'SSE-C':
      return 'sse-c';
    case 'DSSE-KMS':
      return 'dsse-kms';
    case 'NOT-SSE':
      if (!v.isLatest) return 'noncurrent-unencrypted';
      if (ARCHIVED_STORAGE_CLASSES.includes(v.storageClass)) return 'needs-restore';
      if ((v.objectLockMode ?? '') !== '' || v.legalHoldStatus === 'ON') return 'copy-locked';
      return v.size > MAX_BATCH_COPY_BYTES ? 'copy-too-large' : 'copy';
    default:
      throw new Error(`Unknown EncryptionStatus '${v.encryptionStatus}' in the inventory: expected NOT-SSE, SSE-S3, SSE-KMS, DSSE-KMS or SSE-C`);
  }
}

/**
 * The same rule as an Athena (Trino) CASE expression over the inventory table's columns. Size is
 * cast because CSV inventories type it as a string.
 */
export function actionSqlExpression(options: ClassifyOptions = {}): string {
  const archived = ARCHIVED_STORAGE_CLASSES.map((c) => `'${c}'`).join(', ');
  // What a copy in place rewrites: unencrypted current versions, and DSSE-KMS ones where the bucket opted in.
  const copied = options.migrateDsseKms ? "encryption_status IN ('NOT-SSE', 'DSSE-KMS') AND is_latest" : "encryption_status = 'NOT-SSE' AND is_latest";
  return [
    'CASE',
    "  WHEN is_delete_marker THEN 'delete-marker'",
    "  WHEN encryption_status = 'SSE-KMS' AND bucket_key_status = 'ENABLED' THEN 'compliant'",
    "  WHEN encryption_status IN ('SSE-KMS', 'SSE-S3') THEN 'update-encryption'",
    "  WHEN encryption_status = 'SSE-C' THEN 'sse-c'",
    "  WHEN encryption_status = 'NOT-SSE' AND NOT is_latest THEN 'noncurrent-unencrypted'",
    `  WHEN ${copied} AND storage_class IN (${archived}) THEN 'needs-restore'`,
    `  WHEN ${copied} AND (COALESCE(object_lock_mode, '') <> '' OR object_lock_legal_hold_status = 'ON') THEN 'copy-locked'`,
    `  WHEN ${copied} AND CAST(size AS BIGINT) > ${MAX_BATCH_COPY_BYTES} THEN 'copy-too-large'`,
    `  WHEN ${copied} THEN 'copy'`,
    "  WHEN encryption_status = 'DSSE-KMS' THEN 'dsse-kms'",
    "  ELSE 'unknown'",
    'END',
  ].join('\n');
}
