// A bucket with Object Lock against the sandbox, batch and direct engines: versions under governance
// or compliance retention or a legal hold are never sent to UpdateObjectEncryption (which refuses
// them); current ones are copied in place with their lock carried over, noncurrent ones are left to
// the expiration, and Athena classifies every row as the TypeScript rule does, in CSV and Parquet.
import * as fs from 'node:fs';
import { DescribeJobCommand, ListJobsCommand } from '@aws-sdk/client-s3-control';
import { preflight } from '../../runner/engine/preflight';
import { classifiedInAthena, classifiedInTypeScript } from './support/athena-classification';
import { inventoryClassifyOptions } from '../../runner/stack-outputs';
import { partitionTime } from '../../runner/core/plan-query';
import { verifyMigration } from '../../runner/engine/verify';
import { planFromListing } from '../../runner/engine/listing-plan';
import type { MigrationPlan } from '../../runner/engine/plan';
import { showStatus } from '../../runner/engine/status';
import { migrationReport } from '../../runner/core/report';
import { renderReport } from '../../runner/engine/report';
import { StateStore } from '../../runner/state';
import type { ObjectVersion } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, runMigrationIn, type MigrationRun } from './support/runner-output';
import { expectUnderKey } from './support/migrated-version';

const BUCKET = 'demo-locked';
const DAY = 86_400_000;

type Lock = ObjectVersion['objectLock'];

/** 24 keys, 26 versions: each current version gets one of six states, and two keys a newer, unlocked version. */
function lockWorld(world: MigrationWorld): { locked: Map<string, Lock> } {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  const future = new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000);
  const past = new Date(Date.now() - 30 * DAY);
  const sseS3 = { status: 'SSE-S3' as const, bucketKeyEnabled: false };
  const locked = new Map<string, Lock>();
  const keys = [...b.keys()].sort();
  expect(keys.length).toBe(24);
  keys.forEach((key, i) => {
    const v = b.latest(key)!;
    // The seed writes SSE-KMS under another key without a Bucket Key: state 2 keeps that.
    const states: Partial<ObjectVersion>[] = [
      { encryption: sseS3, objectLock: { mode: 'GOVERNANCE', retainUntil: future } },
      { encryption: sseS3, objectLock: { mode: 'COMPLIANCE', retainUntil: future } },
      { objectLock: { legalHold: 'ON' } },
      { encryption: sseS3, objectLock: {} },
      // Retention that has ended locks nothing: UpdateObjectEncryption re-wraps it.
      { encryption: sseS3, objectLock: { mode: 'GOVERNANCE', retainUntil: past } },
      {
        encryption: { status: 'NOT-SSE', bucketKeyEnabled: false },
        objectLock: { mode: 'GOVERNANCE', retainUntil: future, legalHold: 'ON' },
      },
    ];
    const changed = { ...v, ...states[i % 6] };
    b.replace(changed);
    if (i < 2) {
      // A newer unlocked SSE-S3 version makes the locked one noncurrent.
      b.append({
        ...changed,
        versionId: `${changed.versionId.slice(0, -4)}newr`,
        lastModified: new Date(changed.lastModified.getTime() + 1000),
        encryption: sseS3,
        objectLock: {},
      });
    } else if (i % 6 !== 3 && i % 6 !== 4) {
      locked.set(key, changed.objectLock);
    }
  });
  return { locked };
}

const EXPECTED_PLAN = { 'update-encryption': 10, 'copy-locked': 14, 'noncurrent-locked': 2 };

function keyArnOf(world: MigrationWorld): string {
  return JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn as string;
}

function planCounts(records: Record<string, unknown>[]): Record<string, number> {
  const plan = records.find((r) => r.type === 'bucket-plan' && r.bucket === BUCKET) as
    { byAction: Record<string, { versions: number }> } | undefined;
  expect(plan).toBeDefined();
  return Object.fromEntries(Object.entries(plan!.byAction).map(([action, t]) => [action, t.versions]));
}

/** Every current version under the key with a Bucket Key; every lock carried to the new current version. */
function expectMigrated(world: MigrationWorld, locked: Map<string, Lock>): void {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  const keyArn = keyArnOf(world);
  for (const key of b.keys()) {
    const latest = b.latest(key)!;
    expectUnderKey(key, latest, keyArn);
  }
  expect(locked.size).toBe(14);
  for (const [key, was] of locked) {
    const latest = b.latest(key)!;
    expect([key, latest.objectLock.mode, latest.objectLock.retainUntil?.getTime(), latest.objectLock.legalHold]).toEqual([
      key,
      was.mode,
      was.retainUntil?.getTime(),
      was.legalHold,
    ]);
    // The locked source stays, untouched, until its lock ends.
    expect(b.versionsOf(key).length).toBe(2);
  }
}

async function jobsOf(world: MigrationWorld) {
  const accountId = world.sandbox.world.accountId;
  const listed = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: accountId }));
  return Promise.all(
    (listed.Jobs ?? []).map(
      async (j) => (await world.clients.s3Control.send(new DescribeJobCommand({ AccountId: accountId, JobId: j.JobId! }))).Job!,
    ),
  );
}

async function startLockWorld(format?: 'CSV' | 'Parquet') {
  const world = await startMigrationWorld({
    buckets: [
      {
        name: BUCKET,
        versions: 24,
        versionsPerKey: 1,
        versioning: 'Enabled',
        encryption: { 'SSE-KMS': 1 },
        bucketKeyRate: 0,
        hardKeyRate: 0,
        objectLockEnabled: true,
      },
    ],
    config: { buckets: [{ name: BUCKET, objectLock: true }] },
    ...(format ? { format } : {}),
  });
  const { locked } = lockWorld(world);
  await world.deliverInventory();
  return { world, locked };
}

describe('migrate run (batch engine) in a bucket with Object Lock', () => {
  let world: MigrationWorld;
  let locked: Map<string, Lock>;
  let result: MigrationRun;

  beforeAll(async () => {
    ({ world, locked } = await startLockWorld());
    result = await runMigrationIn(world, { pollMs: 20 });
  });
  afterAll(() => world?.close());

  it('plans locked versions apart: copied one by one when current, left to the expiration when noncurrent', () => {
    expect(planCounts(result.records)).toEqual(EXPECTED_PLAN);
    const plan = result.records.find((r) => r.type === 'bucket-plan') as {
      jobs: { operation: string; versions: number }[];
      locked: Record<string, { versions: number; retainUntilEarliest?: string; legalHolds: number }>;
    };
    expect(plan.jobs.map((j) => [j.operation, j.versions])).toEqual([['S3UpdateObjectEncryption', 10]]);
    expect(plan.locked['noncurrent-locked']).toMatchObject({ versions: 2, legalHolds: 0 });
    expect(plan.locked['noncurrent-locked']!.retainUntilEarliest).toBeDefined();
    expect(plan.locked['copy-locked']).toMatchObject({ versions: 14, legalHolds: 8 });
  });

  it('ends with exit 0, and no job has a failed task', async () => {
    expect([result.code, result.message]).toEqual([0, '']);
    const jobs = await jobsOf(world);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs)
      expect([job.Operation && Object.keys(job.Operation)[0], job.Status, job.ProgressSummary?.NumberOfTasksFailed]).toEqual([
        expect.any(String),
        'Complete',
        0,
      ]);
  });

  it('leaves every current version under the key, each lock carried over to the new version', () => {
    expectMigrated(world, locked);
  });

  it('verifies the bucket, naming the noncurrent versions Object Lock keeps from the expiration', async () => {
    // A report labelled after the jobs: their recorded ends move back, as if it came the day after.
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory();
    const { output, records } = captureOutput();
    expect((await verifyMigration(world.context(), { method: 'inventory' }, output)).exitCode).toBe(0);
    const v = records.find((r) => r.type === 'bucket-verification') as {
      passed: boolean;
      current: { versions: number; nonCompliant: number; locked?: number };
      noncurrent: { nonCompliant: number; locked?: number };
    };
    // The 14 copied sources and the 2 that were noncurrent already: all still locked, all noncurrent.
    expect([
      v.passed,
      v.current.versions,
      v.current.nonCompliant,
      v.current.locked ?? 0,
      v.noncurrent.nonCompliant,
      v.noncurrent.locked,
    ]).toEqual([true, 24, 0, 0, 16, 16]);
  });

  it('shows the locked classes with their counts and dates in status and in the report', async () => {
    const { output, records } = captureOutput();
    await showStatus(world.context(), output);
    const status = records.find((r) => r.type === 'bucket-status') as {
      objectLock: Record<string, { versions: number; retainUntilLatest?: string }>;
    };
    expect(Object.fromEntries(Object.entries(status.objectLock).map(([a, l]) => [a, l.versions]))).toEqual({
      'copy-locked': 14,
      'noncurrent-locked': 2,
    });
    const ctx = world.context();
    const state = await new StateStore(world.clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(world.stack);
    const markdown = renderReport(migrationReport({ state, outputs: ctx.outputs, generatedAt: new Date() }), 'md');
    expect(markdown).toContain('**Under Object Lock**');
    // Markdown escapes the hyphens of the dates.
    expect(markdown).toMatch(/noncurrent-locked.*\| 2 \| 20\d\d\\?-\d\d\\?-\d\dT.*\| 20\d\d/);
    const html = renderReport(migrationReport({ state, outputs: ctx.outputs, generatedAt: new Date() }), 'html');
    expect(html).toContain('before-object-lock');
  });
});

describe('migrate run --engine direct in a bucket with Object Lock', () => {
  let world: MigrationWorld;
  let locked: Map<string, Lock>;
  let result: MigrationRun;
  let listingPlan: MigrationPlan;

  beforeAll(async () => {
    ({ world, locked } = await startLockWorld());
    listingPlan = await planFromListing(world.context(), captureOutput().output);
    result = await runMigrationIn(world, { engine: 'direct', direct: { concurrency: 4 } });
  });
  afterAll(() => world?.close());

  it('plans the same classes from a listing, the locks read from the HeadObject each version gets anyway', () => {
    const plan = listingPlan.buckets[0]!;
    expect(Object.fromEntries(Object.entries(plan.byAction).map(([a, t]) => [a, t.versions]))).toEqual(EXPECTED_PLAN);
    expect(plan.locked['copy-locked']).toMatchObject({ versions: 14, legalHolds: 8 });
    expect(plan.locked['noncurrent-locked']).toMatchObject({ versions: 2, legalHolds: 0 });
    expect(plan.locked['noncurrent-locked']!.retainUntilEarliest! > new Date().toISOString()).toBe(true);
  });

  it('plans the same classes, ends with exit 0, and reaches the same end state', () => {
    expect(planCounts(result.records)).toEqual(EXPECTED_PLAN);
    expect([result.code, result.message]).toEqual([0, '']);
    expectMigrated(world, locked);
  });

  it('sends no UpdateObjectEncryption to a locked version', () => {
    const failed = result.records.filter((r) => r.type === 'direct-failure' || JSON.stringify(r).includes('ObjectLocked'));
    expect(failed).toEqual([]);
  });
});

describe.each(['CSV', 'Parquet'] as const)('Athena over a %s inventory of a bucket with Object Lock', (format) => {
  let world: MigrationWorld;

  beforeAll(async () => {
    ({ world } = await startLockWorld(format));
  });
  afterAll(() => world?.close());

  it('classifies every row exactly as the TypeScript rule does, locks judged at the snapshot', async () => {
    const ctx = world.context();
    const { outputs } = ctx;
    const bucket = outputs.buckets[BUCKET]!;
    const report = (await preflight(ctx)).inventories.get(BUCKET)!;
    const options = inventoryClassifyOptions(bucket, report.dt);
    const rows = await classifiedInAthena(world, { table: bucket.glue_table, dt: report.dt, options });
    expect(rows.length).toBe(26);
    const counts: Record<string, number> = {};
    for (const row of rows) {
      expect([row.key, row.version_id, row.action]).toEqual([row.key, row.version_id, classifiedInTypeScript(row, options)]);
      counts[row.action] = (counts[row.action] ?? 0) + 1;
    }
    expect(counts).toEqual(EXPECTED_PLAN);
    expect(options.now?.toISOString()).toBe(partitionTime(report.dt));
  });
});
