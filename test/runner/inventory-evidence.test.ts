// An inventory report is evidence only when its data files are those its manifest.json lists, byte
// for byte, and its Hive symlink names them: verify says "cannot verify" (and expire refuses) and
// plan and run say "cannot plan" (exit 4, nothing submitted) otherwise, naming the bucket and the file.
import { defined } from '../support/defined';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { expireNoncurrentVersions } from '../../runner/engine/expire';
import { runMigration } from '../../runner/commands/run';
import { verifyMigration } from '../../runner/engine/verify';
import { StateStore } from '../../runner/state';
import { bytesBody } from '../../sandbox';
import { runCli } from './support/cli';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { outcomeOf, quietOutput } from './support/runner-output';

const BUCKET = 'demo-app-assets';
const HOUR = 3_600_000;
const WORLD = { name: BUCKET, versions: 200, versionsPerKey: 1, versioning: 'Enabled' as const, encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } };

/** The files of the delivery dated `at`: its manifest, its symlink and its data files, in the inventory bucket. */
async function delivery(world: MigrationWorld, at: Date) {
  const outputs = world.context().outputs;
  const inventoryBucket = defined(outputs.buckets[BUCKET], 'the bucket output').inventory_location.replace(/^s3:\/\/([^/]+)\/.*$/, '$1');
  const folder = at.toISOString().slice(0, 16).replace(':', '-');
  const listed = await world.clients.s3.send(new ListObjectsV2Command({ Bucket: inventoryBucket }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  const manifestKey = keys.find((k) => k.endsWith(`/${folder}Z/manifest.json`))!;
  const symlinkKey = keys.find((k) => k.endsWith(`/hive/dt=${folder.replace('T', '-')}/symlink.txt`))!;
  const read = async (key: string) =>
    Buffer.from(
      await (await world.clients.s3.send(new GetObjectCommand({ Bucket: inventoryBucket, Key: key }))).Body!.transformToByteArray(),
    );
  const manifest = JSON.parse((await read(manifestKey)).toString('utf8')) as {
    files: { key: string; size: number; MD5checksum: string }[];
  };
  // Written as S3 writes them, past the inventory bucket's policy, which admits S3 alone.
  const write = (key: string, body: Buffer) => world.sandbox.world.s3.putObject({ bucket: inventoryBucket, key, body: bytesBody(body) });
  const dataKeys = manifest.files.map((f) => f.key);
  return {
    inventoryBucket,
    manifestKey,
    symlinkKey,
    manifest,
    dataKeys,
    get firstDataKey(): string {
      return defined(dataKeys[0], 'a data file in the report');
    },
    read,
    write,
  };
}

describe('verify checks each data file of the report against its manifest', () => {
  let world: MigrationWorld;
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const verify = () => outcomeOf(verifyMigration(world.context(), { method: 'inventory' }, quietOutput()));

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [WORLD] });
    await world.deliverInventory(new Date(hour - 2 * HOUR));
    expect((await runMigration(world.context(), { pollMs: 20 }, quietOutput())).exitCode).toBe(0);
    // As if the migration ran three hours ago, and the report of an hour ago came after it.
    await world.backdateMigration(3 * HOUR);
    await world.deliverInventory(new Date(hour - HOUR));
  });
  afterAll(() => world?.close());

  it('passes on a report whose data files match its manifest, and records how many it checked', async () => {
    expect(await verify()).toEqual({ code: 0, message: '' });
    const outputs = world.context().outputs;
    const state = await new StateStore(world.clients.s3, outputs.reports_bucket, outputs).load(world.stack);
    const v = defined(state.verifications![BUCKET], 'the verification');
    expect(v.evidence).toMatchObject({ reportFiles: 1, filesChecked: 1, filesRead: 1 });
  });

  it('cannot verify a data file whose MD5 is not the one the manifest lists', async () => {
    const report = await delivery(world, new Date(hour - HOUR));
    const original = await report.read(report.manifestKey);
    const tampered = { ...report.manifest, files: report.manifest.files.map((f) => ({ ...f, MD5checksum: '0'.repeat(32) })) };
    report.write(report.manifestKey, Buffer.from(JSON.stringify(tampered)));
    try {
      const result = await verify();
      expect(result.code).toBe(4);
      expect(result.message).toContain(
        `bucket ${BUCKET}: cannot verify from inventory ${new Date(hour - HOUR).toISOString().slice(0, 13).replace('T', '-')}-00: ` +
          `data file s3://${report.inventoryBucket}/${report.firstDataKey} has MD5 ${report.manifest.files[0]?.MD5checksum}, the report's manifest says ${'0'.repeat(32)}`,
      );
    } finally {
      report.write(report.manifestKey, original);
    }
  });

  it('names a listed data file that is gone (exit 4), instead of failing on it', async () => {
    const report = await delivery(world, new Date(hour - HOUR));
    const data = await report.read(report.firstDataKey);
    world.sandbox.world.s3.deleteObject({ bucket: report.inventoryBucket, key: report.firstDataKey });
    try {
      const result = await verify();
      expect(result.code).toBe(4);
      expect(result.message).toMatch(
        new RegExp(
          `bucket ${BUCKET}: cannot verify from inventory \\S+: data file s3://${report.inventoryBucket}/${report.firstDataKey}, listed in the report's manifest, is missing`,
        ),
      );
    } finally {
      report.write(report.firstDataKey, data);
    }
    expect(await verify()).toEqual({ code: 0, message: '' });
  });

  it('cannot verify a report whose data file was swapped for another valid one that hides an SSE-S3 current version, and expire refuses', async () => {
    const older = await delivery(world, new Date(hour - HOUR));
    const olderData = await older.read(older.firstDataKey);
    // Written past the bucket policy (as before the stack was deployed): the next report lists it.
    world.sandbox.world.s3.putObject({
      bucket: BUCKET,
      key: 'written-later/sse-s3.txt',
      body: bytesBody(Buffer.from('not under the key')),
      encryption: { serverSideEncryption: 'AES256' },
    });
    await world.deliverInventory(new Date(hour));
    const report = await delivery(world, new Date(hour));
    // A well-formed report of the bucket as it was before: Athena reads it without complaint, and finds all compliant.
    report.write(report.firstDataKey, olderData);

    const result = await verify();
    expect(result.code).toBe(4);
    expect(result.message).toMatch(
      new RegExp(
        `bucket ${BUCKET}: cannot verify from inventory \\S+: data file s3://${report.inventoryBucket}/${report.firstDataKey} (is \\d+ bytes|has MD5 [0-9a-f]{32}), the report's manifest says`,
      ),
    );
    const expire = await outcomeOf(expireNoncurrentVersions(world.context(), { bucket: BUCKET }, quietOutput()));
    expect(expire.code).toBe(4);
    expect(expire.message).toMatch(
      new RegExp(`bucket ${BUCKET} could not be verified .*data file s3://${report.inventoryBucket}/${report.firstDataKey}`),
    );
  });
});

describe('plan and run from a report that does not cover the bucket', () => {
  let world: MigrationWorld;
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const jobs = async () =>
    (await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }))).Jobs ?? [];
  const versions = () =>
    [...world.sandbox.world.s3.versions(BUCKET)].map((v) => `${v.version.key}@${v.version.versionId}:${v.version.encryption.status}`);

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [WORLD] });
    await world.deliverInventory(new Date(hour - HOUR));
  });
  afterAll(() => world?.close());

  it('cannot plan from an empty Hive symlink (exit 4), and neither engine submits or writes anything', async () => {
    const report = await delivery(world, new Date(hour - HOUR));
    const symlink = await report.read(report.symlinkKey);
    report.write(report.symlinkKey, Buffer.alloc(0));
    const before = versions();
    try {
      for (const args of [['plan'], ['plan', '--engine', 'direct'], ['run'], ['run', '--engine', 'direct']]) {
        const result = await runCli(world, args);
        expect([args, result.code]).toEqual([args, 4]);
        expect(result.stderr).toMatch(
          new RegExp(
            `bucket ${BUCKET}: cannot plan from inventory \\S+ \\(s3://${report.inventoryBucket}/${report.manifestKey}\\): ` +
              `the Hive symlink s3://${report.inventoryBucket}/${report.symlinkKey} lists no data file, the report's manifest lists 1.*: wait for the next inventory delivery and run again; .*check the bucket's inventory configuration`,
          ),
        );
      }
      expect(await jobs()).toEqual([]);
      expect(versions()).toEqual(before);
    } finally {
      report.write(report.symlinkKey, symlink);
    }
  });

  it('plans a report whose evidence holds, and says what it checked', async () => {
    const result = await runCli(world, ['plan']);
    expect(result.code).toBe(0);
    const records = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.type === 'inventory-evidence')).toMatchObject({
      bucket: BUCKET,
      problems: [],
      reportFiles: 1,
      filesChecked: 1,
      filesRead: 1,
      rows: 200,
    });
    expect(records.find((r) => r.type === 'bucket-plan')).toMatchObject({
      bucket: BUCKET,
      jobs: expect.arrayContaining([expect.objectContaining({ operation: 'S3UpdateObjectEncryption' })]),
    });
  });

  it('cannot plan from a report dated after now (exit 4), which the partition projection hides', async () => {
    await world.deliverInventory(new Date(hour + HOUR));
    for (const args of [['plan'], ['run']]) {
      const result = await runCli(world, args);
      expect([args, result.code]).toEqual([args, 4]);
      expect(result.stderr).toMatch(
        new RegExp(
          `bucket ${BUCKET}: cannot plan from inventory \\S+ \\(\\S+\\): the newest inventory \\(\\S+\\) is dated after now .*partition projection hides it.*: wait for the next inventory delivery`,
        ),
      );
    }
    expect(await jobs()).toEqual([]);
  });
});
