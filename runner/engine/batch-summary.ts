// After the jobs end: their completion reports (failed tasks by error code), a read-back of what
// Complete jobs wrote, the copies Batch Operations cannot make, and the summary that decides the exit code.
import { z } from 'zod';
import { parse } from 'csv-parse';
import { objectStream, readJson } from '../aws/s3';
import { headVersion } from '../aws/objects';
import { isMissingVersionTask, parseReportRow, type ReportRow } from '../core/completion-report';
import { mapConcurrently } from '../core/concurrency';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import { openFailures } from '../core/status';
import { formatCount, type Output } from '../output';
import { JobRecord, MigrationState, StackLock, StateStore, unsubmittedJobs } from '../state';
import type { RunContext } from '../context';
import { DONE, IN_PROGRESS, needsHuman, type EngineResult } from '../result';
import type { DirectOptions } from './direct-options';
import { copyOutsideBatch } from './outside-batch';
import { readBackJob } from './batch-read-back';
import { describeRecord } from './batch-follow';

/** The manifest of a Batch Operations completion report: which result files hold which tasks. */
const reportManifest = z.object({
  Results: z.array(z.object({ TaskExecutionStatus: z.string().optional(), Key: z.string().optional() })).optional(),
});

/** Every failed task of a job, streamed from its completion report. */
export async function* failedTasks(ctx: RunContext, record: JobRecord): AsyncGenerator<ReportRow> {
  const { outputs, clients } = ctx;
  const manifestKey = `${record.reportPrefix}/job-${record.jobId}/manifest.json`;
  const manifest = await readJson(
    clients.s3,
    outputs.reports_bucket,
    manifestKey,
    reportManifest,
    `the completion report of job ${record.jobId} is not one Batch Operations wrote; check the reports bucket, then run again`,
  );
  for (const result of manifest?.value.Results ?? []) {
    if (result.TaskExecutionStatus !== 'failed' || !result.Key) continue;
    const rows = (await objectStream(clients.s3, outputs.reports_bucket, result.Key)).pipe(parse({ relax_column_count: true }));
    for await (const fields of rows as AsyncIterable<string[]>) {
      const row = parseReportRow(fields);
      if (row.taskStatus === 'failed') yield row;
    }
  }
}

/**
 * Failed tasks by error code, from the job's completion report, and how many of them named a version
 * that HeadObject confirms gone since the inventory (deleted by its owner: nothing left to migrate).
 */
export async function failureCodes(ctx: RunContext, record: JobRecord): Promise<{ codes: Record<string, number>; gone: number }> {
  const codes: Record<string, number> = {};
  const missing: ReportRow[] = [];
  for await (const row of failedTasks(ctx, record)) {
    const code = row.errorCode ?? (row.httpStatus ? `HTTP ${row.httpStatus}` : 'Unknown');
    codes[code] = (codes[code] ?? 0) + 1;
    if (isMissingVersionTask(row)) missing.push(row);
  }
  const confirmed = await mapConcurrently(missing, 16, async (row) => {
    // Manifests and reports carry keys percent-encoded, as a CSV inventory does.
    const head = await headVersion(
      ctx.clients.s3,
      record.bucket,
      decodeInventoryKey(row.encodedKey, true),
      inventoryVersionId(row.versionId),
    );
    return head === undefined;
  });
  return { codes, gone: confirmed.filter(Boolean).length };
}

/** While the runner copies what Batch Operations cannot: keep the lock alive, stop on Ctrl-C. */
export interface OutsideBatchControl {
  readonly lock?: StackLock;
  readonly signal?: AbortSignal;
}

export async function summarize(
  ctx: RunContext,
  state: MigrationState,
  store: StateStore,
  output: Output,
  direct: DirectOptions = {},
  control: OutsideBatchControl = {},
): Promise<EngineResult> {
  const failedJobs: JobRecord[] = [];
  const withFailures: JobRecord[] = [];
  const unconfirmed: string[] = [];
  for (const record of Object.values(state.jobs)) {
    if (!record.jobId) continue;
    if (record.failed && !record.failureCodes) {
      const failures = await failureCodes(ctx, record);
      record.failureCodes = failures.codes;
      if (failures.gone > 0) record.goneTasks = failures.gone;
    }
    // Complete proves the tasks were accepted: a sample of the versions shows what they did.
    if (
      record.status === 'Complete' &&
      record.manifestKey?.endsWith('.json') &&
      record.operation !== 'S3InitiateRestoreObject' &&
      !record.readBack
    ) {
      record.readBack = await readBackJob(ctx, record, () => failedTasks(ctx, record));
    }
    if (record.readBack?.problems.length) {
      unconfirmed.push(
        `job ${record.jobId} (${describeRecord(record)}) says Complete, but ${formatCount(record.readBack.problems.length)} of ${formatCount(record.readBack.checked)} versions read back disagree: ` +
          `${record.readBack.problems.slice(0, 3).join('; ')}. Do not run \`migrate expire\`; check the versions with \`migrate verify --method listing\``,
      );
    }
    // A job whose retryable failures were resubmitted answers only for the ones that were not.
    if (record.status !== 'Complete') failedJobs.push(record);
    else if (openFailures(record) > 0) withFailures.push(record);
  }
  await store.save(state);
  // One line per job, then the totals: a JSON line stays short however many jobs the plan made.
  const jobs = Object.values(state.jobs);
  for (const r of jobs) {
    output.emit('job-summary', { ...r }, (style) => {
      const status = r.status === 'Complete' && !r.failed ? style.ok(String(r.status)) : style.bad(String(r.status));
      return (
        `${r.jobId} ${describeRecord(r)}: ${status}, ${formatCount(r.succeeded ?? 0)} ok, ${formatCount(r.failed ?? 0)} failed` +
        (r.failureCodes
          ? ` (${Object.entries(r.failureCodes)
              .map(([c, n]) => `${c}: ${formatCount(n)}`)
              .join(', ')})`
          : '') +
        (r.goneTasks
          ? `, of which ${formatCount(r.goneTasks)} versions are gone since the inventory (deleted since: nothing to migrate)`
          : '')
      );
    });
  }
  const totals = {
    jobs: jobs.length,
    succeeded: jobs.reduce((n, r) => n + (r.succeeded ?? 0), 0),
    failed: jobs.reduce((n, r) => n + (r.failed ?? 0), 0),
  };
  output.emit('summary', totals, () =>
    jobs.length > 0
      ? `${formatCount(totals.jobs)} job(s): ${formatCount(totals.succeeded)} versions done, ${formatCount(totals.failed)} failed`
      : 'Nothing to do: every version in the inventory is compliant or left alone for a stated reason.',
  );
  const problems = [...failedJobs, ...withFailures];
  if (unconfirmed.length > 0) return needsHuman(unconfirmed.join('\n'));
  // Exit 0 means the plan is done: a planned job that was never created is work still to do.
  const unsubmitted = unsubmittedJobs(state);
  if (unsubmitted.length > 0) {
    output.emit(
      'in-progress',
      { unsubmitted: unsubmitted.map((r) => r.token) },
      () =>
        `${unsubmitted.length} planned job(s) are not created yet (${unsubmitted.map(describeRecord).join(', ')}); run again to submit them.`,
    );
    return IN_PROGRESS;
  }
  // What Batch Operations cannot copy (over 5 GiB, under Object Lock, per-object ACLs, restored
  // archives), the runner copies itself; whatever it could not is named here, never dropped.
  const outside = await copyOutsideBatch({ ctx, state, store, output, lock: control.lock, signal: control.signal }, direct);
  const outstanding = outside.problems;
  if (problems.length === 0 && outstanding.length === 0 && (outside.aborted || outside.pendingRestores > 0)) {
    output.emit('in-progress', { pendingRestores: outside.pendingRestores }, () =>
      outside.aborted
        ? 'Stopped; run again to continue the copies outside Batch Operations.'
        : `${formatCount(outside.pendingRestores)} archived versions are still being restored; run again later to copy them.`,
    );
    return IN_PROGRESS;
  }
  if (problems.length > 0 || outstanding.length > 0) {
    const top = (r: JobRecord) =>
      Object.entries(r.failureCodes ?? {})
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([c, n]) => `${c} x${formatCount(n)}`)
        .join(', ');
    return needsHuman(
      problems
        .map(
          (r) =>
            `job ${r.jobId} (${describeRecord(r)}) ${r.status} with ${formatCount(r.failed ?? 0)} failed tasks${top(r) ? `: ${top(r)}` : ''}; report under s3://${ctx.outputs.reports_bucket}/${r.reportPrefix}/job-${r.jobId}/`,
        )
        .concat(outstanding)
        .join('\n'),
    );
  }
  return DONE;
}
