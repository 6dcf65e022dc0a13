// The batch engine (`migrate run`, the default): under the stack's lock, submit one S3 Batch
// Operations job per planned unit of work (batch-submit.ts), follow the jobs to the end
// (batch-follow.ts), then read their reports and copy what Batch Operations cannot (batch-summary.ts).
import { IN_PROGRESS, settle, type EngineResult } from '../result';
import type { Output } from '../output';
import { recordCommand, withStackLock } from '../state';
import { commandRun, type RunContext } from '../context';
import type { DirectOptions } from './direct-options';
import { follow, isTerminal, type FollowOptions } from './batch-follow';
import { submit, type SubmitOptions } from './batch-submit';
import { summarize } from './batch-summary';

export interface BatchOptions extends SubmitOptions, FollowOptions {
  /** Take over a lock whose holder has been silent this long. @default 30 min */
  readonly lockStaleAfterMs?: number;
  /** Direct engine settings for the copies Batch Operations cannot make. */
  readonly direct?: DirectOptions;
}

export async function runBatch(ctx: RunContext, options: BatchOptions, output: Output): Promise<EngineResult> {
  return settle(() => submitFollowSummarize(ctx, options, output));
}

/** Under the lock: submit the planned jobs, follow them, then read their reports. */
async function submitFollowSummarize(ctx: RunContext, options: BatchOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store, lock }) => {
    recordCommand(state, await commandRun(ctx, 'run'));
    await submit(ctx, state, store, options, output);
    const finished = await follow(ctx, state, store, lock, options, output);
    if (!finished) {
      output.emit(
        'in-progress',
        {
          jobs: Object.values(state.jobs)
            .filter((r) => !isTerminal(r))
            .map((r) => r.jobId),
        },
        () => 'Jobs are still running; run again to follow them (nothing will be submitted twice).',
      );
      return IN_PROGRESS;
    }
    return await summarize(ctx, state, store, output, options.direct, { lock, signal: options.signal });
  });
}
