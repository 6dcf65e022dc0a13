// Every kind of write proves itself before it is repeated: the canary probe refuses an endpoint whose
// UpdateObjectEncryption or copy does something else (moto's behaviour, imitated by the sandbox), the
// answer of each UpdateObjectEncryption is read, and a sample of the runner's own writes is read back.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { PutObjectCommand, UpdateObjectEncryptionCommand } from '@aws-sdk/client-s3';
import { readBackJob } from '../../runner/engine/batch-read-back';
import { REPLICA_SAMPLE } from '../../runner/engine/downstream';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { StateStore } from '../../runner/state';
import { runMigration } from '../../runner/commands/run';
import { type ObjectVersion, meterRequests } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { outcomeOf, quietOutput, type Outcome } from './support/runner-output';
import { expectUnderKey } from './support/migrated-version';

const BUCKET = 'demo-app-assets';

async function run(world: MigrationWorld, options: Parameters<typeof runMigration>[1]): Promise<Outcome> {
  return outcomeOf(runMigration(world.context(), options, quietOutput()));
}

function versionsOf(world: MigrationWorld): ObjectVersion[] {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  return [...b.keys()].flatMap((key) => b.versionsOf(key));
}

function keyArnOf(world: MigrationWorld): string {
  return JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn as string;
}

/** What a version holds that a migration must keep. */
const content = (v: ObjectVersion) => ({
  key: v.key,
  size: v.size,
  body: v.body,
  tags: v.tags,
  metadata: v.metadata,
  storageClass: v.storageClass,
  contentType: v.contentType,
});

const SEED = {
  name: BUCKET,
  versions: 60,
  versionsPerKey: 2,
  versioning: 'Enabled' as const,
  encryption: { 'SSE-S3': 2, 'NOT-SSE': 1 },
  storageClasses: { STANDARD: 1, STANDARD_IA: 1 },
  tagRate: 0.6,
  metadataRate: 0.6,
  hardKeyRate: 0.2,
};

describe('an endpoint whose UpdateObjectEncryption writes a new version (as moto 5.2.1 does)', () => {
  let world: MigrationWorld;
  beforeEach(async () => {
    world = await startMigrationWorld({ buckets: [SEED] });
  });
  afterEach(() => world?.close());

  it('is refused by the write probe in preflight (exit 4) before any customer object is touched', async () => {
    world.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    const before = versionsOf(world).map((v) => [v.versionId, content(v), v.encryption]);
    const result = await run(world, { engine: 'direct', direct: { fromListing: true } });
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/update-encryption on the canary .* names version .* not the version/);
    expect(result.message).toContain('--update-by-copy');
    expect(versionsOf(world).map((v) => [v.versionId, content(v), v.encryption])).toEqual(before);
  });

  it('with --update-by-copy migrates every current version with its content, tags, metadata and storage class', async () => {
    world.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    const keyArn = keyArnOf(world);
    const b = world.sandbox.world.s3.bucket(BUCKET);
    const currentBefore = new Map([...b.keys()].map((key) => [key, b.versionsOf(key).at(-1)!]));
    const noncurrentBefore = versionsOf(world).filter((v) => !currentBefore.has(v.key) || currentBefore.get(v.key) !== v);
    const meter = meterRequests(world.sandbox);
    const result = await run(world, { engine: 'direct', direct: { fromListing: true, updateByCopy: true } });
    expect(result).toEqual({ code: 0, message: '' });
    // Each version is read once to classify it (a current one as the key's current version, which
    // also stands before its copy); only the write probe, the read-back sample and the preflight's
    // replica sample (REPLICA_SAMPLE versions HEAD-ed for x-amz-replication-status) read more.
    // Reading the current version again before each copy and for each noncurrent version made 109 here (68 then, 88 with the replica sample).
    expect(meter.counts().byOperation['s3:HeadObject']).toBeLessThanOrEqual(SEED.versions + 20 + REPLICA_SAMPLE);
    // No copy can re-encrypt a noncurrent version in place: each is left as it was, for the expiration.
    expect(noncurrentBefore.length).toBeGreaterThan(10);
    for (const was of noncurrentBefore) expect(b.versionsOf(was.key).find((v) => v.versionId === was.versionId)).toEqual(was);
    let migrated = 0;
    for (const [key, was] of currentBefore) {
      if (was.isDeleteMarker) continue;
      const now = b.versionsOf(key).at(-1)!;
      expectUnderKey(key, now, keyArn);
      expect(content(now)).toEqual(content(was));
      migrated++;
    }
    expect(migrated).toBeGreaterThan(10);
  });

  it('stops the bucket at the first answer naming another version (exit 20), naming how many versions were touched', async () => {
    // Only the customer bucket misbehaves, so the canary in the reports bucket passes.
    world.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version', bucket: BUCKET });
    const countBefore = versionsOf(world).length;
    const result = await run(world, { engine: 'direct', direct: { fromListing: true, concurrency: 1 } });
    expect(result.code).toBe(20);
    expect(result.message).toMatch(new RegExp(`${BUCKET}: stopped at once\\. UpdateObjectEncryption of .* names version`));
    expect(result.message).toMatch(/\d+ versions of demo-app-assets were written by this pass before it stopped/);
    expect(result.message).toContain('Do not run `migrate expire`');
    // One call, one stray version: the pass stopped at the first.
    expect(versionsOf(world).length).toBe(countBefore + 1);
  });
});

describe('an endpoint whose copy in place drops tags, metadata and storage class', () => {
  let world: MigrationWorld;
  beforeEach(async () => {
    world = await startMigrationWorld({
      buckets: [{ ...SEED, encryption: { 'NOT-SSE': 1 }, storageClasses: { STANDARD_IA: 1 }, tagRate: 1 }],
    });
  });
  afterEach(() => world?.close());

  it('is refused by the write probe in preflight (exit 4)', async () => {
    world.sandbox.imitations.enable({ kind: 'copy-drops-attributes' });
    const countBefore = versionsOf(world).length;
    const result = await run(world, { engine: 'direct', direct: { fromListing: true } });
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/copy-in-place on the canary .* the copy is in STANDARD, the source in STANDARD_IA/);
    expect(result.message).toMatch(/the copy's tags \{\} differ/);
    expect(versionsOf(world).length).toBe(countBefore);
  });

  it('is caught by reading back the first copies, and the bucket stops (exit 20)', async () => {
    world.sandbox.imitations.enable({ kind: 'copy-drops-attributes', bucket: BUCKET });
    const countBefore = versionsOf(world).length;
    const result = await run(world, { engine: 'direct', direct: { fromListing: true, concurrency: 1 } });
    expect(result.code).toBe(20);
    expect(result.message).toMatch(
      /copy in place of s3:\/\/demo-app-assets\/.*, read back: .*the copy is in STANDARD, the source in STANDARD_IA/,
    );
    expect(versionsOf(world).length).toBe(countBefore + 1);
  });
});

describe('the batch engine on an endpoint that fails the UpdateObjectEncryption probe', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SEED] });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('submits no job (exit 4)', async () => {
    world.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    const result = await run(world, { pollMs: 20 });
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/update-encryption on the canary/);
    const jobs = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }));
    expect(jobs.Jobs ?? []).toEqual([]);
  });
});

describe('a Batch Operations job that says Complete', () => {
  let world: MigrationWorld;
  beforeEach(async () => {
    world = await startMigrationWorld({ buckets: [{ name: BUCKET, versions: 100, versioning: 'Enabled', encryption: { 'SSE-S3': 1 } }] });
    await world.deliverInventory();
  });
  afterEach(() => world?.close());

  async function jobsComplete(): Promise<void> {
    for (let i = 0; i < 200 && world.sandbox.batchOperations.allJobs().some((j) => j.Status !== 'Complete'); i++)
      await new Promise((r) => setTimeout(r, 20));
  }

  it('has a sample of its versions read back, recorded in the state', async () => {
    expect(await run(world, { pollMs: 20 })).toEqual({ code: 0, message: '' });
    const state = await new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs).load(world.stack);
    const job = defined(Object.values(state.jobs)[0], 'job');
    expect(job.readBack).toEqual({ checked: 20, problems: [] });
  });

  it('whose manifest yields no version to read back is not taken as confirmed', async () => {
    expect(await run(world, { pollMs: 20 })).toEqual({ code: 0, message: '' });
    const ctx = world.context();
    const state = await new StateStore(world.clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(world.stack);
    const job = defined(Object.values(state.jobs)[0], 'job');
    const emptyManifest = `${ctx.outputs.reports_prefix}manifests/empty/manifest.json`;
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: ctx.outputs.reports_bucket, Key: emptyManifest, Body: JSON.stringify({ files: [] }) }),
    );
    const readBack = await readBackJob(ctx, { ...job, manifestKey: emptyManifest }, async function* () {});
    expect(readBack.checked).toBe(0);
    expect(readBack.problems).toEqual([expect.stringMatching(/^none of the 100 versions the job says it did could be read back/)]);
  });

  it('whose versions read back under another key stops the run (exit 20), naming them', async () => {
    expect((await run(world, { follow: false })).code).toBe(10);
    await jobsComplete();
    // What a job that did something else would leave: the versions under a key that is not the stack's.
    const otherKey = (await world.clients.kms.send(new CreateKeyCommand({ Description: 'not the stack key' }))).KeyMetadata!.Arn!;
    for (const v of versionsOf(world)) {
      await world.clients.s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: BUCKET,
          Key: v.key,
          VersionId: v.versionId,
          ObjectEncryption: { SSEKMS: { KMSKeyArn: otherKey, BucketKeyEnabled: true } },
        }),
      );
    }
    const result = await run(world, { pollMs: 20 });
    expect(result.code).toBe(20);
    expect(result.message).toMatch(
      /says Complete, but 20 of 20 versions read back disagree: s3:\/\/demo-app-assets\/.* is still SSE-KMS under arn:aws:kms:/,
    );
    expect(result.message).toContain('Do not run `migrate expire`');
  });
});
