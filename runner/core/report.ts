// The migration report's model: everything an auditor needs, drawn from the state and the stack outputs alone. Pure.
import type { StackOutputs } from '../../stacks/outputs';
import { REPORTS_LAYOUT } from '../../stacks/outputs';
import type {
  AccessCheckRecord,
  BucketAccessRecord,
  CommandRun,
  DownstreamRecord,
  ExpirationRecord,
  MigrationState,
  PlanRecord,
  VersionTotals,
} from '../state';
import { UNTOUCHED_REASONS } from './classify';
import { bucketStatus, type BucketStatus } from './status';
import type { VersionRef } from './verify';
import type { LockSummary } from './plan';

/** The report's formats: md for a pull-request comment, html to read and print, json for tools. */
export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a plan's action means for the version, in the words the report uses. */
export const ACTION_MEANINGS: Readonly<Record<string, string>> = {
  ...UNTOUCHED_REASONS,
  'update-encryption': 'SSE-S3 or SSE-KMS without a Bucket Key: re-wrapped in place (UpdateObjectEncryption)',
  copy: 'not encrypted: copied in place with SSE-KMS (Batch Operations)',
  'copy-too-large': 'not encrypted, over 5 GiB: copied by the runner (multipart)',
  'copy-locked':
    'current, under Object Lock (not encrypted, SSE-S3, or SSE-KMS without a Bucket Key): UpdateObjectEncryption refuses it; copied in place by the runner with its own retention and legal hold',
  'needs-restore': 'not encrypted, archived: restored, then copied',
};

/** Where the runner itself does what a job would: every action on the direct engine, the copies of a bucket that uses ACLs. */
const RUNNER_MEANINGS: Readonly<Record<string, string>> = {
  'update-encryption': 'SSE-S3 or SSE-KMS without a Bucket Key: re-wrapped in place by the runner (UpdateObjectEncryption)',
  copy: 'not encrypted: copied in place with SSE-KMS by the runner',
};
const ACL_COPY_MEANING =
  "not encrypted, in a bucket that uses ACLs: copied in place with SSE-KMS by the runner, keeping each version's ACL (Batch Operations would drop it)";

/**
 * What an action meant for this bucket: who did the work follows the plan's engine and, for copies,
 * whether the bucket uses ACLs (`aclBucket` from the plan, or the outstanding work of an older state).
 */
export function actionMeaning(action: string, engine: PlanRecord['engine'], aclBucket: boolean): string {
  if (engine === 'direct' && RUNNER_MEANINGS[action]) return RUNNER_MEANINGS[action];
  if (action === 'copy' && aclBucket) return ACL_COPY_MEANING;
  return ACTION_MEANINGS[action] ?? action;
}

/** Plan actions whose versions count as already compliant before the work, and those accepted as they are. */
const COMPLIANT_BEFORE = ['compliant', 'compliant-locked'];
const LEFT_ALONE_BEFORE = ['sse-c', 'dsse-kms'];
/** Delete markers hold no data: they are neither compliant nor not. */
const NOT_DATA = ['delete-marker'];

/** Versions in four parts, for the before/after chart: the parts sum to the versions examined. */
export interface ComplianceSplit {
  readonly compliant: number;
  /** Before: every version still to migrate; after: current versions not compliant. */
  readonly nonCompliant: number;
  /** After: noncurrent versions not compliant, which the noncurrent-version expiration removes. 0 before. */
  readonly awaitingExpiration: number;
  /** Accepted exceptions (after) or versions the migration leaves alone (before: SSE-C, DSSE-KMS). */
  readonly exceptions: number;
}

export const splitTotal = (s: ComplianceSplit): number => s.compliant + s.nonCompliant + s.awaitingExpiration + s.exceptions;

export interface PlanSection {
  /** 'first': the first plan the state recorded; 'latest': the first was not recorded (a state of an older runner). */
  readonly which: 'first' | 'latest';
  /** Why this plan may not show the bucket before the work; absent when it does. */
  readonly caveat?: string;
  readonly inventoryDate: string;
  readonly madeAt: string;
  readonly engine: 'batch' | 'direct';
  readonly total: VersionTotals;
  readonly byAction: readonly (VersionTotals & { readonly action: string; readonly meaning: string })[];
  readonly byStorageClass: readonly (VersionTotals & { readonly storageClass: string })[];
  readonly compliance: ComplianceSplit;
  /** Versions under Object Lock per class, with their retain-until range and legal holds. */
  readonly objectLock: readonly (LockSummary & { readonly action: string; readonly meaning: string })[];
}

export interface ComplianceSection {
  readonly versions: number;
  readonly nonCompliant: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly accepted: Readonly<Record<string, number>>;
  readonly sample: readonly VersionRef[];
  readonly acceptedSample: readonly VersionRef[];
}

export interface VerificationSection {
  readonly method: 'inventory' | 'listing';
  readonly checkedAt: string;
  readonly inventoryDate?: string;
  readonly verdict: 'pass' | 'fail' | 'cannot verify';
  /** How the KMS key was checked, in words that follow the method. */
  readonly keyCheckWords: string;
  readonly cannotVerify: readonly string[];
  readonly current: ComplianceSection;
  readonly noncurrent: ComplianceSection;
  readonly keyCheck: { readonly checked: number; readonly of: number };
  readonly newVersions?: { readonly since: string; readonly created: number; readonly copies: number; readonly allowed: boolean };
  readonly compliance: ComplianceSplit;
}

export interface JobSection {
  readonly jobId?: string;
  readonly token: string;
  readonly operation: string;
  readonly storageClass: string;
  readonly inventoryDate: string;
  /** 'planned' while no job exists yet. */
  readonly status: string;
  readonly planned: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failureCodes: Readonly<Record<string, number>>;
  readonly readBack?: { readonly checked: number; readonly problems: readonly string[] };
  /** s3:// folder of the job's completion report, once the job exists. */
  readonly completionReport?: string;
  readonly submittedAt?: string;
  readonly finishedAt?: string;
  readonly retryOf?: string;
}

export interface PassSection {
  readonly pass: 'direct' | 'outside-batch';
  readonly source: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly readBack: number;
  /** Writes that landed between the runner's read and its copy, found under the copy and made current again. */
  readonly newerWritesRestored: number;
  readonly failed: number;
  readonly failureCodes: Readonly<Record<string, number>>;
}

export interface ExpirationSection extends ExpirationRecord {
  readonly applied: boolean;
  /**
   * The day by which every noncurrent version not compliant is gone: NoncurrentDays after the rule was
   * applied (versions made noncurrent earlier go sooner), at the next midnight UTC, when S3 acts.
   * Absent when the rule is not applied.
   */
  readonly expiresBy?: string;
}

export interface BucketReport {
  readonly bucket: string;
  readonly stands: BucketStatus['stands'];
  readonly reasons: readonly string[];
  /** The command that moves the bucket on; absent when nothing is open. */
  readonly next?: string;
  readonly before?: PlanSection;
  readonly after?: VerificationSection;
  readonly jobs: readonly JobSection[];
  readonly passes: readonly PassSection[];
  /** Archived versions by stage of their restore and copy. */
  readonly archived: Readonly<Record<string, number>>;
  readonly expiration?: ExpirationSection;
  /** Who reads and writes the bucket, and what the key policy says of each, as the last run checked. */
  readonly access?: BucketAccessRecord;
  /** Its replication rules and the event destinations the migration's writes reach, as the last run checked. */
  readonly downstream?: DownstreamRecord;
}

/** The stack at a glance: every bucket added up. */
export interface StackTotals {
  readonly buckets: number;
  readonly verified: number;
  /** From each bucket's first plan (or latest, where the first was not recorded). */
  readonly before: VersionTotals & { readonly compliance: ComplianceSplit };
  /** From each bucket's last verification. */
  readonly after: ComplianceSplit;
  readonly jobs: number;
  readonly tasksSucceeded: number;
  readonly tasksFailed: number;
  /** The latest day by which the expiration removes the noncurrent versions not compliant; absent when none waits or no rule is applied. */
  readonly expiresBy?: string;
}

export interface MigrationReport {
  readonly title: string;
  readonly generatedAt: string;
  /** The build that wrote this report. */
  readonly generatedBy: { readonly toolVersion: string; readonly commit: string };
  /** The last run of each command that changes the state: who, when, with which build. Oldest first. */
  readonly runs: readonly CommandRun[];
  readonly totals: StackTotals;
  readonly stack: {
    readonly name: string;
    readonly region: string;
    readonly account: string;
    readonly keyArn: string;
    readonly keyAlias: string;
    readonly rotation: string;
    readonly state: string;
    readonly stateUpdatedAt: string;
  };
  /** done only when every bucket is. */
  readonly stands: BucketStatus['stands'];
  readonly buckets: readonly BucketReport[];
}

export interface ReportInput {
  readonly state: MigrationState;
  readonly outputs: Pick<
    StackOutputs,
    'stack' | 'region' | 'account_id' | 'kms_key_arn' | 'kms_key_alias' | 'reports_bucket' | 'reports_prefix' | 'buckets'
  >;
  /** What KMS said of the key's rotation; absent when not asked. @default "enabled by the stack" */
  readonly rotation?: string;
  readonly generatedAt: Date;
  /** The build writing the report. @default unknown */
  readonly generatedBy?: { readonly toolVersion: string; readonly commit: string };
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);
const addTotals = (a: VersionTotals, b: VersionTotals): VersionTotals => ({ versions: a.versions + b.versions, bytes: a.bytes + b.bytes });
const ZERO: VersionTotals = { versions: 0, bytes: 0 };

function planSection(plan: PlanRecord, which: PlanSection['which'], aclBucket: boolean, workStarted: string | undefined): PlanSection {
  const actions = Object.entries(plan.byAction).filter(([, t]) => t.versions > 0);
  const classes = new Map<string, VersionTotals>();
  for (const [action, byClass] of Object.entries(plan.byStorageClass)) {
    if (NOT_DATA.includes(action)) continue;
    for (const [storageClass, t] of Object.entries(byClass))
      classes.set(storageClass || '(unknown)', addTotals(classes.get(storageClass || '(unknown)') ?? ZERO, t));
  }
  const data = actions.filter(([a]) => !NOT_DATA.includes(a));
  const versionsOf = (names: readonly string[]) => sum(data.filter(([a]) => names.includes(a)).map(([, t]) => t.versions));
  const compliant = versionsOf(COMPLIANT_BEFORE);
  const exceptions = versionsOf(LEFT_ALONE_BEFORE);
  const all = sum(data.map(([, t]) => t.versions));
  // Compared as times: a value that is not one says nothing about order.
  const madeAt = isoTime(plan.madeAt);
  const started = workStarted === undefined ? undefined : isoTime(workStarted);
  const late = which === 'latest' && madeAt !== undefined && started !== undefined && madeAt > started;
  return {
    which,
    ...(late
      ? {
          caveat: `the first plan was not recorded (the state predates first-plan records), and this latest plan was made after the work began (${workStarted}): it counts what was left then, not what the bucket held before`,
        }
      : {}),
    inventoryDate: plan.inventoryDate,
    madeAt: plan.madeAt,
    engine: plan.engine,
    total: data.reduce((t, [, x]) => addTotals(t, x), ZERO),
    byAction: actions
      .map(([action, t]) => ({ action, meaning: actionMeaning(action, plan.engine, aclBucket), ...t }))
      .sort((a, b) => b.versions - a.versions || a.action.localeCompare(b.action)),
    byStorageClass: [...classes.entries()]
      .map(([storageClass, t]) => ({ storageClass, ...t }))
      .sort((a, b) => b.versions - a.versions || a.storageClass.localeCompare(b.storageClass)),
    compliance: { compliant, nonCompliant: all - compliant - exceptions, awaitingExpiration: 0, exceptions },
    objectLock: Object.entries(plan.locked ?? {}).map(([action, lock]) => ({
      action,
      meaning: ACTION_MEANINGS[action] ?? action,
      ...lock,
    })),
  };
}

function complianceSection(c: {
  versions: number;
  nonCompliant: number;
  byReason: Record<string, unknown>;
  sample: unknown[];
  accepted?: unknown;
  acceptedSample?: unknown;
}): ComplianceSection {
  return {
    versions: c.versions,
    nonCompliant: c.nonCompliant,
    byReason: c.byReason as Record<string, number>,
    accepted: (c.accepted ?? {}) as Record<string, number>,
    sample: c.sample as VersionRef[],
    acceptedSample: (c.acceptedSample ?? []) as VersionRef[],
  };
}

function verificationSection(v: NonNullable<MigrationState['verifications']>[string]): VerificationSection {
  const current = complianceSection(v.current);
  const noncurrent = complianceSection(v.noncurrent);
  const accepted = sum(Object.values(current.accepted)) + sum(Object.values(noncurrent.accepted));
  const nonCompliant = current.nonCompliant + noncurrent.nonCompliant;
  const examined = current.versions + noncurrent.versions;
  const cannotVerify = v.cannotVerify ?? [];
  const keyCheckWords =
    v.method === 'listing'
      ? `KMS key read back with HeadObject on ${count(v.keyCheck.checked)} of ${count(v.keyCheck.of)} compliant current versions the listing found`
      : `KMS key checked with HeadObject on ${count(v.keyCheck.checked)} of ${count(v.keyCheck.of)} current versions the inventory calls compliant${v.keyCheck.checked < v.keyCheck.of ? ' (a random sample)' : ''}`;
  return {
    method: v.method,
    checkedAt: v.checkedAt,
    ...(v.inventoryDate ? { inventoryDate: v.inventoryDate } : {}),
    verdict: cannotVerify.length > 0 ? 'cannot verify' : v.passed ? 'pass' : 'fail',
    keyCheckWords,
    cannotVerify,
    current,
    noncurrent,
    keyCheck: v.keyCheck,
    ...(v.newVersions
      ? {
          newVersions: {
            since: v.newVersions.since,
            created: v.newVersions.created,
            copies: v.newVersions.copies,
            allowed: v.newVersions.allowed,
          },
        }
      : {}),
    compliance: {
      compliant: Math.max(0, examined - nonCompliant - accepted),
      nonCompliant: current.nonCompliant,
      awaitingExpiration: noncurrent.nonCompliant,
      exceptions: accepted,
    },
  };
}

const DAY_MS = 86_400_000;

/** The expiration as applied: when the noncurrent versions go, from the rule's NoncurrentDays. */
export function expirationSection(e: ExpirationRecord): ExpirationSection {
  const applied = e.action !== 'removed' && e.action !== 'absent';
  const at = isoTime(e.at);
  if (!applied || at === undefined) return { ...e, applied };
  // S3 counts NoncurrentDays from when a version became noncurrent and acts at the next midnight UTC.
  const expiresBy = new Date(Math.ceil((at + e.noncurrentDays * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
  return { ...e, applied, expiresBy };
}

function completionReport(
  outputs: ReportInput['outputs'],
  bucket: string,
  prefix: string | undefined,
  jobId: string | undefined,
): string | undefined {
  if (!jobId) return undefined;
  // Jobs recorded before reportPrefix was kept wrote under the same layout.
  return `s3://${outputs.reports_bucket}/${prefix ?? `${outputs.reports_prefix}${REPORTS_LAYOUT.jobReports}${bucket}`}/job-${jobId}/`;
}

/**
 * The command that moves a bucket on, from where it stands: failures are retried before anything is
 * verified, a failed verification is repeated once the work is redone, and a passed one leads to the
 * expiration.
 */
export function nextCommand(stack: string, status: BucketStatus, state: MigrationState): string | undefined {
  const cmd = (c: string) => `npm run migrate -- ${c} --stack ${stack}`;
  const failedWork = status.reasons.some((r) => /failed tasks|versions failed| Failed$| Cancelled$|read back disagree/.test(r));
  if (status.stands === 'needs-human')
    return failedWork ? cmd('retry-failed') : `${cmd('run')} (then ${cmd('verify')} --bucket ${status.bucket})`;
  if (status.stands === 'running') return cmd('run');
  const v = state.verifications?.[status.bucket];
  if (!v) return `${cmd('verify')} --bucket ${status.bucket}`;
  const e = state.expiration?.[status.bucket];
  if (!e || e.action === 'removed' || e.action === 'absent') return `${cmd('expire')} --bucket ${status.bucket}`;
  return undefined;
}

/** What stays open in a bucket: status's reasons, plus the verification and expiration a finished bucket still lacks. */
function openReasons(status: BucketStatus, state: MigrationState): string[] {
  const reasons = [...status.reasons];
  if (status.stands !== 'done') return reasons;
  if (!state.verifications?.[status.bucket]) reasons.push('not verified yet');
  else {
    const e = state.expiration?.[status.bucket];
    if (!e || e.action === 'removed' || e.action === 'absent')
      reasons.push('noncurrent-version expiration not applied: the old unencrypted versions are still kept');
  }
  return reasons;
}

function bucketReport(input: ReportInput, bucket: string): BucketReport {
  const { state, outputs } = input;
  const status = bucketStatus(state, bucket);
  const first = state.firstPlans?.[bucket];
  const plan = first ?? state.plans?.[bucket];
  const aclBucket = (plan?.aclCopies?.versions ?? 0) > 0 || (state.outstanding?.[bucket]?.acl ?? 0) > 0;
  const workStarted = [
    ...Object.values(state.jobs)
      .filter((j) => j.bucket === bucket && j.submittedAt)
      .map((j) => j.submittedAt!),
    ...Object.values(state.direct ?? {})
      .filter((p) => p.bucket === bucket)
      .map((p) => p.startedAt),
  ].sort()[0];
  const v = state.verifications?.[bucket];
  const jobs: JobSection[] = Object.values(state.jobs)
    .filter((r) => r.bucket === bucket)
    .sort((a, b) => (a.submittedAt ?? '~').localeCompare(b.submittedAt ?? '~') || a.token.localeCompare(b.token))
    .map((r) => {
      const report = completionReport(outputs, bucket, r.reportPrefix, r.jobId);
      return {
        ...(r.jobId ? { jobId: r.jobId } : {}),
        token: r.token,
        operation: r.operation,
        storageClass: r.storageClass,
        inventoryDate: r.inventoryDate,
        status: r.jobId ? (r.status ?? 'New') : 'planned',
        planned: r.versions,
        total: r.total ?? r.versions,
        succeeded: r.succeeded ?? 0,
        failed: r.failed ?? 0,
        failureCodes: r.failureCodes ?? {},
        ...(r.readBack ? { readBack: r.readBack } : {}),
        ...(report ? { completionReport: report } : {}),
        ...(r.submittedAt ? { submittedAt: r.submittedAt } : {}),
        ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
        ...(r.retryOf ? { retryOf: r.retryOf } : {}),
      };
    });
  const passes: PassSection[] = Object.values(state.direct ?? {})
    .filter((p) => p.bucket === bucket)
    .map((p) => {
      const codes: Record<string, number> = { ...(p.spilledFailureCodes ?? {}) };
      for (const f of p.failures) codes[f.code] = (codes[f.code] ?? 0) + 1;
      return {
        pass: p.pass,
        source: p.source,
        startedAt: p.startedAt,
        ...(p.finishedAt ? { finishedAt: p.finishedAt } : {}),
        outcomes: p.outcomes,
        readBack: p.readBack ?? 0,
        newerWritesRestored: p.newerWritesRestored ?? 0,
        failed: p.failures.length + (p.spilledFailures ?? 0),
        failureCodes: codes,
      };
    });
  const archived: Record<string, number> = {};
  for (const a of Object.values(state.archived ?? {})) if (a.bucket === bucket) archived[a.stage] = (archived[a.stage] ?? 0) + 1;
  const e = state.expiration?.[bucket];
  const next = nextCommand(outputs.stack, status, state);
  return {
    bucket,
    stands: status.stands,
    reasons: openReasons(status, state),
    ...(next ? { next } : {}),
    ...(plan ? { before: planSection(plan, first ? 'first' : 'latest', aclBucket, workStarted) } : {}),
    ...(v ? { after: verificationSection(v) } : {}),
    jobs,
    passes,
    archived,
    ...(e ? { expiration: expirationSection(e) } : {}),
    ...(state.access?.[bucket] ? { access: state.access[bucket] } : {}),
    ...(state.downstream?.[bucket] ? { downstream: state.downstream[bucket] } : {}),
  };
}

const addSplit = (a: ComplianceSplit, b: ComplianceSplit | undefined): ComplianceSplit =>
  b
    ? {
        compliant: a.compliant + b.compliant,
        nonCompliant: a.nonCompliant + b.nonCompliant,
        awaitingExpiration: a.awaitingExpiration + b.awaitingExpiration,
        exceptions: a.exceptions + b.exceptions,
      }
    : a;
const NO_VERSIONS: ComplianceSplit = { compliant: 0, nonCompliant: 0, awaitingExpiration: 0, exceptions: 0 };

/** Every bucket added up. */
export function stackTotals(buckets: readonly BucketReport[]): StackTotals {
  const jobs = buckets.flatMap((b) => b.jobs.filter((j) => j.jobId));
  const waiting = buckets.filter((b) => (b.after?.compliance.awaitingExpiration ?? 0) > 0);
  const dates = waiting.map((b) => b.expiration?.expiresBy);
  const expiresBy = waiting.length > 0 && dates.every((d) => d !== undefined) ? dates.sort().at(-1) : undefined;
  return {
    buckets: buckets.length,
    verified: buckets.filter((b) => b.after).length,
    before: {
      versions: sum(buckets.map((b) => b.before?.total.versions ?? 0)),
      bytes: sum(buckets.map((b) => b.before?.total.bytes ?? 0)),
      compliance: buckets.reduce((t, b) => addSplit(t, b.before?.compliance), NO_VERSIONS),
    },
    after: buckets.reduce((t, b) => addSplit(t, b.after?.compliance), NO_VERSIONS),
    jobs: jobs.length,
    tasksSucceeded: sum(jobs.map((j) => j.succeeded)),
    tasksFailed: sum(jobs.map((j) => j.failed)),
    ...(expiresBy ? { expiresBy } : {}),
  };
}

export function migrationReport(input: ReportInput): MigrationReport {
  const { state, outputs } = input;
  // Buckets no longer in the stack but still in the state are reported too: their work happened.
  const named = new Set([
    ...Object.keys(outputs.buckets),
    ...Object.values(state.jobs).map((j) => j.bucket),
    ...Object.keys(state.verifications ?? {}),
  ]);
  const buckets = [...named].sort().map((b) => bucketReport(input, b));
  const stands = buckets.some((b) => b.stands === 'needs-human')
    ? 'needs-human'
    : buckets.some((b) => b.stands === 'running')
      ? 'running'
      : 'done';
  return {
    title: `SSE-KMS migration report: stack ${outputs.stack}`,
    generatedAt: input.generatedAt.toISOString(),
    generatedBy: input.generatedBy ?? { toolVersion: 'unknown', commit: 'unknown' },
    runs: Object.values(state.commands ?? {}).sort((a, b) => a.at.localeCompare(b.at) || a.command.localeCompare(b.command)),
    totals: stackTotals(buckets),
    stack: {
      name: outputs.stack,
      region: outputs.region,
      account: outputs.account_id,
      keyArn: outputs.kms_key_arn,
      keyAlias: outputs.kms_key_alias,
      rotation: input.rotation ?? 'enabled by the stack (automatic yearly rotation)',
      state: `s3://${outputs.reports_bucket}/${outputs.reports_prefix}${REPORTS_LAYOUT.state}state.json`,
      stateUpdatedAt: state.updatedAt,
    },
    stands,
    buckets,
  };
}

/** A verdict in words a reader outside the team understands. */
export const STANDS_WORDS: Readonly<Record<BucketStatus['stands'], string>> = {
  done: 'done',
  running: 'in progress',
  'needs-human': 'needs attention',
};

const count = (value: number): string => value.toLocaleString('en-US');

/** Failure codes, most frequent first: "SlowDown 12, AccessDenied 1", or "-". */
export function failureCodeList(byCode: Readonly<Record<string, number>>): string {
  return (
    Object.entries(byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${count(n)}`)
      .join(', ') || '-'
  );
}

/** The key's verdict on a reader or writer, in the report's words. */
export const ACCESS_VERDICT_WORDS: Readonly<Record<AccessCheckRecord['verdict'], string>> = {
  granted: 'granted',
  'not-granted': 'NOT GRANTED',
  'granted-by-iam-not-checked': 'granted by IAM, not checked',
  'cannot-tell': 'CANNOT TELL',
  refused: 'CANNOT WORK',
};

export const ACCESS_COLUMNS = ['principal', 'as', 'via', 'key', 'accepted'] as const;

/** One reader or writer as table cells, for every format; `data` renders a value from the state. */
export function accessCells(c: AccessCheckRecord, data: (value: string) => string): string[] {
  const loses = c.verdict !== 'granted' && c.verdict !== 'granted-by-iam-not-checked';
  return [
    data(c.principal),
    data(c.kind),
    data(c.source),
    ACCESS_VERDICT_WORDS[c.verdict],
    c.accepted ? (loses ? 'yes: loses access' : 'yes') : '-',
  ];
}

export const REPLICATION_COLUMNS = ['replication rule', 'to', 'verdict'] as const;

/** One replication rule as table cells, for every format. */
export function replicationCells(r: DownstreamRecord['replication'][number], data: (value: string) => string): string[] {
  const blocking = r.verdict === 'refuse' || r.verdict === 'cannot-tell';
  return [data(r.rule), data(r.destination), blocking ? r.verdict.toUpperCase() : r.verdict];
}

export const EVENT_COLUMNS = ['event destination', 'as', 'events', 'accepted'] as const;

/** One event destination the migration's writes reach, as table cells, for every format. */
export function eventCells(e: DownstreamRecord['events'][number], data: (value: string) => string): string[] {
  const events = e.events === undefined ? 'one per copy' : `${e.bound === 'upper' ? 'at most ' : ''}${e.events.toLocaleString('en-US')}`;
  return [data(e.destination), data(e.kind), events, e.accepted ? 'yes' : 'NO'];
}

export const JOB_COLUMNS = [
  'job',
  'operation',
  'class',
  'status',
  'succeeded',
  'failed',
  'total',
  'failure codes',
  'read back',
  'completion report',
] as const;

/** One job as table cells, for every format; `location` renders the completion report's s3:// URL. */
export function jobCells(j: JobSection, location: (url: string) => string): (string | number)[] {
  return [
    j.jobId ?? '(planned)',
    j.operation,
    j.storageClass || '-',
    j.status,
    j.succeeded,
    j.failed,
    j.total,
    failureCodeList(j.failureCodes),
    j.readBack ? `${count(j.readBack.checked)} checked, ${count(j.readBack.problems.length)} disagree` : '-',
    j.completionReport ? location(j.completionReport) : '-',
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO time in milliseconds; undefined for anything else (Date.parse reads "42" as a year). */
export function isoTime(value: string): number | undefined {
  if (!ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An ISO time as a reader says it, in UTC: `5 Dec 2026, 14:41 UTC`; undefined for anything that is not one (data is shown as it is). */
export function humanTime(iso: string): string | undefined {
  if (isoTime(iso) === undefined) return undefined;
  const t = new Date(iso);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${humanDay(iso)}, ${two(t.getUTCHours())}:${two(t.getUTCMinutes())} UTC`;
}

/** An ISO time's day in UTC: `5 Dec 2026`; undefined for anything that is not one. */
export function humanDay(iso: string): string | undefined {
  if (isoTime(iso) === undefined) return undefined;
  const t = new Date(iso);
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
}

/** A commit id as shown: its first 12 characters; 'unknown' as it is. */
export const shortCommit = (commit: string): string => (/^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit);

/** How a bucket's noncurrent versions not compliant leave, in words: when the expiration removes them, or that nothing will yet. */
export function awaitingWords(awaiting: number, expiration: ExpirationSection | undefined): string {
  const versions = `${count(awaiting)} noncurrent ${awaiting === 1 ? 'version' : 'versions'} not compliant (the old copies the migration replaced)`;
  if (!expiration?.applied || !expiration.expiresBy)
    return `${versions}: kept until the noncurrent-version expiration is applied (migrate expire)`;
  const kept = expiration.newerNoncurrentVersions
    ? `, except the newest ${count(expiration.newerNoncurrentVersions)} noncurrent of each key, which the rule keeps`
    : '';
  return `${versions}: the expiration rule removes them by ${humanDay(expiration.expiresBy)} (${count(expiration.noncurrentDays)} days after it was applied)${kept}`;
}
