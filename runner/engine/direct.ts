// `migrate run --engine direct`, and the copies Batch Operations cannot make: the runner works each
// version itself (UpdateObjectEncryption, copy in place, multipart copy, restore then copy) with
// adaptive concurrency, checkpointing its position in the state so a killed run resumes there.
import { parse } from 'csv-parse';
import type { BucketOutput } from '../../stacks/outputs';
import { inventoryClassifyOptions } from '../stack-outputs';
import { runQuery } from '../aws/athena';
import { listVersions } from '../aws/objects';
import { objectStream, parseS3Url } from '../aws/s3';
import { AimdController } from '../core/aimd';
import { CheckpointTracker, EMPTY_CHECKPOINT, type VersionPosition } from '../core/checkpoint';
import { ACTIONABLE, type ActionableAction } from '../core/classify';
import { decodeInventoryKey } from '../core/manifest';
import { ReadBackSample } from '../core/write-evidence';
import { failureCodes, failureTotal, readFailures, restoreFailures, spillFailures, takeFailures } from './failure-log';
import { bucketPlan, type BucketPlan, type PlanRow } from '../core/plan';
import { directWorkQuery } from '../core/plan-query';
import { passId } from '../core/pass-id';
import { EXIT, ExitCode, NeedsHumanError, RunnerError, WriteNotConfirmedError } from '../errors';
import { formatBytes, formatCount, progressBar, type Output } from '../output';
import { copyConditionsProven, proveWrites, type WriteKind } from './write-probe';
import { DirectPassRecord, type DirectFailure, MigrationState, StackLock, StateStore, type ArchivedVersionRecord, planRecordOf, keepPlanRecord, recordCommand, withStackLock } from '../state';
import { commandRun, type RunContext } from '../context';
import { makePlan, migrationPlan, reportPlan } from './plan';
import { preflight } from './preflight';
import { recordBucketAccess, refuseLosingAccess, reportBucketAccess } from './bucket-access';
import { assessDownstream, recordDownstream, refuseDownstream, reportDownstream } from './downstream';
import { migrateVersion, type Outcome, type WorkEnv, type WorkItem } from './version-work';
import { resolveDirectOptions, type DirectOptions, type ResolvedDirectOptions } from './direct-options';

function archivedId(bucket: string, p: VersionPosition): string {
  return `${bucket}\u0000${p.key}\u0000${p.versionId}`;
}

function errorCode(error: unknown): string {
  if (error instanceof RunnerError && 'awsCode' in error) return String((error as { awsCode?: string }).awsCode ?? error.name);
  return (error as Error | undefined)?.name ?? 'Error';
}

/** `migrate run --engine direct`. */
export interface DirectRunOptions {
  readonly maxInventoryAgeHours?: number;
  /** Take over a lock whose holder has been silent this long. @default 30 min */
  readonly lockStaleAfterMs?: number;
  /** Aborting stops at the next version; the checkpoint is saved. */
  readonly signal?: AbortSignal;
  readonly direct?: DirectOptions;
}

/** A run under the stack's lock: what every pass works with. */
export interface LockedRun {
  readonly ctx: RunContext;
  readonly state: MigrationState;
  readonly store: StateStore;
  readonly output: Output;
  readonly lock?: StackLock;
  readonly signal?: AbortSignal;
}

interface PassContext extends LockedRun {
  readonly options: ResolvedDirectOptions;
  readonly controller: AimdController;
}

/** Saves the state; the SDK retries a throttled write (a throttled write never happened, so that is safe). */
function saveState(pc: PassContext): Promise<void> {
  return pc.store.save(pc.state);
}

/** Saves the checkpoint, proves the lock alive and writes progress, each at its own pace. */
class Ticker {
  private lastSave = Date.now();
  private lastProgress = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly pc: PassContext,
    private readonly record: DirectPassRecord,
    private readonly tracker: CheckpointTracker | undefined,
    private readonly total: number | undefined,
  ) {}

  done(): number {
    return Object.values(this.record.outcomes).reduce((a, b) => a + b, 0);
  }

  async tick(force = false): Promise<void> {
    const now = Date.now();
    // Failures past a chunk go to an object of their own, and the state that names it is saved at once.
    const spilled = await spillFailures(this.pc.ctx, this.record);
    if (spilled || force || now - this.lastSave >= this.pc.options.checkpointEveryMs) {
      if (this.tracker) this.record.checkpoint = this.tracker.snapshot();
      await saveState(this.pc);
      this.lastSave = now;
    }
    await this.pc.lock?.heartbeatIfDue();
    if (force || now - this.lastProgress >= this.pc.options.progressEveryMs) {
      this.lastProgress = now;
      this.progress(now);
    }
  }

  private progress(now: number): void {
    const r = this.record;
    const done = this.done();
    const elapsed = (now - this.startedAt) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const total = this.total;
    const bar = progressBar(done, total ?? 0, rate);
    this.pc.output.progress(
      `${bar.bar} ${r.bucket} ${r.pass}: ${formatCount(done)} done, ${formatCount(failureTotal(r))} failed` +
        `${total ? ` of ${formatCount(total)}` : ''}, ${formatCount(Math.round(rate))}/s, concurrency ${this.pc.controller.limit}${bar.eta}`,
      {
        type: 'direct-progress',
        data: { bucket: r.bucket, pass: r.pass, source: r.source, done, total, failed: failureTotal(r), outcomes: { ...r.outcomes }, concurrency: this.pc.controller.limit, ratePerSecond: Math.round(rate) },
      },
    );
  }
}

function recordOutcome(pc: PassContext, record: DirectPassRecord, item: WorkItem, outcome: Outcome, tally?: Map<string, PlanRow>): void {
  record.outcomes[outcome.kind] = (record.outcomes[outcome.kind] ?? 0) + 1;
  if ((outcome.kind === 'updated' || outcome.kind === 'copied') && outcome.readBack) record.readBack = (record.readBack ?? 0) + 1;
  if (outcome.kind === 'copied' && outcome.restoredNewer) {
    record.newerWritesRestored = (record.newerWritesRestored ?? 0) + outcome.restoredNewer;
    pc.output.emit('newer-write-restored', { bucket: record.bucket, key: item.key, versionId: item.versionId, copy: outcome.newVersionId, restored: outcome.restoredNewer }, () =>
      `${record.bucket}: ${item.key} was written again between the runner's read and its copy; the newer content is current again (copied in place under the key)`,
    );
  }
  const id = archivedId(record.bucket, item);
  const archived = (pc.state.archived ??= {});
  const now = () => new Date().toISOString();
  if (outcome.kind === 'restore-requested' || outcome.kind === 'restore-pending') {
    const existing = archived[id];
    if (existing) {
      existing.stage = 'restore-requested';
      existing.updatedAt = now();
    } else {
      archived[id] = { bucket: record.bucket, key: item.key, versionId: item.versionId, storageClass: outcome.storageClass, stage: 'restore-requested', updatedAt: now() };
    }
  } else if (archived[id] && (outcome.kind === 'copied' || outcome.kind === 'superseded' || outcome.kind === 'gone')) {
    archived[id].stage = outcome.kind === 'copied' ? 'copied' : 'superseded';
    archived[id].updatedAt = now();
    if (outcome.kind === 'copied') archived[id].newVersionId = outcome.newVersionId;
  }
  // The listing path has no Athena plan: it tallies one as it goes, by action and storage class.
  if (tally && outcome.kind === 'left-alone') {
    const k = `${outcome.action}\u0000${outcome.storageClass}`;
    const row = tally.get(k) ?? { action: outcome.action, storage_class: outcome.storageClass, versions: '0', bytes: '0' };
    tally.set(k, { ...row, versions: String(Number(row.versions) + 1), bytes: String(Number(row.bytes) + outcome.size) });
  }
}

/**
 * Works through items with at most `controller.limit` in flight. With a tracker, every finished
 * item advances the checkpoint; the spread between the oldest unfinished and the newest started
 * item is capped, so one slow multipart copy cannot let the checkpoint's in-flight set grow.
 */
interface PassWork {
  readonly record: DirectPassRecord;
  readonly env: WorkEnv;
  readonly items: AsyncIterable<WorkItem>;
  readonly ticker: Ticker;
  /** Without one, nothing is checkpointed (archived versions are re-read from the state). */
  readonly tracker?: CheckpointTracker;
  /** The listing path's plan, tallied as it goes. */
  readonly tally?: Map<string, PlanRow>;
}

async function workAll(pc: PassContext, { record, env, items, ticker, tracker, tally }: PassWork): Promise<boolean> {
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
            record.failures.push({ key: item.key, versionId: item.versionId, action: item.action ?? 'from-listing', code: errorCode(error), message: (error as Error).message });
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

/** Versions of one bucket with their action, from the newest inventory through Athena, in checkpoint order. */
async function* inventoryItems(ctx: RunContext, bucket: BucketOutput, dt: string, actions: readonly (ActionableAction | 'compliant')[], skipRows: number): AsyncGenerator<WorkItem> {
  const { outputs, clients } = ctx;
  const query = await runQuery(clients.athena, directWorkQuery(outputs.glue_database, bucket.glue_table, dt, actions, inventoryClassifyOptions(bucket, dt)), {
    workgroup: outputs.athena_workgroup,
    database: outputs.glue_database,
  });
  const result = parseS3Url(query.outputLocation);
  // Streamed row by row: memory does not grow with the number of versions.
  const rows = (await objectStream(clients.s3, result.bucket, result.prefix)).pipe(parse({ columns: true }));
  const urlEncoded = bucket.inventory_format === 'CSV';
  let index = 0;
  for await (const row of rows as AsyncIterable<{ key: string; version_id: string; action: ActionableAction | 'compliant'; storage_class: string; e_tag: string }>) {
    if (index++ < skipRows) continue;
    // 'compliant' rows are asked for only when the plan's key check found SSE-KMS under another key:
    // inventory cannot tell which, so every SSE-KMS version is re-wrapped, as the batch engine does.
    const action = row.action === 'compliant' ? 'update-encryption' : row.action;
    // A plain copy is made on the inventory's word (its ETag and class), checked by S3 as it writes.
    const copyFacts = action === 'copy' && row.e_tag && row.storage_class ? { eTag: row.e_tag, storageClass: row.storage_class } : {};
    yield { key: decodeInventoryKey(row.key, urlEncoded), versionId: row.version_id || 'null', action, ...copyFacts };
  }
}

async function* listingItems(ctx: RunContext, bucket: BucketOutput, after: VersionPosition | undefined, env: WorkEnv): AsyncGenerator<WorkItem> {
  for await (const v of listVersions(ctx.clients.s3, bucket.bucket, bucket.prefix_filter, after, env.hooks)) {
    yield { key: v.key, versionId: v.versionId, isLatest: v.isLatest, size: v.size, storageClass: v.storageClass };
  }
}

async function* failedItems(failures: AsyncIterable<DirectFailure>): AsyncGenerator<WorkItem> {
  for await (const f of failures) {
    const action = (ACTIONABLE as readonly string[]).includes(f.action) ? (f.action as ActionableAction) : undefined;
    yield { key: f.key, versionId: f.versionId, ...(action ? { action } : {}) };
  }
}

function workEnv(pc: PassContext, bucket: BucketOutput): WorkEnv {
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

interface PassSpec {
  readonly pass: DirectPassRecord['pass'];
  readonly bucket: BucketOutput;
  /** undefined: from the listing. */
  readonly inventoryDate?: string;
  readonly actions: readonly (ActionableAction | 'compliant')[];
  readonly total?: number;
}

/** Runs (or resumes, or retries the failures of) one pass over one bucket. False when aborted. */
async function runPass(pc: PassContext, spec: PassSpec): Promise<DirectPassRecord & { completedNow: boolean }> {
  const passes = (pc.state.direct ??= {});
  const id = passId(spec.pass, spec.bucket.bucket);
  const source = spec.inventoryDate ? `inventory:${spec.inventoryDate}` : 'listing';
  let record = passes[id];
  const env = workEnv(pc, spec.bucket);
  const sameSource = record !== undefined && (record.source === source || (source === 'listing' && record.source.startsWith('listing')));
  // A finished listing is of its moment: a new --from-listing run lists the bucket again (its
  // failures, if any, are retried first). A finished inventory pass stays done for its inventory.
  const relist = record !== undefined && sameSource && record.finishedAt !== undefined && source === 'listing' && failureTotal(record) === 0;
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
    record = { pass: spec.pass, bucket: spec.bucket.bucket, source: spec.inventoryDate ? source : `listing:${new Date().toISOString()}`, startedAt: new Date().toISOString(), checkpoint: EMPTY_CHECKPOINT, outcomes: {}, failures: [] };
    passes[id] = record;
    await saveState(pc);
  }
  const saved = record.checkpoint;
  const tracker = new CheckpointTracker(saved);
  const ticker = new Ticker(pc, record, tracker, spec.total);
  if (saved.completed > 0) {
    pc.output.emit('direct-resume', { bucket: record.bucket, pass: record.pass, completed: saved.completed, after: saved.after, doneAhead: saved.doneAhead.length }, () =>
      `${record!.bucket} ${record!.pass}: resuming after ${saved.completed.toLocaleString('en-US')} versions done (${saved.doneAhead.length} more done beyond that)`,
    );
  }
  const tally = spec.inventoryDate ? undefined : new Map<string, PlanRow>();
  const items = spec.inventoryDate ? inventoryItems(pc.ctx, spec.bucket, spec.inventoryDate, spec.actions, saved.completed) : listingItems(pc.ctx, spec.bucket, saved.after, env);
  const finished = await workAll(pc, { record, env, items, tracker, ticker, tally });
  if (finished) record.finishedAt = new Date().toISOString();
  await ticker.tick(true);
  if (tally && finished) {
    // Same plan record as the Athena path, tallied from what HeadObject said.
    const acted: PlanRow[] = Object.entries(record.outcomes)
      .filter(([kind]) => ['updated', 'copied'].includes(kind))
      .map(([kind, n]) => ({ action: kind === 'updated' ? 'update-encryption' : 'copy', storage_class: '', versions: String(n), bytes: '0' }));
    const buckets = [bucketPlan(spec.bucket.bucket, 'listing', [...tally.values(), ...acted])];
    // The listing is this engine's plan: its counts are the report's "before", as an Athena plan's are.
    keepPlanRecord(pc.state, spec.bucket.bucket, planRecordOf(buckets[0], 'direct'));
    await saveState(pc);
    reportPlan(migrationPlan(pc.ctx.outputs.stack, buckets, pc.ctx.outputs.noncurrent_days, 'direct'), pc.output, 'summary');
  }
  return { ...record, completedNow: finished };
}

/** Restored archives are copied, others re-checked; the state remembers each one's stage. */
async function advanceArchived(pc: PassContext, bucket: BucketOutput): Promise<number> {
  const waiting = Object.values(pc.state.archived ?? {}).filter((r): r is ArchivedVersionRecord => r.bucket === bucket.bucket && (r.stage === 'restore-requested' || r.stage === 'restored'));
  if (waiting.length === 0 || pc.options.archived === 'report') return 0;
  const record: DirectPassRecord = { pass: 'direct', bucket: bucket.bucket, source: 'archived', startedAt: new Date().toISOString(), checkpoint: EMPTY_CHECKPOINT, outcomes: {}, failures: [] };
  const env = workEnv(pc, bucket);
  async function* items(): AsyncGenerator<WorkItem> {
    for (const r of waiting) yield { key: r.key, versionId: r.versionId, action: 'needs-restore' };
  }
  const ticker = new Ticker(pc, record, undefined, waiting.length);
  await workAll(pc, { record, env, items: items(), ticker });
  await saveState(pc);
  for (const f of record.failures) {
    const r = pc.state.archived![archivedId(bucket.bucket, f)];
    r.error = `${f.code}: ${f.message}`;
  }
  if (record.failures.length > 0) {
    const pass = pc.state.direct?.[passId('direct', bucket.bucket)] ?? pc.state.direct?.[passId('outside-batch', bucket.bucket)];
    pass?.failures.push(...record.failures);
  }
  await saveState(pc);
  return Object.values(pc.state.archived ?? {}).filter((r) => r.bucket === bucket.bucket && r.stage === 'restore-requested').length;
}

export interface OutsideBatchResult {
  /** One line per bucket with versions that failed or were only reported: exit 20. */
  readonly problems: string[];
  /** Archived versions whose restore is still running: exit 10. */
  readonly pendingRestores: number;
  readonly aborted: boolean;
}

function problemLines(pc: PassContext, records: readonly DirectPassRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    if (failureTotal(r) > 0) {
      const codes = failureCodes(r);
      const first = r.failures[0];
      const where = r.failureChunks?.length
        ? `listed in the state (s3://${pc.ctx.outputs.reports_bucket}/${pc.store.key}) and ${r.failureChunks.length} objects beside it under state/failures/`
        : `listed in the state (s3://${pc.ctx.outputs.reports_bucket}/${pc.store.key})`;
      lines.push(
        `${r.bucket}: ${failureTotal(r).toLocaleString('en-US')} versions failed (${[...codes].map(([c, n]) => `${c} x${n}`).join(', ')})` +
          (first ? `, e.g. ${first.key} version ${first.versionId}: ${first.message}` : '') +
          `; ${where}, every one retried by the next run`,
      );
    }
    // Reported now, or earlier runs' restores that --archived report does not copy.
    const waiting = pc.options.archived === 'report' ? Object.values(pc.state.archived ?? {}).filter((a) => a.bucket === r.bucket && a.stage === 'restore-requested').length : 0;
    const reported = (r.outcomes['archived-reported'] ?? 0) + waiting;
    if (reported > 0) {
      lines.push(
        `${r.bucket}: ${reported} unencrypted current versions in Glacier/Deep Archive were only reported (--archived report): ` +
          `run \`npm run migrate -- --stack ${pc.ctx.outputs.stack} --engine direct --archived copy\` to restore (billed per GB, hours) and copy them`,
      );
    }
  }
  return lines;
}

function passContext(run: LockedRun, options: DirectOptions): PassContext {
  const resolved = resolveDirectOptions(options);
  return { ...run, options: resolved, controller: new AimdController({ max: resolved.concurrency }) };
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
    const bucket = ctx.outputs.buckets[name];
    const total = byAction.reduce((n, [, v]) => n + v, 0);
    const record = await runPass(pc, { pass: 'outside-batch', bucket, inventoryDate: work.inventoryDate, actions, total });
    if (!record.completedNow) return { problems: [], pendingRestores, aborted: true };
    pendingRestores += await advanceArchived(pc, bucket);
    records.push(state.direct![passId('outside-batch', name)]);
  }
  return { problems: problemLines(pc, records), pendingRestores, aborted: false };
}

/** `migrate run --engine direct`: plan, then every version by the runner itself, under the lock. */
export async function runDirect(ctx: RunContext, options: DirectRunOptions, output: Output): Promise<ExitCode> {
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
        output.emit('in-progress', { bucket: bucket.bucket, checkpoint: record.checkpoint.completed }, () => `Stopped; the checkpoint is saved: run again to resume ${bucket.bucket} where it stopped (no version is worked twice).`);
        return EXIT.inProgress;
      }
      pendingRestores += await advanceArchived(pc, bucket);
      records.push(state.direct![passId('direct', bucket.bucket)]);
    }
    output.emit('summary', { engine: 'direct', passes: records, pendingRestores, throttleBackoffs: pc.controller.decreases }, () =>
      records
        .map(
          (r) =>
            `${r.bucket} direct (${r.source}): ${Object.entries(r.outcomes).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ') || 'nothing to do'}` +
            (r.newerWritesRestored ? `; ${r.newerWritesRestored.toLocaleString('en-US')} writes made during a copy were found under it and made current again` : ''),
        )
        .join('\n'),
    );
    const problems = problemLines(pc, records);
    if (problems.length > 0) throw new NeedsHumanError(problems.join('\n'));
    if (pendingRestores > 0) {
      output.emit('restores-pending', { pendingRestores }, () => `${formatCount(pendingRestores)} archived versions are being restored (hours for Glacier, up to 48 for Deep Archive); run again later to copy them.`);
      return EXIT.inProgress;
    }
    return EXIT.done;
  });
}

/** The kinds of write a direct run will make: from the plan, or every kind when working from a listing. */
function writeKindsFor(buckets: readonly BucketPlan[] | undefined, direct: DirectOptions): WriteKind[] {
  const updates = buckets === undefined || buckets.some((b) => (b.byAction['update-encryption']?.versions ?? 0) > 0 || (b.keyCheck?.foreign ?? 0) > 0);
  const copies = buckets === undefined || buckets.some((b) => ACTIONABLE.some((a) => a !== 'update-encryption' && (b.byAction[a]?.versions ?? 0) > 0));
  return [...(updates && !direct.updateByCopy ? (['update-encryption'] as const) : []), ...(copies || (updates && direct.updateByCopy) ? (['copy-in-place'] as const) : [])];
}

/** What --update-by-copy changes: new versions where UpdateObjectEncryption would have written none. */
function reportUpdateByCopy(plan: { readonly buckets: readonly BucketPlan[] } | undefined, output: Output): void {
  const versions = plan?.buckets.reduce((n, b) => n + (b.byAction['update-encryption']?.versions ?? 0), 0);
  const bytes = plan?.buckets.reduce((n, b) => n + (b.byAction['update-encryption']?.bytes ?? 0), 0);
  output.emit('update-by-copy', { versions, bytes }, () =>
    versions === undefined
      ? '--update-by-copy: every SSE-S3 or other-key current version found in the listing is copied in place: one new version, one COPY request and a second copy of its bytes billed until the noncurrent-version expiration removes the old one; noncurrent ones are left to that expiration.'
      : `--update-by-copy: up to ${versions.toLocaleString('en-US')} versions (${formatBytes(bytes ?? 0)}) that UpdateObjectEncryption would re-wrap in place are copied instead: the current ones get a new version each (one COPY request each, and their bytes billed twice until the noncurrent-version expiration); noncurrent ones are left to that expiration.`,
  );
}
