// `migrate status`: where the stack's migration stands, bucket by bucket: jobs (fresh from
// DescribeJob while they run, or only planned), the runner's own passes, restores in progress, the
// last verification and the expiration rule. Reads only; takes no lock.
import { describeJob } from '../aws/batch-operations';
import { bucketStatus, type BucketStatus, type UnrecordedJob } from '../core/status';
import { lockLines } from '../core/plan';
import { DONE, IN_PROGRESS, NEEDS_HUMAN, settle, type EngineResult } from '../result';
import { table, type Output, type Style } from '../output';
import { StateStore, unsubmittedJobs } from '../state';
import { isTerminal, recordJob } from './batch-follow';
import { findCreatedJobs } from './batch-adopt';
import type { RunContext } from '../context';

function describe(b: BucketStatus, style: Style): string {
  const stands = b.stands === 'done' ? style.ok : b.stands === 'needs-human' ? style.bad : style.warn;
  const lines = [`\n${style.bold(b.bucket)}: ${stands(b.stands.toUpperCase())}`];
  if (b.jobs.length > 0) {
    lines.push(
      table(
        ['job', 'operation', 'class', 'inventory', 'status', 'succeeded', 'failed', 'total'],
        b.jobs.map((j) => [
          j.jobId ?? '-',
          j.operation,
          j.storageClass || '-',
          j.inventoryDate,
          j.unrecorded ? `${j.status} (not in the state)` : j.status,
          j.succeeded,
          j.failed,
          j.total,
        ]),
      ),
    );
  }
  for (const p of b.passes) {
    const outcomes =
      Object.entries(p.outcomes)
        .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
        .join(', ') || 'nothing yet';
    lines.push(
      `  ${p.pass} pass (${p.source}): ${p.finished ? 'finished' : 'stopped, resumes where it was'}: ${outcomes}${p.failed ? `; ${p.failed.toLocaleString('en-US')} failed` : ''}`,
    );
  }
  if (b.copiesPending) lines.push(`  ${b.copiesPending.toLocaleString('en-US')} versions still to copy one by one`);
  if (b.restoresInProgress) lines.push(`  ${b.restoresInProgress.toLocaleString('en-US')} archived versions being restored`);
  // As the last plan found them: the inventory of its day.
  if (b.objectLock) lines.push(...lockLines({ locked: b.objectLock }));
  const v = b.verification;
  lines.push(
    v
      ? `  verified ${v.checkedAt} by ${v.method}: ${v.cannotVerify ? style.warn('CANNOT VERIFY') : v.passed ? style.ok('PASS') : style.bad('FAIL')}, ${v.examined.toLocaleString('en-US')} versions examined, ${v.nonCompliant.toLocaleString('en-US')} current not compliant`
      : '  not verified yet',
  );
  const e = b.expiration;
  lines.push(
    e
      ? `  expiration rule ${e.ruleId}: ${e.action} ${e.at} (${e.noncurrentDays} days${e.forced ? ', forced' : ''})`
      : '  expiration rule: not applied',
  );
  lines.push(...b.reasons.map((r) => `  - ${r}`));
  return lines.join('\n');
}

export async function showStatus(ctx: RunContext, output: Output): Promise<EngineResult> {
  return settle(() => reportStatus(ctx, output));
}

async function reportStatus(ctx: RunContext, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  const state = await new StateStore(clients.s3, outputs.reports_bucket, outputs).load(outputs.stack);
  // Jobs still running are asked again, so the answer is of now, not of the last run.
  for (const record of Object.values(state.jobs)) {
    if (record.jobId && !isTerminal(record)) recordJob(record, await describeJob(clients.s3Control, outputs.account_id, record.jobId));
  }
  // A planned job may exist all the same, created by a run whose state was lost: asked, so it is not shown as planned.
  const unrecorded = new Map<string, UnrecordedJob>();
  for (const [token, job] of await findCreatedJobs(ctx, unsubmittedJobs(state))) {
    const p = job.ProgressSummary;
    unrecorded.set(token, {
      jobId: job.JobId!,
      status: job.Status ?? 'New',
      succeeded: p?.NumberOfTasksSucceeded,
      failed: p?.NumberOfTasksFailed,
      total: p?.TotalNumberOfTasks,
    });
  }
  const buckets = Object.keys(outputs.buckets).map((bucket) => bucketStatus(state, bucket, unrecorded));
  for (const b of buckets) output.emit('bucket-status', { ...b }, (style) => describe(b, style));
  output.emit(
    'status',
    { stack: outputs.stack, updatedAt: state.updatedAt, stands: buckets.map((b) => [b.bucket, b.stands]) },
    () => `\nState s3://${outputs.reports_bucket}/${outputs.reports_prefix}state/state.json, updated ${state.updatedAt}`,
  );
  if (buckets.some((b) => b.stands === 'needs-human')) return NEEDS_HUMAN;
  return buckets.some((b) => b.stands === 'running') ? IN_PROGRESS : DONE;
}
