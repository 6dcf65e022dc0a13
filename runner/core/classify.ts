// What to do with each object version, per DOMAIN.md's table: the one rule the Athena query, the
// direct engine and the verifier all follow.
//
// Object Lock: UpdateObjectEncryption refuses a version under a governance-mode retention period or a
// legal hold (the lock would have to be removed first) and always one under compliance-mode retention
// (S3 API reference, UpdateObjectEncryption, Errors/AccessDenied:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UpdateObjectEncryption.html; user guide:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/update-sse-encryption.html). The runner never
// removes or bypasses a lock: locked versions never go to UpdateObjectEncryption. A retention period
// locks a version only until its retain-until date; a legal hold until it is removed
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).

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
   * A current version to re-encrypt (NOT-SSE, SSE-S3, SSE-KMS without Bucket Key) under Object Lock
   * retention or legal hold: UpdateObjectEncryption refuses it, and a copy job applies one lock
   * setting to all its objects, so these are copied in place one by one, each new version carrying
   * its source's retention and legal hold.
   */
  'copy-locked',
  /**
   * A noncurrent version to re-encrypt under Object Lock: UpdateObjectEncryption refuses it and a copy
   * would make its content current again; it stays until its lock ends, then the noncurrent-version
   * expiration removes it.
   */
  'noncurrent-locked',
  /**
   * A current SSE-S3 / SSE-KMS version under Object Lock in Glacier Flexible Retrieval or Deep
   * Archive: UpdateObjectEncryption refuses it and a copy needs a restore first; reported.
   */
  'locked-archived',
  /**
   * SSE-KMS with Bucket Key under Object Lock: compliant when under the stack's key (HeadObject
   * checks); kept apart so that it never goes into an UpdateObjectEncryption manifest, even when the
   * key check finds SSE-KMS under another key.
   */
  'compliant-locked',
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
export const ACTIONABLE = [
  'update-encryption',
  'copy',
  'copy-too-large',
  'copy-locked',
  'needs-restore',
] as const satisfies readonly Action[];
export type ActionableAction = (typeof ACTIONABLE)[number];

export const UNTOUCHED_REASONS: Readonly<Record<Exclude<Action, ActionableAction>, string>> = {
  compliant: 'already SSE-KMS with a Bucket Key',
  'sse-c': 'encrypted with a customer-provided key (SSE-C): only its owner can rewrite it',
  'dsse-kms': 'already dual-layer SSE-KMS (DSSE-KMS): left alone unless asked',
  'noncurrent-unencrypted':
    'unencrypted noncurrent version: cannot be re-encrypted in place; the noncurrent-version expiration removes it after verification',
  'noncurrent-locked':
    'noncurrent version under Object Lock: UpdateObjectEncryption refuses it and a copy would make it current again; the noncurrent-version expiration removes it once its lock ends',
  'locked-archived':
    'under Object Lock in Glacier Flexible Retrieval / Deep Archive: UpdateObjectEncryption refuses it and a copy needs a restore first; the runner never removes a lock: restore it, or wait for the lock to end, and run again',
  'compliant-locked':
    'SSE-KMS with a Bucket Key, under Object Lock: never re-wrapped by UpdateObjectEncryption (it refuses locked versions); verify checks its key',
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
  /** When the retention ends; undefined where unknown (then retention with a mode counts as in force). */
  readonly retainUntil?: Date;
}

/** Per-bucket choices that change what is done with a version (from the bucket's stack outputs). */
export interface ClassifyOptions {
  /**
   * Current DSSE-KMS versions are copied in place like unencrypted ones (the bucket opted in);
   * noncurrent ones stay to the expiration. @default false
   */
  readonly migrateDsseKms?: boolean;
  /**
   * The moment retention is judged at: a retain-until date at or before it locks nothing any more.
   * @default every retention with a mode counts as in force (never sends a version AWS may refuse)
   */
  readonly now?: Date;
  /**
   * The inventory's format, which types the retain-until column: a string (ISO 8601) in CSV, epoch
   * milliseconds (bigint) in Parquet and ORC. @default 'CSV'
   */
  readonly inventoryFormat?: 'CSV' | 'Parquet' | 'ORC';
}

/** Whether the version is under Object Lock at `options.now`: retention in force, or a legal hold. */
export function isLocked(
  v: Pick<VersionFacts, 'objectLockMode' | 'legalHoldStatus' | 'retainUntil'>,
  options: Pick<ClassifyOptions, 'now'> = {},
): boolean {
  if (v.legalHoldStatus === 'ON') return true;
  if ((v.objectLockMode ?? '') === '') return false;
  return options.now === undefined || v.retainUntil === undefined || v.retainUntil.getTime() > options.now.getTime();
}

export function classifyVersion(v: VersionFacts, options: ClassifyOptions = {}): Action {
  if (v.isDeleteMarker) return 'delete-marker';
  if (v.encryptionStatus === 'DSSE-KMS' && options.migrateDsseKms && v.isLatest)
    return classifyVersion({ ...v, encryptionStatus: 'NOT-SSE' }, options);
  const locked = isLocked(v, options);
  switch (v.encryptionStatus) {
    case 'SSE-KMS':
    case 'SSE-S3':
      if (v.encryptionStatus === 'SSE-KMS' && v.bucketKeyStatus === 'ENABLED') return locked ? 'compliant-locked' : 'compliant';
      if (!locked) return 'update-encryption';
      if (!v.isLatest) return 'noncurrent-locked';
      return ARCHIVED_STORAGE_CLASSES.includes(v.storageClass) ? 'locked-archived' : 'copy-locked';
    case 'SSE-C':
      return 'sse-c';
    case 'DSSE-KMS':
      return 'dsse-kms';
    case 'NOT-SSE':
      if (!v.isLatest) return locked ? 'noncurrent-locked' : 'noncurrent-unencrypted';
      if (ARCHIVED_STORAGE_CLASSES.includes(v.storageClass)) return 'needs-restore';
      if (locked) return 'copy-locked';
      return v.size > MAX_BATCH_COPY_BYTES ? 'copy-too-large' : 'copy';
    default:
      throw new Error(
        `Unknown EncryptionStatus '${v.encryptionStatus}' in the inventory: expected NOT-SSE, SSE-S3, SSE-KMS, DSSE-KMS or SSE-C`,
      );
  }
}

/**
 * "The retain-until date in `column` is after `at`", typed as AWS types the column: a string in CSV
 * inventories (ISO 8601; empty when there is none), epoch milliseconds (bigint; NULL when none) in
 * Parquet and ORC. Trino compares neither with the other type, so one text cannot serve both. The
 * string is parsed only in a CASE branch that has it non-empty (Trino may evaluate both sides of an
 * AND); never NULL, so that `NOT` of it is never NULL either.
 */
export function retainUntilAfterSql(column: string, format: NonNullable<ClassifyOptions['inventoryFormat']>, at: Date): string {
  if (!/^[a-z_.]+$/.test(column)) throw new Error(`Unexpected column ${JSON.stringify(column)}`);
  if (!Number.isFinite(at.getTime())) throw new Error(`The moment Object Lock is judged at must be a valid date. Received: ${String(at)}`);
  return format === 'CSV'
    ? `CASE WHEN COALESCE(${column}, '') = '' THEN FALSE ELSE from_iso8601_timestamp(${column}) > from_iso8601_timestamp('${at.toISOString()}') END`
    : `(${column} IS NOT NULL AND ${column} > ${at.getTime()})`;
}

/** Object Lock in force as an SQL condition over the inventory's columns, the same as isLocked; never NULL. */
export function lockedSqlCondition(options: Pick<ClassifyOptions, 'now' | 'inventoryFormat'> = {}): string {
  const column = 'object_lock_retain_until_date';
  const legalHold = "COALESCE(object_lock_legal_hold_status, '') = 'ON'";
  const mode = "COALESCE(object_lock_mode, '') <> ''";
  if (options.now === undefined) return `(${legalHold} OR ${mode})`;
  const format = options.inventoryFormat ?? 'CSV';
  // A mode without a date is counted as in force, as isLocked does.
  const noDate = format === 'CSV' ? `COALESCE(${column}, '') = ''` : `${column} IS NULL`;
  return `(${legalHold} OR (${mode} AND (${noDate} OR ${retainUntilAfterSql(column, format, options.now)})))`;
}

/**
 * The same rule as an Athena (Trino) CASE expression over the inventory table's columns. Size is
 * cast because CSV inventories type it as a string.
 */
export function actionSqlExpression(options: ClassifyOptions = {}): string {
  const archived = ARCHIVED_STORAGE_CLASSES.map((c) => `'${c}'`).join(', ');
  // What a copy in place rewrites: unencrypted current versions, and DSSE-KMS ones where the bucket opted in.
  const copied = options.migrateDsseKms
    ? "encryption_status IN ('NOT-SSE', 'DSSE-KMS') AND is_latest"
    : "encryption_status = 'NOT-SSE' AND is_latest";
  const locked = lockedSqlCondition(options);
  // What UpdateObjectEncryption would re-wrap, were it not for a lock.
  const rewrapped = "(encryption_status = 'SSE-S3' OR (encryption_status = 'SSE-KMS' AND COALESCE(bucket_key_status, '') <> 'ENABLED'))";
  return [
    'CASE',
    "  WHEN is_delete_marker THEN 'delete-marker'",
    `  WHEN encryption_status = 'SSE-KMS' AND bucket_key_status = 'ENABLED' AND ${locked} THEN 'compliant-locked'`,
    "  WHEN encryption_status = 'SSE-KMS' AND bucket_key_status = 'ENABLED' THEN 'compliant'",
    `  WHEN ${rewrapped} AND NOT ${locked} THEN 'update-encryption'`,
    `  WHEN ${rewrapped} AND NOT is_latest THEN 'noncurrent-locked'`,
    `  WHEN ${rewrapped} AND storage_class IN (${archived}) THEN 'locked-archived'`,
    `  WHEN ${rewrapped} THEN 'copy-locked'`,
    "  WHEN encryption_status = 'SSE-C' THEN 'sse-c'",
    `  WHEN encryption_status = 'NOT-SSE' AND NOT is_latest AND ${locked} THEN 'noncurrent-locked'`,
    "  WHEN encryption_status = 'NOT-SSE' AND NOT is_latest THEN 'noncurrent-unencrypted'",
    `  WHEN ${copied} AND storage_class IN (${archived}) THEN 'needs-restore'`,
    `  WHEN ${copied} AND ${locked} THEN 'copy-locked'`,
    `  WHEN ${copied} AND CAST(size AS BIGINT) > ${MAX_BATCH_COPY_BYTES} THEN 'copy-too-large'`,
    `  WHEN ${copied} THEN 'copy'`,
    "  WHEN encryption_status = 'DSSE-KMS' THEN 'dsse-kms'",
    "  ELSE 'unknown'",
    'END',
  ].join('\n');
}
