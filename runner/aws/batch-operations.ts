// S3 Batch Operations through S3 Control: create jobs (idempotent by ClientRequestToken), read them.
import {
  CreateJobCommand,
  DescribeJobCommand,
  type CreateJobCommandInput,
  type JobDescriptor,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { explainAwsError } from './errors';

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

/** Re-exported so code outside runner/aws never imports the SDK, even for a type. */
export type { JobDescriptor };

export { TERMINAL_JOB_STATUSES } from '../core/status';
