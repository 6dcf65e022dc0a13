// Whether each version is compliant, from the inventory or from HeadObject, and the per-bucket verdict. Pure.
import { isMigrationKey } from './migration-key';

/** How verify reads a bucket: the newest inventory when it is fresh enough (auto), that inventory regardless, or a listing. */
export const VERIFY_METHODS = ['auto', 'inventory', 'listing'] as const;
export type VerifyMethod = (typeof VERIFY_METHODS)[number];

/** Why a version is not compliant; 'compliant' when it is SSE-KMS under the stack's key with a Bucket Key. */
export const COMPLIANCE = [
  'compliant',
  'not-encrypted',
  'sse-s3',
  'other-kms-key',
  'no-bucket-key',
  'sse-c',
  'dsse-kms',
  'unknown',
] as const;
export type Compliance = (typeof COMPLIANCE)[number];

/** From the inventory's EncryptionStatus and BucketKeyStatus. The inventory has no key id: 'compliant' here still needs HeadObject to rule out another key. */
export function inventoryCompliance(encryptionStatus: string, bucketKeyStatus: string): Compliance {
  switch (encryptionStatus) {
    case 'SSE-KMS':
      return bucketKeyStatus === 'ENABLED' ? 'compliant' : 'no-bucket-key';
    case 'SSE-S3':
      return 'sse-s3';
    case 'NOT-SSE':
      return 'not-encrypted';
    case 'SSE-C':
      return 'sse-c';
    case 'DSSE-KMS':
      return 'dsse-kms';
    default:
      return 'unknown';
  }
}

/** What HeadObject says of a version's encryption, with the status named as the inventory names it. */
export interface HeadFacts {
  /** 'NOT-SSE', 'SSE-S3', 'SSE-KMS', 'DSSE-KMS' or 'SSE-C'. */
  readonly encryptionStatus: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

/** From HeadObject, which, unlike the inventory, names the KMS key. */
export function headCompliance(head: HeadFacts, keyArn: string): Compliance {
  if (head.encryptionStatus === 'SSE-KMS' && !isMigrationKey(head.kmsKeyId, keyArn)) return 'other-kms-key';
  return inventoryCompliance(head.encryptionStatus, head.bucketKeyEnabled ? 'ENABLED' : 'DISABLED');
}

export interface VersionRef {
  readonly key: string;
  readonly versionId: string;
  readonly reason: Compliance;
}

export interface ComplianceCount {
  /** Versions examined (delete markers excluded), accepted exceptions included. */
  versions: number;
  nonCompliant: number;
  byReason: Partial<Record<Compliance, number>>;
  /** Up to the sample size of the non-compliant versions. */
  sample: VersionRef[];
  /** Versions of a class the bucket accepts as a reported exception (SSE-C, DSSE-KMS): counted apart, not failing. */
  accepted: Partial<Record<Compliance, number>>;
  /** Up to the sample size of the accepted exceptions. */
  acceptedSample: VersionRef[];
  /**
   * Of the non-compliant versions, those under Object Lock (retention in force or a legal hold) at the
   * inventory's snapshot: UpdateObjectEncryption refuses them; current ones are copied, noncurrent
   * ones wait for the expiration. Counted from an inventory only. @default 0
   */
  locked?: number;
}

export function emptyCount(): ComplianceCount {
  return { versions: 0, nonCompliant: 0, byReason: {}, sample: [], accepted: {}, acceptedSample: [] };
}

/** The verification reason of each encryption class a bucket may accept as an exception. */
export const ACCEPTABLE_EXCEPTIONS: Readonly<Record<'SSE-C' | 'DSSE-KMS', Compliance>> = { 'SSE-C': 'sse-c', 'DSSE-KMS': 'dsse-kms' };

export function acceptedReasons(exceptions: readonly (keyof typeof ACCEPTABLE_EXCEPTIONS)[]): Compliance[] {
  return exceptions.map((e) => ACCEPTABLE_EXCEPTIONS[e]);
}

/**
 * Adds `versions` versions with one compliance to a count; `ref` joins the sample while there is room.
 * A reason in `accepted` is counted apart, as a reported exception.
 */
export function tally(
  count: ComplianceCount,
  reason: Compliance,
  versions: number,
  sampleSize: number,
  ref?: { key: string; versionId: string },
  accepted: readonly Compliance[] = [],
): void {
  count.versions += versions;
  if (reason === 'compliant') return;
  if (accepted.includes(reason)) {
    count.accepted[reason] = (count.accepted[reason] ?? 0) + versions;
    if (ref && count.acceptedSample.length < sampleSize) count.acceptedSample.push({ ...ref, reason });
    return;
  }
  count.nonCompliant += versions;
  count.byReason[reason] = (count.byReason[reason] ?? 0) + versions;
  if (ref && count.sample.length < sampleSize) count.sample.push({ ...ref, reason });
}

/** Moves versions counted as compliant to another reason (HeadObject found another key). */
export function reclassify(count: ComplianceCount, reason: Compliance, sampleSize: number, ref: { key: string; versionId: string }): void {
  count.versions -= 1;
  tally(count, reason, 1, sampleSize, ref);
}

/** Takes one non-compliant version back out of a count (found gone, or no longer current). */
export function untally(count: ComplianceCount, ref: { key: string; versionId: string; reason: Compliance }): void {
  count.versions -= 1;
  count.nonCompliant -= 1;
  const left = (count.byReason[ref.reason] ?? 1) - 1;
  if (left > 0) count.byReason[ref.reason] = left;
  else delete count.byReason[ref.reason];
  count.sample = count.sample.filter((s) => s.key !== ref.key || s.versionId !== ref.versionId);
}

export interface BucketVerification {
  readonly bucket: string;
  readonly checkedAt: string;
  /** inventory: Athena over a report newer than the jobs; listing: ListObjectVersions + HeadObject. */
  readonly method: 'inventory' | 'listing';
  readonly inventoryDate?: string;
  readonly passed: boolean;
  readonly current: ComplianceCount;
  /** Noncurrent versions still not compliant: the noncurrent-version expiration removes them. */
  readonly noncurrent: ComplianceCount;
  /** Current versions the inventory calls compliant that HeadObject checked for the key: all of them, or a random sample. */
  readonly keyCheck: { readonly checked: number; readonly of: number };
  /**
   * Versions the inventory (or the listing) named that are gone since: deleted, or a key behind a
   * delete marker for the key check. Left out of every count. @default 0
   */
  readonly goneSinceInventory?: number;
  /** What the verdict rests on: how much was examined, and why that covers the bucket. */
  readonly evidence?: VerificationEvidence;
  /** Why the evidence does not cover the bucket: never a pass. */
  readonly cannotVerify?: readonly string[];
  /** Versions written since the migration started on the keys it migrated, against the copies it made. */
  readonly newVersions?: NewVersionsCount;
}

export interface NewVersionsCount {
  readonly since: string;
  /** On keys a Batch Operations copy job copied, versions count from this inventory snapshot instead. */
  readonly copiedSince?: string;
  readonly created: number;
  readonly copies: number;
  /** Examples of the versions created, when more were created than copied. */
  readonly sample: readonly { readonly key: string; readonly versionId: string }[];
  /** --allow-new-versions: reported, not failing. */
  readonly allowed: boolean;
}

/**
 * A copy in place writes one new version; UpdateObjectEncryption writes none. More new versions than
 * copies means something wrote versions the migration did not mean to (an endpoint that stores its
 * request as a new version), or the applications wrote during the migration: a person must look.
 */
export function unexpectedNewVersions(count: NewVersionsCount | undefined): number {
  return count && !count.allowed ? Math.max(0, count.created - count.copies) : 0;
}

export interface VerificationEvidence {
  /** Data files the inventory report lists, how many matched its manifest's size and MD5, and how many Athena read. */
  readonly reportFiles?: number;
  readonly filesChecked?: number;
  readonly filesRead?: number;
  /** Rows Athena counted in the partition, delete markers included. */
  readonly rows?: number;
  /** Versions listed (listing method). */
  readonly listed?: number;
  /** Neither the inventory nor a listing found any version under the prefix. */
  readonly emptyBucket?: boolean;
}

/** Versions (delete markers aside) a verification examined. */
export function examined(v: Pick<BucketVerification, 'current' | 'noncurrent'>): number {
  return v.current.versions + v.noncurrent.versions;
}

/** Passing means no current version is left non-compliant; noncurrent ones are the expiration's job. */
export function verdict(current: ComplianceCount): boolean {
  return current.nonCompliant === 0;
}

/** Versions counted apart as accepted exceptions. */
export function acceptedTotal(count: ComplianceCount): number {
  return Object.values(count.accepted ?? {}).reduce((a, b) => a + (b ?? 0), 0);
}

export function describeFailure(v: BucketVerification): string {
  const extra = unexpectedNewVersions(v.newVersions);
  if (extra > 0 && v.current.nonCompliant === 0) {
    const n = v.newVersions!;
    const window = n.copiedSince
      ? ` (on the keys a copy job copied, since its inventory's snapshot ${n.copiedSince}: a copy job copies that inventory's version, so a write made after it may lie under the copy, noncurrent, and the expiration would delete it)`
      : '';
    return (
      `bucket ${v.bucket}: ${n.created.toLocaleString('en-US')} versions were written since the migration started (${n.since})${window} on the keys it migrated, but it made only ${n.copies.toLocaleString('en-US')} copies; ` +
      `e.g. ${n.sample
        .slice(0, 3)
        .map((s) => `${s.key}@${s.versionId}`)
        .join(', ')}. Check their content; if your applications wrote them, verify with --allow-new-versions`
    );
  }
  const reasons = Object.entries(v.current.byReason)
    .map(([r, n]) => `${n.toLocaleString('en-US')} ${r}`)
    .join(', ');
  const sample = v.current.sample
    .slice(0, 3)
    .map((s) => `${s.key}@${s.versionId}`)
    .join(', ');
  return `bucket ${v.bucket}: ${v.current.nonCompliant.toLocaleString('en-US')} current versions are not SSE-KMS under the stack's key with a Bucket Key (${reasons}); e.g. ${sample}`;
}

/** Where a failing bucket's remedies point: the stack, the bucket's settings, the config file that holds them. */
export interface RemedyContext {
  readonly stack: string;
  /** Whether the bucket's config opts in to copying DSSE-KMS versions (`dsseKms.migrate`). */
  readonly migrateDsseKms: boolean;
  /** The stack's config file, where `buckets[].acceptRemaining` and `buckets[].dsseKms` are set. */
  readonly configFile: string;
}

/**
 * What moves a failed bucket on, one step per kind of version left. A rerun fixes only what the runner
 * re-encrypts: SSE-C versions need their customer key or an accepted exception, DSSE-KMS versions an
 * opt-in or an accepted exception; both are config decisions, deployed like any other setting.
 */
export function failureRemedies(v: BucketVerification, context: RemedyContext): string[] {
  const remedies: string[] = [];
  const reasons = v.current.byReason;
  const sseC = reasons['sse-c'] ?? 0;
  const dsse = context.migrateDsseKms ? 0 : (reasons['dsse-kms'] ?? 0);
  const rerun = v.current.nonCompliant - sseC - dsse;
  const deploy = `deploy (\`npx cdktf deploy ${context.stack} --outputs-file outputs.json\`)`;
  if (sseC > 0) {
    remedies.push(
      `${sseC} SSE-C: no rerun can re-encrypt them, only the holder of their customer key can rewrite them; to keep them as reported exceptions, ` +
        `add "acceptRemaining": ["SSE-C"] to bucket ${v.bucket} in ${context.configFile} (buckets[].acceptRemaining) and ${deploy}`,
    );
  }
  if (dsse > 0) {
    remedies.push(
      `${dsse} DSSE-KMS: left alone unless the bucket opts in; to copy them under the key, set "dsseKms": { "migrate": true } on bucket ${v.bucket} in ${context.configFile} ` +
        `(with "sourceKeyArns" for keys other than the stack's), ${deploy} and run the migration again; to keep them, add "DSSE-KMS" to its buckets[].acceptRemaining instead`,
    );
  }
  if (rerun > 0)
    remedies.push(
      `${rerun} the runner re-encrypts: run the migration again (\`npm run migrate -- run --stack ${context.stack}\`) until it exits 0`,
    );
  return remedies;
}
