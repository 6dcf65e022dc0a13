// Fixture builders for the migration report: a finished migration and a troubled one, as the state records them.
import { defined } from '../support/defined';
import type { BucketVerification, VersionRef } from '../../runner/core/verify';
import {
  emptyState,
  type AccessCheckRecord,
  type BucketAccessRecord,
  type JobRecord,
  type MigrationState,
  type PlanRecord,
} from '../../runner/state';
import { stackOutputs } from './builders';
import type { StackOutputs } from '../../stacks/outputs';

export const DONE_BUCKET = 'acme-data';
export const TROUBLED_BUCKET = 'acme-archive';
export const INVENTORY = '2026-11-28-01-00';
/** Who ran the commands: a pipeline's session of the runner role. */
export const RUNNER_ARN = 'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/gha-migrate-4711';
export const COMMIT = '9136b4ebd939fc0f95f364f7714e34bf88a9a2d7';

/** Outputs of a stack with both buckets. */
export function reportOutputs(): StackOutputs {
  const base = stackOutputs();
  const data = defined(base.buckets[DONE_BUCKET], 'the done bucket');
  return {
    ...base,
    buckets: { [DONE_BUCKET]: data, [TROUBLED_BUCKET]: { ...data, bucket: TROUBLED_BUCKET, glue_table: 'inventory_acme_archive' } },
  };
}

export function planRecord(over: Partial<PlanRecord> = {}): PlanRecord {
  return {
    inventoryDate: INVENTORY,
    madeAt: '2026-11-28T09:00:00.000Z',
    engine: 'batch',
    byAction: {
      compliant: { versions: 100, bytes: 1024 },
      'update-encryption': { versions: 700, bytes: 7_340_032 },
      copy: { versions: 200, bytes: 2_097_152 },
      'delete-marker': { versions: 5, bytes: 0 },
    },
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
  return {
    bucket: DONE_BUCKET,
    operation: 'S3UpdateObjectEncryption',
    storageClass: '',
    inventoryDate: INVENTORY,
    attempt: 0,
    versions: 700,
    ...over,
  };
}

/** A reader the bucket policy names, granted by the key. */
export function accessCheck(over: Partial<AccessCheckRecord> = {}): AccessCheckRecord {
  return {
    principal: 'arn:aws:iam::123456789012:role/analytics',
    kind: 'reader',
    source: 'bucket policy',
    verdict: 'granted',
    accepted: false,
    ...over,
  };
}

/** A bucket's access check as a run records it. */
export function accessRecord(
  checks: readonly AccessCheckRecord[] = [accessCheck()],
  over: Partial<BucketAccessRecord> = {},
): BucketAccessRecord {
  return { checkedAt: '2026-11-28T08:55:00.000Z', checks, cannotTell: [], ...over };
}

const count = (versions: number, nonCompliant = 0, extra: Partial<BucketVerification['current']> = {}): BucketVerification['current'] => ({
  versions,
  nonCompliant,
  byReason: {},
  sample: [],
  accepted: {},
  acceptedSample: [],
  ...extra,
});

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
    firstPlans: { [DONE_BUCKET]: planRecord() },
    commands: {
      run: { command: 'run', at: '2026-11-28T09:00:00.000Z', principal: RUNNER_ARN, toolVersion: '0.1.0', commit: COMMIT },
      verify: { command: 'verify', at: '2026-11-29T10:00:00.000Z', principal: RUNNER_ARN, toolVersion: '0.1.0', commit: COMMIT },
      expire: { command: 'expire', at: '2026-11-29T12:00:00.000Z', principal: RUNNER_ARN, toolVersion: '0.1.0', commit: COMMIT },
    },
    jobs: {
      tu: jobRecord({
        token: 'tu',
        jobId: 'job-update-1',
        status: 'Complete',
        total: 700,
        succeeded: 700,
        failed: 0,
        submittedAt: '2026-11-28T09:05:00.000Z',
        finishedAt: '2026-11-28T09:35:00.000Z',
        reportPrefix: 'prod/job-reports/acme-data',
        readBack: { checked: 20, problems: [] },
      }),
      tc: jobRecord({
        token: 'tc',
        operation: 'S3PutObjectCopy',
        storageClass: 'STANDARD',
        versions: 200,
        jobId: 'job-copy-1',
        status: 'Complete',
        total: 200,
        succeeded: 200,
        failed: 0,
        submittedAt: '2026-11-28T09:06:00.000Z',
        reportPrefix: 'prod/job-reports/acme-data',
      }),
    },
    verifications: { [DONE_BUCKET]: verification() },
    expiration: {
      [DONE_BUCKET]: {
        ruleId: 'kms-migration-expire-noncurrent',
        action: 'added',
        at: '2026-11-29T12:00:00.000Z',
        noncurrentDays: 30,
        newerNoncurrentVersions: 0,
        prefix: '',
        forced: false,
      },
    },
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
        byAction: {
          'update-encryption': { versions: 40, bytes: 40_960 },
          'needs-restore': { versions: 3, bytes: 3072 },
          'sse-c': { versions: 2, bytes: 2048 },
        },
        byStorageClass: {
          'update-encryption': { STANDARD: { versions: 40, bytes: 40_960 } },
          'needs-restore': { GLACIER: { versions: 3, bytes: 3072 } },
          'sse-c': { STANDARD: { versions: 2, bytes: 2048 } },
        },
      }),
    },
    jobs: {
      ...done.jobs,
      tf: jobRecord({
        token: 'tf',
        bucket: TROUBLED_BUCKET,
        versions: 40,
        jobId: 'job-failing-9',
        status: 'Complete',
        total: 40,
        succeeded: 33,
        failed: 7,
        failureCodes: { AccessDenied: 5, '500 InternalError': 2 },
        submittedAt: '2026-11-28T09:07:00.000Z',
        reportPrefix: 'prod/job-reports/acme-archive',
        readBack: { checked: 10, problems: ['k1 v1: SSE-S3'] },
      }),
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
      a1: {
        bucket: TROUBLED_BUCKET,
        key: 'cold/1',
        versionId: 'c1',
        storageClass: 'GLACIER',
        stage: 'restore-requested',
        updatedAt: '2026-11-28T10:00:00.000Z',
      },
      a2: {
        bucket: TROUBLED_BUCKET,
        key: 'cold/2',
        versionId: 'c2',
        storageClass: 'GLACIER',
        stage: 'restore-requested',
        updatedAt: '2026-11-28T10:00:00.000Z',
      },
      a3: {
        bucket: TROUBLED_BUCKET,
        key: 'cold/3',
        versionId: 'c3',
        storageClass: 'GLACIER',
        stage: 'copied',
        updatedAt: '2026-11-28T12:00:00.000Z',
        newVersionId: 'n3',
      },
    },
    verifications: {
      ...done.verifications,
      [TROUBLED_BUCKET]: verification({
        bucket: TROUBLED_BUCKET,
        passed: false,
        current: count(43, 4, {
          byReason: { 'sse-s3': 4 },
          sample: [{ key: 'docs/<script>alert(1)</script>.txt', versionId: 'v-bad-1', reason: 'sse-s3' }],
          accepted: { 'sse-c': 2 },
          acceptedSample: [{ key: 'secret/customer-key.bin', versionId: 'v-ssec', reason: 'sse-c' }],
        }),
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
        byStorageClass: {
          'update-encryption': { STANDARD: { versions: 40, bytes: 40_960 } },
          [value]: { [value]: { versions: 3, bytes: 3072 } },
        },
      }),
    },
    jobs: {
      ...done.jobs,
      tf: jobRecord({
        token: 'tf',
        bucket: value,
        versions: 40,
        jobId: value,
        operation: value,
        storageClass: value,
        status: 'Complete',
        total: 40,
        succeeded: 33,
        failed: 7,
        failureCodes: { [value]: 5, '500 InternalError': 2 },
        submittedAt: '2026-11-28T09:07:00.000Z',
        reportPrefix: value,
        readBack: { checked: 10, problems: [value] },
      }),
    },
    direct: {
      [`outside-batch:${value}`]: {
        ...defined(troubled.direct![`outside-batch:${TROUBLED_BUCKET}`], 'the outside-batch pass'),
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
    expiration: {
      [DONE_BUCKET]: { ...defined(done.expiration![DONE_BUCKET], 'the expiration record'), ruleId: value, prefix: value, at: value },
    },
    access: {
      [value]: accessRecord(
        [
          accessCheck({ principal: value, kind: value, source: value, verdict: 'not-granted' }),
          accessCheck({ principal: value, verdict: 'refused', accepted: true }),
        ],
        { checkedAt: value, cannotTell: [value] },
      ),
    },
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
  return stackOutputs({
    stack: value,
    kms_key_arn: value,
    kms_key_alias: value,
    region: value,
    account_id: value,
    reports_bucket: value,
    reports_prefix: value,
  });
}

const DEMO_REPORTS = 'kmsmig-demo-reports-20261205';
const demoTotals = (versions: number, bytes: number) => ({ versions, bytes });
const demoJob = (
  bucket: string,
  token: string,
  jobId: string,
  operation: string,
  storageClass: string,
  versions: number,
  submittedAt: string,
  finishedAt: string,
): JobRecord => ({
  token,
  bucket,
  operation,
  storageClass,
  inventoryDate: '2026-12-04-01-00',
  attempt: 0,
  versions,
  jobId,
  status: 'Complete',
  total: versions,
  succeeded: versions,
  failed: 0,
  submittedAt,
  finishedAt,
  reportPrefix: `demo/job-reports/${bucket}`,
  readBack: { checked: Math.min(versions, 20), problems: [] },
});

/** Outputs of the demo stack (stacks/environments/demo.json) as the sandbox applies it. */
export function demoOutputs(): StackOutputs {
  const base = stackOutputs({
    stack: 'demo',
    region: 'us-east-1',
    kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/5c1f2a9e-0b7d-4e3a-9f62-8d4c1b7a3e50',
    kms_key_alias: 'alias/s3-migration-demo',
    reports_bucket: DEMO_REPORTS,
    reports_prefix: 'demo/',
    noncurrent_days: 7,
  });
  const template = defined(base.buckets[DONE_BUCKET], 'the done bucket');
  const bucket = (name: string, over: Partial<typeof template> = {}) => ({
    ...template,
    bucket: name,
    glue_table: `inventory_${name.replace(/-/g, '_')}`,
    ...over,
  });
  return {
    ...base,
    buckets: {
      'demo-app-assets': bucket('demo-app-assets'),
      'demo-data-lake': bucket('demo-data-lake'),
      'demo-logs': bucket('demo-logs', { uses_acls: true }),
    },
  };
}

/**
 * The state `npm run demo` leaves: three buckets migrated (a rerun after the first run), verified and
 * expired. demo-app-assets keeps 3,422 noncurrent versions not compliant until the expiration removes
 * them; demo-logs uses ACLs, so the runner copied its versions itself, and was verified by listing.
 */
export function demoState(): MigrationState {
  const run = {
    command: 'run',
    at: '2026-12-05T14:38:52.114Z',
    principal: 'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo',
    toolVersion: '0.1.0',
    commit: COMMIT,
  };
  const firstPlan = (
    byAction: PlanRecord['byAction'],
    byStorageClass: PlanRecord['byStorageClass'],
    over: Partial<PlanRecord> = {},
  ): PlanRecord => ({
    inventoryDate: '2026-12-04-01-00',
    madeAt: '2026-12-05T14:36:41.208Z',
    engine: 'batch',
    byAction,
    byStorageClass,
    ...over,
  });
  const assetsPlan = firstPlan(
    {
      'update-encryption': demoTotals(6_316, 5_912_000_000),
      copy: demoTotals(2_905, 2_301_000_000),
      'needs-restore': demoTotals(180, 640_000_000),
      'copy-too-large': demoTotals(10, 61_000_000_000),
      'sse-c': demoTotals(316, 190_000_000),
      'dsse-kms': demoTotals(210, 120_000_000),
      'delete-marker': demoTotals(63, 0),
    },
    {
      'update-encryption': {
        STANDARD: demoTotals(4_210, 3_900_000_000),
        STANDARD_IA: demoTotals(1_406, 1_310_000_000),
        GLACIER_IR: demoTotals(700, 702_000_000),
      },
      copy: {
        STANDARD: demoTotals(1_902, 1_500_000_000),
        STANDARD_IA: demoTotals(648, 510_000_000),
        GLACIER_IR: demoTotals(355, 291_000_000),
      },
      'needs-restore': { DEEP_ARCHIVE: demoTotals(180, 640_000_000) },
      'copy-too-large': { STANDARD: demoTotals(10, 61_000_000_000) },
      'sse-c': { STANDARD: demoTotals(316, 190_000_000) },
      'dsse-kms': { STANDARD: demoTotals(210, 120_000_000) },
    },
  );
  const lakePlan = firstPlan(
    { 'update-encryption': demoTotals(4_800, 3_840_000_000), copy: demoTotals(1_200, 960_000_000) },
    { 'update-encryption': { STANDARD: demoTotals(4_800, 3_840_000_000) }, copy: { STANDARD: demoTotals(1_200, 960_000_000) } },
  );
  const logsPlan = firstPlan(
    { 'update-encryption': demoTotals(2_000, 410_000_000), copy: demoTotals(2_000, 405_000_000) },
    { 'update-encryption': { STANDARD: demoTotals(2_000, 410_000_000) }, copy: { STANDARD: demoTotals(2_000, 405_000_000) } },
    { aclCopies: demoTotals(2_000, 405_000_000) },
  );
  // The rerun planned again: it counts only what was left, so it is not the bucket before the work.
  const rerun = (plan: PlanRecord): PlanRecord => ({
    ...plan,
    madeAt: '2026-12-05T14:40:03.771Z',
    byAction: { compliant: defined(plan.byAction['update-encryption'], 'the planned updates') },
  });
  const ok = (versions: number, nonCompliant = 0, extra: Partial<BucketVerification['current']> = {}) =>
    count(versions, nonCompliant, extra);
  const expiration = {
    ruleId: 'kms-migration-expire-noncurrent',
    action: 'added' as const,
    at: '2026-12-05T14:43:10.512Z',
    noncurrentDays: 7,
    newerNoncurrentVersions: 0,
    prefix: '',
    forced: false,
  };
  const uuid = (n: number) => `${n}f6f1a3e-9c1d-4f0e-8a39-5b7c2d4e6f8${n}`;
  return {
    ...emptyState('demo'),
    updatedAt: '2026-12-05T14:43:10.690Z',
    firstPlans: { 'demo-app-assets': assetsPlan, 'demo-data-lake': lakePlan, 'demo-logs': logsPlan },
    plans: { 'demo-app-assets': rerun(assetsPlan), 'demo-data-lake': rerun(lakePlan), 'demo-logs': rerun(logsPlan) },
    commands: {
      run,
      verify: { ...run, command: 'verify', at: '2026-12-05T14:41:09.997Z' },
      expire: { ...run, command: 'expire', at: '2026-12-05T14:43:10.512Z' },
    },
    jobs: {
      a1: demoJob(
        'demo-app-assets',
        'a1',
        uuid(1),
        'S3UpdateObjectEncryption',
        '',
        6_316,
        '2026-12-05T14:37:02.412Z',
        '2026-12-05T14:37:31.010Z',
      ),
      a2: demoJob(
        'demo-app-assets',
        'a2',
        uuid(2),
        'S3PutObjectCopy',
        'STANDARD',
        1_902,
        '2026-12-05T14:37:03.118Z',
        '2026-12-05T14:37:40.221Z',
      ),
      a3: demoJob(
        'demo-app-assets',
        'a3',
        uuid(3),
        'S3PutObjectCopy',
        'STANDARD_IA',
        648,
        '2026-12-05T14:37:03.540Z',
        '2026-12-05T14:37:42.903Z',
      ),
      a4: demoJob(
        'demo-app-assets',
        'a4',
        uuid(4),
        'S3PutObjectCopy',
        'GLACIER_IR',
        355,
        '2026-12-05T14:37:03.911Z',
        '2026-12-05T14:37:44.306Z',
      ),
      a5: demoJob(
        'demo-app-assets',
        'a5',
        uuid(5),
        'S3InitiateRestoreObject',
        'DEEP_ARCHIVE',
        180,
        '2026-12-05T14:37:04.250Z',
        '2026-12-05T14:37:45.880Z',
      ),
      l1: demoJob(
        'demo-data-lake',
        'l1',
        uuid(6),
        'S3UpdateObjectEncryption',
        '',
        4_800,
        '2026-12-05T14:37:04.602Z',
        '2026-12-05T14:37:36.443Z',
      ),
      l2: demoJob(
        'demo-data-lake',
        'l2',
        uuid(7),
        'S3PutObjectCopy',
        'STANDARD',
        1_200,
        '2026-12-05T14:37:04.977Z',
        '2026-12-05T14:37:41.050Z',
      ),
      g1: demoJob(
        'demo-logs',
        'g1',
        uuid(8),
        'S3UpdateObjectEncryption',
        '',
        2_000,
        '2026-12-05T14:37:05.330Z',
        '2026-12-05T14:37:33.712Z',
      ),
    },
    direct: {
      'outside-batch:demo-app-assets': {
        pass: 'outside-batch',
        bucket: 'demo-app-assets',
        source: 'inventory:2026-12-04-01-00',
        startedAt: '2026-12-05T14:37:46.101Z',
        finishedAt: '2026-12-05T14:38:40.655Z',
        checkpoint: { completed: 190, doneAhead: [] },
        outcomes: { copied: 190 },
        readBack: 190,
        failures: [],
      },
      'outside-batch:demo-logs': {
        pass: 'outside-batch',
        bucket: 'demo-logs',
        source: 'inventory:2026-12-04-01-00',
        startedAt: '2026-12-05T14:37:05.702Z',
        finishedAt: '2026-12-05T14:38:21.348Z',
        checkpoint: { completed: 2_000, doneAhead: [] },
        outcomes: { copied: 2_000 },
        readBack: 2_000,
        failures: [],
      },
    },
    outstanding: {
      'demo-app-assets': { inventoryDate: '2026-12-04-01-00', overFiveGiB: 10, archived: 180, locked: 0, acl: 0 },
      'demo-logs': { inventoryDate: '2026-12-04-01-00', overFiveGiB: 0, archived: 0, locked: 0, acl: 2_000 },
    },
    verifications: {
      'demo-app-assets': verification({
        bucket: 'demo-app-assets',
        checkedAt: '2026-12-05T14:41:09.997Z',
        inventoryDate: '2026-12-05-14-00',
        current: ok(5_000, 0, {
          accepted: { 'sse-c': 158, 'dsse-kms': 105 },
          acceptedSample: [{ key: 'exports/2026/customer-statements.pdf', versionId: 'a8Jq0Yw2Lr7nFzQe1VbXk3sTu5HdGm6P', reason: 'sse-c' }],
        }),
        noncurrent: ok(8_090, 3_422, { byReason: { 'not-encrypted': 3_422 }, accepted: { 'sse-c': 158, 'dsse-kms': 105 } }),
        keyCheck: { checked: 1_000, of: 4_737 },
      }),
      'demo-data-lake': verification({
        bucket: 'demo-data-lake',
        checkedAt: '2026-12-05T14:41:31.402Z',
        inventoryDate: '2026-12-05-14-00',
        current: ok(6_000),
        noncurrent: ok(1_200, 1_200, { byReason: { 'not-encrypted': 1_200 } }),
        keyCheck: { checked: 1_000, of: 6_000 },
      }),
      'demo-logs': verification({
        bucket: 'demo-logs',
        checkedAt: '2026-12-05T14:41:52.860Z',
        method: 'listing',
        inventoryDate: undefined,
        current: ok(4_000),
        noncurrent: ok(2_000, 2_000, { byReason: { 'not-encrypted': 2_000 } }),
        keyCheck: { checked: 4_000, of: 4_000 },
      }),
    },
    expiration: {
      'demo-app-assets': expiration,
      'demo-data-lake': { ...expiration, at: '2026-12-05T14:43:10.588Z' },
      'demo-logs': { ...expiration, at: '2026-12-05T14:43:10.640Z' },
    },
    access: { 'demo-data-lake': accessRecord([accessCheck()], { checkedAt: '2026-12-05T14:36:44.019Z' }) },
    downstream: {
      'demo-data-lake': {
        checkedAt: '2026-12-05T14:36:44.305Z',
        replication: [],
        events: [
          {
            destination: 'arn:aws:lambda:us-east-1:123456789012:function:demo-thumbnails',
            kind: 'lambda',
            events: 1_200,
            bound: 'exact',
            accepted: true,
          },
        ],
        cannotTell: [],
      },
    },
  };
}
