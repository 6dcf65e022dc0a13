// The whole batch path against the sandbox: a world with every encryption state, several storage
// classes and hard keys, migrated by the runner through the real SDK, checked version by version.
import { z } from 'zod';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { runMigration } from '../../runner/commands/run';
import type { ObjectVersion } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, runMigrationIn, type MigrationRun } from './support/runner-output';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { queryRows, runQuery } from '../../runner/aws/athena';
import { preflight } from '../../runner/engine/preflight';
import { actionSqlExpression, classifyVersion } from '../../runner/core/classify';

function versionsOf(world: MigrationWorld, bucket: string): ObjectVersion[] {
  const all: ObjectVersion[] = [];
  const b = world.sandbox.world.s3.bucket(bucket);
  for (const key of b.keys()) all.push(...b.versionsOf(key));
  return all;
}

describe('migrate run against the sandbox', () => {
  let world: MigrationWorld;
  let keyArn: string;
  let before: Map<string, ObjectVersion[]>;
  let firstRun: MigrationRun;

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        {
          name: 'demo-app-assets',
          versions: 6000,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 5, 'NOT-SSE': 3, 'SSE-KMS': 1, 'SSE-C': 0.5, 'DSSE-KMS': 0.5 },
          storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER_IR: 1, DEEP_ARCHIVE: 1 },
          hardKeyRate: 0.05,
          overFiveGbRate: 0.005,
          deleteMarkerRate: 0.02,
        },
        { name: 'demo-data-lake', versions: 4000, versionsPerKey: 1, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } },
      ],
    });
    keyArn = JSON.parse(readFileSync(world.outputsFile, 'utf8')).demo.kms_key_arn;
    await world.deliverInventory();
    before = new Map(['demo-app-assets', 'demo-data-lake'].map((b) => [b, versionsOf(world, b)]));
    firstRun = await runMigrationIn(world, { pollMs: 20 });
  });
  afterAll(() => world?.close());

  it('ends its first run done: the runner itself copies what Batch Operations cannot (over 5 GiB, restored archives)', () => {
    expect([firstRun.code, firstRun.message]).toEqual([0, '']);
    expect(firstRun.records.some((r) => r.type === 'job-submitted')).toBe(true);
    expect(firstRun.records.some((r) => r.type === 'direct-progress' && r.pass === 'outside-batch' && r.bucket === 'demo-app-assets')).toBe(
      true,
    );
    expect(firstRun.records.some((r) => r.pass === 'outside-batch' && r.bucket === 'demo-data-lake')).toBe(false);
  });

  it('migrates every SSE-S3 version and every SSE-KMS version under another key to the key with a Bucket Key, in place', () => {
    for (const [bucket, versions] of before) {
      const after = new Map(versionsOf(world, bucket).map((v) => [`${v.key}\u0000${v.versionId}`, v]));
      for (const v of versions) {
        const now = after.get(`${v.key}\u0000${v.versionId}`);
        expect(now).toBeDefined();
        const wrongKey = v.encryption.status === 'SSE-KMS' && (v.encryption.kmsKeyArn !== keyArn || !v.encryption.bucketKeyEnabled);
        if (!v.isDeleteMarker && (v.encryption.status === 'SSE-S3' || wrongKey)) {
          expect([v.key, now!.encryption]).toEqual([v.key, { status: 'SSE-KMS', kmsKeyArn: keyArn, bucketKeyEnabled: true }]);
          expect(now!.storageClass).toBe(v.storageClass);
          expect(now!.eTag).toBe(v.eTag);
        }
      }
    }
  });

  it('gives every NOT-SSE current version (over 5 GiB and archived included) a new SSE-KMS current version with its tags, metadata and storage class', () => {
    let large = 0;
    let archived = 0;
    for (const [bucket, versions] of before) {
      const b = world.sandbox.world.s3.bucket(bucket);
      for (const v of versions) {
        const wasCurrent = b.versionsOf(v.key).length > 0 && !v.isDeleteMarker && v.encryption.status === 'NOT-SSE';
        if (!wasCurrent) continue;
        const previousCurrent = before
          .get(bucket)!
          .filter((x) => x.key === v.key)
          .at(-1);
        if (previousCurrent !== v) continue;
        const latest = b.latest(v.key)!;
        expect(latest.versionId).not.toBe(v.versionId);
        expect([v.key, latest.encryption.status, latest.encryption.kmsKeyArn, latest.encryption.bucketKeyEnabled]).toEqual([
          v.key,
          'SSE-KMS',
          keyArn,
          true,
        ]);
        expect(latest.tags).toEqual(v.tags);
        expect(latest.metadata).toEqual(v.metadata);
        expect(latest.storageClass).toBe(v.storageClass);
        if (v.size > 5 * 1024 ** 3) large++;
        if (['GLACIER', 'DEEP_ARCHIVE'].includes(v.storageClass)) archived++;
      }
    }
    // By multipart copy, and by restore then copy, in the runner itself.
    expect(large).toBeGreaterThan(0);
    expect(archived).toBeGreaterThan(0);
  });

  it('hands Batch Operations inventory-format manifests whose checksums are those of their data files', async () => {
    const { outputs } = world.context();
    const listed = await world.clients.s3.send(
      new ListObjectsV2Command({ Bucket: outputs.reports_bucket, Prefix: `${outputs.reports_prefix}manifests/` }),
    );
    const manifests = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith('/manifest.json'));
    expect(manifests.length).toBeGreaterThan(0);
    const text = async (key: string) =>
      (await world.clients.s3.send(new GetObjectCommand({ Bucket: outputs.reports_bucket, Key: key }))).Body!.transformToByteArray();
    for (const key of manifests) {
      const manifest = JSON.parse(Buffer.from(await text(key)).toString('utf8')) as {
        fileSchema: string;
        files: { key: string; size: number; MD5checksum: string }[];
      };
      expect(manifest.fileSchema).toBe('Bucket, Key, VersionId');
      for (const file of manifest.files) {
        const body = Buffer.from(await text(file.key));
        expect([file.key, file.size, file.MD5checksum]).toEqual([file.key, body.length, createHash('md5').update(body).digest('hex')]);
      }
    }
  });

  it('loses no version: after = before + one copy per copied version', () => {
    for (const [bucket, versions] of before) {
      const after = versionsOf(world, bucket);
      const surviving = new Set(after.map((v) => `${v.key}\u0000${v.versionId}`));
      for (const v of versions) expect(surviving.has(`${v.key}\u0000${v.versionId}`)).toBe(true);
      expect(after.length).toBeGreaterThan(versions.length);
    }
  });

  it('classifies in Athena exactly as the TypeScript rule does, row by row', async () => {
    const ctx = world.context();
    const { outputs } = ctx;
    const report = (await preflight(ctx)).inventories.get('demo-app-assets')!;
    const sql = `SELECT key, version_id, is_latest, is_delete_marker, encryption_status, bucket_key_status, storage_class, size, object_lock_mode, object_lock_legal_hold_status, ${actionSqlExpression()} AS action
      FROM "${outputs.glue_database}"."inventory_demo_app_assets" WHERE dt = '${report.dt}'`;
    const run = await runQuery(world.clients.athena, sql, {
      workgroup: outputs.athena_workgroup,
      database: outputs.glue_database,
      pollMs: 20,
    });
    const row = z.object({
      key: z.string(),
      version_id: z.string(),
      is_latest: z.string(),
      is_delete_marker: z.string(),
      encryption_status: z.string(),
      bucket_key_status: z.string(),
      storage_class: z.string(),
      size: z.string(),
      object_lock_mode: z.string(),
      object_lock_legal_hold_status: z.string(),
      action: z.string(),
    });
    const rows = await queryRows(world.clients.athena, run.queryExecutionId, row);
    expect(rows.length).toBe(before.get('demo-app-assets')!.length);
    const truthy = (v: string) => v === 'true' || v === '1';
    for (const row of rows) {
      const expected = classifyVersion({
        isDeleteMarker: truthy(row.is_delete_marker),
        isLatest: truthy(row.is_latest),
        encryptionStatus: row.encryption_status,
        bucketKeyStatus: row.bucket_key_status,
        storageClass: row.storage_class,
        size: Number(row.size || 0),
        objectLockMode: row.object_lock_mode,
        legalHoldStatus: row.object_lock_legal_hold_status,
      });
      expect([row.key, row.version_id, row.action]).toEqual([row.key, row.version_id, expected]);
    }
  });

  it('submits nothing when run again', async () => {
    const jobsBefore = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }));
    const { output } = captureOutput();
    await runMigration(world.context(), { pollMs: 20 }, output).catch((e) => e);
    const jobsAfter = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }));
    expect(jobsAfter.Jobs?.length).toBe(jobsBefore.Jobs?.length);
  });
});
