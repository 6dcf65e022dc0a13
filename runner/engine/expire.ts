// `migrate expire`: after a passed verification, merges the one noncurrent-version expiration rule into each bucket's
// lifecycle configuration (every other rule kept as it is), shows the before/after and what the rule will remove; --undo takes it out again.
import type { BucketOutput } from '../../stacks/outputs';
import type { z } from 'zod';
import { queryRows, runQuery } from '../aws/athena';
import { LifecycleConfiguration, LifecycleRule, deleteLifecycle, readLifecycle, writeLifecycle } from '../aws/lifecycle';
import { InventoryReport, newestInventory, parseS3Url } from '../aws/s3';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import { examined } from '../core/verify';
import {
  EXPIRATION_RULE_ID,
  RuleChange,
  expirationRule,
  lifecycleDiff,
  mergeExpirationRule,
  removeExpirationRule,
} from '../core/lifecycle-merge';
import { expirationImpactQuery, expirationImpactRow, expirationLockedSampleQuery, lockedVersionRow } from '../core/verify-query';
import { AwsError, ConflictError, UsageError } from '../errors';
import { DONE, needsHuman, refused, settle, type EngineResult } from '../result';
import { Output, formatBytes } from '../output';
import { ExpirationRecord, MigrationState, recordCommand, withStackLock } from '../state';
import { accountProblem, commandRun, selectBuckets, type RunContext } from '../context';
import { lastMigrationChange } from './verify';

import { FORCE_ACKNOWLEDGEMENT } from '../core/lifecycle-merge';
export { FORCE_ACKNOWLEDGEMENT };

export interface ExpireOptions {
  /** Only this bucket. @default every bucket of the stack */
  readonly bucket?: string;
  /** Show the before/after and the impact; write nothing. @default false */
  readonly dryRun?: boolean;
  /** Remove our rule instead of adding it. @default false */
  readonly undo?: boolean;
  /** Apply without a passed verification; requires `acknowledged`. @default false */
  readonly force?: boolean;
  readonly acknowledged?: boolean;
  /** Locked versions named per bucket. @default 10 */
  readonly sampleSize?: number;
  readonly lockStaleAfterMs?: number;
  readonly now?: Date;
}

/** Noncurrent versions the rule will remove, from the newest inventory. */
export interface ExpirationImpact {
  readonly inventoryDate: string;
  readonly versions: number;
  readonly bytes: number;
  /** Made noncurrent by the migration's copies. */
  readonly supersededVersions: number;
  readonly supersededBytes: number;
  /** Noncurrent for other reasons: the rule removes these too. */
  readonly beyondVersions: number;
  readonly beyondBytes: number;
  readonly beyondNonCompliantVersions: number;
  readonly nonCompliantVersions: number;
  /** Under Object Lock retention or legal hold: lifecycle cannot remove them. */
  readonly lockedVersions: number;
  readonly lockedBytes: number;
  readonly lockedSample: readonly {
    readonly key: string;
    readonly versionId: string;
    readonly mode: string;
    readonly retainUntil: string;
    readonly legalHold: string;
  }[];
}

interface BucketExpiration {
  readonly bucket: string;
  readonly action: ExpirationRecord['action'] | 'conflict';
  readonly dryRun: boolean;
  readonly changes: readonly RuleChange[];
  readonly conflicts: readonly string[];
  /** What the rule will remove, or why that cannot be told yet (never a 0 for unknown). */
  readonly impact?: ExpirationImpact | { readonly unknown: string };
  readonly forced: boolean;
}

/** Why the bucket may not be expired yet, or undefined when a passed verification is newer than every job. */
function unverified(state: MigrationState, bucket: string): string | undefined {
  const v = state.verifications?.[bucket];
  if (!v) return `bucket ${bucket} has not been verified: run \`migrate verify\` until it passes`;
  if (v.cannotVerify?.length)
    return `bucket ${bucket} could not be verified (${v.checkedAt}: ${v.cannotVerify.join('; ')}): verify again once the evidence covers the bucket`;
  // A verification that examined nothing passes only when a listing found the bucket empty.
  if (examined(v) === 0 && !v.evidence?.emptyBucket)
    return `bucket ${bucket}: its last verification (${v.checkedAt}) examined no version and did not find the bucket empty: verify again`;
  if (!v.passed)
    return `bucket ${bucket} failed its last verification (${v.checkedAt}: ${v.current.nonCompliant} current versions not compliant): fix and verify again`;
  const lastChange = lastMigrationChange(state, bucket);
  if (lastChange && new Date(v.checkedAt) <= lastChange)
    return `bucket ${bucket} was verified (${v.checkedAt}) before the migration last changed it (${lastChange.toISOString()}): verify again`;
  return undefined;
}

const num = (value: string | undefined) => Number(value || 0);

/**
 * Why the newest inventory cannot measure the impact, or undefined when it can: a snapshot taken
 * before the migration last changed the bucket misses the versions it made noncurrent, and one dated
 * after now is hidden by the table's projection.
 */
function impactUnknown(report: InventoryReport | undefined, lastChange: Date | undefined, now: Date): string | undefined {
  if (!report) return 'no inventory report yet to measure it from; run again with --dry-run after the first delivery';
  if (report.createdAt > now)
    return `the newest inventory (${report.dt}) is dated after now, hidden from Athena until then; run --dry-run again after that time`;
  if (lastChange && report.createdAt <= lastChange) {
    return `the newest inventory (${report.dt}) predates the migration's last change (${lastChange.toISOString()}), so the versions it made noncurrent are not in it; run --dry-run again after the next inventory delivery`;
  }
  return undefined;
}

async function measureImpact(
  ctx: RunContext,
  state: MigrationState,
  bucket: BucketOutput,
  options: ExpireOptions,
): Promise<ExpirationImpact | { readonly unknown: string }> {
  const { outputs, clients } = ctx;
  const report = await newestInventory(clients.s3, parseS3Url(bucket.inventory_location));
  const unknown = impactUnknown(report, lastMigrationChange(state, bucket.bucket), options.now ?? new Date());
  if (unknown || !report) return { unknown: unknown ?? 'no inventory report' };
  const now = (options.now ?? new Date()).toISOString();
  const copyPlanDates = [
    ...new Set(
      Object.values(state.jobs)
        .filter((r) => r.bucket === bucket.bucket && r.operation === 'S3PutObjectCopy')
        .map((r) => r.inventoryDate),
    ),
  ];
  const query = async <Row>(sql: string, row: z.ZodType<Row>) => {
    const run = await runQuery(clients.athena, sql, { workgroup: outputs.athena_workgroup, database: outputs.glue_database });
    return queryRows(clients.athena, run.queryExecutionId, row);
  };
  const urlEncodedKeys = bucket.inventory_format === 'CSV';
  const [row] = await query(
    expirationImpactQuery({
      database: outputs.glue_database,
      table: bucket.glue_table,
      dt: report.dt,
      copyPlanDates,
      newerNoncurrentVersions: outputs.newer_noncurrent_versions,
      prefix: bucket.prefix_filter,
      now,
      format: bucket.inventory_format,
    }),
    expirationImpactRow,
  );
  const lockedVersions = num(row?.locked_versions);
  const lockedSample =
    lockedVersions === 0
      ? []
      : (
          await query(
            expirationLockedSampleQuery(
              outputs.glue_database,
              bucket.glue_table,
              report.dt,
              now,
              options.sampleSize ?? 10,
              bucket.inventory_format,
            ),
            lockedVersionRow,
          )
        ).map((r) => ({
          key: decodeInventoryKey(r.key, urlEncodedKeys),
          versionId: inventoryVersionId(r.version_id),
          mode: r.object_lock_mode,
          retainUntil: r.object_lock_retain_until_date,
          legalHold: r.object_lock_legal_hold_status,
        }));
  return {
    inventoryDate: report.dt,
    versions: num(row?.versions),
    bytes: num(row?.bytes),
    supersededVersions: num(row?.superseded_versions),
    supersededBytes: num(row?.superseded_bytes),
    beyondVersions: num(row?.beyond_versions),
    beyondBytes: num(row?.beyond_bytes),
    beyondNonCompliantVersions: num(row?.beyond_non_compliant_versions),
    nonCompliantVersions: num(row?.non_compliant_versions),
    lockedVersions,
    lockedBytes: num(row?.locked_bytes),
    lockedSample,
  };
}

const sameRules = (a: readonly LifecycleRule[], b: readonly LifecycleRule[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Read, change, re-read, write. PutBucketLifecycleConfiguration replaces the whole configuration and
 * AWS offers no conditional write on it (no If-Match / ETag on the lifecycle subresource), so a rule
 * someone adds between our read and our write would be lost. Re-reading right before the write and
 * starting over on any difference shrinks that window to one round trip; it cannot close it.
 */
async function readModifyWrite(
  ctx: RunContext,
  bucket: string,
  change: (
    current: LifecycleConfiguration,
  ) => { write: 'none' } | { write: 'rules'; rules: readonly LifecycleRule[] } | { write: 'delete' },
): Promise<{ before: LifecycleConfiguration; written: boolean }> {
  const { s3 } = ctx.clients;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = await readLifecycle(s3, bucket);
    const planned = change(before);
    if (planned.write === 'none') return { before, written: false };
    const reread = await readLifecycle(s3, bucket);
    if (!sameRules(reread.rules, before.rules) || reread.exists !== before.exists) continue;
    if (planned.write === 'delete') await deleteLifecycle(s3, bucket);
    else await writeLifecycle(s3, bucket, planned.rules, before);
    return { before, written: true };
  }
  throw new ConflictError(
    `The lifecycle configuration of bucket ${bucket} kept changing while the runner was merging its rule; nothing was written. Rerun when it is quiet.`,
  );
}

/** After a write: every rule other than ours must read back exactly as before. */
async function checkOthersKept(ctx: RunContext, bucket: string, before: readonly LifecycleRule[]): Promise<void> {
  const after = await readLifecycle(ctx.clients.s3, bucket);
  const others = (rules: readonly LifecycleRule[]) => rules.filter((r) => r.ID !== EXPIRATION_RULE_ID);
  if (!sameRules(others(after.rules), others(before))) {
    throw new AwsError(
      `The lifecycle configuration of bucket ${bucket} reads back with other rules changed after the runner wrote it: compare it with the before shown above and restore any rule that is missing`,
      'LifecycleChanged',
    );
  }
}

async function expireBucket(
  ctx: RunContext,
  state: MigrationState,
  bucket: BucketOutput,
  options: ExpireOptions,
  forced: boolean,
): Promise<BucketExpiration> {
  const { outputs } = ctx;
  const ours = expirationRule({
    noncurrentDays: outputs.noncurrent_days,
    newerNoncurrentVersions: outputs.newer_noncurrent_versions,
    prefix: bucket.prefix_filter,
  });
  const impact = options.undo ? undefined : await measureImpact(ctx, state, bucket, options);
  let action = 'unchanged' as BucketExpiration['action'];
  let changes: RuleChange[] = [];
  let conflicts: readonly string[] = [];
  const { before, written } = await readModifyWrite(ctx, bucket.bucket, (current) => {
    if (options.undo) {
      const removal = removeExpirationRule(current.rules);
      changes = lifecycleDiff(current.rules, removal.rules);
      action = removal.kind === 'unchanged' ? 'absent' : 'removed';
      if (options.dryRun || removal.kind === 'unchanged') return { write: 'none' };
      return removal.kind === 'delete-configuration' ? { write: 'delete' } : { write: 'rules', rules: removal.rules };
    }
    const merge = mergeExpirationRule(current.rules, ours);
    if (merge.kind === 'conflict') {
      action = 'conflict';
      conflicts = merge.conflicts;
      changes = lifecycleDiff(current.rules, current.rules);
      return { write: 'none' };
    }
    changes = lifecycleDiff(current.rules, merge.rules as LifecycleRule[]);
    action = merge.kind === 'add' ? 'added' : merge.kind === 'update' ? 'updated' : 'unchanged';
    if (options.dryRun || merge.kind === 'unchanged') return { write: 'none' };
    return { write: 'rules', rules: merge.rules };
  });
  if (written) await checkOthersKept(ctx, bucket.bucket, before.rules);
  if (!options.dryRun && action !== 'conflict') {
    (state.expiration ??= {})[bucket.bucket] = {
      ruleId: EXPIRATION_RULE_ID,
      action,
      at: new Date().toISOString(),
      noncurrentDays: outputs.noncurrent_days,
      newerNoncurrentVersions: outputs.newer_noncurrent_versions,
      prefix: bucket.prefix_filter,
      forced,
    };
  }
  return { bucket: bucket.bucket, action, dryRun: options.dryRun ?? false, changes, conflicts, impact, forced };
}

function describeImpact(impact: ExpirationImpact | { readonly unknown: string } | undefined, days: number): string[] {
  if (!impact) return [];
  if ('unknown' in impact) return [`  Impact: UNKNOWN: ${impact.unknown}`];
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    `  Impact (inventory ${impact.inventoryDate}): expires ${n(impact.versions)} noncurrent versions (${formatBytes(impact.bytes)}) once noncurrent for ${days} days`,
    `    made noncurrent by the migration: ${n(impact.supersededVersions)} (${formatBytes(impact.supersededBytes)})`,
    `    BEYOND those (noncurrent for other reasons, deleted too): ${n(impact.beyondVersions)} (${formatBytes(impact.beyondBytes)}), ${n(impact.beyondNonCompliantVersions)} of them not compliant`,
    ...(impact.lockedVersions
      ? [
          `    under Object Lock retention or legal hold, which lifecycle cannot remove: ${n(impact.lockedVersions)} (${formatBytes(impact.lockedBytes)})`,
          ...impact.lockedSample.map(
            (s) =>
              `      ${s.key} (version ${s.versionId}): ${s.mode || 'no mode'} until ${s.retainUntil || '-'}, legal hold ${s.legalHold || 'OFF'}`,
          ),
        ]
      : []),
  ];
}

function report(result: BucketExpiration, days: number, output: Output): void {
  output.emit('bucket-expiration', { ...result }, () => {
    const headline: Record<BucketExpiration['action'], string> = {
      added: `rule ${EXPIRATION_RULE_ID} ${result.dryRun ? 'would be added' : 'added'}`,
      updated: `rule ${EXPIRATION_RULE_ID} ${result.dryRun ? 'would be updated' : 'updated'}`,
      unchanged: `rule ${EXPIRATION_RULE_ID} is already in place: nothing to write`,
      removed: `rule ${EXPIRATION_RULE_ID} ${result.dryRun ? 'would be removed' : 'removed'}`,
      absent: `rule ${EXPIRATION_RULE_ID} is not there: nothing to remove`,
      conflict: 'CONFLICT: nothing written',
    };
    const sign = { kept: ' ', added: '+', removed: '-', changed: '~' } as const;
    return [
      `\n${result.bucket}: ${headline[result.action]}${result.forced ? ' (forced without a passed verification)' : ''}${result.dryRun ? ' [dry run]' : ''}`,
      ...result.conflicts.map((c) => `  conflict: ${c}`),
      '  Lifecycle rules, before -> after:',
      ...(result.changes.length ? result.changes : [{ id: '(no lifecycle configuration)', change: 'kept' as const }]).map(
        (c) =>
          `  ${sign[c.change]} ${c.id}${c.change === 'kept' ? '' : ` (${c.change})`}${c.after !== undefined && c.change !== 'removed' ? `: ${JSON.stringify(c.after)}` : ''}`,
      ),
      ...(result.action === 'absent' || result.action === 'removed' ? [] : describeImpact(result.impact, days)),
    ].join('\n');
  });
}

export async function expireNoncurrentVersions(ctx: RunContext, options: ExpireOptions, output: Output): Promise<EngineResult> {
  return settle(() => applyExpiration(ctx, options, output));
}

async function applyExpiration(ctx: RunContext, options: ExpireOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  if (options.force && !options.acknowledged) {
    throw new UsageError(
      `--force applies the expiration to buckets that have not passed verification, so unencrypted versions may be deleted while their current ` +
        `version is not compliant either. Add ${FORCE_ACKNOWLEDGEMENT} to confirm, or run \`migrate verify\` until it passes.`,
    );
  }
  const buckets = selectBuckets(outputs, options.bucket);
  const wrongAccount = await accountProblem(ctx);
  if (wrongAccount) return refused([wrongAccount]);
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store }) => {
    recordCommand(state, await commandRun(ctx, options.undo ? 'expire --undo' : 'expire'));
    // Removing our rule never deletes anything, so --undo needs no verification; a dry run only reads.
    const gated = !options.undo && !options.dryRun;
    const notVerified = gated ? buckets.map((b) => unverified(state, b.bucket)).filter((p): p is string => p !== undefined) : [];
    if (notVerified.length > 0 && !options.force) {
      // One bucket holds back none of the others: say how to expire those that passed, each on its own.
      const healthy = buckets.filter((b) => unverified(state, b.bucket) === undefined).map((b) => b.bucket);
      const others = healthy.length
        ? [
            `the buckets that passed verification can be expired on their own, one command each: ` +
              healthy.map((name) => `\`migrate expire --stack ${outputs.stack} --bucket ${name}\``).join(', '),
          ]
        : [];
      return refused([
        ...notVerified.map((p) => `${p}; the expiration deletes noncurrent versions for good, so it waits for a passed verification`),
        ...others,
      ]);
    }
    const conflicts: string[] = [];
    for (const bucket of buckets) {
      const result = await expireBucket(ctx, state, bucket, options, gated && unverified(state, bucket.bucket) !== undefined);
      if (!options.dryRun && result.action !== 'conflict') await store.save(state);
      report(result, outputs.noncurrent_days, output);
      if (result.action === 'conflict') conflicts.push(`bucket ${bucket.bucket}: ${result.conflicts.join('; ')}`);
    }
    if (conflicts.length > 0) {
      return needsHuman(
        `The expiration rule was not written where another lifecycle rule already decides noncurrent expiration (or there is no room):\n` +
          `${conflicts.map((c) => `  - ${c}`).join('\n')}\nChange or remove that rule yourself (or narrow the bucket's prefix_filter), then run expire again.`,
      );
    }
    return DONE;
  });
}
