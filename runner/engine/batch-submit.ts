// Submitting the batch engine's work: under the lock, plan, adopt the jobs the plan's tokens already
// created, write an inventory-format manifest per planned job still without one and create the jobs
// (idempotently). Every step is recorded in the state before the next, so a run killed anywhere, or
// rerun after its state was lost, resumes without a second job.
import { entryOf } from '../core/required';
import type { BucketOutput, StackOutputs } from '../../stacks/outputs';
import { isTargetNotEmpty, runQuery } from '../aws/athena';
import { JobOperation, TokenAlreadyUsedError, createJob } from '../aws/batch-operations';
import { deleteObjectsUnder, objectMd5, putJsonDocument, unloadedFiles } from '../aws/s3';
import { clientRequestToken } from '../core/client-request-token';
import { JOB_DESCRIPTION_PREFIX, jobDescription } from '../core/job-description';
import { inventoryManifest } from '../core/manifest';
import { manifestUnloadQuery } from '../core/plan-query';
import { inventoryClassifyOptions } from '../stack-outputs';
import { NeedsHumanError } from '../errors';
import { formatCount, type Output } from '../output';
import { JobRecord, MigrationState, StateStore, planRecordOf, keepPlanRecord, unsubmittedJobs } from '../state';
import type { RunContext } from '../context';
import { makePlan, reportPlan } from './plan';
import { preflight } from './preflight';
import { recordBucketAccess, refuseLosingAccess, reportBucketAccess } from './bucket-access';
import { assessDownstream, recordDownstream, refuseDownstream, reportDownstream } from './downstream';
import { proveWrites, type WriteKind } from './write-probe';
import { describeRecord, isTerminal } from './batch-follow';
import { adoptCreatedJobs, migrationJobTags } from './batch-adopt';
import { manifestFolderOf, plannedJobSummary, reportPrefixOf } from './batch-layout';

export interface SubmitOptions {
  /** Jobs wait in Suspended for a person to confirm them. @default false */
  readonly confirmationRequired?: boolean;
  /** @default 10 */
  readonly priority?: number;
  readonly maxInventoryAgeHours?: number;
}

/** The Batch Operations operation of a unit of work; retries rebuild it from the state. */
export function jobOperationFor(operation: string, storageClass: string, outputs: StackOutputs, bucket: string): JobOperation {
  switch (operation) {
    case 'S3UpdateObjectEncryption':
      return { S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: outputs.kms_key_arn, BucketKeyEnabled: true } } } };
    case 'S3PutObjectCopy':
      // Tags and metadata are copied when NewObjectTagging / NewObjectMetadata are absent; the
      // storage class must be named or the copy lands in STANDARD.
      return {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${bucket}`,
          SSEAwsKmsKeyId: outputs.kms_key_arn,
          BucketKeyEnabled: true,
          StorageClass: storageClass as never,
          MetadataDirective: 'COPY',
        },
      };
    case 'S3InitiateRestoreObject':
      return { S3InitiateRestoreObject: { ExpirationInDays: 7, GlacierJobTier: 'STANDARD' } };
    default:
      throw new Error(`Unknown Batch Operations operation in the state: ${operation}`);
  }
}

export interface MigrationJobSpec {
  /** @default 10 */
  readonly priority: number;
  readonly confirmationRequired: boolean;
  /** What the job does, after the stack's name and the token in the job's description. */
  readonly description: string;
}

/**
 * Creates the Batch Operations job of a record whose manifest is written: the one CreateJob path of
 * run and retry-failed. The record's token makes the call idempotent, and the description carries it
 * so that a run without the state finds the job again (batch-adopt.ts). A token that already created
 * a job with other parameters, one the run could not find, stops the run for a person.
 */
export async function createMigrationJob(ctx: RunContext, record: JobRecord, spec: MigrationJobSpec): Promise<string> {
  const { outputs, clients } = ctx;
  try {
    return await createJob(clients.s3Control, {
      accountId: outputs.account_id,
      clientRequestToken: record.token,
      operation: jobOperationFor(record.operation, record.storageClass, outputs, record.bucket),
      manifestArn: `arn:aws:s3:::${outputs.reports_bucket}/${record.manifestKey}`,
      manifestETag: record.manifestETag!,
      // State written before manifests were inventory-format still names a CSV manifest; retries write CSV.
      manifestFormat: record.manifestKey!.endsWith('.json') ? 'S3InventoryReport_CSV_20161130' : 'S3BatchOperations_CSV_20180820',
      reportBucketArn: `arn:aws:s3:::${outputs.reports_bucket}`,
      reportPrefix: record.reportPrefix!,
      roleArn: outputs.batch_operations_role_arn,
      priority: spec.priority,
      confirmationRequired: spec.confirmationRequired,
      description: jobDescription(outputs.stack, record.token, spec.description),
      tags: migrationJobTags(outputs.stack, record.bucket),
    });
  } catch (error) {
    if (!(error instanceof TokenAlreadyUsedError)) throw error;
    const list = `aws s3control list-jobs --account-id ${outputs.account_id} --query "Jobs[?starts_with(Description, '${JOB_DESCRIPTION_PREFIX} ${outputs.stack}')]"`;
    throw new NeedsHumanError(
      `CreateJob refused the ClientRequestToken ${record.token} of ${describeRecord(record)}: a job was already created with this token and other parameters, ` +
        `and it is neither in the state nor among the jobs ListJobs shows with the token in their description (one an older runner made for another layout, one made by hand, or one that ended over 90 days ago). ` +
        `Nothing was created twice. Find it with \`${list}\` and \`aws s3control describe-job --account-id ${outputs.account_id} --job-id <id>\`; ` +
        'if it is this work, let it end: an inventory report delivered after it shows what is left, and the next run plans that under new tokens',
      { cause: error },
    );
  }
}

/**
 * Has Athena write the versions of one job as the data files of an inventory-format manifest
 * (UNLOAD), then writes the small manifest.json over them: no key passes through the runner, and the
 * calls made do not grow with the number of versions. A rerun reuses the files of the same UNLOAD
 * (the ClientRequestToken returns the same query execution); files nobody tracks any more make
 * Athena refuse the folder, which is then cleared and written afresh. Only the files the query's
 * own data manifest lists go into manifest.json, so nothing half-written ever reaches a job.
 */
async function writeManifest(ctx: RunContext, bucket: BucketOutput, record: JobRecord): Promise<void> {
  const { outputs, clients } = ctx;
  const folder = manifestFolderOf(outputs, record);
  const target = { bucket: outputs.reports_bucket, prefix: `${folder}data/` };
  const storageClass = record.operation === 'S3UpdateObjectEncryption' ? undefined : record.storageClass;
  const sql = manifestUnloadQuery(
    outputs.glue_database,
    bucket.glue_table,
    record.inventoryDate,
    manifestActionsOf(record),
    storageClass,
    bucket.inventory_format === 'CSV',
    target,
    inventoryClassifyOptions(bucket, record.inventoryDate),
  );
  const options = { workgroup: outputs.athena_workgroup, database: outputs.glue_database };
  let query;
  try {
    query = await runQuery(clients.athena, sql, { ...options, clientRequestToken: `${record.token}-manifest` });
  } catch (error) {
    if (!isTargetNotEmpty(error)) throw error;
    await deleteObjectsUnder(clients.s3, target.bucket, target.prefix);
    query = await runQuery(clients.athena, sql, options);
  }
  const files = await unloadedFiles(clients.s3, query.dataManifestLocation, target);
  // One read per data file (gzip-compressed keys, a few tens of bytes per version), not per version.
  // Kept although the count of files grows with the versions: AWS documents MD5checksum as
  // part of every file entry of an inventory manifest.json ("Locating your inventory list",
  // storage-inventory-location.html), Batch Operations takes an inventory report only through that
  // manifest.json ("Creating an S3 Batch Operations job", batch-ops-create-job.html), and neither says
  // the field may be left out or is not checked. The files' ETags cannot stand in (SSE-KMS results:
  // not MD5s), and Athena documents no way to bound the files of an UNLOAD ("UNLOAD results are written
  // to multiple files in parallel", athena/latest/ug/unload.html).
  const checksummed = [];
  for (const file of files) checksummed.push({ ...file, md5: await objectMd5(clients.s3, target.bucket, file.key) });
  const manifest = inventoryManifest(bucket.bucket, outputs.reports_bucket, new Date(), checksummed);
  const key = `${folder}manifest.json`;
  record.manifestETag = await putJsonDocument(clients.s3, outputs.reports_bucket, key, manifest);
  record.manifestKey = key;
  // The plan counted the same versions of the same inventory partition.
  record.manifestRows = record.versions;
}

/** The actions of a record's manifest; records written before they carried them name one action per operation. */
function manifestActionsOf(record: JobRecord): readonly string[] {
  if (record.manifestActions) return record.manifestActions;
  return [
    record.operation === 'S3UpdateObjectEncryption'
      ? 'update-encryption'
      : record.operation === 'S3PutObjectCopy'
        ? 'copy'
        : 'needs-restore',
  ];
}

/**
 * Records every job of a fresh plan in the state before the first is created, so that a run killed
 * between two CreateJob calls knows on resume what the plan still lacks.
 */
async function recordPlan(
  ctx: RunContext,
  state: MigrationState,
  store: StateStore,
  options: SubmitOptions,
  output: Output,
): Promise<void> {
  const { outputs } = ctx;
  const checked = await preflight(ctx, { maxInventoryAgeHours: options.maxInventoryAgeHours });
  const plan = await makePlan(ctx, checked, output);
  const downstream = assessDownstream(outputs, checked.downstream, plan.buckets);
  // A rerun over the same inventory submits nothing: it says so in one line instead of the plan again.
  const tokens = plan.buckets.flatMap((b) =>
    b.jobs.map((spec) =>
      clientRequestToken({
        stack: outputs.stack,
        bucket: b.bucket,
        inventoryDate: b.inventoryDate,
        operation: spec.operation,
        storageClass: spec.storageClass,
        attempt: 0,
      }),
    ),
  );
  const submittedBefore = tokens.length > 0 && tokens.every((token) => state.jobs[token]?.jobId !== undefined);
  if (submittedBefore) {
    const dates = [...new Set(plan.buckets.map((b) => b.inventoryDate))].join(', ');
    output.emit(
      'plan-unchanged',
      { inventoryDates: plan.buckets.map((b) => [b.bucket, b.inventoryDate]), jobs: tokens.length },
      () =>
        `Plan unchanged (inventory ${dates}): its ${formatCount(tokens.length)} job(s) were submitted before; nothing is submitted again.`,
    );
  }
  if (!submittedBefore || output.json) {
    reportPlan(plan, output, 'summary');
    reportBucketAccess(checked.access, output);
    reportDownstream(downstream, output);
  }
  recordBucketAccess(state, checked.access);
  recordDownstream(state, downstream);
  await store.save(state);
  refuseLosingAccess(checked.access, outputs.stack);
  refuseDownstream(downstream, outputs.stack);
  state.outstanding = {};
  for (const bucketPlan of plan.buckets) {
    const bucket = entryOf(outputs.buckets, bucketPlan.bucket, 'the stack output of a planned bucket');
    state.outstanding[bucket.bucket] = {
      inventoryDate: bucketPlan.inventoryDate,
      overFiveGiB: bucketPlan.directCopies.versions,
      archived: bucketPlan.byAction['needs-restore']?.versions ?? 0,
      locked: bucketPlan.lockedCopies.versions,
      acl: bucketPlan.aclCopies.versions,
    };
    keepPlanRecord(state, bucket.bucket, planRecordOf(bucketPlan, 'batch'));
    for (const spec of bucketPlan.jobs) {
      const identity = {
        stack: outputs.stack,
        bucket: bucket.bucket,
        inventoryDate: bucketPlan.inventoryDate,
        operation: spec.operation,
        storageClass: spec.storageClass,
        attempt: 0,
      };
      const token = clientRequestToken(identity);
      state.jobs[token] ??= { token, ...identity, versions: spec.versions, manifestActions: spec.manifestActions };
    }
  }
  await store.save(state);
}

export async function submit(
  ctx: RunContext,
  state: MigrationState,
  store: StateStore,
  options: SubmitOptions,
  output: Output,
): Promise<void> {
  const { outputs } = ctx;
  // Work from an older inventory must finish, and be submitted whole, before a newer one is planned over it.
  const resuming = unsubmittedJobs(state).length > 0 || Object.values(state.jobs).some((r) => r.jobId && !isTerminal(r));
  if (!resuming) await recordPlan(ctx, state, store, options, output);
  // Jobs the plan's tokens already created, which the state does not record (it was lost, or a run
  // died between CreateJob and saving): adopted, never created again with a new manifest.
  if ((await adoptCreatedJobs(ctx, unsubmittedJobs(state), output)) > 0) await store.save(state);
  const missing = unsubmittedJobs(state);
  if (resuming && missing.length > 0) {
    output.emit(
      'resume',
      { unsubmitted: missing.map((r) => r.token) },
      () => `Resuming the recorded plan: ${missing.length} planned job(s) not created yet (${missing.map(describeRecord).join(', ')})`,
    );
  }
  // No job that writes is created before its kind of write has proven itself on a canary.
  const kinds: WriteKind[] = [];
  if (missing.some((r) => r.operation === 'S3UpdateObjectEncryption')) kinds.push('update-encryption');
  if (missing.some((r) => r.operation === 'S3PutObjectCopy')) kinds.push('copy-in-place');
  await proveWrites(ctx, kinds, output);
  for (const record of missing) {
    const bucket = outputs.buckets[record.bucket];
    if (!bucket)
      throw new NeedsHumanError(
        `The state plans a job on bucket ${record.bucket}, which is no longer in stack ${outputs.stack}: put the bucket back in the stack, or remove job ${record.token} from s3://${outputs.reports_bucket}/${store.key}`,
      );
    if (!record.manifestKey) {
      output.progress(`Writing the manifest of ${describeRecord(record)}...`);
      await writeManifest(ctx, bucket, record);
      await store.save(state);
    }
    record.reportPrefix = reportPrefixOf(outputs, bucket.bucket);
    // The token makes CreateJob idempotent: a run killed after this call gets the same job back.
    record.jobId = await createMigrationJob(ctx, record, {
      priority: options.priority ?? 10,
      confirmationRequired: options.confirmationRequired ?? false,
      description: plannedJobSummary(record),
    });
    record.submittedAt = new Date().toISOString();
    await store.save(state);
    output.emit(
      'job-submitted',
      { ...record },
      () => `Submitted job ${record.jobId}: ${describeRecord(record)}, ${formatCount(record.manifestRows ?? 0)} versions`,
    );
  }
}
