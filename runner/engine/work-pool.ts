// The pool that works a pass's items: at most the controller's limit in flight, each outcome recorded,
// each failure kept for the next run, the checkpoint advanced as items finish.
import type { CheckpointTracker } from '../core/checkpoint';
import type { PlanRow } from '../core/plan';
import { NeedsHumanError, RunnerError, WriteNotConfirmedError } from '../errors';
import type { DirectPassRecord } from '../state';
import type { PassContext } from './direct-context';
import { recordOutcome } from './direct-outcomes';
import type { Ticker } from './direct-ticker';
import { migrateVersion, type WorkEnv, type WorkItem } from './version-work';

function errorCode(error: unknown): string {
  if (error instanceof RunnerError && 'awsCode' in error) return String((error as { awsCode?: string }).awsCode ?? error.name);
  return (error as Error | undefined)?.name ?? 'Error';
}

/** One pass's items and where their outcomes go. */
export interface PassWork {
  readonly record: DirectPassRecord;
  readonly env: WorkEnv;
  readonly items: AsyncIterable<WorkItem>;
  readonly ticker: Ticker;
  /** Without one, nothing is checkpointed (archived versions are re-read from the state). */
  readonly tracker?: CheckpointTracker;
  /** The listing path's plan, tallied as it goes. */
  readonly tally?: Map<string, PlanRow>;
}

/**
 * Works through items with at most `controller.limit` in flight. With a tracker, every finished
 * item advances the checkpoint; the spread between the oldest unfinished and the newest started
 * item is capped, so one slow multipart copy cannot let the checkpoint's in-flight set grow.
 * Returns false when the run was aborted before the items ran out.
 */
export async function workAll(pc: PassContext, { record, env, items, ticker, tracker, tally }: PassWork): Promise<boolean> {
  // Items in flight, and the one waiter woken when any of them ends. Promise.race over the in-flight
  // set would add a reaction to every pending item per wait: O(concurrency) work per version.
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  const oneEnded = () => new Promise<void>((resolve) => (wake = resolve));
  const spreadCap = Math.max(256, pc.options.concurrency * 16);
  const failuresBefore = new Set(record.failures.map((f) => `${f.key}\u0000${f.versionId}`));
  // A write answered with success that did not do its work stops this bucket at once.
  let unconfirmed: WriteNotConfirmedError | undefined;
  for await (const item of items) {
    if (pc.signal?.aborted || unconfirmed) break;
    if (tracker?.wasDone(item)) {
      tracker.skip(item);
      continue;
    }
    while (inFlight.size >= pc.controller.limit || (tracker && tracker.spread >= spreadCap)) {
      await oneEnded();
      await ticker.tick();
    }
    const sequence = tracker?.begin(item);
    const work: Promise<void> = migrateVersion(env, item)
      .then(
        (outcome) => {
          pc.controller.onSuccess();
          recordOutcome(pc, record, item, outcome, tally);
        },
        (error: unknown) => {
          if (error instanceof WriteNotConfirmedError) unconfirmed ??= error;
          // Recorded, never dropped: the run ends with exit 20 naming it, and the next run retries it.
          if (!failuresBefore.has(`${item.key}\u0000${item.versionId}`)) {
            record.failures.push({
              key: item.key,
              versionId: item.versionId,
              action: item.action ?? 'from-listing',
              code: errorCode(error),
              message: (error as Error).message,
            });
          }
          record.outcomes.failed = (record.outcomes.failed ?? 0) + 1;
        },
      )
      .finally(() => {
        if (sequence !== undefined) tracker!.finish(sequence);
        inFlight.delete(work);
        const waiter = wake;
        wake = undefined;
        waiter?.();
      });
    inFlight.add(work);
    await ticker.tick();
  }
  await Promise.all(inFlight);
  if (unconfirmed) {
    await ticker.tick(true);
    const touched = (record.outcomes.updated ?? 0) + (record.outcomes.copied ?? 0);
    throw new NeedsHumanError(
      `${record.bucket}: stopped at once. ${unconfirmed.message}.\n` +
        `${touched.toLocaleString('en-US')} versions of ${record.bucket} were written by this pass before it stopped (${record.outcomes.updated ?? 0} updated, ${record.outcomes.copied ?? 0} copied); ` +
        `the version that failed is listed in the state (s3://${pc.ctx.outputs.reports_bucket}/${pc.store.key}). Do not run \`migrate expire\`: noncurrent versions may hold the only good copy. ` +
        'Check the endpoint (AWS_ENDPOINT_URL) implements the call as AWS documents it, and `migrate verify --method listing` before anything else.',
      { cause: unconfirmed },
    );
  }
  return !pc.signal?.aborted;
}
