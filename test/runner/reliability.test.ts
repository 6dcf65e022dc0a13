// A run survives what pipelines do to it: killed while following, crashed before CreateJob, leftovers
// in a manifest folder, started twice at once, throttled on a fifth of its calls. Each time: one set of jobs, nothing lost.
import { ListJobsCommand, UpdateJobStatusCommand } from '@aws-sdk/client-s3-control';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runMigration } from '../../runner/commands/run';
import { retryFailed } from '../../runner/engine/batch-retry';
import { StackLock } from '../../runner/state';
import { sixJobBuckets } from './builders';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { actingOutput, captureOutput, kill, outcomeOf, quietOutput } from './support/runner-output';
import { clientsFor } from '../../rehearsal/clients';
import { openContext } from '../../runner/context';

async function jobCount(world: MigrationWorld): Promise<number> {
  const out = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }));
  return out.Jobs?.length ?? 0;
}

function sseS3Left(world: MigrationWorld, bucket: string): number {
  const b = world.sandbox.world.s3.bucket(bucket);
  let left = 0;
  for (const key of b.keys()) for (const v of b.versionsOf(key)) if (!v.isDeleteMarker && v.encryption.status === 'SSE-S3') left++;
  return left;
}

const WORLD = [
  { name: 'demo-app-assets', versions: 3000, versionsPerKey: 1, versioning: 'Enabled' as const, encryption: { 'SSE-S3': 3, 'NOT-SSE': 1 } },
];
// One update-encryption job and one STANDARD copy job.
const PLANNED_JOBS = 2;

describe('a run killed while following', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD, tasksPerSecond: 1500 });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('leaves the jobs running and exits 10; the next run follows the same jobs to the end', async () => {
    const abort = new AbortController();
    const first = runMigration(world.context(), { pollMs: 50, signal: abort.signal }, quietOutput());
    setTimeout(() => abort.abort(), 300);
    expect((await outcomeOf(first)).code).toBe(10);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
    expect(world.sandbox.batchOperations.allJobs().some((j) => j.Status !== 'Complete')).toBe(true);

    const second = await outcomeOf(runMigration(world.context(), { pollMs: 50 }, quietOutput()));
    expect(second.code).toBe(0);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
    expect(sseS3Left(world, 'demo-app-assets')).toBe(0);
  });
});

describe('a run that dies before CreateJob', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('fails with an AWS error, and the rerun submits each job once', async () => {
    world.sandbox.faults.configure({ rules: [{ service: 's3-control', operation: 'CreateJob', errorRate: 1 }] });
    const failed = await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()));
    expect(failed.code).toBe(1);
    // Every attempt failed; the last one's error is the 500 or, when the server closed the kept-alive
    // socket after it, a connection reset (which Node names ECONNRESET or "socket hang up", the
    // latter seen on a loaded machine): either is named, and nothing was created.
    expect(failed.message).toMatch(/Creating a Batch Operations job .* failed: (InternalError|.*ECONNRESET|.*socket hang up)/);
    expect(await jobCount(world)).toBe(0);
    world.sandbox.faults.clear();
    expect((await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()))).code).toBe(0);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
  });
});

describe('a manifest folder already holding files nobody tracks', () => {
  let world: MigrationWorld;
  const at = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory(at);
  });
  afterAll(() => world?.close());

  it('is cleared and written afresh by Athena, so the jobs see only the planned versions', async () => {
    const outputs = world.context().outputs;
    const dt = at.toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
    const folders = ['S3UpdateObjectEncryption-all-0', 'S3PutObjectCopy-STANDARD-0'].map(
      (job) => `${outputs.reports_prefix}manifests/demo-app-assets/${dt}/${job}/data/`,
    );
    // A half-written file of an UNLOAD from a run killed long ago: Athena refuses a non-empty folder.
    for (const folder of folders)
      await world.clients.s3.send(
        new PutObjectCommand({ Bucket: outputs.reports_bucket, Key: `${folder}orphan.gz`, Body: 'demo-app-assets,not-a-planned-key,\n' }),
      );
    expect((await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()))).code).toBe(0);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
    expect(sseS3Left(world, 'demo-app-assets')).toBe(0);
    const s3 = world.sandbox.world.s3;
    for (const folder of folders) expect(s3.listObjects(outputs.reports_bucket, { prefix: `${folder}orphan` }).objects).toHaveLength(0);
    expect(world.sandbox.batchOperations.allJobs().every((j) => j.ProgressSummary?.NumberOfTasksFailed === 0)).toBe(true);
  });
});

describe('two runners started at once', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('end with one set of jobs; the loser exits 30 naming who holds the lock', async () => {
    const results = await Promise.all([
      outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput())),
      outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput())),
    ]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 30]);
    const loser = results.find((r) => r.code === 30);
    expect(loser?.message).toMatch(/Another runner \(.+\) holds the lock s3:\/\/.+\/demo\/state\/lock\.json/);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
  });

  it('takes over a lock whose holder went silent', async () => {
    const outputs = world.context().outputs;
    const stale = { owner: 'crashed-host:1:dead', acquiredAt: '2026-01-01T00:00:00.000Z', heartbeatAt: '2026-01-01T00:00:00.000Z' };
    await world.clients.s3.send(
      new PutObjectCommand({
        Bucket: outputs.reports_bucket,
        Key: `${outputs.reports_prefix}state/lock.json`,
        Body: JSON.stringify(stale),
      }),
    );
    expect((await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()))).code).toBe(0);
  });

  it('names --lock-stale-minutes and when it is safe to lower it, in the message of exit 30', async () => {
    const outputs = world.context().outputs;
    const holder = new StackLock(world.clients.s3, outputs.reports_bucket, outputs);
    await holder.acquire();
    try {
      const result = await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()));
      expect(result.code).toBe(30);
      expect(result.message).toMatch(
        /taken over once silent for --lock-stale-minutes \(30; silent now 0\)\. .*only when that runner is known to be dead/,
      );
    } finally {
      await holder.release();
    }
  });

  it('leaves a lock that another runner took over when its former holder releases', async () => {
    const outputs = world.context().outputs;
    const lockKey = `${outputs.reports_prefix}state/lock.json`;
    const first = new StackLock(world.clients.s3, outputs.reports_bucket, outputs);
    await first.acquire();
    // The first holder goes silent; a second runner takes the lock over as stale.
    const second = new StackLock(world.clients.s3, outputs.reports_bucket, outputs, {
      staleAfterMs: 0,
      now: () => new Date(Date.now() + 60_000),
    });
    await second.acquire();
    expect(await first.release()).toBe(false);
    const held = JSON.parse(
      await (await world.clients.s3.send(new GetObjectCommand({ Bucket: outputs.reports_bucket, Key: lockKey }))).Body!.transformToString(),
    );
    expect(held.owner).toBe(second.owner);
    expect(await second.release()).toBe(true);
  });
});

describe('throttling on 20% of calls', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('still completes the run; retry-failed then finishes the throttled tasks', async () => {
    world.sandbox.faults.configure({ seed: 42, rules: [{ throttleRate: 0.2 }] });
    const result = await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()));
    // Jobs end; tasks throttled by KMS fail with SlowDown and are named, so the run needs a person or is done.
    expect([0, 20]).toContain(result.code);
    expect(world.sandbox.faults.stats().throttled).toBeGreaterThan(10);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
    world.sandbox.faults.clear();
    const retried = await outcomeOf(retryFailed(world.context(), { pollMs: 20 }, quietOutput()));
    expect(retried.code).toBe(0);
    expect(sseS3Left(world, 'demo-app-assets')).toBe(0);
  });
});

describe('jobs that require confirmation', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('stop the run with exit 20 and the command that confirms them; once confirmed, the next run follows them', async () => {
    const waiting = await outcomeOf(runMigration(world.context(), { pollMs: 20, confirmationRequired: true }, quietOutput()));
    expect(waiting.code).toBe(20);
    expect(waiting.message).toMatch(
      /2 job\(s\) wait for confirmation: .*aws s3control update-job-status --account-id 123456789012 --job-id \S+ --requested-job-status Ready/,
    );
    const jobs = (await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }))).Jobs ?? [];
    expect(jobs.map((j) => j.Status)).toEqual(['Suspended', 'Suspended']);
    for (const job of jobs) {
      await world.clients.s3Control.send(
        new UpdateJobStatusCommand({ AccountId: world.sandbox.world.accountId, JobId: job.JobId, RequestedJobStatus: 'Ready' }),
      );
    }
    expect((await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()))).code).toBe(0);
    expect(await jobCount(world)).toBe(PLANNED_JOBS);
    expect(sseS3Left(world, 'demo-app-assets')).toBe(0);
  });
});

describe('a run killed between two CreateJob calls', () => {
  let world: MigrationWorld;
  const buckets = sixJobBuckets();
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('does not exit 0 until every planned job exists; the resumed run submits the rest once', async () => {
    // Dies as a SIGKILL would, right after the third job is created and recorded.
    const dying = captureOutput();
    await expect(
      runMigration(world.context(), { pollMs: 20 }, actingOutput(dying.output, { after: 'job-submitted', nth: 3, then: kill })),
    ).rejects.toThrow('killed');
    expect(dying.of('bucket-plan').flatMap((plan) => plan.jobs as unknown[])).toHaveLength(6);
    expect(await jobCount(world)).toBe(3);

    const resumed = await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()));
    expect(resumed.code).toBe(0);
    expect(await jobCount(world)).toBe(6);
    for (const bucket of buckets) expect(sseS3Left(world, bucket.name)).toBe(0);

    // Nothing is created twice by a third run over the same inventory.
    expect((await outcomeOf(runMigration(world.context(), { pollMs: 20 }, quietOutput()))).code).toBe(0);
    expect(await jobCount(world)).toBe(6);
  });
});

describe('one retry layer', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: WORLD });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('sends a call throttled every time exactly as many times as the clients allow, then names the throttling', async () => {
    // The runner's own clients, with 3 attempts per call so the test does not wait out 8 backoffs.
    const attempts = 3;
    const clients = clientsFor(world.sandbox.endpoint, attempts);
    try {
      world.sandbox.faults.configure({ rules: [{ service: 's3', operation: 'GetObject', throttleRate: 1 }] });
      const before = world.sandbox.faults.stats().throttled;
      const ctx = openContext({ stack: world.stack, outputsFile: world.outputsFile, json: true }, clients);
      const result = await outcomeOf(runMigration(ctx, { pollMs: 20 }, quietOutput()));
      const sent = world.sandbox.faults.stats().throttled - before;
      world.sandbox.faults.clear();
      expect(result.code).toBe(1);
      expect(result.message).toMatch(/Reading s3:\/\/.*state\.json failed: SlowDown/);
      // One layer: the SDK's attempts, not the SDK's times the runner's own.
      expect(sent).toBe(attempts);
    } finally {
      clients.destroy();
    }
  });
});
