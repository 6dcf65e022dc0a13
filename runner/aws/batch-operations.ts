// S3 Batch Operations through S3 Control: create jobs (idempotent by ClientRequestToken), read them,
// list the account's jobs and read a job's tags.
import {
  CreateJobCommand,
  DescribeJobCommand,
  GetJobTaggingCommand,
  paginateListJobs,
  type CreateJobCommandInput,
  type JobDescriptor,
  type JobListDescriptor,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { explainAwsError, isAwsError } from './errors';

export type JobOperation = NonNullable<CreateJobCommandInput['Operation']>;

export interface CreateJobRequest {
  readonly accountId: string;
  readonly clientRequestToken: string;
  readonly operation: JobOperation;
  readonly manifestArn: string;
  readonly manifestETag: string;
  /**
   * A CSV manifest of Bucket,Key,VersionId rows, or an inventory-format manifest.json over data files.
   * @default 'S3BatchOperations_CSV_20180820'
   */
  readonly manifestFormat?: 'S3BatchOperations_CSV_20180820' | 'S3InventoryReport_CSV_20161130';
  readonly reportBucketArn: string;
  readonly reportPrefix: string;
  readonly roleArn: string;
  readonly priority: number;
  readonly confirmationRequired: boolean;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * CreateJob was given a ClientRequestToken that already created a job with other parameters (another
 * manifest ETag, description, ...): no job was created, and the one the token made is not named.
 */
export class TokenAlreadyUsedError extends Error {
  constructor(
    readonly clientRequestToken: string,
    options?: { cause?: unknown },
  ) {
    super(`The ClientRequestToken ${clientRequestToken} already created a job with other parameters`, options);
    this.name = 'TokenAlreadyUsedError';
  }
}

/** The job's id; throws TokenAlreadyUsedError when the token already created a job with other parameters. */
export async function createJob(client: S3ControlClient, request: CreateJobRequest): Promise<string> {
  try {
    const out = await client.send(
      new CreateJobCommand({
        AccountId: request.accountId,
        ClientRequestToken: request.clientRequestToken,
        ConfirmationRequired: request.confirmationRequired,
        Operation: request.operation,
        Manifest: {
          // An inventory manifest names its own columns (fileSchema): Fields belong to CSV manifests only.
          Spec:
            request.manifestFormat === 'S3InventoryReport_CSV_20161130'
              ? { Format: 'S3InventoryReport_CSV_20161130' }
              : { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
          Location: { ObjectArn: request.manifestArn, ETag: request.manifestETag },
        },
        Report: {
          Bucket: request.reportBucketArn,
          Prefix: request.reportPrefix,
          Format: 'Report_CSV_20180820',
          Enabled: true,
          ReportScope: 'AllTasks',
        },
        Priority: request.priority,
        RoleArn: request.roleArn,
        Description: request.description.slice(0, 256),
        Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return out.JobId!;
  } catch (error) {
    if (isAwsError(error, 'IdempotencyException')) throw new TokenAlreadyUsedError(request.clientRequestToken, { cause: error });
    throw explainAwsError(error, `Creating a Batch Operations job (${request.description})`);
  }
}

export async function describeJob(client: S3ControlClient, accountId: string, jobId: string): Promise<JobDescriptor> {
  try {
    const out = await client.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId }));
    return out.Job!;
  } catch (error) {
    throw explainAwsError(error, `Reading Batch Operations job ${jobId}`);
  }
}

/**
 * Every job ListJobs returns for the account, of every status: those not ended and those ended within
 * the last 90 days. One paginated listing; the caller keeps what it looks for.
 */
export async function listJobs(client: S3ControlClient, accountId: string): Promise<JobListDescriptor[]> {
  const jobs: JobListDescriptor[] = [];
  try {
    for await (const page of paginateListJobs({ client, pageSize: 1000 }, { AccountId: accountId })) jobs.push(...(page.Jobs ?? []));
  } catch (error) {
    throw explainAwsError(
      error,
      `Listing the Batch Operations jobs of account ${accountId}`,
      isAwsError(error, 'AccessDenied') ? 'the runner needs s3:ListJobs to find the jobs its tokens created' : undefined,
    );
  }
  return jobs;
}

/** A job's tags (GetJobTagging), by key. */
export async function jobTags(client: S3ControlClient, accountId: string, jobId: string): Promise<Record<string, string>> {
  try {
    const out = await client.send(new GetJobTaggingCommand({ AccountId: accountId, JobId: jobId }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch (error) {
    throw explainAwsError(error, `Reading the tags of Batch Operations job ${jobId}`);
  }
}

/** Re-exported so code outside runner/aws never imports the SDK, even for a type. */
export type { JobDescriptor, JobListDescriptor };

export { TERMINAL_JOB_STATUSES } from '../core/status';
