// Finding the jobs that planned work's tokens already created, when the state does not record them
// (it was lost, moved aside, or a run died between CreateJob and saving), and adopting them instead
// of creating them again. DescribeJob and ListJobs never return a job's ClientRequestToken, so the
// runner writes it into the job's description; one ListJobs finds every job of the stack.
import type { StackOutputs } from '../../stacks/outputs';
import { describeJob, jobTags, listJobs, type JobDescriptor, type JobListDescriptor } from '../aws/batch-operations';
import { legacyJobDescription, tokenOfDescription } from '../core/job-description';
import { NeedsHumanError } from '../errors';
import type { Output } from '../output';
import type { JobRecord } from '../state';
import type { RunContext } from '../context';
import { describeRecord, recordJob } from './batch-follow';
import { manifestKeyOf, plannedJobSummary, reportPrefixOf } from './batch-layout';

/** The tags every migration job carries (createMigrationJob). */
export function migrationJobTags(stack: string, bucket: string): Record<string, string> {
  return { 'kms-migration:stack': stack, 'kms-migration:bucket': bucket };
}

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/**
 * Why a job whose description carries a record's token is not that record's job: it must do the same
 * operation and read its manifest from, and write its report to, this stack's part of the reports bucket.
 */
function tokenJobProblems(outputs: StackOutputs, record: JobRecord, job: JobDescriptor): string[] {
  const problems: string[] = [];
  const operation = Object.keys(job.Operation ?? {}).find((k) => (job.Operation as Record<string, unknown>)[k] !== undefined);
  if (operation !== record.operation) problems.push(`its operation is ${operation ?? 'none'}, not ${record.operation}`);
  const manifest = job.Manifest?.Location?.ObjectArn;
  if (!manifest?.startsWith(objectArn(outputs.reports_bucket, outputs.reports_prefix)))
    problems.push(`its manifest ${manifest ?? '(generated)'} is not under s3://${outputs.reports_bucket}/${outputs.reports_prefix}`);
  if (job.Report?.Enabled !== true || job.Report.Bucket !== `arn:aws:s3:::${outputs.reports_bucket}` || !job.Report.Prefix)
    problems.push(`its completion report does not go to the reports bucket ${outputs.reports_bucket}`);
  return problems;
}

/**
 * True when a job described as older runners described this record's job is that job: the same
 * manifest key (the layout names stack, bucket, inventory date, operation, class and attempt), the
 * same report prefix and the stack's tags. A job of another stack has another reports prefix.
 */
async function isLegacyJobOf(ctx: RunContext, record: JobRecord, job: JobDescriptor): Promise<boolean> {
  const { outputs, clients } = ctx;
  if (tokenJobProblems(outputs, record, job).length > 0) return false;
  if (job.Manifest?.Location?.ObjectArn !== objectArn(outputs.reports_bucket, manifestKeyOf(outputs, record))) return false;
  if (job.Report?.Prefix !== reportPrefixOf(outputs, record.bucket)) return false;
  const tags = await jobTags(clients.s3Control, outputs.account_id, job.JobId!);
  return Object.entries(migrationJobTags(outputs.stack, record.bucket)).every(([key, value]) => tags[key] === value);
}

async function findJobOf(ctx: RunContext, record: JobRecord, listed: readonly JobListDescriptor[]): Promise<JobDescriptor | undefined> {
  const { outputs, clients } = ctx;
  const byToken = listed.filter((j) => tokenOfDescription(j.Description, outputs.stack) === record.token);
  if (byToken.length > 1) {
    throw new NeedsHumanError(
      `${byToken.length} Batch Operations jobs carry the token ${record.token} of ${describeRecord(record)} in their description (${byToken.map((j) => j.JobId).join(', ')}), ` +
        'where CreateJob makes one job per token: none is adopted. Keep the one that does the work, cancel the others ' +
        `(aws s3control update-job-status --account-id ${outputs.account_id} --job-id <id> --requested-job-status Cancelled), and run again`,
    );
  }
  const [only] = byToken;
  if (only && byToken.length === 1) {
    const job = await describeJob(clients.s3Control, outputs.account_id, only.JobId!);
    const problems = tokenJobProblems(outputs, record, job);
    if (problems.length > 0) {
      throw new NeedsHumanError(
        `Batch Operations job ${job.JobId} carries the token ${record.token} of ${describeRecord(record)} in its description, but ${problems.join('; ')}: ` +
          `it is not adopted, and CreateJob with that token would not create the job either. Look at it with \`aws s3control describe-job --account-id ${outputs.account_id} --job-id ${job.JobId}\``,
      );
    }
    return job;
  }
  // Runners before the token was in the description: only the first attempt of a planned job.
  if (record.attempt !== 0 || record.retryOf) return undefined;
  const legacy = legacyJobDescription(outputs.stack, plannedJobSummary(record));
  const found: JobDescriptor[] = [];
  for (const listedJob of listed.filter((j) => j.Description === legacy && j.Operation === record.operation)) {
    const job = await describeJob(clients.s3Control, outputs.account_id, listedJob.JobId!);
    if (await isLegacyJobOf(ctx, record, job)) found.push(job);
  }
  if (found.length > 1) {
    throw new NeedsHumanError(
      `${found.length} Batch Operations jobs (${found.map((j) => j.JobId).join(', ')}) are each ${describeRecord(record)}, described "${legacy}": none is adopted. ` +
        `Keep the one that does the work, cancel the others (aws s3control update-job-status --account-id ${outputs.account_id} --job-id <id> --requested-job-status Cancelled), and run again`,
    );
  }
  return found[0];
}

/**
 * For each record without a job id, the job an earlier run created for it, by one ListJobs: a job
 * whose description carries the record's token, or, for a first attempt, one described exactly as
 * older runners described it, with the same manifest, report prefix and tags. Never a job of another
 * stack: its description names that stack, its manifest and report that stack's prefix.
 */
export async function findCreatedJobs(ctx: RunContext, records: readonly JobRecord[]): Promise<Map<string, JobDescriptor>> {
  const found = new Map<string, JobDescriptor>();
  const unrecorded = records.filter((r) => !r.jobId);
  if (unrecorded.length === 0) return found;
  const listed = await listJobs(ctx.clients.s3Control, ctx.outputs.account_id);
  for (const record of unrecorded) {
    const job = await findJobOf(ctx, record, listed);
    if (job) found.set(record.token, job);
  }
  return found;
}

/**
 * Records in the state the jobs that records' tokens already created, as if this run had submitted
 * them: job id, manifest and report from the job itself, its status and progress. Returns how many.
 */
export async function adoptCreatedJobs(ctx: RunContext, records: readonly JobRecord[], output: Output): Promise<number> {
  const found = await findCreatedJobs(ctx, records);
  for (const record of records) {
    const job = found.get(record.token);
    if (!job) continue;
    const manifest = job.Manifest!.Location!;
    record.jobId = job.JobId!;
    record.manifestKey = manifest.ObjectArn!.slice(objectArn(ctx.outputs.reports_bucket, '').length);
    record.manifestETag = manifest.ETag!;
    // The plan counted the same versions of the same inventory partition.
    record.manifestRows = record.versions;
    record.reportPrefix = job.Report!.Prefix!;
    // Later than the truth only if AWS left the time out: verify then asks for a newer inventory, never an older one.
    record.submittedAt = (job.CreationTime ?? new Date()).toISOString();
    recordJob(record, job);
    output.emit(
      'job-adopted',
      { ...record },
      () =>
        `Adopted job ${record.jobId}: ${describeRecord(record)}, ${record.status}, created ${record.submittedAt} by an earlier run under token ${record.token}, which the state did not record; it is not created again`,
    );
  }
  return found.size;
}
