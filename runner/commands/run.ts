// `migrate run`: under the stack's lock, plan, write a manifest and submit one job per planned unit of
// work (idempotently), follow the jobs to the end, and read their completion reports. Every step is
// recorded in the state before the next, so a run killed anywhere resumes without a second job.
import { REPORTS_LAYOUT, type BucketOutput, type StackOutputs } from '../../stacks/outputs';
import { isTargetNotEmpty, runQuery } from '../aws/athena';
import { JobOperation, createJob } from '../aws/batch-operations';
import { deleteObjectsUnder, objectMd5, putJsonDocument, unloadedFiles } from '../aws/s3';
import { clientRequestToken } from '../core/client-request-token';
import { inventoryManifest } from '../core/manifest';
import { manifestUnloadQuery } from '../core/plan-query';
import { classifyOptions } from '../stack-outputs';
import { EXIT, ExitCode, NeedsHumanError } from '../errors';
import type { Output } from '../output';
import { JobRecord, MigrationState, StateStore, planRecordOf, unsubmittedJobs, withStackLock } from '../state';
import { describeRecord, follow, isTerminal, summarize } from './jobs';
import type { RunContext } from './context';
import { makePlan, reportPlan } from './plan';
import { preflight } from './preflight';
import type { Command } from 'commander';
import { CommonFlags, maxInventoryAge, positiveNumber, withCommonOptions, withContext } from './flags';
import { proveWrites, type WriteKind } from '../engine/write-probe';
import { withStepSummary } from './step-summary';
import { DirectFlags, DirectOptions, addDirectOptions, directOptionsFrom, runDirect } from '../engine/direct';

export interface RunOptions {
  /** Follow the jobs to their end; otherwise submit and return. @default true */
  readonly follow?: boolean;
  /** Jobs wait in Suspended for a person to confirm them. @default false */
  readonly confirmationRequired?: boolean;
  /** @default 10 */
  readonly priority?: number;
  readonly maxInventoryAgeHours?: number;
  /** First poll interval while following; backs off to 60 s. @default 2000 */
  readonly pollMs?: number;
  readonly lockStaleAfterMs?: number;
  /** Aborting stops following; jobs keep running and the state stays consistent. */
  readonly signal?: AbortSignal;
  /** 'direct': no Batch Operations, the runner works each version itself (engine/direct.ts). @default 'batch' */
  readonly engine?: 'batch' | 'direct';
  /** Direct engine settings, also used for the copies Batch Operations cannot make. */
  readonly direct?: DirectOptions;
}

function reportsBucketArn(outputs: StackOutputs): string {
  return `arn:aws:s3:::${outputs.reports_bucket}`;
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
  const folder = `${outputs.reports_prefix}${REPORTS_LAYOUT.manifests}${bucket.bucket}/${record.inventoryDate}/${record.operation}-${record.storageClass || 'all'}-${record.attempt}/`;
  const target = { bucket: outputs.reports_bucket, prefix: `${folder}data/` };
  const storageClass = record.operation === 'S3UpdateObjectEncryption' ? undefined : record.storageClass;
  const sql = manifestUnloadQuery(outputs.glue_database, bucket.glue_table, record.inventoryDate, manifestActionsOf(record), storageClass, bucket.inventory_format === 'CSV', target, classifyOptions(bucket));
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
  // Kept although the count of files grows with the versions (issue 16): AWS documents MD5checksum as
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
  return [record.operation === 'S3UpdateObjectEncryption' ? 'update-encryption' : record.operation === 'S3PutObjectCopy' ? 'copy' : 'needs-restore'];
}

/**
 * Records every job of a fresh plan in the state before the first is created, so that a run killed
 * between two CreateJob calls knows on resume what the plan still lacks.
 */
async function recordPlan(ctx: RunContext, state: MigrationState, store: StateStore, options: RunOptions, output: Output): Promise<void> {
  const { outputs } = ctx;
  const checked = await preflight(ctx, { maxInventoryAgeHours: options.maxInventoryAgeHours });
  const plan = await makePlan(ctx, checked, output);
  reportPlan(plan, output);
  state.outstanding = {};
  for (const bucketPlan of plan.buckets) {
    const bucket = outputs.buckets[bucketPlan.bucket];
    state.outstanding[bucket.bucket] = {
      inventoryDate: bucketPlan.inventoryDate,
      overFiveGiB: bucketPlan.directCopies.versions,
      archived: bucketPlan.byAction['needs-restore']?.versions ?? 0,
      locked: bucketPlan.lockedCopies.versions,
      acl: bucketPlan.aclCopies.versions,
    };
    (state.plans ??= {})[bucket.bucket] = planRecordOf(bucketPlan, 'batch');
    for (const spec of bucketPlan.jobs) {
      const identity = { stack: outputs.stack, bucket: bucket.bucket, inventoryDate: bucketPlan.inventoryDate, operation: spec.operation, storageClass: spec.storageClass, attempt: 0 };
      const token = clientRequestToken(identity);
      state.jobs[token] ??= { token, ...identity, versions: spec.versions, manifestActions: spec.manifestActions };
    }
  }
  await store.save(state);
}

async function submit(ctx: RunContext, state: MigrationState, store: StateStore, options: RunOptions, output: Output): Promise<void> {
  const { outputs, clients } = ctx;
  // Work from an older inventory must finish, and be submitted whole, before a newer one is planned over it.
  const resuming = unsubmittedJobs(state).length > 0 || Object.values(state.jobs).some((r) => r.jobId && !isTerminal(r));
  if (!resuming) await recordPlan(ctx, state, store, options, output);
  const missing = unsubmittedJobs(state);
  if (resuming && missing.length > 0) {
    output.emit('resume', { unsubmitted: missing.map((r) => r.token) }, () => `Resuming the recorded plan: ${missing.length} planned job(s) not created yet (${missing.map(describeRecord).join(', ')})`);
  }
  // No job that writes is created before its kind of write has proven itself on a canary.
  const kinds: WriteKind[] = [];
  if (missing.some((r) => r.operation === 'S3UpdateObjectEncryption')) kinds.push('update-encryption');
  if (missing.some((r) => r.operation === 'S3PutObjectCopy')) kinds.push('copy-in-place');
  await proveWrites(ctx, kinds, output);
  for (const record of missing) {
    const bucket = outputs.buckets[record.bucket];
    if (!bucket) throw new NeedsHumanError(`The state plans a job on bucket ${record.bucket}, which is no longer in stack ${outputs.stack}: put the bucket back in the stack, or remove job ${record.token} from s3://${outputs.reports_bucket}/${store.key}`);
    if (!record.manifestKey) {
      output.progress(`Writing the manifest of ${describeRecord(record)}...`);
      await writeManifest(ctx, bucket, record);
      await store.save(state);
    }
    record.reportPrefix = `${outputs.reports_prefix}${REPORTS_LAYOUT.jobReports}${bucket.bucket}`;
    // The token makes CreateJob idempotent: a run killed after this call gets the same job back.
    record.jobId = await createJob(clients.s3Control, {
      accountId: outputs.account_id,
      clientRequestToken: record.token,
      operation: jobOperationFor(record.operation, record.storageClass, outputs, bucket.bucket),
      manifestArn: `arn:aws:s3:::${outputs.reports_bucket}/${record.manifestKey}`,
      manifestETag: record.manifestETag!,
      // State written before manifests were inventory-format still names a CSV manifest.
      manifestFormat: record.manifestKey!.endsWith('.json') ? 'S3InventoryReport_CSV_20161130' : 'S3BatchOperations_CSV_20180820',
      reportBucketArn: reportsBucketArn(outputs),
      reportPrefix: record.reportPrefix,
      roleArn: outputs.batch_operations_role_arn,
      priority: options.priority ?? 10,
      confirmationRequired: options.confirmationRequired ?? false,
      description: `kms-migration ${outputs.stack}: ${describeRecord(record)} from inventory ${record.inventoryDate}`,
      tags: { 'kms-migration:stack': outputs.stack, 'kms-migration:bucket': bucket.bucket },
    });
    record.submittedAt = new Date().toISOString();
    await store.save(state);
    output.emit('job-submitted', { ...record }, () => `Submitted job ${record.jobId}: ${describeRecord(record)}, ${record.manifestRows} versions`);
  }
}

export async function runMigration(ctx: RunContext, options: RunOptions, output: Output): Promise<ExitCode> {
  if (options.engine === 'direct') return runDirect(ctx, options, output);
  const { outputs, clients } = ctx;
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store, lock }) => {
    await submit(ctx, state, store, options, output);
    const finished = await follow(ctx, state, store, lock, options, output);
    if (!finished) {
      output.emit('in-progress', { jobs: Object.values(state.jobs).filter((r) => !isTerminal(r)).map((r) => r.jobId) }, () => 'Jobs are still running; run again to follow them (nothing will be submitted twice).');
      return EXIT.inProgress;
    }
    return await summarize(ctx, state, store, output, options.direct, { lock, signal: options.signal });
  });
}


interface RunFlags extends CommonFlags, DirectFlags {
  follow: boolean;
  confirmationRequired?: boolean;
  priority: string;
  lockStaleMinutes: string;
}

export function registerRunCommand(program: Command): void {
  addDirectOptions(withCommonOptions(program.command('run', { isDefault: true })))
    .description(
      'preflight, plan, write manifests and submit one Batch Operations job per bucket, operation and storage class (never twice), ' +
        'then follow the jobs and read their completion reports. Safe to rerun at any point.',
    )
    .option('--no-follow', 'submit and return without following the jobs (exit 10 while they run)')
    .option('--confirmation-required', 'jobs wait (Suspended) until confirmed in the console or with aws s3control update-job-status')
    .option('--priority <n>', 'Batch Operations job priority', '10')
    .option('--lock-stale-minutes <n>', 'take over a lock whose holder has been silent this long', '30')
    .action(async (flags: RunFlags) => {
      const maxInventoryAgeHours = maxInventoryAge(flags);
      const priority = positiveNumber('--priority', flags.priority);
      const lockStaleAfterMs = positiveNumber('--lock-stale-minutes', flags.lockStaleMinutes) * 60_000;
      const { engine, direct } = directOptionsFrom(flags);
      await withContext(flags, async (ctx, output) => {
        // Ctrl-C stops following; the jobs keep running and the state stays consistent.
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          return await withStepSummary('run', ctx, () =>
            runMigration(
              ctx,
              { follow: flags.follow, confirmationRequired: flags.confirmationRequired ?? false, priority, maxInventoryAgeHours, lockStaleAfterMs, signal: abort.signal, engine, direct },
              output,
            ),
          );
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
    });
}
