// The runner's state lost, moved aside or deleted mid-run: the rerun adopts the jobs the plan's
// tokens already created (found by ListJobs, the token in their description) instead of creating
// them again, `status` never shows a job that exists as planned, and a token used by a job the run
// cannot adopt stops it for a person (exit 20).
import { defined } from '../support/defined';
import { CreateJobCommand, ListJobsCommand } from '@aws-sdk/client-s3-control';
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runMigration } from '../../runner/commands/run';
import { showStatus } from '../../runner/engine/status';
import { clientRequestToken } from '../../runner/core/client-request-token';
import type { Output } from '../../runner/output';
import { StateStore, type MigrationState } from '../../runner/state';
import { sixJobBuckets } from './builders';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { actingOutput, captureOutput, kill, outcomeOf, quietOutput, type Outcome } from './support/runner-output';
import * as jobDescriptions from '../../runner/core/job-description';
import { clientsFor } from '../../rehearsal/clients';
import { openContext } from '../../runner/context';

async function run(world: MigrationWorld, output: Output = captureOutput().output): Promise<Outcome> {
  return outcomeOf(runMigration(world.context(), { pollMs: 20 }, output));
}

async function listedJobIds(world: MigrationWorld): Promise<string[]> {
  const out = await world.clients.s3Control.send(new ListJobsCommand({ AccountId: world.sandbox.world.accountId }));
  return (out.Jobs ?? []).map((j) => j.JobId!).sort();
}

function stateKey(world: MigrationWorld): { bucket: string; key: string } {
  const { outputs } = world.context();
  return { bucket: outputs.reports_bucket, key: `${outputs.reports_prefix}state/state.json` };
}

/** Deletes every version of the state object, as `aws s3api delete-object --version-id` on each would. */
async function deleteState(world: MigrationWorld): Promise<void> {
  const { bucket, key } = stateKey(world);
  const listed = await world.clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) {
    if (v.Key === key) await world.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v.VersionId }));
  }
}

/** The same, at once, through the sandbox's own S3: what a person does while a run is between two calls. */
function deleteStateNow(world: MigrationWorld): void {
  const { bucket, key } = stateKey(world);
  const s3 = world.sandbox.world.s3;
  for (const v of [...s3.bucket(bucket).versionsOf(key)]) s3.deleteObject({ bucket, key, versionId: v.versionId });
}

async function loadState(world: MigrationWorld): Promise<MigrationState> {
  const ctx = world.context();
  return new StateStore(world.clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(world.stack);
}

function recordedJobIds(state: MigrationState): string[] {
  return Object.values(state.jobs)
    .map((r) => r.jobId)
    .filter((id): id is string => id !== undefined)
    .sort();
}

const hour = () => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const dtOf = (at: Date) => at.toISOString().slice(0, 16).replace('T', '-').replace(':', '-');

// One update-encryption job and one STANDARD copy job.
const ONE_BUCKET = [
  { name: 'demo-app-assets', versions: 600, versionsPerKey: 1, versioning: 'Enabled' as const, encryption: { 'SSE-S3': 3, 'NOT-SSE': 1 } },
];

describe('a state deleted after a finished run', () => {
  let world: MigrationWorld;
  let firstJobs: string[];
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: ONE_BUCKET });
    await world.deliverInventory();
    expect((await run(world)).code).toBe(0);
    firstJobs = await listedJobIds(world);
    expect(firstJobs).toHaveLength(2);
    await deleteState(world);
  });
  afterAll(() => world?.close());

  it('is named by status as nothing recorded, with `migrate run` to adopt, never as planned jobs', async () => {
    const status = captureOutput();
    expect((await showStatus(world.context(), status.output)).exitCode).toBe(10);
    const bucket = defined((status.of('bucket-status') as { jobs: unknown[]; reasons: string[] }[])[0], 'bucket');
    expect(bucket.jobs).toEqual([]);
    expect(bucket.reasons.join('\n')).toMatch(/nothing recorded in the state: run `migrate run`; it plans, and adopts/);
  });

  it('shows the jobs that exist, not "planned", after a rerun that planned but stopped before adopting them', async () => {
    world.sandbox.faults.configure({ rules: [{ service: 's3-control', operation: 'ListJobs', errorRate: 1 }] });
    // Clients with 2 attempts per call, so the test does not wait out the runner's backoffs.
    const clients = clientsFor(world.sandbox.endpoint, 2);
    const stopped = await outcomeOf(
      runMigration(
        openContext({ stack: world.stack, outputsFile: world.outputsFile, json: true }, clients),
        { pollMs: 20 },
        captureOutput().output,
      ),
    );
    clients.destroy();
    world.sandbox.faults.clear();
    expect(stopped.code).toBe(1);
    expect(stopped.message).toMatch(/Listing the Batch Operations jobs of account 123456789012 failed/);
    expect(Object.values((await loadState(world)).jobs).map((r) => r.jobId)).toEqual([undefined, undefined]);

    const status = captureOutput();
    expect((await showStatus(world.context(), status.output)).exitCode).toBe(10);
    const bucket = defined(
      (status.of('bucket-status') as { jobs: { jobId: string; status: string; unrecorded: boolean }[]; reasons: string[] }[])[0],
      'bucket',
    );
    expect(bucket.jobs.map((j) => [j.jobId, j.status, j.unrecorded]).sort()).toEqual(firstJobs.map((id) => [id, 'Complete', true]));
    expect(bucket.reasons.join('\n')).not.toMatch(/planned/);
    expect(bucket.reasons.join('\n')).toMatch(/the state does not record it: `migrate run` adopts it/);
  });

  it('is rebuilt by the rerun: exit 0, each job adopted once and created never again, their tasks counted', async () => {
    await deleteState(world);
    const again = captureOutput();
    expect((await run(world, again.output)).code).toBe(0);
    expect(await listedJobIds(world)).toEqual(firstJobs);
    expect(again.of('job-submitted')).toHaveLength(0);
    expect(
      again
        .of('job-adopted')
        .map((e) => e.jobId)
        .sort(),
    ).toEqual(firstJobs);
    expect(recordedJobIds(await loadState(world))).toEqual(firstJobs);
    const jobs = again.of('job-summary') as { jobId: string; status: string; succeeded: number; versions: number }[];
    expect(jobs.map((j) => [j.jobId, j.status, j.succeeded]).sort()).toEqual(jobs.map((j) => [j.jobId, 'Complete', j.versions]).sort());
    expect(jobs.reduce((n, j) => n + j.succeeded, 0)).toBe(600);
    expect(again.of('summary')).toEqual([{ type: 'summary', jobs: jobs.length, succeeded: 600, failed: 0 }]);
  });

  it('shows the adopted jobs in status afterwards', async () => {
    const status = captureOutput();
    expect((await showStatus(world.context(), status.output)).exitCode).toBe(0);
    const bucket = defined((status.of('bucket-status') as { jobs: { jobId: string; status: string }[] }[])[0], 'bucket');
    expect(bucket.jobs.map((j) => [j.jobId, j.status]).sort()).toEqual(firstJobs.map((id) => [id, 'Complete']));
  });
});

describe('a state that vanishes mid-run', () => {
  let world: MigrationWorld;
  const buckets = sixJobBuckets();
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('stops the run that loses it (exit 20, naming the recovery); the rerun adopts the jobs made and creates only the rest', async () => {
    // Gone after the third of six jobs was created, while the run holds the lock.
    const losing = actingOutput(quietOutput(), { after: 'job-submitted', nth: 3, then: () => deleteStateNow(world) });
    const lost = await run(world, losing);
    expect(lost.code).toBe(20);
    expect(lost.message).toMatch(/The state s3:\/\/.+\/demo\/state\/state\.json is gone: .*rerun: .*adopts/);
    const made = await listedJobIds(world);
    expect(made).toHaveLength(3);

    const again = captureOutput();
    expect((await run(world, again.output)).code).toBe(0);
    const all = await listedJobIds(world);
    expect(all).toHaveLength(6);
    expect(all).toEqual(expect.arrayContaining(made));
    expect(
      again
        .of('job-adopted')
        .map((e) => e.jobId)
        .sort(),
    ).toEqual(made);
    expect(again.of('job-submitted')).toHaveLength(3);
    expect(recordedJobIds(await loadState(world))).toEqual(all);
  });
});

describe('a state lost between two CreateJob calls of a killed run', () => {
  let world: MigrationWorld;
  const buckets = ['demo-app-assets', 'demo-app-logs'].map((name) => ({
    name,
    versions: 200,
    versioning: 'Enabled' as const,
    encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 },
  }));
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('is rebuilt by the rerun, which adopts the jobs made and creates the rest once', async () => {
    const dying = actingOutput(quietOutput(), { after: 'job-submitted', nth: 2, then: kill });
    await expect(runMigration(world.context(), { pollMs: 20 }, dying)).rejects.toThrow('killed');
    const made = await listedJobIds(world);
    expect(made).toHaveLength(2);
    await deleteState(world);

    const again = captureOutput();
    expect((await run(world, again.output)).code).toBe(0);
    const all = await listedJobIds(world);
    expect(all).toHaveLength(4);
    expect(
      again
        .of('job-adopted')
        .map((e) => e.jobId)
        .sort(),
    ).toEqual(made);
    expect(recordedJobIds(await loadState(world))).toEqual(all);
  });
});

describe('a token already used by a job the runner cannot adopt', () => {
  let world: MigrationWorld;
  const at = hour();
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: ONE_BUCKET });
    await world.deliverInventory(at);
  });
  afterAll(() => world?.close());

  it('stops the run with exit 20 naming the token and how to find the job, and adopts nothing of another stack', async () => {
    const { outputs } = world.context();
    const token = clientRequestToken({
      stack: outputs.stack,
      bucket: 'demo-app-assets',
      inventoryDate: dtOf(at),
      operation: 'S3UpdateObjectEncryption',
      storageClass: '',
    });
    const manifestKey = `${outputs.reports_prefix}elsewhere/manifest.csv`;
    const put = await world.clients.s3.send(
      new PutObjectCommand({ Bucket: outputs.reports_bucket, Key: manifestKey, Body: 'demo-app-assets,nothing-here,null\n' }),
    );
    // A job with this stack's token whose description names another stack: never this stack's to adopt.
    await world.clients.s3Control.send(
      new CreateJobCommand({
        AccountId: outputs.account_id,
        ClientRequestToken: token,
        ConfirmationRequired: true,
        Operation: { S3InitiateRestoreObject: { ExpirationInDays: 1 } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
          Location: { ObjectArn: `arn:aws:s3:::${outputs.reports_bucket}/${manifestKey}`, ETag: put.ETag },
        },
        Report: { Enabled: false },
        Priority: 1,
        RoleArn: outputs.batch_operations_role_arn,
        Description: `kms-migration other ${token}: someone else's job`,
      }),
    );
    const result = await run(world);
    expect(result.code).toBe(20);
    const message = result.message;
    expect(message).toContain(token);
    expect(message).toMatch(/aws s3control list-jobs --account-id 123456789012/);
    expect(message).not.toMatch(/IdempotencyException: The ClientRequestToken/);
    expect(await listedJobIds(world)).toHaveLength(1);
  });
});

describe('a state lost after a run of an older runner, whose job descriptions carry no token', () => {
  let world: MigrationWorld;
  let decoy: string;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: ONE_BUCKET });
    await world.deliverInventory(hour());
  });
  afterAll(() => world?.close());

  it('adopts the jobs described exactly as that runner described them, with its manifests and tags, and no look-alike', async () => {
    const { outputs } = world.context();
    const dt = dtOf(hour());
    // Another stack's job, described as this stack's update-encryption job was, but with its own manifest and tags.
    const manifestKey = 'other/manifests/manifest.csv';
    const put = await world.clients.s3.send(
      new PutObjectCommand({ Bucket: outputs.reports_bucket, Key: manifestKey, Body: 'demo-app-assets,nothing-here,null\n' }),
    );
    decoy = (
      await world.clients.s3Control.send(
        new CreateJobCommand({
          AccountId: outputs.account_id,
          ClientRequestToken: 'another-stacks-token',
          ConfirmationRequired: true,
          Operation: {
            S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: outputs.kms_key_arn, BucketKeyEnabled: true } } },
          },
          Manifest: {
            Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
            Location: { ObjectArn: `arn:aws:s3:::${outputs.reports_bucket}/${manifestKey}`, ETag: put.ETag },
          },
          Report: {
            Enabled: true,
            Bucket: `arn:aws:s3:::${outputs.reports_bucket}`,
            Prefix: 'other/job-reports',
            Format: 'Report_CSV_20180820',
            ReportScope: 'AllTasks',
          },
          Priority: 1,
          RoleArn: outputs.batch_operations_role_arn,
          Description: `kms-migration ${outputs.stack}: demo-app-assets S3UpdateObjectEncryption from inventory ${dt}`,
          Tags: [
            { Key: 'kms-migration:stack', Value: 'other' },
            { Key: 'kms-migration:bucket', Value: 'demo-app-assets' },
          ],
        }),
      )
    ).JobId!;
    // The older runner: the same jobs, described without the token.
    const older = jest
      .spyOn(jobDescriptions, 'jobDescription')
      .mockImplementation((stack, _token, what) => jobDescriptions.legacyJobDescription(stack, what));
    try {
      expect((await run(world)).code).toBe(0);
    } finally {
      older.mockRestore();
    }
    const listed = (await world.clients.s3Control.send(new ListJobsCommand({ AccountId: outputs.account_id }))).Jobs ?? [];
    expect(listed.map((j) => j.Description).sort()).toEqual(
      [
        `kms-migration demo: demo-app-assets S3PutObjectCopy (STANDARD) from inventory ${dt}`,
        ...Array(2).fill(`kms-migration demo: demo-app-assets S3UpdateObjectEncryption from inventory ${dt}`),
      ].sort(),
    );
    const made = (await listedJobIds(world)).filter((id) => id !== decoy);
    expect(made).toHaveLength(2);
    await deleteState(world);

    const again = captureOutput();
    expect((await run(world, again.output)).code).toBe(0);
    expect(
      again
        .of('job-adopted')
        .map((e) => e.jobId)
        .sort(),
    ).toEqual(made);
    expect(again.of('job-submitted')).toHaveLength(0);
    expect(await listedJobIds(world)).toEqual([...made, decoy].sort());
    expect(recordedJobIds(await loadState(world))).toEqual(made);
  });
});
