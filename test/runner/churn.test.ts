// A bucket changes between its inventory and the runner's work: versions deleted for good, keys
// deleted behind a delete marker. Such a version is "gone since the inventory": counted, never a
// failure or an exit 1, and a bucket whose only failed tasks are such versions is done.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { SeedBucketSpec } from '../../sandbox';
import { runCli, type CliResult } from './support/cli';
import { recordsOf } from './support/runner-output';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const SETUP_TIMEOUT_MS = 240_000;

/** Re-wraps, copies and SSE-KMS versions under a foreign key with a Bucket Key (inventory calls those compliant: the plan's key check reads them). */
const SPEC: SeedBucketSpec = {
  name: BUCKET,
  versions: 240,
  versionsPerKey: 1,
  versioning: 'Enabled',
  encryption: { 'SSE-S3': 2, 'NOT-SSE': 1, 'SSE-KMS': 2 },
  bucketKeyRate: 1,
  storageClasses: { STANDARD: 1 },
  sizes: { min: 64, max: 256 },
  hardKeyRate: 0.1,
};

const lines = (r: CliResult) => recordsOf(r.stdout);

interface Churn {
  /** Keys deleted for good (every version), by the encryption state of their current version. */
  readonly deleted: Record<string, number>;
  /** Keys given a delete marker, by the encryption state of the version it hides. */
  readonly markers: Record<string, number>;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Of each encryption state, deletes every `every`-th key for good (all its versions), and puts a delete marker on the next. */
async function churn(world: MigrationWorld, every: number): Promise<Churn> {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  const deleted: Record<string, number> = {};
  const markers: Record<string, number> = {};
  const seen: Record<string, number> = {};
  for (const key of [...b.keys()]) {
    const v = b.latest(key);
    if (!v || v.isDeleteMarker) continue;
    const status = v.encryption.status;
    const n = (seen[status] = (seen[status] ?? 0) + 1);
    if (n % every === 0) {
      for (const old of b.versionsOf(key))
        await world.clients.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: old.versionId }));
      deleted[status] = (deleted[status] ?? 0) + 1;
    } else if (n % every === 1) {
      await world.clients.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      markers[status] = (markers[status] ?? 0) + 1;
    }
  }
  return { deleted, markers };
}

describe('versions deleted between the inventory and the plan', () => {
  let world: MigrationWorld;
  let churned: Churn;
  let plan: CliResult;
  let direct: CliResult;
  let again: CliResult;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    await world.deliverInventory();
    churned = await churn(world, 3);
    plan = await runCli(world, ['plan']);
    direct = await runCli(world, ['run', '--engine', 'direct']);
    again = await runCli(world, ['run', '--engine', 'direct']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('plans with exit 0, the key check skipping the versions gone and sampling on', () => {
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const bucketPlan = lines(plan).find((l) => l.type === 'bucket-plan') as {
      keyCheck: { sampled: number; gone: number; foreign: number };
    };
    expect(bucketPlan.keyCheck.gone).toBe(churned.deleted['SSE-KMS']);
    expect(bucketPlan.keyCheck.sampled).toBeGreaterThan(0);
    expect(bucketPlan.keyCheck.foreign).toBe(bucketPlan.keyCheck.sampled);
  });

  it('runs the direct engine to exit 0, counting every version deleted since as gone, not failed', () => {
    expect(direct.stderr).toBe('');
    expect(direct.code).toBe(0);
    const summary = lines(direct).find((l) => l.type === 'summary') as {
      passes: { outcomes: Record<string, number>; failures: unknown[] }[];
    };
    const [pass] = summary.passes;
    expect(pass!.failures).toEqual([]);
    expect(pass!.outcomes.failed ?? 0).toBe(0);
    // Deleted for good: gone whatever the action. Behind a delete marker: a version to re-wrap is still
    // there (UpdateObjectEncryption works on noncurrent versions), but nothing is current to copy.
    expect(pass!.outcomes.gone).toBe(total(churned.deleted) + (churned.markers['NOT-SSE'] ?? 0));
  });

  it('runs again with exit 0 and nothing to retry', () => {
    expect(again.code).toBe(0);
  });
});

describe('versions deleted while the Batch Operations jobs are planned', () => {
  let world: MigrationWorld;
  let churned: Churn;
  let run: CliResult;
  let rerun: CliResult;
  let status: CliResult;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    await world.deliverInventory();
    churned = await churn(world, 4);
    run = await runCli(world, ['run']);
    rerun = await runCli(world, ['run']);
    status = await runCli(world, ['status']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('ends the run with exit 0 when the only failed tasks are versions gone since the inventory', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const jobs = lines(run).filter((l) => l.type === 'job-summary') as {
      failed?: number;
      goneTasks?: number;
      failureCodes?: Record<string, number>;
    }[];
    const failed = jobs.reduce((n, j) => n + (j.failed ?? 0), 0);
    const gone = jobs.reduce((n, j) => n + (j.goneTasks ?? 0), 0);
    expect(failed).toBeGreaterThan(0);
    expect(gone).toBe(failed);
    expect(gone).toBeLessThanOrEqual(total(churned.deleted));
  });

  it('says done on the rerun and in status, instead of "needs a person" forever', () => {
    expect(rerun.code).toBe(0);
    expect(status.code).toBe(0);
  });
});

describe('versions deleted between the inventory and verify', () => {
  let world: MigrationWorld;
  let run: CliResult;
  let verify: CliResult;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await world.deliverInventory(new Date(hour - 3_600_000));
    run = await runCli(world, ['run', '--engine', 'direct']);
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory(new Date(hour));
    await churn(world, 5);
    verify = await runCli(world, ['verify', '--method', 'inventory']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('passes on what exists, counting the versions gone since the inventory', () => {
    expect(run.code).toBe(0);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    const result = lines(verify).find((l) => l.type === 'bucket-verification') as {
      passed: boolean;
      goneSinceInventory?: number;
      keyCheck: { checked: number };
    };
    expect(result.passed).toBe(true);
    expect(result.goneSinceInventory).toBeGreaterThan(0);
    expect(result.keyCheck.checked).toBeGreaterThan(0);
  });
});
