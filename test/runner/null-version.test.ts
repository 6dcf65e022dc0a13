// The null version (written while versioning was off or suspended) is a version like any other: its
// id is 'null', and a request about it must name that id. Read as the key's current version instead,
// a noncurrent null version would be judged by another version's encryption.
import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SeedBucketSpec } from '../../sandbox';
import { runCli, type CliResult } from './support/cli';
import { recordsOf } from './support/runner-output';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const SETUP_TIMEOUT_MS = 240_000;

/** Null versions only: SSE-KMS with a Bucket Key under the seeder's key, which is not the migration key. */
const NULL_VERSIONS: SeedBucketSpec = {
  name: BUCKET,
  versions: 12,
  versionsPerKey: 1,
  versioning: 'Suspended',
  encryption: { 'SSE-KMS': 1 },
  bucketKeyRate: 1,
  sizes: { min: 16, max: 64 },
  hardKeyRate: 0,
};

/** Puts a current version under the migration key (with a Bucket Key) over each key's null version. */
async function coverNullVersions(world: MigrationWorld): Promise<number> {
  const { s3 } = world.clients;
  const kmsKeyArn = world.context().outputs.kms_key_arn;
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const keys = world.sandbox.world.s3.bucket(BUCKET).keys();
  for (const key of keys) {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: 'current',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: kmsKeyArn,
        BucketKeyEnabled: true,
      }),
    );
  }
  return keys.length;
}

describe('a null version that is noncurrent and under another key', () => {
  let world: MigrationWorld;
  let covered: number;
  let plan: CliResult;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [NULL_VERSIONS] });
    covered = await coverNullVersions(world);
    await world.deliverInventory();
    plan = await runCli(world, ['plan']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it("is read by the plan's key check as itself, not as the key's current version", () => {
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const bucketPlan = recordsOf(plan.stdout).find((l) => l.type === 'bucket-plan') as {
      keyCheck: { sampled: number; foreign: number; gone?: number };
    };
    // Every key has two compliant versions: the current one under the migration key and the null one under the seeder's.
    expect(bucketPlan.keyCheck).toEqual({ sampled: 2 * covered, foreign: covered });
  });
});
