// verify passes only on evidence: a partition Athena cannot see, or one that misses the report's data
// files, is "cannot verify" (exit 4), never a pass; and expire refuses such a verification.
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { expireNoncurrentVersions } from '../../runner/commands/expire';
import { runMigration } from '../../runner/commands/run';
import { verifyMigration } from '../../runner/commands/verify';
import { createOutput } from '../../runner/output';
import { StateStore } from '../../runner/state';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const HOUR = 3_600_000;

async function outcome(promise: Promise<number>): Promise<{ code: number; message: string }> {
  return promise.then(
    (code) => ({ code, message: '' }),
    (e: { exitCode?: number; message: string }) => ({ code: e.exitCode ?? 1, message: e.message }),
  );
}

describe('verify over an inventory that does not cover the bucket', () => {
  let world: MigrationWorld;
  let inventoryBucket: string;
  const quiet = () => createOutput({ json: true, stream: new PassThrough().resume() });
  const verify = (method: 'inventory' | 'auto') => outcome(verifyMigration(world.context(), { method }, quiet()));
  const hour = Math.floor(Date.now() / HOUR) * HOUR;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [{ name: BUCKET, versions: 400, versionsPerKey: 2, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } }] });
    inventoryBucket = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].inventory_bucket;
    await world.deliverInventory(new Date(hour - HOUR));
    expect(await runMigration(world.context(), { pollMs: 20 }, quiet())).toBe(0);
    // As if the next report came a day after the run: the jobs' recorded ends two hours back.
    const store = new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs);
    const state = await store.load(world.stack);
    for (const job of Object.values(state.jobs)) job.finishedAt = new Date(new Date(job.finishedAt!).getTime() - 2 * HOUR).toISOString();
    await store.save(state);
  });
  afterAll(() => world?.close());

  it('passes on a report Athena reads whole, and records what it examined', async () => {
    await world.deliverInventory(new Date(hour));
    expect(await verify('inventory')).toEqual({ code: 0, message: '' });
    const state = await new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs).load(world.stack);
    const v = state.verifications![BUCKET];
    // Every version the sandbox world holds, the migration's copies included, was counted.
    const all = [...world.sandbox.world.s3.versions(BUCKET)];
    expect(all.length).toBeGreaterThan(400);
    expect(v.evidence).toMatchObject({ reportFiles: expect.any(Number), filesRead: v.evidence!.reportFiles, rows: all.length });
    expect(v.current.versions + v.noncurrent.versions).toBe(all.filter((x) => !x.version.isDeleteMarker).length);
  });

  it('cannot verify (exit 4) when the partition lost its symlink: zero rows of a non-empty bucket', async () => {
    const dt = new Date(hour).toISOString().slice(0, 13).replace('T', '-') + '-00';
    const listed = await world.clients.s3.send(new ListObjectsV2Command({ Bucket: inventoryBucket }));
    const symlinks = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith(`hive/dt=${dt}/symlink.txt`));
    expect(symlinks).toHaveLength(1);
    await world.clients.s3.send(new DeleteObjectCommand({ Bucket: inventoryBucket, Key: symlinks[0] }));

    const result = await verify('inventory');
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/bucket demo-app-assets: cannot verify from inventory .*: Athena read no row of 1 of the report's 1 data files .*; the inventory .* counts no version, but a listing of the bucket finds versions/);
  });

  it('leaves a verification that expire refuses', async () => {
    const result = await outcome(expireNoncurrentVersions(world.context(), { bucket: BUCKET }, quiet()));
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/bucket demo-app-assets could not be verified .* Athena read no row/);
  });

  it('cannot verify from a report dated after now, which the projection hides; auto falls back to a listing', async () => {
    await world.deliverInventory(new Date(hour + HOUR));
    const fromInventory = await verify('inventory');
    expect(fromInventory.code).toBe(4);
    expect(fromInventory.message).toMatch(/the newest inventory \(\S+\) is dated after now .* partition projection hides it/);
    expect(await verify('auto')).toEqual({ code: 0, message: '' });
  });
});
