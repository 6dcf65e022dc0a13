// Retrying a batch run's failed tasks: only those whose errors can succeed on a later try
// (throttling, transient service errors), as new jobs with their own token, a bounded number of times.
import { REPORTS_LAYOUT } from '../../stacks/outputs';
import { ManifestWriter } from '../aws/manifest-writer';
import { clientRequestToken } from '../core/client-request-token';
import { MAX_RETRY_ATTEMPTS, isRetryableTask } from '../core/completion-report';
import { IN_PROGRESS, settle, type EngineResult } from '../result';
import { formatCount, type Output } from '../output';
import { JobRecord, recordCommand, withStackLock } from '../state';
import { commandRun, type RunContext } from '../context';
import { describeRecord, follow, isTerminal, type FollowOptions } from './batch-follow';
import { createMigrationJob } from './batch-submit';
import { failedTasks, summarize } from './batch-summary';

export interface RetryOptions extends FollowOptions {
  /** @default 10 */
  readonly priority?: number;
  /** Take over a lock whose holder has been silent this long. @default 30 minutes */
  readonly lockStaleAfterMs?: number;
}

export async function retryFailed(ctx: RunContext, options: RetryOptions, output: Output): Promise<EngineResult> {
  return settle(() => resubmitRetryable(ctx, options, output));
}

/** Under the lock: the retryable failed tasks of each finished job as a new job, then follow them. */
async function resubmitRetryable(ctx: RunContext, options: RetryOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store, lock }) => {
    recordCommand(state, await commandRun(ctx, 'retry-failed'));
    const candidates = Object.values(state.jobs).filter((r) => r.jobId && isTerminal(r) && (r.failed ?? 0) > 0 && !r.retriedBy);
    for (const original of candidates) {
      if (original.attempt >= MAX_RETRY_ATTEMPTS) {
        output.emit(
          'retry-exhausted',
          { jobId: original.jobId },
          () => `${describeRecord(original)}: retried ${original.attempt} times already; look at the report instead`,
        );
        continue;
      }
      const identity = {
        stack: outputs.stack,
        bucket: original.bucket,
        inventoryDate: original.inventoryDate,
        operation: original.operation,
        storageClass: original.storageClass,
        attempt: original.attempt + 1,
      };
      const token = clientRequestToken(identity);
      const retry: JobRecord = (state.jobs[token] ??= { token, ...identity, versions: 0, retryOf: original.token });
      if (!retry.manifestKey) {
        const key = `${outputs.reports_prefix}${REPORTS_LAYOUT.manifests}${original.bucket}/${original.inventoryDate}/${original.operation}-${original.storageClass || 'all'}-${retry.attempt}.csv`;
        const writer = new ManifestWriter(clients.s3, outputs.reports_bucket, key);
        // Report rows carry the key as the manifest wrote it, already percent-encoded.
        for await (const row of failedTasks(ctx, original)) {
          if (isRetryableTask(row)) await writer.write(`${row.bucket},${row.encodedKey},${row.versionId}\n`);
        }
        const written = await writer.close();
        Object.assign(retry, { manifestKey: written.key, manifestETag: written.eTag, manifestRows: written.rows, versions: written.rows });
        original.unretriedFailures = (original.failed ?? 0) - written.rows;
        await store.save(state);
      }
      if (retry.manifestRows === 0) {
        original.retriedBy = token;
        delete state.jobs[token];
        await store.save(state);
        output.emit(
          'retry-skipped',
          { jobId: original.jobId },
          () => `${describeRecord(original)}: no failed task is worth retrying (final errors only)`,
        );
        continue;
      }
      if (!retry.jobId) {
        retry.reportPrefix = original.reportPrefix;
        retry.jobId = await createMigrationJob(ctx, retry, {
          priority: options.priority ?? 10,
          confirmationRequired: false,
          description: `retry ${retry.attempt} of ${describeRecord(original)}`,
        });
        retry.submittedAt = new Date().toISOString();
        original.retriedBy = token;
        await store.save(state);
        output.emit(
          'job-submitted',
          { ...retry },
          () => `Submitted retry job ${retry.jobId}: ${formatCount(retry.manifestRows ?? 0)} tasks of ${describeRecord(original)}`,
        );
      }
    }
    if (!(await follow(ctx, state, store, lock, options, output))) return IN_PROGRESS;
    return await summarize(ctx, state, store, output);
  });
}
