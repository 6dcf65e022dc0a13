// `migrate run --engine direct`: the runner works each version itself (UpdateObjectEncryption, copy in
// place, multipart copy, restore then copy) with adaptive concurrency, checkpointing its position in
// the state so a killed run resumes there. Its parts: direct-options, direct-context, direct-pass,
// work-pool, work-sources, direct-outcomes, direct-ticker, archived-follow-up, direct-messages.
import { entryOf } from '../core/required';
import type { BucketPlan } from '../core/plan';
import { ACTIONABLE } from '../core/classify';
import { passId } from '../core/pass-id';
import { DONE, IN_PROGRESS, needsHuman, settle, type EngineResult } from '../result';
import { formatCount, type Output } from '../output';
import { keepPlanRecord, planRecordOf, recordCommand, withStackLock, type DirectPassRecord } from '../state';
import { commandRun, type RunContext } from '../context';
import { advanceArchived } from './archived-follow-up';
import { passContext } from './direct-context';
import { problemLines, reportUpdateByCopy } from './direct-messages';
import { resolveDirectOptions, type DirectOptions } from './direct-options';
import { runPass } from './direct-pass';
import { failureTotal } from '../core/pass-failures';
import { makePlan, reportPlan } from './plan';
import { preflight } from './preflight';
import { recordBucketAccess, refuseLosingAccess, reportBucketAccess } from './bucket-access';
import { assessDownstream, recordDownstream, refuseDownstream, reportDownstream } from './downstream';
import { proveWrites, type WriteKind } from './write-probe';

/** `migrate run --engine direct`. */
export interface DirectRunOptions {
  readonly maxInventoryAgeHours?: number;
  /** Take over a lock whose holder has been silent this long. @default 30 min */
  readonly lockStaleAfterMs?: number;
  /** Aborting stops at the next version; the checkpoint is saved. */
  readonly signal?: AbortSignal;
  readonly direct?: DirectOptions;
}

/** `migrate run --engine direct`: plan, then every version by the runner itself, under the lock. */
export async function runDirect(ctx: RunContext, options: DirectRunOptions, output: Output): Promise<EngineResult> {
  return settle(() => workEveryVersion(ctx, options, output));
}

async function workEveryVersion(ctx: RunContext, options: DirectRunOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  const direct = resolveDirectOptions(options.direct ?? {});
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store, lock }) => {
    recordCommand(state, await commandRun(ctx, 'run'));
    const checked = await preflight(ctx, { maxInventoryAgeHours: options.maxInventoryAgeHours, requireInventory: !direct.fromListing });
    reportBucketAccess(checked.access, output);
    recordBucketAccess(state, checked.access);
    await store.save(state);
    refuseLosingAccess(checked.access, outputs.stack);
    const plan = direct.fromListing ? undefined : await makePlan(ctx, checked, output, 'direct');
    if (plan) {
      reportPlan(plan, output, 'summary');
      // Kept for the report's "before": the plan itself is Athena's answer of the day and is not stored.
      for (const b of plan.buckets) keepPlanRecord(state, b.bucket, planRecordOf(b, 'direct'));
      await store.save(state);
    }
    // Before the canaries: a canary's write already fires the bucket's notifications.
    const downstream = assessDownstream(outputs, checked.downstream, plan?.buckets, { updateByCopy: direct.updateByCopy });
    reportDownstream(downstream, output);
    recordDownstream(state, downstream);
    await store.save(state);
    refuseDownstream(downstream, outputs.stack);
    if (direct.updateByCopy) reportUpdateByCopy(plan, output);
    // Nothing is written to a migrated bucket before each kind of write has proven itself on a canary.
    await proveWrites(ctx, writeKindsFor(plan?.buckets, direct), output);
    const pc = passContext({ ctx, state, store, output, lock, signal: options.signal }, direct);
    const records: DirectPassRecord[] = [];
    let pendingRestores = 0;
    for (const bucket of Object.values(outputs.buckets)) {
      const bucketPlanned = plan?.buckets.find((b) => b.bucket === bucket.bucket);
      const rewrap = (bucketPlanned?.keyCheck?.foreign ?? 0) > 0;
      const actions = rewrap ? [...ACTIONABLE, 'compliant' as const] : ACTIONABLE;
      const total = bucketPlanned ? actions.reduce((n, a) => n + (bucketPlanned.byAction[a]?.versions ?? 0), 0) : undefined;
      const earlier = state.direct?.[passId('direct', bucket.bucket)];
      if (bucketPlanned && total === 0 && !(earlier && failureTotal(earlier) > 0)) {
        pendingRestores += await advanceArchived(pc, bucket);
        continue;
      }
      const record = await runPass(pc, { pass: 'direct', bucket, inventoryDate: bucketPlanned?.inventoryDate, actions, total });
      if (!record.completedNow) {
        output.emit(
          'in-progress',
          { bucket: bucket.bucket, checkpoint: record.checkpoint.completed },
          () => `Stopped; the checkpoint is saved: run again to resume ${bucket.bucket} where it stopped (no version is worked twice).`,
        );
        return IN_PROGRESS;
      }
      pendingRestores += await advanceArchived(pc, bucket);
      records.push(entryOf(state.direct, passId('direct', bucket.bucket), 'the record of the pass just run'));
    }
    output.emit('summary', { engine: 'direct', passes: records, pendingRestores, throttleBackoffs: pc.controller.decreases }, () =>
      records
        .map(
          (r) =>
            `${r.bucket} direct (${r.source}): ${
              Object.entries(r.outcomes)
                .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
                .join(', ') || 'nothing to do'
            }` +
            (r.newerWritesRestored
              ? `; ${r.newerWritesRestored.toLocaleString('en-US')} writes made during a copy were found under it and made current again`
              : ''),
        )
        .join('\n'),
    );
    const problems = problemLines(pc, records);
    if (problems.length > 0) return needsHuman(problems.join('\n'));
    if (pendingRestores > 0) {
      output.emit(
        'restores-pending',
        { pendingRestores },
        () =>
          `${formatCount(pendingRestores)} archived versions are being restored (hours for Glacier, up to 48 for Deep Archive); run again later to copy them.`,
      );
      return IN_PROGRESS;
    }
    return DONE;
  });
}

/** The kinds of write a direct run will make: from the plan, or every kind when working from a listing. */
function writeKindsFor(buckets: readonly BucketPlan[] | undefined, direct: DirectOptions): WriteKind[] {
  const updates =
    buckets === undefined || buckets.some((b) => (b.byAction['update-encryption']?.versions ?? 0) > 0 || (b.keyCheck?.foreign ?? 0) > 0);
  const copies =
    buckets === undefined || buckets.some((b) => ACTIONABLE.some((a) => a !== 'update-encryption' && (b.byAction[a]?.versions ?? 0) > 0));
  return [
    ...(updates && !direct.updateByCopy ? (['update-encryption'] as const) : []),
    ...(copies || (updates && direct.updateByCopy) ? (['copy-in-place'] as const) : []),
  ];
}
