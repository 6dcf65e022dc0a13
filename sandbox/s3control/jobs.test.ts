// S3 Control job API through the SDK: CreateJob checks (token, ETag, role), idempotency,
// confirmation, cancel, ListJobs filters and pagination, priority and tagging.
import {
  CreateJobCommand,
  DescribeJobCommand,
  GetJobTaggingCommand,
  ListJobsCommand,
  PutJobTaggingCommand,
  UpdateJobPriorityCommand,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { failureOf, useSandbox } from '../support/clients';
import { seededBody } from '../s3/body';
import { ACCOUNT_ID, jobInput, prepareJobs, uploadCsvManifest } from './job-fixtures';

const fixture = useSandbox();
const SOURCE = 'jobs-source';
let roleArn: string;

beforeAll(() => {
  ({ roleArn } = prepareJobs(fixture.sandbox));
  const s3 = fixture.sandbox.world.s3;
  s3.createBucket({ name: SOURCE });
  for (let i = 0; i < 20; i++)
    s3.putObject({ bucket: SOURCE, key: `k${i}`, body: seededBody(i, 100), encryption: { serverSideEncryption: 'AES256' } });
});

const restore = { S3InitiateRestoreObject: { ExpirationInDays: 1 } };

async function manifest(name: string, count = 20) {
  return uploadCsvManifest(
    fixture.clients,
    name,
    Array.from({ length: count }, (_, i) => ({ bucket: SOURCE, key: `k${i}` })),
    false,
  );
}

describe('CreateJob', () => {
  it('returns the same JobId for the same ClientRequestToken and creates no second job', async () => {
    const input = { ...jobInput(roleArn, await manifest('idem.csv'), restore), ClientRequestToken: 'same-token-for-both-calls' };
    const first = await fixture.clients.s3Control.send(new CreateJobCommand(input));
    const second = await fixture.clients.s3Control.send(new CreateJobCommand(input));
    expect(second.JobId).toBe(first.JobId);
    const listed = await fixture.clients.s3Control.send(new ListJobsCommand({ AccountId: ACCOUNT_ID }));
    expect(listed.Jobs!.filter((j) => j.JobId === first.JobId)).toHaveLength(1);
    const jobsWithThatToken = fixture.sandbox.batchOperations.allJobs().filter((j) => j.JobId === first.JobId);
    expect(jobsWithThatToken).toHaveLength(1);
  });

  it('refuses a reused ClientRequestToken with different parameters', async () => {
    const input = { ...jobInput(roleArn, await manifest('idem2.csv'), restore), ClientRequestToken: 'token-reused-differently' };
    await fixture.clients.s3Control.send(new CreateJobCommand(input));
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand({ ...input, Priority: 99 })));
    expect(failure.name).toBe('IdempotencyException');
  });

  it('refuses a ClientRequestToken longer than 64 characters', async () => {
    const input = { ...jobInput(roleArn, await manifest('long-token.csv'), restore), ClientRequestToken: 'x'.repeat(65) };
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand(input)));
    expect(failure.name).toBe('BadRequestException');
  });

  it('refuses a Description longer than 256 characters, and keeps one of 256 as it is', async () => {
    const input = jobInput(roleArn, await manifest('description.csv'), restore);
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand({ ...input, Description: 'd'.repeat(257) })));
    expect([failure.name, failure.message]).toEqual([
      'BadRequestException',
      "'Description' must be 1 to 256 characters. Received: 257 characters",
    ]);
    const { JobId } = await fixture.clients.s3Control.send(new CreateJobCommand({ ...input, Description: 'd'.repeat(256) }));
    const { Job } = await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(Job!.Description).toBe('d'.repeat(256));
  });

  it('fails when the manifest ETag does not match the manifest object', async () => {
    const good = await manifest('etag.csv');
    const input = jobInput(roleArn, { ...good, Location: { ...good.Location!, ETag: '"0123456789abcdef0123456789abcdef"' } }, restore);
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand(input)));
    expect(failure.status).toBe(400);
    expect(failure.message).toMatch(/ETag/);
  });

  it('fails when the role does not exist in the sandbox', async () => {
    const input = jobInput(`arn:aws:iam::${ACCOUNT_ID}:role/no-such-role`, await manifest('role.csv'), restore);
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand(input)));
    expect(failure.name).toBe('BadRequestException');
    expect(failure.message).toMatch(/no-such-role/);
  });

  it('fails when the manifest object does not exist', async () => {
    const good = await manifest('exists.csv');
    const input = jobInput(
      roleArn,
      { ...good, Location: { ...good.Location!, ObjectArn: 'arn:aws:s3:::batch-manifests/missing.csv' } },
      restore,
    );
    const failure = await failureOf(fixture.clients.s3Control.send(new CreateJobCommand(input)));
    expect(failure.message).toMatch(/does not exist/);
  });
});

describe('job lifecycle', () => {
  it('holds a job needing confirmation Suspended until UpdateJobStatus Ready, then completes it', async () => {
    const jobs = fixture.sandbox.batchOperations;
    const { JobId } = await fixture.clients.s3Control.send(
      new CreateJobCommand({ ...jobInput(roleArn, await manifest('confirm.csv'), restore), ConfirmationRequired: true }),
    );
    await jobs.waitForStatus(JobId!, 'Suspended', { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(held.Job!.Status).toBe('Suspended');
    expect(held.Job!.ProgressSummary!.NumberOfTasksSucceeded).toBe(0);
    const updated = await fixture.clients.s3Control.send(
      new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId, RequestedJobStatus: 'Ready', StatusUpdateReason: 'reviewed the plan' }),
    );
    expect(updated.Status).toBe('Ready');
    await jobs.waitForStatus(JobId!, 'Complete', { timeoutMs: 5000 });
    const done = await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(done.Job).toMatchObject({ Status: 'Complete', StatusUpdateReason: 'reviewed the plan', ConfirmationRequired: true });
    expect(done.Job!.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 20, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 20 });
    expect(done.Job!.TerminationDate).toBeInstanceOf(Date);
  });

  it('refuses to confirm a job that is not Suspended', async () => {
    const { JobId } = await fixture.clients.s3Control.send(
      new CreateJobCommand(jobInput(roleArn, await manifest('not-suspended.csv'), restore)),
    );
    await fixture.sandbox.batchOperations.waitForStatus(JobId!, 'Complete', { timeoutMs: 5000 });
    const failure = await failureOf(
      fixture.clients.s3Control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId, RequestedJobStatus: 'Ready' })),
    );
    expect(failure.name).toBe('JobStatusException');
  });

  it('cancels a running job: it ends Cancelled with only part of its tasks done', async () => {
    const jobs = fixture.sandbox.batchOperations;
    jobs.setTaskRate(50);
    try {
      const { JobId } = await fixture.clients.s3Control.send(
        new CreateJobCommand(jobInput(roleArn, await manifest('cancel.csv'), restore)),
      );
      await jobs.waitForStatus(JobId!, 'Active', { timeoutMs: 5000 });
      const updated = await fixture.clients.s3Control.send(
        new UpdateJobStatusCommand({ AccountId: ACCOUNT_ID, JobId, RequestedJobStatus: 'Cancelled', StatusUpdateReason: 'wrong key' }),
      );
      expect(updated.Status).toBe('Cancelling');
      const job = await jobs.waitForStatus(JobId!, 'Cancelled', { timeoutMs: 5000 });
      const ran = job.ProgressSummary.NumberOfTasksSucceeded + job.ProgressSummary.NumberOfTasksFailed;
      expect(ran).toBeLessThan(20);
      expect(job.StatusUpdateReason).toBe('wrong key');
    } finally {
      jobs.setTaskRate(100_000);
    }
  });

  it('reports an unknown job as NotFoundException', async () => {
    const failure = await failureOf(
      fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(failure.name).toBe('NotFoundException');
    expect(failure.status).toBe(404);
  });
});

describe('ListJobs, priority and tags', () => {
  it('filters by JobStatuses and pages with NextToken', async () => {
    const suspended: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { JobId } = await fixture.clients.s3Control.send(
        new CreateJobCommand({ ...jobInput(roleArn, await manifest(`list-${i}.csv`, 1), restore), ConfirmationRequired: true }),
      );
      suspended.push(JobId!);
    }
    for (const id of suspended) await fixture.sandbox.batchOperations.waitForStatus(id, 'Suspended', { timeoutMs: 5000 });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await fixture.clients.s3Control.send(
        new ListJobsCommand({ AccountId: ACCOUNT_ID, JobStatuses: ['Suspended'], MaxResults: 2, ...(NextToken ? { NextToken } : {}) }),
      );
      expect(page.Jobs!.length).toBeLessThanOrEqual(2);
      for (const job of page.Jobs!) {
        expect(job.Status).toBe('Suspended');
        expect(job.Operation).toBe('S3InitiateRestoreObject');
        seen.push(job.JobId!);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen.sort()).toEqual([...suspended].sort());
  });

  it('refuses an unknown status filter', async () => {
    const failure = await failureOf(
      fixture.clients.s3Control.send(new ListJobsCommand({ AccountId: ACCOUNT_ID, JobStatuses: ['Running' as never] })),
    );
    expect(failure.name).toBe('BadRequestException');
  });

  it('updates priority and job tags', async () => {
    const { JobId } = await fixture.clients.s3Control.send(
      new CreateJobCommand({
        ...jobInput(roleArn, await manifest('prio.csv', 1), restore),
        ConfirmationRequired: true,
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    const prio = await fixture.clients.s3Control.send(new UpdateJobPriorityCommand({ AccountId: ACCOUNT_ID, JobId, Priority: 42 }));
    expect(prio.Priority).toBe(42);
    expect((await fixture.clients.s3Control.send(new GetJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }))).Tags).toEqual([
      { Key: 'team', Value: 'platform' },
    ]);
    await fixture.clients.s3Control.send(
      new PutJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId, Tags: [{ Key: 'stage', Value: 'prod' }] }),
    );
    expect((await fixture.clients.s3Control.send(new GetJobTaggingCommand({ AccountId: ACCOUNT_ID, JobId }))).Tags).toEqual([
      { Key: 'stage', Value: 'prod' },
    ]);
    const described = await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(described.Job!.Priority).toBe(42);
  });
});
