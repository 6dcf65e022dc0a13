// What every pass of the direct engine works with: the locked run, the resolved options, the
// concurrency controller, and the per-bucket environment a version is worked in.
import type { BucketOutput } from '../../stacks/outputs';
import { AimdController } from '../core/aimd';
import { ReadBackSample } from '../core/write-evidence';
import type { RunContext } from '../context';
import type { Output } from '../output';
import type { MigrationState, StackLock, StateStore } from '../state';
import { resolveDirectOptions, type DirectOptions, type ResolvedDirectOptions } from './direct-options';
import type { WorkEnv } from './version-work';
import { copyConditionsProven } from './write-probe';

/** A run under the stack's lock: what every pass works with. */
export interface LockedRun {
  readonly ctx: RunContext;
  readonly state: MigrationState;
  readonly store: StateStore;
  readonly output: Output;
  readonly lock?: StackLock;
  readonly signal?: AbortSignal;
}

/** A locked run with the options resolved and the one concurrency controller all its passes share. */
export interface PassContext extends LockedRun {
  readonly options: ResolvedDirectOptions;
  readonly controller: AimdController;
}

export function passContext(run: LockedRun, options: DirectOptions): PassContext {
  const resolved = resolveDirectOptions(options);
  return { ...run, options: resolved, controller: new AimdController({ max: resolved.concurrency }) };
}

/** Saves the state; the SDK retries a throttled write (a throttled write never happened, so that is safe). */
export function saveState(pc: PassContext): Promise<void> {
  return pc.store.save(pc.state);
}

/** Everything migrateVersion needs to work one bucket's versions in this pass. */
export function workEnv(pc: PassContext, bucket: BucketOutput): WorkEnv {
  // Each pass reads back its first writes and a deterministic share of the rest.
  const sample = new ReadBackSample();
  return {
    s3: pc.ctx.clients.s3,
    kmsKeyArn: pc.ctx.outputs.kms_key_arn,
    bucket,
    archived: pc.options.archived,
    updateByCopy: pc.options.updateByCopy,
    copyConditions: copyConditionsProven(pc.ctx),
    ...(pc.options.partBytes ? { partBytes: pc.options.partBytes } : {}),
    ...(pc.options.restoreDays ? { restoreDays: pc.options.restoreDays } : {}),
    hooks: { onThrottle: () => pc.controller.onThrottle(Date.now()) },
    readBack: (key, versionId) => sample.includes(key, versionId),
  };
}
