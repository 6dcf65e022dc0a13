// `migrate verify`: proves, per bucket, that no current version is left outside SSE-KMS under the stack's key, from a
// fresh inventory (Athena) or, for small buckets, from a version listing and HeadObject; records the result in the state.
import { stackConfigFile, type BucketOutput } from '../../stacks/outputs';
import type { z } from 'zod';
import { queryRows, runQuery } from '../aws/athena';
import { TERMINAL_JOB_STATUSES } from '../aws/batch-operations';
import { InventoryReport, newestInventory, parseS3Url } from '../aws/s3';
import { headVersion, isCustomerKeyRefusal, listVersions, type ListedVersion } from '../aws/objects';
import type { S3Client } from '../aws/clients';
import { CURRENT_VERSION, type VersionSelector } from '../aws/version-call';
import { mapConcurrently } from '../core/concurrency';
import { inventoryAgeLimitHours } from '../core/inventory-age';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import { partitionTime } from '../core/plan-query';
import {
  BucketVerification,
  acceptedReasons,
  acceptedTotal,
  unexpectedNewVersions,
  type NewVersionsCount,
  describeFailure,
  failureRemedies,
  emptyCount,
  examined,
  headCompliance,
  type HeadFacts,
  inventoryCompliance,
  reclassify,
  tally,
  untally,
  verdict,
  type ComplianceCount,
  type VersionRef,
  type VerificationEvidence,
} from '../core/verify';
import {
  complianceCountQuery,
  complianceCountRow,
  keyCheckSampleQuery,
  newVersionsCountRow,
  newVersionsQuery,
  nonCompliantRow,
  nonCompliantSampleQuery,
  versionRow,
} from '../core/verify-query';
import { datedAfterNow } from '../core/inventory-evidence';
import { DONE, needsHuman, refused, settle, type EngineResult } from '../result';
import { Output, formatCount, table } from '../output';
import { MigrationState, recordCommand, withStackLock } from '../state';
import { accountProblem, commandRun, selectBuckets, type RunContext } from '../context';
import { hasVersions, inventoryEvidence, type InventoryEvidence } from './inventory-evidence';

/** Non-compliant versions named per bucket and currency unless told otherwise: enough to act on, short enough to read. */
const DEFAULT_SAMPLE_SIZE = 20;

export interface VerifyOptions {
  /** Only this bucket. @default every bucket of the stack */
  readonly bucket?: string;
  /**
   * auto: the inventory when its snapshot is newer than the bucket's last job, else a listing for
   * small buckets. inventory: the newest report even if its snapshot predates the jobs (it can then
   * only show versions as not yet migrated: a pass from it still holds). listing: always list and HEAD.
   * @default 'auto'
   */
  readonly method?: VerifyMethod;
  /** Without a fresh inventory, list and HEAD a bucket only up to this many versions. @default 100000 */
  readonly listThreshold?: number;
  /** HeadObject calls in flight. @default 16 */
  readonly headConcurrency?: number;
  /** Current versions the inventory calls compliant that HeadObject checks for the key. @default 1000 */
  readonly keyCheckLimit?: number;
  /** Report more versions written since the migration started than copies made, instead of failing on them. @default false */
  readonly allowNewVersions?: boolean;
  /** Non-compliant versions named per bucket and currency. @default DEFAULT_SAMPLE_SIZE (20) */
  readonly sampleSize?: number;
  readonly maxInventoryAgeHours?: number;
  readonly lockStaleAfterMs?: number;
  readonly now?: Date;
}

import type { VerifyMethod } from '../core/verify';
export { VERIFY_METHODS, type VerifyMethod } from '../core/verify';

/**
 * A version's encryption from HeadObject (or the key's current one's); SSE-C from S3's
 * refusal; undefined when the version is gone since it was inventoried or listed (deleted, or behind
 * a delete marker when the current one is asked for).
 */
async function headFacts(s3: S3Client, bucket: string, key: string, version: VersionSelector): Promise<HeadFacts | undefined> {
  try {
    return await headVersion(s3, bucket, key, version);
  } catch (error) {
    if (isCustomerKeyRefusal(error)) return { encryptionStatus: 'SSE-C', bucketKeyEnabled: false };
    throw error;
  }
}

/** Current versions the inventory calls not compliant that verify reads again, to leave out those gone since. */
const GONE_RECHECK_LIMIT = 1000;

type Method =
  | { readonly kind: 'inventory'; readonly report: InventoryReport }
  | { readonly kind: 'listing'; readonly versions: readonly ListedVersion[] };

const truthy = (value: string) => value === 'true' || value === '1';

/**
 * When the migration last changed the bucket: the newest end of a Batch Operations job or of a
 * runner pass (direct engine, copies outside Batch Operations). An inventory snapshot older than
 * that may predate the change.
 */
export function lastMigrationChange(state: MigrationState, bucket: string): Date | undefined {
  const ends = [
    ...Object.values(state.jobs)
      .filter((r) => r.bucket === bucket && r.jobId && r.finishedAt)
      .map((r) => r.finishedAt!),
    ...Object.values(state.direct ?? {})
      .filter((p) => p.bucket === bucket && p.finishedAt)
      .map((p) => p.finishedAt!),
  ].map((t) => new Date(t).getTime());
  return ends.length ? new Date(Math.max(...ends)) : undefined;
}

/** When the migration started on a bucket, the inventories it was planned from, and the copies it made. */
export interface MigrationWindow {
  readonly since: string;
  /** The snapshot of the earliest inventory a Batch Operations copy job was drawn from, when there is one. */
  readonly copiedSince?: string;
  readonly planDates: readonly string[];
  readonly copies: number;
}

export function migrationWindow(state: MigrationState, bucket: string): MigrationWindow | undefined {
  const jobs = Object.values(state.jobs).filter((r) => r.bucket === bucket && r.submittedAt);
  const passes = Object.values(state.direct ?? {}).filter((p) => p.bucket === bucket);
  const [since] = [...jobs.map((r) => r.submittedAt!), ...passes.map((p) => p.startedAt)].sort();
  if (since === undefined) return undefined;
  const planDates = [
    ...new Set([
      ...jobs.map((r) => r.inventoryDate),
      ...passes.filter((p) => p.source.startsWith('inventory:')).map((p) => p.source.slice('inventory:'.length)),
    ]),
  ].sort();
  const copies =
    jobs.filter((r) => r.operation === 'S3PutObjectCopy').reduce((n, r) => n + (r.succeeded ?? 0), 0) +
    // A newer write found under a copy is made current again by one more copy.
    passes.reduce((n, p) => n + (p.outcomes.copied ?? 0) + (p.newerWritesRestored ?? 0), 0) +
    Object.values(state.archived ?? {}).filter((a) => a.bucket === bucket && a.stage === 'copied').length;
  // A copy job copies the version its inventory named: anything written on those keys after that
  // snapshot, before the job's task ran, may lie under the copy, so it counts from the snapshot.
  const copySnapshots = jobs
    .filter((r) => r.operation === 'S3PutObjectCopy')
    .map((r) => partitionTime(r.inventoryDate))
    .sort();
  const [copiedSince] = copySnapshots;
  return { since, ...(copiedSince !== undefined ? { copiedSince } : {}), planDates, copies };
}

/**
 * Chooses how to verify a bucket. A report is fresh when its snapshot (the time its delivery folder
 * names) is newer than the bucket's last job end. A snapshot that predates a job can only show
 * versions as not yet migrated (jobs only make versions compliant, and the bucket policy refuses
 * non-compliant writes): it errs toward a failed verification, never toward a false pass. That is
 * why --method inventory may use one, and why auto prefers a listing then, where the bucket is small.
 */
async function chooseMethod(
  ctx: RunContext,
  state: MigrationState,
  bucket: BucketOutput,
  options: VerifyOptions,
  problems: string[],
): Promise<Method | undefined> {
  const now = options.now ?? new Date();
  const report = await newestInventory(ctx.clients.s3, parseS3Url(bucket.inventory_location));
  const jobEnd = lastMigrationChange(state, bucket.bucket);
  const maxAgeHours = inventoryAgeLimitHours(bucket.inventory_frequency, options.maxInventoryAgeHours);
  const ageHours = report ? (now.getTime() - report.createdAt.getTime()) / 3_600_000 : Infinity;
  const method = options.method ?? 'auto';
  const hidden = report && datedAfterNow(report, now);
  if (hidden) {
    const why = `bucket ${bucket.bucket}: ${hidden}`;
    if (method === 'inventory') {
      problems.push(`${why}: verify after that time, or with --method listing`);
      return undefined;
    }
    if (method === 'auto') return chooseMethod(ctx, state, bucket, { ...options, method: 'listing' }, problems);
  }
  if (method !== 'listing' && report && ageHours <= maxAgeHours && (method === 'inventory' || !jobEnd || report.createdAt > jobEnd))
    return { kind: 'inventory', report };
  if (method === 'inventory') {
    problems.push(
      `bucket ${bucket.bucket} has ${report ? `no inventory newer than ${maxAgeHours} hours (newest: ${report.dt})` : 'no inventory report yet'}: wait for the next delivery, or verify with --method listing`,
    );
    return undefined;
  }

  const threshold = options.listThreshold ?? 100_000;
  const versions: ListedVersion[] = [];
  for await (const version of listVersions(ctx.clients.s3, bucket.bucket, bucket.prefix_filter)) {
    versions.push(version);
    if (versions.length > threshold) {
      const why = !report
        ? 'has no inventory report yet'
        : jobEnd && report.createdAt <= jobEnd
          ? `has no inventory snapshot newer than its last job (ended ${jobEnd.toISOString()})`
          : `has no inventory newer than ${maxAgeHours} hours`;
      problems.push(
        `bucket ${bucket.bucket} ${why}, and has more than ${threshold.toLocaleString('en-US')} versions to list and HEAD: ` +
          'wait for the next inventory delivery and verify again, or raise --list-threshold',
      );
      return undefined;
    }
  }
  return { kind: 'listing', versions };
}

/** Runs one query in the stack's workgroup and parses its rows with the query's row schema. */
type RowQuery = <Row>(sql: string, row: z.ZodType<Row>) => Promise<Row[]>;

async function verifyFromInventory(
  ctx: RunContext,
  bucket: BucketOutput,
  report: InventoryReport,
  options: VerifyOptions,
  output: Output,
  window: MigrationWindow | undefined,
): Promise<BucketVerification> {
  const { outputs, clients } = ctx;
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const query: RowQuery = async (sql, row) => {
    const run = await runQuery(clients.athena, sql, { workgroup: outputs.athena_workgroup, database: outputs.glue_database });
    return queryRows(clients.athena, run.queryExecutionId, row);
  };
  const urlEncoded = bucket.inventory_format === 'CSV';
  output.progress(`Checking the data files of inventory ${report.dt} of ${bucket.bucket} against its manifest...`);
  // The evidence first: nothing is counted from a report that is not the whole bucket.
  const evidence = await inventoryEvidence(ctx, bucket, report);
  if (evidence.problems.length > 0) {
    return {
      bucket: bucket.bucket,
      checkedAt: new Date().toISOString(),
      method: 'inventory',
      inventoryDate: report.dt,
      passed: false,
      current: emptyCount(),
      noncurrent: emptyCount(),
      keyCheck: { checked: 0, of: 0 },
      evidence: evidenceOf(evidence),
      cannotVerify: [...evidence.problems],
    };
  }
  output.progress(`Verifying ${bucket.bucket} from inventory ${report.dt} with Athena...`);
  const current = emptyCount();
  const noncurrent = emptyCount();
  // Accepted exceptions are current versions the bucket lets stay; noncurrent ones are the expiration's.
  const accepted = bucket.accepted_exceptions;
  for (const row of await query(
    complianceCountQuery(outputs.glue_database, bucket.glue_table, report.dt, bucket.inventory_format),
    complianceCountRow,
  )) {
    const isCurrent = truthy(row.is_latest);
    const count = isCurrent ? current : noncurrent;
    const reason = inventoryCompliance(row.encryption_status, row.bucket_key_status);
    tally(count, reason, Number(row.versions), sampleSize, undefined, isCurrent ? acceptedReasons(accepted) : []);
    if (row.object_lock === 'locked' && reason !== 'compliant') count.locked = (count.locked ?? 0) + Number(row.versions);
  }
  const sample = async (into: VersionRef[], isCurrent: boolean, statuses: Parameters<typeof nonCompliantSampleQuery>[5]) => {
    for (const row of await query(
      nonCompliantSampleQuery(outputs.glue_database, bucket.glue_table, report.dt, isCurrent, sampleSize, statuses),
      nonCompliantRow,
    )) {
      into.push({
        key: decodeInventoryKey(row.key, urlEncoded),
        versionId: inventoryVersionId(row.version_id),
        reason: inventoryCompliance(row.encryption_status, row.bucket_key_status),
      });
    }
  };
  if (current.nonCompliant > 0) await sample(current.sample, true, { except: accepted });
  if (acceptedTotal(current) > 0) await sample(current.acceptedSample, true, { only: accepted });
  if (noncurrent.nonCompliant > 0) await sample(noncurrent.sample, false, {});

  // The inventory has no key id: HeadObject tells whether "SSE-KMS with a Bucket Key" is under our key.
  const compliantCurrent = current.versions - current.nonCompliant;
  const keyCheckLimit = options.keyCheckLimit ?? 1000;
  const toCheck =
    compliantCurrent === 0 || keyCheckLimit === 0
      ? []
      : await query(keyCheckSampleQuery(outputs.glue_database, bucket.glue_table, report.dt, keyCheckLimit), versionRow);
  output.progress(
    `Checking the KMS key of ${toCheck.length} of ${compliantCurrent} current versions of ${bucket.bucket} with HeadObject...`,
  );
  const heads = await mapConcurrently(toCheck, options.headConcurrency ?? 16, async (row) => {
    const key = decodeInventoryKey(row.key, urlEncoded);
    // Current versions only: HEAD without a version id reads exactly the current one, null version included.
    const facts = await headFacts(clients.s3, bucket.bucket, key, CURRENT_VERSION);
    return { key, versionId: inventoryVersionId(row.version_id), compliance: facts && headCompliance(facts, outputs.kms_key_arn) };
  });
  // A key deleted since the inventory has nothing current to check: the sample goes on without it.
  const keysGone = heads.filter((h) => h.compliance === undefined).length;
  for (const head of heads)
    if (head.compliance && head.compliance !== 'compliant')
      reclassify(current, head.compliance, sampleSize, { key: head.key, versionId: head.versionId });
  const gone = keysGone + (await leaveOutGone(ctx, bucket, report, current, noncurrent, sampleSize, query));

  // Rows that are all delete markers count no version: a count of nothing means an empty bucket only when a listing agrees.
  const cannotVerify: string[] = [];
  const nothing = examined({ current, noncurrent }) === 0;
  const emptyBucket = evidence.emptyBucket === true || (nothing && !(await hasVersions(clients.s3, bucket.bucket, bucket.prefix_filter)));
  if (nothing && !emptyBucket)
    cannotVerify.push(`the inventory ${report.dt} counts no version, but a listing of the bucket finds versions`);
  let newVersions: NewVersionsCount | undefined;
  if (window && window.planDates.length > 0) {
    const props = {
      database: outputs.glue_database,
      table: bucket.glue_table,
      dt: report.dt,
      planDates: window.planDates,
      since: window.since,
      ...(window.copiedSince ? { copiedSince: window.copiedSince } : {}),
      format: bucket.inventory_format,
    };
    const [row] = await query(newVersionsQuery(props), newVersionsCountRow);
    const created = Number(row?.created ?? 0);
    const sample =
      created > window.copies
        ? (await query(newVersionsQuery({ ...props, limit: 5 }), versionRow)).map((r) => ({
            key: decodeInventoryKey(r.key, urlEncoded),
            versionId: inventoryVersionId(r.version_id),
          }))
        : [];
    newVersions = {
      since: window.since,
      ...(window.copiedSince ? { copiedSince: window.copiedSince } : {}),
      created,
      copies: window.copies,
      sample,
      allowed: options.allowNewVersions ?? false,
    };
  }
  return {
    bucket: bucket.bucket,
    checkedAt: new Date().toISOString(),
    method: 'inventory',
    inventoryDate: report.dt,
    passed: verdict(current) && cannotVerify.length === 0 && unexpectedNewVersions(newVersions) === 0,
    current,
    noncurrent,
    keyCheck: { checked: toCheck.length - keysGone, of: compliantCurrent },
    ...(gone > 0 ? { goneSinceInventory: gone } : {}),
    evidence: { ...evidenceOf(evidence), ...(emptyBucket ? { emptyBucket } : {}) },
    ...(cannotVerify.length ? { cannotVerify } : {}),
    ...(newVersions ? { newVersions } : {}),
  };
}

/**
 * Reads again, with HeadObject, the current versions the inventory calls not compliant (up to
 * GONE_RECHECK_LIMIT): a bucket changes after its inventory, and verify judges what exists. One
 * deleted since is left out of the count; one no longer current (overwritten, or behind a delete
 * marker) is counted as noncurrent, the expiration's business. Returns how many are gone.
 */
async function leaveOutGone(
  ctx: RunContext,
  bucket: BucketOutput,
  report: InventoryReport,
  current: ComplianceCount,
  noncurrent: ComplianceCount,
  sampleSize: number,
  query: RowQuery,
): Promise<number> {
  const { outputs, clients } = ctx;
  if (current.nonCompliant === 0 || current.nonCompliant > GONE_RECHECK_LIMIT) return 0;
  const rows = await query(
    nonCompliantSampleQuery(outputs.glue_database, bucket.glue_table, report.dt, true, current.nonCompliant, {
      except: bucket.accepted_exceptions,
    }),
    nonCompliantRow,
  );
  const urlEncoded = bucket.inventory_format === 'CSV';
  const fates = await mapConcurrently(rows, 16, async (row) => {
    const ref = {
      key: decodeInventoryKey(row.key, urlEncoded),
      versionId: inventoryVersionId(row.version_id),
      reason: inventoryCompliance(row.encryption_status, row.bucket_key_status),
    };
    const now = await headVersion(clients.s3, bucket.bucket, ref.key, CURRENT_VERSION).catch(() => 'unknown' as const);
    if (now !== 'unknown' && now?.versionId === ref.versionId) return { ref, fate: 'current' as const };
    const itself = await headVersion(clients.s3, bucket.bucket, ref.key, ref.versionId).catch(() => 'unknown' as const);
    return {
      ref,
      fate:
        itself === undefined
          ? ('gone' as const)
          : now === 'unknown' || itself === 'unknown'
            ? ('current' as const)
            : ('noncurrent' as const),
    };
  });
  let gone = 0;
  for (const { ref, fate } of fates) {
    if (fate === 'current') continue;
    untally(current, ref);
    if (fate === 'noncurrent') tally(noncurrent, ref.reason, 1, sampleSize, ref);
    else gone++;
  }
  return gone;
}

/** What the verification records of a report's evidence. */
function evidenceOf(evidence: InventoryEvidence): VerificationEvidence {
  return {
    reportFiles: evidence.reportFiles,
    filesChecked: evidence.filesChecked,
    ...(evidence.filesRead !== undefined ? { filesRead: evidence.filesRead } : {}),
    ...(evidence.rows !== undefined ? { rows: evidence.rows } : {}),
    ...(evidence.emptyBucket ? { emptyBucket: true } : {}),
  };
}

async function verifyFromListing(
  ctx: RunContext,
  bucket: BucketOutput,
  versions: readonly ListedVersion[],
  options: VerifyOptions,
  output: Output,
  window: MigrationWindow | undefined,
): Promise<BucketVerification> {
  const { outputs, clients } = ctx;
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  output.progress(`Verifying ${bucket.bucket} by listing: HeadObject on ${versions.length} versions...`);
  const current = emptyCount();
  const noncurrent = emptyCount();
  const heads = await mapConcurrently(versions, options.headConcurrency ?? 16, async (v) => {
    const facts = await headFacts(clients.s3, bucket.bucket, v.key, v.versionId);
    return facts && headCompliance(facts, outputs.kms_key_arn);
  });
  const accepted = acceptedReasons(bucket.accepted_exceptions);
  // A version deleted between the listing and its HeadObject is gone: verify judges what exists.
  versions.forEach((v, i) => {
    const compliance = heads[i];
    if (compliance) tally(v.isLatest ? current : noncurrent, compliance, 1, sampleSize, v, v.isLatest ? accepted : []);
  });
  const gone = heads.filter((h) => h === undefined).length;
  const compliantCurrent = current.versions - current.nonCompliant;
  // A listing has no plan partition to name the migrated keys: every version written since the start counts.
  const since = window ? new Date(window.since) : undefined;
  const created = since ? versions.filter((v) => v.lastModified !== undefined && v.lastModified >= since) : [];
  const newVersions: NewVersionsCount | undefined = window
    ? {
        since: window.since,
        created: created.length,
        copies: window.copies,
        sample: created.length > window.copies ? created.slice(0, 5).map((v) => ({ key: v.key, versionId: v.versionId })) : [],
        allowed: options.allowNewVersions ?? false,
      }
    : undefined;
  return {
    bucket: bucket.bucket,
    checkedAt: new Date().toISOString(),
    method: 'listing',
    passed: verdict(current) && unexpectedNewVersions(newVersions) === 0,
    ...(newVersions ? { newVersions } : {}),
    current,
    noncurrent,
    keyCheck: { checked: compliantCurrent, of: compliantCurrent },
    ...(gone > 0 ? { goneSinceInventory: gone } : {}),
    evidence: { listed: versions.length, ...(versions.length === 0 ? { emptyBucket: true } : {}) },
  };
}

function report(verification: BucketVerification, output: Output): void {
  output.emit('bucket-verification', { ...verification }, (style) => {
    const v = verification;
    const lines = [
      `${style.bold(v.bucket)}: ${v.passed ? style.ok('PASS') : style.bad('FAIL')} (${v.method === 'inventory' ? `inventory ${v.inventoryDate}` : 'version listing and HeadObject'})`,
      table(
        ['versions', 'examined', 'not compliant', 'reasons'],
        [
          [
            'current',
            v.current.versions,
            v.current.nonCompliant,
            Object.entries(v.current.byReason)
              .map(([r, n]) => `${r}: ${formatCount(n)}`)
              .join(', ') || '-',
          ],
          [
            'noncurrent',
            v.noncurrent.versions,
            v.noncurrent.nonCompliant,
            Object.entries(v.noncurrent.byReason)
              .map(([r, n]) => `${r}: ${formatCount(n)}`)
              .join(', ') || '-',
          ],
        ],
      ),
      `KMS key confirmed by HeadObject on ${v.keyCheck.checked.toLocaleString('en-US')} of ${v.keyCheck.of.toLocaleString('en-US')} compliant current versions` +
        (v.keyCheck.checked < v.keyCheck.of ? ' (a random sample; raise --key-check-limit to check more)' : ''),
      ...(v.goneSinceInventory
        ? [
            `Gone since the ${v.method === 'inventory' ? 'inventory' : 'listing'} (deleted since, left out of every count): ${v.goneSinceInventory.toLocaleString('en-US')} versions`,
          ]
        : []),
      ...(v.evidence?.reportFiles !== undefined
        ? [
            `Evidence: ${formatCount(v.evidence.filesChecked ?? 0)} of the report's ${formatCount(v.evidence.reportFiles)} data files match its manifest (size and MD5)` +
              (v.evidence.rows !== undefined
                ? `; Athena read ${v.evidence.rows.toLocaleString('en-US')} rows from ${formatCount(v.evidence.filesRead ?? 0)} of them`
                : ''),
          ]
        : []),
      ...v.current.sample.map((s) => `  current not compliant: ${s.key} (version ${s.versionId}): ${s.reason}`),
      ...(v.newVersions
        ? [
            `Versions written since the migration started (${v.newVersions.since}): ${v.newVersions.created.toLocaleString('en-US')}, copies it made: ${v.newVersions.copies.toLocaleString('en-US')}` +
              (v.newVersions.created > v.newVersions.copies
                ? v.newVersions.allowed
                  ? ' (more, allowed by --allow-new-versions)'
                  : ' (MORE than its copies)'
                : ''),
            ...v.newVersions.sample.map((s) => `  written since: ${s.key} (version ${s.versionId})`),
          ]
        : []),
      ...(acceptedTotal(v.current)
        ? [
            `  ${acceptedTotal(v.current)} current versions accepted as exceptions by the stack config (${Object.entries(v.current.accepted)
              .map(([r, n]) => `${r}: ${n}`)
              .join(', ')}); they stay as they are:`,
            ...v.current.acceptedSample.map((s) => `    accepted: ${s.key} (version ${s.versionId}): ${s.reason}`),
          ]
        : []),
      ...(v.current.locked
        ? [
            `  ${v.current.locked} of the current versions not compliant are under Object Lock: UpdateObjectEncryption refuses them; \`migrate run\` copies them in place with their lock`,
          ]
        : []),
      ...(v.noncurrent.nonCompliant
        ? [
            `  ${formatCount(v.noncurrent.nonCompliant)} noncurrent versions are not compliant: the noncurrent-version expiration (migrate expire) removes them`,
          ]
        : []),
      ...(v.noncurrent.locked
        ? [
            `  ${v.noncurrent.locked} of them are under Object Lock: the expiration removes them only once their lock ends (migrate expire --dry-run names their dates)`,
          ]
        : []),
      ...v.noncurrent.sample.slice(0, 5).map((s) => `  noncurrent not compliant: ${s.key} (version ${s.versionId}): ${s.reason}`),
    ];
    return lines.join('\n');
  });
}

export async function verifyMigration(ctx: RunContext, options: VerifyOptions, output: Output): Promise<EngineResult> {
  return settle(() => verifyBuckets(ctx, options, output));
}

async function verifyBuckets(ctx: RunContext, options: VerifyOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  const buckets = selectBuckets(outputs, options.bucket);
  const wrongAccount = await accountProblem(ctx);
  if (wrongAccount) return refused([wrongAccount]);
  return withStackLock(clients.s3, outputs, { staleAfterMs: options.lockStaleAfterMs }, async ({ state, store }) => {
    recordCommand(state, await commandRun(ctx, 'verify'));
    const problems: string[] = [];
    const running = Object.values(state.jobs).filter(
      (r) => r.jobId && buckets.some((b) => b.bucket === r.bucket) && !TERMINAL_JOB_STATUSES.includes(r.status ?? ''),
    );
    for (const r of running)
      problems.push(
        `job ${r.jobId} on bucket ${r.bucket} is ${r.status ?? 'not yet followed'}: run the migration until it exits 0, then verify`,
      );
    const methods = new Map<string, Method>();
    if (problems.length === 0) {
      for (const bucket of buckets) {
        const method = await chooseMethod(ctx, state, bucket, options, problems);
        if (method) methods.set(bucket.bucket, method);
      }
    }
    if (problems.length > 0) return refused(problems);

    const failures: string[] = [];
    const cannot: string[] = [];
    for (const bucket of buckets) {
      const method = methods.get(bucket.bucket)!;
      const verification =
        method.kind === 'inventory'
          ? await verifyFromInventory(ctx, bucket, method.report, options, output, migrationWindow(state, bucket.bucket))
          : await verifyFromListing(ctx, bucket, method.versions, options, output, migrationWindow(state, bucket.bucket));
      (state.verifications ??= {})[bucket.bucket] = verification;
      await store.save(state);
      report(verification, output);
      if (verification.cannotVerify)
        cannot.push(
          `bucket ${bucket.bucket}: cannot verify from inventory ${verification.inventoryDate}: ${verification.cannotVerify.join('; ')}`,
        );
      else if (!verification.passed) {
        const remedies = failureRemedies(verification, {
          stack: outputs.stack,
          migrateDsseKms: bucket.migrate_dsse_kms,
          configFile: stackConfigFile(outputs.stack),
        });
        failures.push([describeFailure(verification), ...remedies.map((r) => `    next, for ${r}`)].join('\n'));
      }
    }
    if (cannot.length > 0 && failures.length === 0) {
      return refused(cannot.map((c) => `${c}: wait for the next inventory delivery and verify again, or verify with --method listing`));
    }
    failures.push(...cannot);
    if (failures.length > 0) {
      return needsHuman(
        `Verification failed; the expiration stays off for these buckets:\n${failures.map((f) => `  - ${f}`).join('\n')}\nThen verify again, from an inventory delivered after the change (or with --method listing).`,
      );
    }
    return DONE;
  });
}
