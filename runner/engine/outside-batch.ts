// The copies Batch Operations cannot make, run by the runner itself after the batch engine's jobs.
import { entryOf } from '../core/required';
import type { ActionableAction } from '../core/classify';
import { passId } from '../core/pass-id';
import type { DirectPassRecord } from '../state';
import { advanceArchived } from './archived-follow-up';
import { passContext, type LockedRun } from './direct-context';
import { problemLines } from './direct-messages';
import type { DirectOptions } from './direct-options';
import { runPass } from './direct-pass';
import { proveWrites } from './write-probe';

export interface OutsideBatchResult {
  /** One line per bucket with versions that failed or were only reported: exit 20. */
  readonly problems: string[];
  /** Archived versions whose restore is still running: exit 10. */
  readonly pendingRestores: number;
  readonly aborted: boolean;
}

/**
 * The copies Batch Operations cannot make, after its jobs: versions over 5 GiB (multipart copy),
 * under Object Lock (each keeps its own retention and legal hold), in buckets that use ACLs (each
 * keeps its own ACL), and unencrypted archived versions once their restore has finished.
 */
export async function copyOutsideBatch(run: LockedRun, options: DirectOptions = {}): Promise<OutsideBatchResult> {
  const { ctx, state, output } = run;
  const pc = passContext(run, options);
  const records: DirectPassRecord[] = [];
  let pendingRestores = 0;
  for (const [name, work] of Object.entries(state.outstanding ?? {})) {
    // Older states were upgraded on load (state-document.ts): every count is there.
    const byAction: [string, number][] = [
      ['copy-too-large', work.overFiveGiB],
      ['copy-locked', work.locked],
      ['copy', work.acl],
      ['needs-restore', work.archived],
    ];
    const actions = byAction.filter(([, n]) => n > 0).map(([a]) => a as ActionableAction);
    if (actions.length === 0) continue;
    await proveWrites(ctx, ['copy-in-place'], output);
    const bucket = entryOf(ctx.outputs.buckets, name, 'the stack output of a bucket with outstanding work');
    const total = byAction.reduce((n, [, v]) => n + v, 0);
    const record = await runPass(pc, { pass: 'outside-batch', bucket, inventoryDate: work.inventoryDate, actions, total });
    if (!record.completedNow) return { problems: [], pendingRestores, aborted: true };
    pendingRestores += await advanceArchived(pc, bucket);
    records.push(entryOf(state.direct, passId('outside-batch', name), 'the record of the pass just run'));
  }
  return { problems: problemLines(pc, records), pendingRestores, aborted: false };
}
