// Where a stack's migration stands, bucket by bucket, from its state alone: jobs (created or only
// planned), the runner's own passes, restores in progress, the last verification and the expiration
// rule. Pure: the status command fetches fresh job statuses first, then asks this.
import type { BucketVerification } from './verify';
import type { LockSummary } from './plan';
import { failureTotal } from './pass-failures';
import { passId } from './pass-id';
import type {
  AccessCheckRecord,
  BucketAccessRecord,
  DirectPassRecord,
  DownstreamRecord,
  ExpirationRecord,
  JobRecord,
  MigrationState,
} from '../state';

/** Batch Operations job statuses that never change again. */
export const TERMINAL_JOB_STATUSES: readonly string[] = ['Complete', 'Failed', 'Cancelled'];

export interface JobStatus {
  readonly token: string;
  readonly jobId?: string;
  readonly operation: string;
  readonly storageClass: string;
  readonly inventoryDate: string;
  /** 'planned' while no job exists yet. */
  readonly status: string;
  /** A job the plan's token created that the state does not record (its state was lost): the next run adopts it. */
  readonly unrecorded?: true;
  readonly succeeded: number;
  readonly failed: number;
  readonly total: number;
}

export interface PassStatus {
  readonly pass: DirectPassRecord['pass'];
  readonly source: string;
  readonly finished: boolean;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failed: number;
}

/** The last access check of a bucket, counted: what the key grants, and the losses the config accepts. */
export interface AccessStatus {
  readonly checkedAt: string;
  readonly granted: number;
  readonly notGranted: number;
  readonly grantedByIam: number;
  /** Checks the key policy could not decide, plus policies that could not be read. */
  readonly cannotTell: number;
  readonly refused: number;
  /** Not granted, cannot tell or refused, and named in acceptLosingAccess: they lose access by choice. */
  readonly accepted: number;
}

/** The last downstream check of a bucket, counted. */
export interface DownstreamStatus {
  readonly checkedAt: string;
  /** Replication rules that keep replicating the migrated objects. */
  readonly replicationFine: number;
  /** Rules that would stop replicating, or cannot be told: they stop a run. */
  readonly replicationBlocking: number;
  /** Event destinations the migration's writes reach, and of them the ones acceptEvents names. */
  readonly eventDestinations: number;
  readonly acceptedEvents: number;
  /** Configurations that could not be read. */
  readonly cannotTell: number;
}

export interface BucketStatus {
  readonly bucket: string;
  readonly jobs: readonly JobStatus[];
  readonly passes: readonly PassStatus[];
  /** Copies the plan left to the runner (over 5 GiB, locked, ACL, archived) that no finished pass has done yet. */
  readonly copiesPending: number;
  readonly restoresInProgress: number;
  /** Versions the last plan found under Object Lock, per class (copy-locked, noncurrent-locked, ...). */
  readonly objectLock?: Readonly<Record<string, LockSummary>>;
  readonly verification?: Pick<BucketVerification, 'checkedAt' | 'method' | 'passed' | 'cannotVerify'> & {
    readonly examined: number;
    readonly nonCompliant: number;
  };
  readonly expiration?: ExpirationRecord;
  /** The last check of who reads and writes the bucket against the key policy, when a run made one. */
  readonly access?: AccessStatus;
  /** The last check of the bucket's replication rules and event destinations, when a run made one. */
  readonly downstream?: DownstreamStatus;
  /** done, running (run again later), or needs-human. */
  readonly stands: 'done' | 'running' | 'needs-human';
  /** Why it stands so, for a person. */
  readonly reasons: readonly string[];
}

/** A job found by a planned record's token that the state does not record, as ListJobs/DescribeJob show it. */
export interface UnrecordedJob {
  readonly jobId: string;
  readonly status: string;
  readonly succeeded?: number;
  readonly failed?: number;
  readonly total?: number;
}

function jobStatus(r: JobRecord, unrecorded: UnrecordedJob | undefined): JobStatus {
  if (!r.jobId && unrecorded) {
    return {
      token: r.token,
      jobId: unrecorded.jobId,
      operation: r.operation,
      storageClass: r.storageClass,
      inventoryDate: r.inventoryDate,
      status: unrecorded.status,
      unrecorded: true,
      succeeded: unrecorded.succeeded ?? 0,
      failed: unrecorded.failed ?? 0,
      total: unrecorded.total ?? r.versions,
    };
  }
  return {
    token: r.token,
    ...(r.jobId ? { jobId: r.jobId } : {}),
    operation: r.operation,
    storageClass: r.storageClass,
    inventoryDate: r.inventoryDate,
    status: r.jobId ? (r.status ?? 'New') : 'planned',
    succeeded: r.succeeded ?? 0,
    failed: r.failed ?? 0,
    total: r.total ?? r.versions,
  };
}

/**
 * Failed tasks of a finished job that still need someone: those a retry did not take over, less the
 * versions confirmed gone since the inventory. The one definition of a job's open failures.
 */
export function openFailures(r: JobRecord): number {
  const failed = r.retriedBy ? (r.unretriedFailures ?? 0) : (r.failed ?? 0);
  return Math.max(0, failed - (r.goneTasks ?? 0));
}

const LOSES_ACCESS: readonly AccessCheckRecord['verdict'][] = ['not-granted', 'cannot-tell', 'refused'];

/** Recorded checks that stop a run: the key does not grant them, cannot tell, or cannot work, and the config does not accept it. */
export function blockingAccessChecks(record: BucketAccessRecord): AccessCheckRecord[] {
  return record.checks.filter((c) => !c.accepted && LOSES_ACCESS.includes(c.verdict));
}

function accessStatus(record: BucketAccessRecord): AccessStatus {
  const counted = (verdict: AccessCheckRecord['verdict']) => record.checks.filter((c) => c.verdict === verdict).length;
  return {
    checkedAt: record.checkedAt,
    granted: counted('granted'),
    notGranted: counted('not-granted'),
    grantedByIam: counted('granted-by-iam-not-checked'),
    cannotTell: counted('cannot-tell') + record.cannotTell.length,
    refused: counted('refused'),
    accepted: record.checks.filter((c) => c.accepted && LOSES_ACCESS.includes(c.verdict)).length,
  };
}

/** Why a bucket's last access check stops its runs, in one line each, with what to do. */
function accessReasons(record: BucketAccessRecord): string[] {
  const reasons: string[] = [];
  const blocking = blockingAccessChecks(record);
  if (blocking.length > 0) {
    const who = blocking.map((c) => `${c.principal} (${c.kind}, ${c.source}: ${c.verdict})`).join(', ');
    reasons.push(
      `access check of ${record.checkedAt}: would lose access to the objects once under the key: ${who}: grant them in readers/cloudfrontDistributions/logDelivery/key.users or accept them in acceptLosingAccess, deploy, run again`,
    );
  }
  for (const c of record.cannotTell) reasons.push(`access check of ${record.checkedAt}: who reads the bucket cannot be told: ${c}`);
  return reasons;
}

const BLOCKING_RULE_VERDICTS: readonly string[] = ['refuse', 'cannot-tell'];

function downstreamStatus(record: DownstreamRecord): DownstreamStatus {
  return {
    checkedAt: record.checkedAt,
    replicationFine: record.replication.filter((r) => r.verdict === 'fine').length,
    replicationBlocking: record.replication.filter((r) => BLOCKING_RULE_VERDICTS.includes(r.verdict)).length,
    eventDestinations: record.events.length,
    acceptedEvents: record.events.filter((e) => e.accepted).length,
    cannotTell: record.cannotTell.length,
  };
}

/** Why a bucket's last downstream check stops its runs, one line each, with what to do. */
export function downstreamReasons(record: DownstreamRecord): string[] {
  const at = `downstream check of ${record.checkedAt}`;
  const reasons: string[] = [];
  const rules = record.replication.filter((r) => BLOCKING_RULE_VERDICTS.includes(r.verdict));
  if (rules.length > 0) {
    reasons.push(
      `${at}: replication would stop or cannot be told for rule(s) ${rules.map((r) => `${r.rule} to ${r.destination} (${r.verdict})`).join(', ')}: ` +
        'opt the rule in to SSE-KMS objects with a replica key and grant its role in replicationRoles, deploy, run again',
    );
  }
  const events = record.events.filter((e) => !e.accepted);
  if (events.length > 0) {
    reasons.push(
      `${at}: the migration's events would reach ${events.map((e) => `${e.kind} ${e.destination}${e.events === undefined ? '' : ` (${e.bound === 'upper' ? 'at most ' : ''}${e.events})`}`).join(', ')}: ` +
        'name each in acceptEvents once its owner expects them, deploy, run again',
    );
  }
  for (const c of record.cannotTell) reasons.push(`${at}: cannot tell: ${c}`);
  return reasons;
}

/**
 * Where one bucket stands. `unrecorded`, by token: jobs that planned records' tokens created but the
 * state does not record, so that a job that exists is never shown as planned.
 */
export function bucketStatus(
  state: MigrationState,
  bucket: string,
  unrecorded: ReadonlyMap<string, UnrecordedJob> = new Map(),
): BucketStatus {
  const records = Object.values(state.jobs).filter((r) => r.bucket === bucket);
  const jobs = records.map((r) => jobStatus(r, unrecorded.get(r.token)));
  const passes = Object.values(state.direct ?? {}).filter((p) => p.bucket === bucket);
  const outstanding = state.outstanding?.[bucket];
  const outsidePass = state.direct?.[passId('outside-batch', bucket)];
  const outsideDone =
    outsidePass?.finishedAt !== undefined &&
    outsidePass.source === `inventory:${outstanding?.inventoryDate}` &&
    failureTotal(outsidePass) === 0;
  const copiesPending =
    outstanding && !outsideDone ? outstanding.overFiveGiB + outstanding.locked + outstanding.acl + outstanding.archived : 0;
  const restoresInProgress = Object.values(state.archived ?? {}).filter(
    (a) => a.bucket === bucket && (a.stage === 'restore-requested' || a.stage === 'restored'),
  ).length;
  const v = state.verifications?.[bucket];
  const access = state.access?.[bucket];
  const downstream = state.downstream?.[bucket];

  const running: string[] = [];
  const human: string[] = [];
  for (const j of jobs) {
    if (j.unrecorded)
      running.push(`job ${j.jobId} ${j.status} was created for the plan, but the state does not record it: \`migrate run\` adopts it`);
    else if (j.status === 'planned')
      running.push(`job ${j.operation}${j.storageClass ? ` (${j.storageClass})` : ''} planned, not created yet`);
    else if (!TERMINAL_JOB_STATUSES.includes(j.status)) running.push(`job ${j.jobId} ${j.status}`);
  }
  for (const r of records.filter((r) => r.jobId && TERMINAL_JOB_STATUSES.includes(r.status ?? ''))) {
    const open = openFailures(r);
    if (r.status !== 'Complete') human.push(`job ${r.jobId} ${r.status}`);
    else if (open > 0) human.push(`job ${r.jobId}: ${open} failed tasks`);
    if (r.readBack?.problems.length)
      human.push(
        `job ${r.jobId}: ${r.readBack.problems.length === 1 ? '1 version read back disagrees' : `${r.readBack.problems.length.toLocaleString('en-US')} versions read back disagree`}`,
      );
  }
  for (const p of passes) {
    if (!p.finishedAt) running.push(`${p.pass} pass (${p.source}) stopped at ${p.checkpoint.completed.toLocaleString('en-US')} versions`);
    if (failureTotal(p) > 0) human.push(`${p.pass} pass: ${failureTotal(p).toLocaleString('en-US')} versions failed`);
  }
  if (copiesPending > 0)
    running.push(`${copiesPending.toLocaleString('en-US')} versions to copy one by one (over 5 GiB, locked, with ACLs, archived)`);
  if (restoresInProgress > 0) running.push(`${restoresInProgress.toLocaleString('en-US')} archived versions being restored`);
  if (records.length === 0 && passes.length === 0 && !v)
    running.push('nothing recorded in the state: run `migrate run`; it plans, and adopts the jobs earlier runs created for that plan');
  if (access) human.push(...accessReasons(access));
  const lockedArchived = state.plans?.[bucket]?.locked?.['locked-archived']?.versions ?? 0;
  if (lockedArchived > 0) {
    human.push(
      `${lockedArchived.toLocaleString('en-US')} current versions under Object Lock in Glacier Flexible Retrieval / Deep Archive: UpdateObjectEncryption refuses them and a copy needs a restore first (locked-archived)`,
    );
  }
  if (downstream) human.push(...downstreamReasons(downstream));
  if (v?.cannotVerify?.length) human.push(`last verification could not verify: ${v.cannotVerify.join('; ')}`);
  else if (v && !v.passed) human.push(`last verification failed (${v.checkedAt})`);

  return {
    bucket,
    jobs,
    passes: passes.map((p) => ({
      pass: p.pass,
      source: p.source,
      finished: p.finishedAt !== undefined,
      outcomes: p.outcomes,
      failed: failureTotal(p),
    })),
    copiesPending,
    restoresInProgress,
    ...(state.plans?.[bucket]?.locked ? { objectLock: state.plans[bucket].locked } : {}),
    ...(v
      ? {
          verification: {
            checkedAt: v.checkedAt,
            method: v.method,
            passed: v.passed,
            ...(v.cannotVerify ? { cannotVerify: v.cannotVerify } : {}),
            examined: v.current.versions + v.noncurrent.versions,
            nonCompliant: v.current.nonCompliant,
          },
        }
      : {}),
    ...(state.expiration?.[bucket] ? { expiration: state.expiration[bucket] } : {}),
    ...(access ? { access: accessStatus(access) } : {}),
    ...(downstream ? { downstream: downstreamStatus(downstream) } : {}),
    stands: human.length > 0 ? 'needs-human' : running.length > 0 ? 'running' : 'done',
    reasons: [...human, ...running],
  };
}
