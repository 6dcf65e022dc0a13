// verify passes only on evidence: a partition Athena cannot see, or one that misses the report's data
// files, is "cannot verify" (exit 4), never a pass; and expire refuses such a verification.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expireNoncurrentVersions } from '../../runner/engine/expire';
import { runMigration } from '../../runner/commands/run';
import { verifyMigration } from '../../runner/engine/verify';
import { StateStore } from '../../runner/state';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { outcomeOf, quietOutput } from './support/runner-output';

const BUCKET = 'demo-app-assets';
const HOUR = 3_600_000;

describe('verify over an inventory that does not cover the bucket', () => {
  let world: MigrationWorld;
  let inventoryBucket: string;
  const verify = (method: 'inventory' | 'auto') => outcomeOf(verifyMigration(world.context(), { method }, quietOutput()));
  const hour = Math.floor(Date.now() / HOUR) * HOUR;

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [{ name: BUCKET, versions: 400, versionsPerKey: 2, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } }],
    });
    inventoryBucket = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].inventory_bucket;
    await world.deliverInventory(new Date(hour - HOUR));
    expect((await runMigration(world.context(), { pollMs: 20 }, quietOutput())).exitCode).toBe(0);
    // As if the next report came a day after the run.
    await world.backdateMigration(2 * HOUR);
  });
  afterAll(() => world?.close());

  it('passes on a report Athena reads whole, and records what it examined', async () => {
    await world.deliverInventory(new Date(hour));
    expect(await verify('inventory')).toEqual({ code: 0, message: '' });
    const state = await new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs).load(world.stack);
    const v = defined(state.verifications![BUCKET], 'the verification');
    // Every version the sandbox world holds, the migration's copies included, was counted.
    const all = [...world.sandbox.world.s3.versions(BUCKET)];
    expect(all.length).toBeGreaterThan(400);
    expect(v.evidence).toMatchObject({ reportFiles: expect.any(Number), filesRead: v.evidence!.reportFiles, rows: all.length });
    expect(v.current.versions + v.noncurrent.versions).toBe(all.filter((x) => !x.version.isDeleteMarker).length);
    // Every version written since the migration started on its keys is one of its copies.
    expect(v.newVersions).toMatchObject({ created: v.newVersions!.copies, allowed: false });
    expect(v.newVersions!.copies).toBeGreaterThan(50);
  });

  it("fails a bucket holding more versions written since the migration started than copies it made, unless told they are the applications'", async () => {
    const keyArn = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn as string;
    const keys = [...world.sandbox.world.s3.bucket(BUCKET).keys()].slice(0, 3);
    // Compliant versions nobody copied: what an endpoint that stores its request as a new version leaves.
    for (const key of keys)
      await world.clients.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: '<ObjectEncryption/>',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: keyArn,
          BucketKeyEnabled: true,
        }),
      );
    const verify = (allowNewVersions: boolean) =>
      outcomeOf(verifyMigration(world.context(), { method: 'listing', allowNewVersions }, quietOutput()));
    const failed = await verify(false);
    expect(failed.code).toBe(20);
    expect(failed.message).toMatch(
      /bucket demo-app-assets: (\d+) versions were written since the migration started .* but it made only (\d+) copies; e\.g\. /,
    );
    const [, created, copies] = /(\d+) versions were written since .* only (\d+) copies/.exec(failed.message)!;
    expect(Number(created) - Number(copies)).toBe(3);
    expect(await verify(true)).toEqual({ code: 0, message: '' });
    const state = await new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs).load(world.stack);
    expect(state.verifications![BUCKET]?.newVersions).toMatchObject({ allowed: true, created: Number(created), copies: Number(copies) });
  });

  it('cannot verify (exit 4) when the partition lost its symlink: zero rows of a non-empty bucket', async () => {
    const dt = new Date(hour).toISOString().slice(0, 13).replace('T', '-') + '-00';
    const listed = await world.clients.s3.send(new ListObjectsV2Command({ Bucket: inventoryBucket }));
    const symlinks = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith(`hive/dt=${dt}/symlink.txt`));
    expect(symlinks).toHaveLength(1);
    await world.clients.s3.send(new DeleteObjectCommand({ Bucket: inventoryBucket, Key: symlinks[0] }));

    const result = await verify('inventory');
    expect(result.code).toBe(4);
    expect(result.message).toMatch(
      /bucket demo-app-assets: cannot verify from inventory .*: the Hive symlink \S+\/symlink\.txt is missing; Athena read no row of 1 of the report's 1 data files .*; the inventory .* counts no version, but a listing of the bucket finds versions/,
    );
  });

  it('leaves a verification that expire refuses', async () => {
    const result = await outcomeOf(expireNoncurrentVersions(world.context(), { bucket: BUCKET }, quietOutput()));
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/bucket demo-app-assets could not be verified .* Athena read no row/);
  });

  it('leaves expire refusing a verification that examined nothing in a bucket a listing did not find empty', async () => {
    // A record as an older runner wrote it after a partition with zero rows: passed, nothing examined, no evidence.
    const store = new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs);
    const state = await store.load(world.stack);
    const empty = { versions: 0, nonCompliant: 0, byReason: {}, sample: [], accepted: {}, acceptedSample: [] };
    state.verifications![BUCKET] = {
      bucket: BUCKET,
      checkedAt: new Date().toISOString(),
      method: 'inventory',
      passed: true,
      current: empty,
      noncurrent: empty,
      keyCheck: { checked: 0, of: 0 },
    };
    await store.save(state);
    const result = await outcomeOf(expireNoncurrentVersions(world.context(), { bucket: BUCKET }, quietOutput()));
    expect(result.code).toBe(4);
    expect(result.message).toMatch(
      /bucket demo-app-assets: its last verification .* examined no version and did not find the bucket empty/,
    );
  });

  it('cannot verify from a report dated after now, which the projection hides; auto falls back to a listing', async () => {
    await world.deliverInventory(new Date(hour + HOUR));
    const fromInventory = await verify('inventory');
    expect(fromInventory.code).toBe(4);
    expect(fromInventory.message).toMatch(/the newest inventory \(\S+\) is dated after now .* partition projection hides it/);
    // (The three versions written in the earlier test are the applications', as far as this test goes.)
    expect(await outcomeOf(verifyMigration(world.context(), { method: 'auto', allowNewVersions: true }, quietOutput()))).toEqual({
      code: 0,
      message: '',
    });
  });
});
