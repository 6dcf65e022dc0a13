// One pass over one bucket: a new one, a resumed one (from its checkpoint), or a finished one whose
// failures are retried; a listing pass also keeps the plan it tallied.
import type { BucketOutput } from '../../stacks/outputs';
import { CheckpointTracker, EMPTY_CHECKPOINT } from '../core/checkpoint';
import type { ActionableAction } from '../core/classify';
import { passId } from '../core/pass-id';
import { bucketPlan, type PlanRow } from '../core/plan';
import { keepPlanRecord, planRecordOf, type DirectPassRecord } from '../state';
import { saveState, workEnv, type PassContext } from './direct-context';
import { Ticker } from './direct-ticker';
import { failureTotal } from '../core/pass-failures';
import { readFailures, restoreFailures, takeFailures } from './failure-log';
import { migrationPlan, reportPlan } from './plan';
import { workAll } from './work-pool';
import { failedItems, inventoryItems, listingItems } from './work-sources';

export interface PassSpec {
  readonly pass: DirectPassRecord['pass'];
  readonly bucket: BucketOutput;
  /** undefined: from the listing. */
  readonly inventoryDate?: string;
  readonly actions: readonly (ActionableAction | 'compliant')[];
  readonly total?: number;
}

/**
 * Runs (or resumes, or retries the failures of) one pass over one bucket. Returns the pass's record,
 * with `completedNow` false when the run was aborted before the pass finished.
 */
export async function runPass(pc: PassContext, spec: PassSpec): Promise<DirectPassRecord & { completedNow: boolean }> {
  const passes = (pc.state.direct ??= {});
  const id = passId(spec.pass, spec.bucket.bucket);
  const source = spec.inventoryDate ? `inventory:${spec.inventoryDate}` : 'listing';
  let record = passes[id];
  const env = workEnv(pc, spec.bucket);
  const sameSource = record !== undefined && (record.source === source || (source === 'listing' && record.source.startsWith('listing')));
  // A finished listing is of its moment: a new --from-listing run lists the bucket again (its
  // failures, if any, are retried first). A finished inventory pass stays done for its inventory.
  const relist =
    record !== undefined && sameSource && record.finishedAt !== undefined && source === 'listing' && failureTotal(record) === 0;
  if (record && sameSource && record.finishedAt && !relist) {
    if (failureTotal(record) === 0) return { ...record, completedNow: true };
    // A finished pass with failures: this run retries exactly those versions, spilled ones included.
    const retry = takeFailures(record);
    record.outcomes.failed = 0;
    const ticker = new Ticker(pc, record, undefined, retry.total);
    const finished = await workAll(pc, { record, env, items: failedItems(readFailures(pc.ctx, retry)), ticker });
    if (!finished) restoreFailures(record, retry);
    await ticker.tick(true);
    return { ...record, completedNow: finished };
  }
  if (!record || !sameSource || relist) {
    record = {
      pass: spec.pass,
      bucket: spec.bucket.bucket,
      source: spec.inventoryDate ? source : `listing:${new Date().toISOString()}`,
      startedAt: new Date().toISOString(),
      checkpoint: EMPTY_CHECKPOINT,
      outcomes: {},
      failures: [],
    };
    passes[id] = record;
    await saveState(pc);
  }
  const saved = record.checkpoint;
  const tracker = new CheckpointTracker(saved);
  const ticker = new Ticker(pc, record, tracker, spec.total);
  if (saved.completed > 0) {
    pc.output.emit(
      'direct-resume',
      { bucket: record.bucket, pass: record.pass, completed: saved.completed, after: saved.after, doneAhead: saved.doneAhead.length },
      () =>
        `${record.bucket} ${record.pass}: resuming after ${saved.completed.toLocaleString('en-US')} versions done (${saved.doneAhead.length} more done beyond that)`,
    );
  }
  const tally = spec.inventoryDate ? undefined : new Map<string, PlanRow>();
  const items = spec.inventoryDate
    ? inventoryItems(pc.ctx, spec.bucket, spec.inventoryDate, spec.actions, saved.completed)
    : listingItems(pc.ctx, spec.bucket, saved.after, env);
  const finished = await workAll(pc, { record, env, items, tracker, ticker, tally });
  if (finished) record.finishedAt = new Date().toISOString();
  await ticker.tick(true);
  if (tally && finished) {
    // Same plan record as the Athena path, tallied from what HeadObject said.
    const acted: PlanRow[] = Object.entries(record.outcomes)
      .filter(([kind]) => ['updated', 'copied'].includes(kind))
      .map(([kind, n]) => ({
        action: kind === 'updated' ? 'update-encryption' : 'copy',
        storage_class: '',
        versions: String(n),
        bytes: '0',
      }));
    const plan = bucketPlan(spec.bucket.bucket, 'listing', [...tally.values(), ...acted]);
    // The listing is this engine's plan: its counts are the report's "before", as an Athena plan's are.
    keepPlanRecord(pc.state, spec.bucket.bucket, planRecordOf(plan, 'direct'));
    await saveState(pc);
    reportPlan(migrationPlan(pc.ctx.outputs.stack, [plan], pc.ctx.outputs.noncurrent_days, 'direct'), pc.output, 'summary');
  }
  return { ...record, completedNow: finished };
}
