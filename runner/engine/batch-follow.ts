// Following Batch Operations jobs to their end: recording their progress in the state and showing
// it: a line per job that ends, one line redrawn for those still running. Used by run and retry-failed.
import type { JobDescriptor } from '../aws/batch-operations';
import { TERMINAL_JOB_STATUSES, describeJob } from '../aws/batch-operations';
import { NeedsHumanError } from '../errors';
import { type Output, type Style, formatCount, progressBar, styleOf } from '../output';
import type { JobRecord, MigrationState, StackLock, StateStore } from '../state';
import type { RunContext } from '../context';

export interface FollowOptions {
  /** Follow the jobs to their end; otherwise look once and return. @default true */
  readonly follow?: boolean;
  /** First poll interval; doubles each round up to 60 s. @default 2000 */
  readonly pollMs?: number;
  /** Aborting stops following; the jobs keep running and the state stays consistent. */
  readonly signal?: AbortSignal;
}

/**
 * Copies a job's status and progress into its record. True when the status (or end) changed: what
 * the state must keep; the counts are live data that `migrate status` reads from the job itself.
 */
export function recordJob(record: JobRecord, job: JobDescriptor): boolean {
  const before = `${record.status}\u0000${record.finishedAt}`;
  record.status = job.Status;
  record.total = job.ProgressSummary?.TotalNumberOfTasks;
  record.succeeded = job.ProgressSummary?.NumberOfTasksSucceeded;
  record.failed = job.ProgressSummary?.NumberOfTasksFailed;
  if (job.TerminationDate) record.finishedAt = job.TerminationDate.toISOString();
  return `${record.status}\u0000${record.finishedAt}` !== before;
}

export function isTerminal(record: JobRecord): boolean {
  return record.status !== undefined && TERMINAL_JOB_STATUSES.includes(record.status);
}

export function describeRecord(record: JobRecord): string {
  return `${record.bucket} ${record.operation}${record.storageClass ? ` (${record.storageClass})` : ''}`;
}

/** What a job's progress says: how many tasks of how many are done, and how fast. */
function jobCounts(record: JobRecord, job: JobDescriptor): { readonly done: number; readonly total: number; readonly rate: number } {
  const done = (record.succeeded ?? 0) + (record.failed ?? 0);
  const active = job.ProgressSummary?.Timers?.ElapsedTimeInActiveSeconds ?? 0;
  return { done, total: record.total ?? 0, rate: active > 0 ? done / active : 0 };
}

function progressLine(record: JobRecord, job: JobDescriptor, style: Style = styleOf(false)): string {
  const { done, total, rate } = jobCounts(record, job);
  const { bar, eta } = progressBar(done, total, rate, style);
  const status =
    record.status === 'Complete'
      ? style.ok(String(record.status))
      : isTerminal(record)
        ? style.bad(String(record.status))
        : String(record.status);
  const failed = record.failed ? style.bad(`${formatCount(record.failed)} failed`) : '0 failed';
  return `${bar} ${describeRecord(record)} ${status}: ${formatCount(record.succeeded ?? 0)} ok, ${failed} of ${formatCount(total)}${rate ? `, ${formatCount(Math.round(rate))}/s` : ''}${eta}`;
}

/** The one progress line of the jobs still running: each job's own, or their sum when there are several. */
function runningLine(running: readonly { readonly record: JobRecord; readonly job: JobDescriptor }[]): string {
  if (running.length === 1) return progressLine(running[0]!.record, running[0]!.job);
  const sum = running
    .map((r) => jobCounts(r.record, r.job))
    .reduce((a, c) => ({ done: a.done + c.done, total: a.total + c.total, rate: a.rate + c.rate }), { done: 0, total: 0, rate: 0 });
  const failed = running.reduce((n, r) => n + (r.record.failed ?? 0), 0);
  const { bar, eta } = progressBar(sum.done, sum.total, sum.rate);
  return `${bar} ${running.length} jobs running: ${formatCount(sum.done)} of ${formatCount(sum.total)} tasks done, ${formatCount(failed)} failed${sum.rate ? `, ${formatCount(Math.round(sum.rate))}/s` : ''}${eta}`;
}

export async function follow(
  ctx: RunContext,
  state: MigrationState,
  store: StateStore,
  lock: StackLock,
  options: FollowOptions,
  output: Output,
): Promise<boolean> {
  const { outputs, clients } = ctx;
  let delay = options.pollMs ?? 2000;
  for (;;) {
    const open = Object.values(state.jobs).filter((r) => r.jobId && !isTerminal(r));
    let changed = false;
    const running: { record: JobRecord; job: JobDescriptor }[] = [];
    for (const record of open) {
      const job = await describeJob(clients.s3Control, outputs.account_id, record.jobId!);
      if (recordJob(record, job)) changed = true;
      const data = {
        jobId: record.jobId,
        bucket: record.bucket,
        operation: record.operation,
        storageClass: record.storageClass,
        status: record.status,
        total: record.total,
        succeeded: record.succeeded,
        failed: record.failed,
      };
      // Pipelines get every poll of every job; a person gets a line per job that ended and one redrawn line for the rest.
      if (output.json || isTerminal(record)) output.emit('job-progress', data, (style) => progressLine(record, job, style));
      else running.push({ record, job });
    }
    if (running.length > 0) output.progress(runningLine(running));
    // Saved when a job moved on, not every round: the saves of a long job do not grow with its time.
    if (changed) await store.save(state);
    const stillOpen = Object.values(state.jobs).filter((r) => r.jobId && !isTerminal(r));
    if (stillOpen.length === 0) return true;
    // Jobs created with --confirmation-required wait for a person; following them would never end.
    const waiting = stillOpen.filter((r) => r.status === 'Suspended');
    if (waiting.length === stillOpen.length) {
      throw new NeedsHumanError(
        `${waiting.length} job(s) wait for confirmation: review them, then confirm each with ` +
          waiting
            .map(
              (r) =>
                `\`aws s3control update-job-status --account-id ${outputs.account_id} --job-id ${r.jobId} --requested-job-status Ready\``,
            )
            .join(', ') +
          ', and run again to follow them',
      );
    }
    if (options.follow === false || options.signal?.aborted) return false;
    await lock.heartbeatIfDue();
    await new Promise<void>((resolve) => {
      // The listener goes with the round: one per round would pile up on the signal over a long job.
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (options.signal?.aborted) return false;
    delay = Math.min(delay * 2, 60_000);
  }
}
