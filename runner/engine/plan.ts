// The plan from the inventory (the start of every run, and `migrate plan`): classify every version of
// the newest inventory with one Athena query per bucket, then price it; and the plan's report. Writes nothing.
import { queryRows, runQuery } from '../aws/athena';
import { headVersion } from '../aws/objects';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import type { BucketOutput } from '../../stacks/outputs';
import { inventoryClassifyOptions } from '../stack-outputs';
import { ACTIONABLE, ACTIONS } from '../core/classify';
import { isMigrationKey } from '../core/migration-key';
import { DEFAULT_PRICES, DEFAULT_THROUGHPUT, Estimate, estimate } from '../core/cost';
import { BucketPlan, KeyCheck, bucketPlan, lockLines, planTotals } from '../core/plan';
import { manifestQuery, manifestRow, planQuery, planRow } from '../core/plan-query';
import { Output, formatBytes, formatCount, formatDuration, formatUsd, table } from '../output';
import type { RunContext } from '../context';
import type { PreflightResult } from './preflight';
import { reportEvidence } from './inventory-evidence';

export interface MigrationPlan {
  readonly stack: string;
  /** Who does the work: Batch Operations jobs, or the runner itself (no jobs, no job charges). */
  readonly engine: 'batch' | 'direct';
  readonly buckets: readonly BucketPlan[];
  readonly estimate: Estimate;
}

/** Prices and totals of bucket plans for an engine: the one place a MigrationPlan is put together. */
export function migrationPlan(
  stack: string,
  buckets: readonly BucketPlan[],
  noncurrentDays: number,
  engine: 'batch' | 'direct',
): MigrationPlan {
  return { stack, engine, buckets, estimate: estimate(planTotals(buckets, noncurrentDays, engine), DEFAULT_PRICES, DEFAULT_THROUGHPUT) };
}

/** Versions HEAD-ed per bucket to learn whether "compliant" SSE-KMS versions are under our key. */
export const KEY_CHECK_SAMPLE = 200;

/**
 * Rows drawn for the key check beyond the sample, so that versions deleted since the inventory
 * (about 1% a day in a busy bucket) are skipped and the sample still reaches its size.
 */
const KEY_CHECK_DRAW = 2;

/**
 * Inventory says SSE-KMS and Bucket Key but not which key: HEAD a deterministic sample of those
 * versions and count the ones under another key. A version gone since the inventory is counted as
 * such and the sample drawn on past it: a bucket changes between its inventory and its run.
 */
async function checkKeys(ctx: RunContext, bucket: BucketOutput, dt: string, sample: number): Promise<KeyCheck> {
  const { outputs, clients } = ctx;
  const run = await runQuery(
    clients.athena,
    manifestQuery(
      outputs.glue_database,
      bucket.glue_table,
      dt,
      'compliant',
      undefined,
      sample * KEY_CHECK_DRAW,
      inventoryClassifyOptions(bucket, dt),
    ),
    {
      workgroup: outputs.athena_workgroup,
      database: outputs.glue_database,
    },
  );
  const rows = await queryRows(clients.athena, run.queryExecutionId, manifestRow);
  let foreign = 0;
  let sampled = 0;
  let gone = 0;
  for (const row of rows) {
    if (sampled === sample) break;
    const key = decodeInventoryKey(row.key, bucket.inventory_format === 'CSV');
    // Named exactly, 'null' included: the inventory row may be a noncurrent null version.
    const head = await headVersion(clients.s3, bucket.bucket, key, inventoryVersionId(row.version_id));
    if (!head) {
      gone++;
      continue;
    }
    sampled++;
    if (!isMigrationKey(head.kmsKeyId, outputs.kms_key_arn)) foreign++;
  }
  return { sampled, foreign, ...(gone > 0 ? { gone } : {}) };
}

export async function makePlan(
  ctx: RunContext,
  preflight: PreflightResult,
  output?: Output,
  engine: 'batch' | 'direct' = 'batch',
): Promise<MigrationPlan> {
  const { outputs, clients } = ctx;
  const buckets: BucketPlan[] = [];
  for (const bucket of Object.values(outputs.buckets)) {
    const report = preflight.inventories.get(bucket.bucket)!;
    const evidence = preflight.evidence.get(bucket.bucket);
    if (evidence && output) reportEvidence(bucket.bucket, report.dt, evidence, output);
    output?.progress(`Classifying ${bucket.bucket} (inventory ${report.dt}) with Athena...`);
    const run = await runQuery(
      clients.athena,
      planQuery(outputs.glue_database, bucket.glue_table, report.dt, inventoryClassifyOptions(bucket, report.dt)),
      {
        workgroup: outputs.athena_workgroup,
        database: outputs.glue_database,
      },
    );
    const rows = await queryRows(clients.athena, run.queryExecutionId, planRow);
    const keyCheck = rows.some((r) => r.action === 'compliant') ? await checkKeys(ctx, bucket, report.dt, KEY_CHECK_SAMPLE) : undefined;
    buckets.push(bucketPlan(bucket.bucket, report.dt, rows, { usesAcls: bucket.uses_acls, ...(keyCheck ? { keyCheck } : {}) }));
  }
  return migrationPlan(outputs.stack, buckets, outputs.noncurrent_days, engine);
}

/**
 * How much of the plan people see: `tables` is `migrate plan`'s full report; `summary` is what `run`
 * prints of the plan it acts on, one line per bucket and one for the cost. JSON lines are the same in both.
 */
export type PlanDetail = 'tables' | 'summary';

/** Versions a bucket plan gives work to (jobs, or the runner's own copies) and versions it leaves alone. */
function bucketWork(bucket: BucketPlan): { readonly migrated: number; readonly untouched: number } {
  const migrated = ACTIONABLE.reduce((n, a) => n + (bucket.byAction[a]?.versions ?? 0), 0);
  return { migrated, untouched: bucket.untouched.reduce((n, u) => n + u.versions, 0) };
}

export function reportPlan(plan: MigrationPlan, output: Output, detail: PlanDetail = 'tables'): void {
  for (const bucket of plan.buckets) {
    output.emit('bucket-plan', { ...bucket }, (style) => {
      if (detail === 'summary') {
        const { migrated, untouched } = bucketWork(bucket);
        const jobs = plan.engine === 'direct' ? 'by the runner itself' : `in ${formatCount(bucket.jobs.length)} job(s)`;
        return `${style.bold(bucket.bucket)} (inventory ${bucket.inventoryDate}): ${formatCount(migrated)} versions to migrate ${jobs}, ${formatCount(untouched)} left alone`;
      }
      const rows = ACTIONS.filter((a) => bucket.byAction[a]).map((a) => [
        a,
        bucket.byAction[a]!.versions,
        formatBytes(bucket.byAction[a]!.bytes),
      ]);
      const jobs = bucket.jobs.map(
        (j) => `  ${j.operation}${j.storageClass ? ` (${j.storageClass})` : ''}: ${formatCount(j.versions)} versions`,
      );
      const untouched = bucket.untouched.map((u) => `  ${formatCount(u.versions)} versions left alone: ${u.reason}`);
      return [
        `\n${style.bold(bucket.bucket)} (inventory ${bucket.inventoryDate})`,
        table(['action', 'versions', 'bytes'], rows),
        ...(plan.engine === 'direct'
          ? ['Worked by the runner itself (direct engine): no Batch Operations job.']
          : jobs.length
            ? ['Batch Operations jobs:', ...jobs]
            : ['No Batch Operations job needed.']),
        ...(bucket.keyCheck?.foreign
          ? [
              `  ${formatCount(bucket.keyCheck.foreign)} of ${formatCount(bucket.keyCheck.sampled)} sampled SSE-KMS versions are under another key: every SSE-KMS version is re-wrapped under the migration key`,
            ]
          : bucket.keyCheck?.sampled
            ? [`  ${formatCount(bucket.keyCheck.sampled)} sampled SSE-KMS versions are all under the migration key; verify checks the rest`]
            : bucket.keyCheck
              ? [
                  '  No SSE-KMS version could be sampled for its key (every one drawn is gone since the inventory): the key of the SSE-KMS versions cannot be told; verify checks them',
                ]
              : []),
        ...(bucket.keyCheck?.gone
          ? [
              `  ${formatCount(bucket.keyCheck.gone)} versions drawn for the key check are gone since the inventory (deleted since): skipped`,
            ]
          : []),
        ...(bucket.directCopies.versions
          ? [`  ${formatCount(bucket.directCopies.versions)} versions over 5 GiB: multipart copy by the runner`]
          : []),
        ...lockLines(bucket),
        ...(bucket.aclCopies.versions
          ? [`  ${formatCount(bucket.aclCopies.versions)} versions in a bucket that uses ACLs: copied one by one with their own ACL`]
          : []),
        ...untouched,
      ].join('\n');
    });
  }
  const e = plan.estimate;
  output.emit('estimate', { ...e }, () =>
    detail === 'summary'
      ? `Estimated cost about $${formatUsd(e.totalUsd)}, ${formatDuration(e.durationSeconds[0])} to ${formatDuration(e.durationSeconds[1])} (the tables: migrate plan)`
      : [
          '\nEstimated cost (USD, list prices; see README for the assumptions):',
          table(
            ['item', 'USD'],
            e.lines.map((l) => [l.item, formatUsd(l.usd)]),
          ),
          `Total: about $${formatUsd(e.totalUsd)}`,
          `KMS requests: ${formatCount(e.kmsRequests.low)}-${formatCount(e.kmsRequests.high)} with Bucket Keys ` +
            `(${formatCount(e.kmsRequests.withoutBucketKeys)} without); peak ${formatCount(e.kmsRequestsPerSecond[0])}-${formatCount(e.kmsRequestsPerSecond[1])}/s ` +
            `against a quota of ${formatCount(e.kmsQuotaPerSecond)}/s`,
          `Duration: ${formatDuration(e.durationSeconds[0])} to ${formatDuration(e.durationSeconds[1])}`,
        ].join('\n'),
  );
}
