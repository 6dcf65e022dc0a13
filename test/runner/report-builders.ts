// Fixture builders for the migration report: a finished migration and a troubled one, as the state records them.
import type { BucketVerification, VersionRef } from '../../runner/core/verify';
import { emptyState, type AccessCheckRecord, type BucketAccessRecord, type JobRecord, type MigrationState, type PlanRecord } from '../../runner/state';
import { stackOutputs } from './builders';
import type { StackOutputs } from '../../stacks/outputs';

export const DONE_BUCKET = 'acme-data';
export const TROUBLED_BUCKET = 'acme-archive';
export const INVENTORY = '2026-11-28-01-00';

/** Outputs of a stack with both buckets. */
export function reportOutputs(): StackOutputs {
  const base = stackOutputs();
  const data = base.buckets[DONE_BUCKET];
  return { ...base, buckets: { [DONE_BUCKET]: data, [TROUBLED_BUCKET]: { ...data, bucket: TROUBLED_BUCKET, glue_table: 'inventory_acme_archive' } } };
}

export function planRecord(over: Partial<PlanRecord> = {}): PlanRecord {
  return {
    inventoryDate: INVENTORY,
    madeAt: '2026-11-28T09:00:00.000Z',
    engine: 'batch',
    byAction: { compliant: { versions: 100, bytes: 1024 }, 'update-encryption': { versions: 700, bytes: 7_340_032 }, copy: { versions: 200, bytes: 2_097_152 }, 'delete-marker': { versions: 5, bytes: 0 } },
    byStorageClass: {
      compliant: { STANDARD: { versions: 100, bytes: 1024 } },
      'update-encryption': { STANDARD: { versions: 600, bytes: 6_291_456 }, STANDARD_IA: { versions: 100, bytes: 1_048_576 } },
      copy: { STANDARD: { versions: 200, bytes: 2_097_152 } },
      'delete-marker': { STANDARD: { versions: 5, bytes: 0 } },
    },
    ...over,
  };
}

export function jobRecord(over: Partial<JobRecord> & { token: string }): JobRecord {
  return { bucket: DONE_BUCKET, operation: 'S3UpdateObjectEncryption', storageClass: '', inventoryDate: INVENTORY, attempt: 0, versions: 700, ...over };
}

/** A reader the bucket policy names, granted by the key. */
export function accessCheck(over: Partial<AccessCheckRecord> = {}): AccessCheckRecord {
  return { principal: 'arn:aws:iam::123456789012:role/analytics', kind: 'reader', source: 'bucket policy', verdict: 'granted', accepted: false, ...over };
}

/** A bucket's access check as a run records it. */
export function accessRecord(checks: readonly AccessCheckRecord[] = [accessCheck()], over: Partial<BucketAccessRecord> = {}): BucketAccessRecord {
  return { checkedAt: '2026-11-28T08:55:00.000Z', checks, cannotTell: [], ...over };
}

const count = (versions: number, nonCompliant = 0, extra: Partial<BucketVerification['current']> = {}): BucketVerification['current'] => ({ versions, nonCompliant, byReason: {}, sample: [], accepted: {}, acceptedSample: [], ...extra });

export function verification(over: Partial<BucketVerification> = {}): BucketVerification {
  return {
    bucket: DONE_BUCKET,
    checkedAt: '2026-11-29T10:00:00.000Z',
    method: 'inventory',
    inventoryDate: '2026-11-29-01-00',
    passed: true,
    current: count(900),
    noncurrent: count(100),
    keyCheck: { checked: 50, of: 900 },
    ...over,
  };
}

/** A bucket migrated, verified and expired: nothing open. */
export function finishedState(): MigrationState {
  return {
    ...emptyState('prod'),
    updatedAt: '2026-11-29T11:00:00.000Z',
    plans: { [DONE_BUCKET]: planRecord() },
    jobs: {
      tu: jobRecord({ token: 'tu', jobId: 'job-update-1', status: 'Complete', total: 700, succeeded: 700, failed: 0, submittedAt: '2026-11-28T09:05:00.000Z', finishedAt: '2026-11-28T09:35:00.000Z', reportPrefix: 'prod/job-reports/acme-data', readBack: { checked: 20, problems: [] } }),
      tc: jobRecord({ token: 'tc', operation: 'S3PutObjectCopy', storageClass: 'STANDARD', versions: 200, jobId: 'job-copy-1', status: 'Complete', total: 200, succeeded: 200, failed: 0, submittedAt: '2026-11-28T09:06:00.000Z', reportPrefix: 'prod/job-reports/acme-data' }),
    },
    verifications: { [DONE_BUCKET]: verification() },
    expiration: { [DONE_BUCKET]: { ruleId: 'kms-migration-expire-noncurrent', action: 'added', at: '2026-11-29T12:00:00.000Z', noncurrentDays: 30, newerNoncurrentVersions: 0, prefix: '', forced: false } },
  };
}

/**
 * The finished bucket beside one in trouble: a job with failed tasks, a pass with failures, restores
 * still open, accepted exceptions and a failed verification with samples.
 */
export function troubledState(): MigrationState {
  const done = finishedState();
  return {
    ...done,
    plans: {
      ...done.plans,
      [TROUBLED_BUCKET]: planRecord({
        byAction: { 'update-encryption': { versions: 40, bytes: 40_960 }, 'needs-restore': { versions: 3, bytes: 3072 }, 'sse-c': { versions: 2, bytes: 2048 } },
        byStorageClass: { 'update-encryption': { STANDARD: { versions: 40, bytes: 40_960 } }, 'needs-restore': { GLACIER: { versions: 3, bytes: 3072 } }, 'sse-c': { STANDARD: { versions: 2, bytes: 2048 } } },
      }),
    },
    jobs: {
      ...done.jobs,
      tf: jobRecord({ token: 'tf', bucket: TROUBLED_BUCKET, versions: 40, jobId: 'job-failing-9', status: 'Complete', total: 40, succeeded: 33, failed: 7, failureCodes: { AccessDenied: 5, '500 InternalError': 2 }, submittedAt: '2026-11-28T09:07:00.000Z', reportPrefix: 'prod/job-reports/acme-archive', readBack: { checked: 10, problems: ['k1 v1: SSE-S3'] } }),
    },
    direct: {
      [`outside-batch:${TROUBLED_BUCKET}`]: {
        pass: 'outside-batch',
        bucket: TROUBLED_BUCKET,
        source: `inventory:${INVENTORY}`,
        startedAt: '2026-11-28T10:00:00.000Z',
        finishedAt: '2026-11-28T10:05:00.000Z',
        checkpoint: { completed: 3, doneAhead: [] },
        outcomes: { copied: 1, failed: 2 },
        readBack: 1,
        failures: [
          { key: 'big/a.bin', versionId: 'va', action: 'copy-too-large', code: 'SlowDown', message: 'Please reduce your request rate' },
          { key: 'big/b.bin', versionId: 'vb', action: 'copy-too-large', code: 'SlowDown', message: 'Please reduce your request rate' },
        ],
      },
    },
    outstanding: { [TROUBLED_BUCKET]: { inventoryDate: INVENTORY, overFiveGiB: 2, archived: 3, locked: 0, acl: 0 } },
    archived: {
      a1: { bucket: TROUBLED_BUCKET, key: 'cold/1', versionId: 'c1', storageClass: 'GLACIER', stage: 'restore-requested', updatedAt: '2026-11-28T10:00:00.000Z' },
      a2: { bucket: TROUBLED_BUCKET, key: 'cold/2', versionId: 'c2', storageClass: 'GLACIER', stage: 'restore-requested', updatedAt: '2026-11-28T10:00:00.000Z' },
      a3: { bucket: TROUBLED_BUCKET, key: 'cold/3', versionId: 'c3', storageClass: 'GLACIER', stage: 'copied', updatedAt: '2026-11-28T12:00:00.000Z', newVersionId: 'n3' },
    },
    verifications: {
      ...done.verifications,
      [TROUBLED_BUCKET]: verification({
        bucket: TROUBLED_BUCKET,
        passed: false,
        current: count(43, 4, { byReason: { 'sse-s3': 4 }, sample: [{ key: 'docs/<script>alert(1)</script>.txt', versionId: 'v-bad-1', reason: 'sse-s3' }], accepted: { 'sse-c': 2 }, acceptedSample: [{ key: 'secret/customer-key.bin', versionId: 'v-ssec', reason: 'sse-c' }] }),
        noncurrent: count(10),
      }),
    },
  };
}

/**
 * The troubled state with `value` in every place the report shows data: the troubled bucket's name,
 * keys, version ids, reasons, job id, operation, storage classes, failure codes, completion report
 * folder, pass source, cannot-verify reasons, times, and the finished bucket's expiration rule. Every
 * count differs, so the order of rows depends on counts, never on `value`.
 */
export function stateHolding(value: string): MigrationState {
  const troubled = troubledState();
  const done = finishedState();
  // A sample's reason is typed, but the state's schema reads samples unchecked: it is data like the key.
  const ref = { key: value, versionId: value, reason: value as VersionRef['reason'] };
  return {
    ...troubled,
    updatedAt: value,
    plans: {
      ...done.plans,
      [value]: planRecord({
        inventoryDate: value,
        madeAt: value,
        byAction: { 'update-encryption': { versions: 40, bytes: 40_960 }, [value]: { versions: 3, bytes: 3072 } },
        byStorageClass: { 'update-encryption': { STANDARD: { versions: 40, bytes: 40_960 } }, [value]: { [value]: { versions: 3, bytes: 3072 } } },
      }),
    },
    jobs: {
      ...done.jobs,
      tf: jobRecord({ token: 'tf', bucket: value, versions: 40, jobId: value, operation: value, storageClass: value, status: 'Complete', total: 40, succeeded: 33, failed: 7, failureCodes: { [value]: 5, '500 InternalError': 2 }, submittedAt: '2026-11-28T09:07:00.000Z', reportPrefix: value, readBack: { checked: 10, problems: [value] } }),
    },
    direct: {
      [`outside-batch:${value}`]: {
        ...troubled.direct![`outside-batch:${TROUBLED_BUCKET}`],
        bucket: value,
        source: value,
        startedAt: value,
        finishedAt: value,
        outcomes: { copied: 1, [value]: 2 },
        failures: [{ key: value, versionId: value, action: 'copy-too-large', code: value, message: value }],
      },
    },
    outstanding: { [value]: { inventoryDate: value, overFiveGiB: 2, archived: 0, locked: 0, acl: 0 } },
    archived: {},
    verifications: {
      ...done.verifications,
      [value]: verification({
        bucket: value,
        checkedAt: value,
        inventoryDate: value,
        passed: false,
        cannotVerify: [value],
        current: count(43, 4, { byReason: { [value]: 4 }, sample: [ref], accepted: { [value]: 2 }, acceptedSample: [ref] }),
        noncurrent: count(10),
        newVersions: { since: value, created: 3, copies: 1, sample: [], allowed: false },
      }),
    },
    expiration: { [DONE_BUCKET]: { ...done.expiration![DONE_BUCKET], ruleId: value, prefix: value, at: value } },
    access: { [value]: accessRecord([accessCheck({ principal: value, kind: value, source: value, verdict: 'not-granted' }), accessCheck({ principal: value, verdict: 'refused', accepted: true })], { checkedAt: value, cannotTell: [value] }) },
    downstream: {
      [value]: {
        checkedAt: value,
        replication: [{ rule: value, destination: value, verdict: 'refuse' }],
        events: [{ destination: value, kind: value, events: 7, bound: 'upper', accepted: false }],
        cannotTell: [value],
        unsupported: [value],
      },
    },
  };
}

/** Stack outputs with `value` as the stack name, key ARN, alias, Region, account and reports bucket; the finished bucket only. */
export function outputsHolding(value: string): StackOutputs {
  return stackOutputs({ stack: value, kms_key_arn: value, kms_key_alias: value, region: value, account_id: value, reports_bucket: value, reports_prefix: value });
}
