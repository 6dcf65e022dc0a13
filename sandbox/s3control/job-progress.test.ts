// Jobs as a watcher sees them: progress counters and active time while a job runs at a demo
// rate, priority deciding which job gets the task budget, and jobs forgotten 90 days after ending.
import { CreateJobCommand, DescribeJobCommand, ListJobsCommand, UpdateJobStatusCommand } from '@aws-sdk/client-s3-control';
import { failureOf, useSandbox } from '../support/clients';
import { bytesBody } from '../s3/body';
import { ACCOUNT_ID, jobInput, prepareJobs, runJob, uploadCsvManifest, type ManifestRow } from './job-fixtures';

let clockOffsetMs = 0;
const fixture = useSandbox({ now: () => new Date(Date.now() + clockOffsetMs) });
const BUCKET = 'progress-source';
let roleArn: string;
let keyArn: string;
let rows: ManifestRow[];

beforeAll(() => {
  ({ roleArn } = prepareJobs(fixture.sandbox));
  const { s3, kms } = fixture.sandbox.world;
  keyArn = kms.createKey().arn;
  s3.createBucket({ name: BUCKET });
  rows = Array.from({ length: 300 }, (_, i) => {
    const v = s3.putObject({
      bucket: BUCKET,
      key: `o${i}`,
      body: bytesBody(Buffer.from(String(i))),
      encryption: { serverSideEncryption: 'AES256' },
    });
    return { bucket: BUCKET, key: v.key, versionId: v.versionId };
  });
});

afterEach(() => {
  fixture.sandbox.batchOperations.setTaskRate(100_000);
  clockOffsetMs = 0;
});

const update = () => ({ S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } } });

it('shows progress counters rising while Active at a demo rate, and the time spent active', async () => {
  const jobs = fixture.sandbox.batchOperations;
  jobs.setTaskRate(200);
  const { JobId } = await fixture.clients.s3Control.send(
    new CreateJobCommand(jobInput(roleArn, await uploadCsvManifest(fixture.clients, 'progress.csv', rows), update())),
  );
  await jobs.waitForStatus(JobId!, 'Active', { timeoutMs: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const midway = (await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }))).Job!;
  expect(midway.Status).toBe('Active');
  expect(midway.ProgressSummary!.TotalNumberOfTasks).toBe(300);
  expect(midway.ProgressSummary!.NumberOfTasksSucceeded).toBeGreaterThan(0);
  expect(midway.ProgressSummary!.NumberOfTasksSucceeded).toBeLessThan(300);
  const done = await jobs.waitForStatus(JobId!, 'Complete', { timeoutMs: 10_000 });
  expect(done.ProgressSummary.NumberOfTasksSucceeded).toBe(300);
  expect(done.ProgressSummary.Timers.ElapsedTimeInActiveSeconds).toBeGreaterThanOrEqual(1);
});

it('gives the task budget to the higher-priority job first', async () => {
  const jobs = fixture.sandbox.batchOperations;
  jobs.setTaskRate(200);
  const manifest = await uploadCsvManifest(fixture.clients, 'priority.csv', rows.slice(0, 150));
  const create = async (priority: number) =>
    (
      await fixture.clients.s3Control.send(
        new CreateJobCommand({ ...jobInput(roleArn, manifest, update()), Priority: priority, ConfirmationRequired: true }),
      )
    ).JobId!;
  const low = await create(1);
  const high = await create(100);
  for (const id of [low, high]) await jobs.waitForStatus(id, 'Suspended', { timeoutMs: 5000 });
  for (const id of [low, high])
    await fixture.clients.s3Control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId: id, RequestedJobStatus: 'Ready' }));
  await jobs.waitForStatus(high, 'Complete', { timeoutMs: 10_000 });
  const lowJob = jobs.describeJob(ACCOUNT_ID, low);
  expect(lowJob.ProgressSummary.NumberOfTasksSucceeded + lowJob.ProgressSummary.NumberOfTasksFailed).toBeLessThan(15);
  await jobs.waitForStatus(low, 'Complete', { timeoutMs: 10_000 });
});

it('forgets a job 90 days after it ended: DescribeJob answers NotFoundException and ListJobs omits it', async () => {
  const job = await runJob(
    fixture.sandbox,
    fixture.clients,
    jobInput(roleArn, await uploadCsvManifest(fixture.clients, 'forget.csv', rows.slice(0, 1)), update()),
  );
  clockOffsetMs = 89 * 86_400_000;
  expect((await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId: job.JobId }))).Job!.Status).toBe(
    'Complete',
  );
  clockOffsetMs = 91 * 86_400_000;
  const failure = await failureOf(fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId: job.JobId })));
  expect(failure.name).toBe('NotFoundException');
  const listed = await fixture.clients.s3Control.send(new ListJobsCommand({ AccountId: ACCOUNT_ID }));
  expect((listed.Jobs ?? []).map((j) => j.JobId)).not.toContain(job.JobId);
});
