// Test builders for Batch Operations: a role, buckets, objects, a CSV manifest uploaded through
// the SDK (so its ETag is the real one), and CreateJob inputs with the defaults tests share.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, type CreateJobCommandInput, type JobDescriptor } from '@aws-sdk/client-s3-control';
import type { SandboxClients } from '../clients';
import type { Sandbox } from '../sandbox';
import { encodeManifestKey } from './manifest';
import type { JobStatus } from './model';

export const ACCOUNT_ID = '123456789012';
export const REPORT_BUCKET = 'batch-reports';
export const MANIFEST_BUCKET = 'batch-manifests';
export const ROLE_NAME = 'batch-operations';

/** A role, the manifest and report buckets, and a fast task rate. */
export function prepareJobs(sandbox: Sandbox, tasksPerSecond = 100_000): { roleArn: string } {
  const world = sandbox.world;
  const iam = world.iam;
  const role = iam.listRoles().find((r) => r.roleName === ROLE_NAME) ?? iam.createRole({ roleName: ROLE_NAME });
  for (const name of [REPORT_BUCKET, MANIFEST_BUCKET]) if (!world.s3.hasBucket(name)) world.s3.createBucket({ name });
  const jobs = sandbox.batchOperations;
  jobs.setTaskRate(tasksPerSecond);
  return { roleArn: role.arn };
}

export interface ManifestRow {
  readonly bucket: string;
  readonly key: string;
  /** `null` for unversioned objects; '' writes an empty column (a task that must fail). */
  readonly versionId?: string;
}

/** Uploads a CSV manifest (keys URL-encoded) and returns the Manifest member of CreateJob. */
export async function uploadCsvManifest(
  clients: SandboxClients,
  name: string,
  rows: readonly ManifestRow[],
  withVersions = true,
): Promise<NonNullable<CreateJobCommandInput['Manifest']>> {
  const body =
    rows.map((r) => [r.bucket, encodeManifestKey(r.key), ...(withVersions ? [r.versionId ?? ''] : [])].join(',')).join('\n') + '\n';
  const put = await clients.s3.send(new PutObjectCommand({ Bucket: MANIFEST_BUCKET, Key: name, Body: body }));
  return {
    Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: withVersions ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'] },
    Location: { ObjectArn: `arn:aws:s3:::${MANIFEST_BUCKET}/${name}`, ETag: put.ETag! },
  };
}

let tokens = 0;

/** CreateJob input with a fresh token, no confirmation, and an AllTasks report; no manifest for the manifest generator. */
export function jobInput(
  roleArn: string,
  manifest: CreateJobCommandInput['Manifest'] | undefined,
  operation: CreateJobCommandInput['Operation'],
): CreateJobCommandInput {
  return {
    AccountId: ACCOUNT_ID,
    ClientRequestToken: `test-token-${Date.now()}-${++tokens}`,
    ConfirmationRequired: false,
    Priority: 10,
    RoleArn: roleArn,
    ...(manifest ? { Manifest: manifest } : {}),
    Operation: operation,
    Report: {
      Enabled: true,
      Bucket: `arn:aws:s3:::${REPORT_BUCKET}`,
      Format: 'Report_CSV_20180820',
      Prefix: 'reports',
      ReportScope: 'AllTasks',
    },
  };
}

/** Creates a job through the SDK and waits (in-process) until it ends. */
export async function runJob(
  sandbox: Sandbox,
  clients: SandboxClients,
  input: CreateJobCommandInput,
  until: readonly JobStatus[] = ['Complete', 'Failed', 'Cancelled'],
): Promise<JobDescriptor> {
  const { JobId } = await clients.s3Control.send(new CreateJobCommand(input));
  await sandbox.batchOperations.waitForStatus(JobId!, until, { timeoutMs: 20_000 });
  const { Job } = await clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
  return Job!;
}
