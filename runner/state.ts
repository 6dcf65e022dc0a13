// Durable state per stack in the reports bucket, and the lock that lets one runner at a time change
// it. Both are written with conditional writes, so two pipelines started together end with one set
// of jobs: the loser's write fails its precondition instead of overwriting.
import { z } from 'zod';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { S3Client } from './aws/clients';
import { REPORTS_LAYOUT, type StackOutputs } from '../stacks/outputs';
import { deleteObject, readDocument, readJson, writeJson } from './aws/s3';
import { STATE_VERSION, parseStateDocument } from './state-document';
import type { Checkpoint } from './core/checkpoint';
import type { LockSummary } from './core/plan';
import { AwsError, ConflictError, StateError } from './errors';
import type { BucketVerification } from './core/verify';

export interface JobRecord {
  /** ClientRequestToken: the identity of the work. */
  readonly token: string;
  readonly bucket: string;
  readonly operation: string;
  readonly storageClass: string;
  readonly inventoryDate: string;
  readonly attempt: number;
  readonly versions: number;
  /**
   * The classified actions whose versions the manifest holds, recorded with the plan so that a run
   * killed before this job was created writes the same manifest when it resumes.
   */
  readonly manifestActions?: readonly string[];
  manifestKey?: string;
  manifestETag?: string;
  manifestRows?: number;
  jobId?: string;
  status?: string;
  total?: number;
  succeeded?: number;
  failed?: number;
  submittedAt?: string;
  finishedAt?: string;
  reportPrefix?: string;
  /** Failed tasks by error code, from the completion report. */
  failureCodes?: Record<string, number>;
  /** Token of the job this one retries. */
  retryOf?: string;
  /** Token of the job that retried this one's retryable failures. */
  retriedBy?: string;
  /** Failed tasks a retry did not take over (final errors): still this job's to report. */
  unretriedFailures?: number;
  /**
   * Failed tasks (NoSuchVersion, NoSuchKey) whose version HeadObject confirmed gone since the
   * inventory: deleted by their owners, nothing left to migrate. Not open failures.
   */
  goneTasks?: number;
  /** A finished job's sampled versions, read back with HeadObject, and what they showed. */
  readBack?: { readonly checked: number; readonly problems: readonly string[] };
}

export interface MigrationState {
  readonly version: typeof STATE_VERSION;
  readonly stack: string;
  updatedAt: string;
  /** By token. */
  jobs: Record<string, JobRecord>;
  /** Per bucket, work the planned jobs do not finish, from the latest plan. */
  outstanding?: Record<string, OutstandingWork>;
  /** Passes of the runner's own per-version work (direct engine, copies outside Batch Operations), by `<pass>:<bucket>`. */
  direct?: Record<string, DirectPassRecord>;
  /** Unencrypted archived versions on their way through restore and copy, by `<bucket>\u0000<key>\u0000<versionId>`. */
  archived?: Record<string, ArchivedVersionRecord>;
  /** Per bucket, the latest `migrate verify` result: expire requires a pass newer than every job. */
  verifications?: Record<string, BucketVerification>;
  /** Per bucket, the noncurrent-version expiration rule as `migrate expire` last wrote or removed it. */
  expiration?: Record<string, ExpirationRecord>;
  /** Per bucket, the counts of the latest plan (a rerun's plan counts what is left). */
  plans?: Record<string, PlanRecord>;
  /** Per bucket, the counts of the first plan this state recorded: what the bucket held before the work, the report's "before". */
  firstPlans?: Record<string, PlanRecord>;
  /** Per command (run, verify, expire, retry-failed), who ran it last and with which build. */
  commands?: Record<string, CommandRun>;
  /** Per bucket, the latest check of who reads and writes it against the key policy, made before a run writes. */
  access?: Record<string, BucketAccessRecord>;
  /** Per bucket, the latest check of its replication rules and event destinations, made before a run writes. */
  downstream?: Record<string, DownstreamRecord>;
}

/** A bucket's replication rules and the event destinations the migration reaches, as a run checked them. */
export interface DownstreamRecord {
  readonly checkedAt: string;
  /** Each rule and its verdict: fine, refuse, cannot-tell, not-covered, disabled. */
  readonly replication: readonly { readonly rule: string; readonly destination: string; readonly verdict: string }[];
  /** Each destination the migration's events reach: how many (absent when not counted), exact or at most, and whether acceptEvents names it. */
  readonly events: readonly {
    readonly destination: string;
    readonly kind: string;
    readonly events?: number;
    readonly bound: string;
    readonly accepted: boolean;
  }[];
  /** Configurations that could not be read (the call was refused): what is downstream cannot be told. */
  readonly cannotTell: readonly string[];
  /** Configurations the endpoint does not implement (not AWS S3): reported, never refused. */
  readonly unsupported?: readonly string[];
}

/** One principal or service that reads or writes a bucket, and whether the key lets it on. */
export interface AccessCheckRecord {
  readonly principal: string;
  /** How it uses the bucket: reader, writer, cloudfront-oac, cloudfront-oai, log-delivery. */
  readonly kind: string;
  /** The policy that grants it the bucket: 'bucket policy' or 'access point <name>'. */
  readonly source: string;
  /** 'refused': nothing the key policy could grant makes it work. */
  readonly verdict: 'granted' | 'not-granted' | 'granted-by-iam-not-checked' | 'cannot-tell' | 'refused';
  /** Named in the bucket's acceptLosingAccess: reported, not refused. */
  readonly accepted: boolean;
}

/** A bucket's access check as a run made it: kept so that status and report can say who would lose access. */
export interface BucketAccessRecord {
  readonly checkedAt: string;
  readonly checks: readonly AccessCheckRecord[];
  /** Policies that could not be read: who reads the bucket cannot be told. */
  readonly cannotTell: readonly string[];
}

export interface VersionTotals {
  readonly versions: number;
  readonly bytes: number;
}

/** A plan's counts for one bucket, kept because the plan itself is not (it is Athena's answer of the day). */
export interface PlanRecord {
  /** The inventory partition, or 'listing' when the direct engine tallied a listing. */
  readonly inventoryDate: string;
  readonly madeAt: string;
  readonly engine: 'batch' | 'direct';
  /** By classified action (compliant, update-encryption, copy, ...). */
  readonly byAction: Record<string, VersionTotals>;
  /** By classified action, then storage class. */
  readonly byStorageClass: Record<string, Record<string, VersionTotals>>;
  /** Versions under Object Lock per class, with their retain-until range and legal holds. */
  readonly locked?: Record<string, LockSummary>;
  /** Versions counted in `copy` that the runner copies itself because the bucket uses ACLs. */
  readonly aclCopies?: VersionTotals;
}

/** Who ran a command against the stack, when, and with which build of the runner. */
export interface CommandRun {
  readonly command: string;
  readonly at: string;
  /** The caller's ARN, from sts:GetCallerIdentity. */
  readonly principal: string;
  /** package.json's version. */
  readonly toolVersion: string;
  /** The git commit the runner was run from, or 'unknown'. */
  readonly commit: string;
}

/** Records a bucket's plan as its latest, and as its first when the state has none yet. */
export function keepPlanRecord(state: MigrationState, bucket: string, plan: PlanRecord): void {
  (state.plans ??= {})[bucket] = plan;
  (state.firstPlans ??= {})[bucket] ??= plan;
}

/** Records who ran a command; the last run of each command is kept. */
export function recordCommand(state: MigrationState, run: CommandRun): void {
  (state.commands ??= {})[run.command] = run;
}

/** The plan record of a bucket's plan: its counts, without the jobs and prices derived from them. */
export function planRecordOf(
  plan: {
    readonly inventoryDate: string;
    readonly byAction: Partial<Record<string, VersionTotals>>;
    readonly byStorageClass: Partial<Record<string, Record<string, VersionTotals>>>;
    readonly locked?: Partial<Record<string, LockSummary>>;
    readonly aclCopies?: VersionTotals;
  },
  engine: 'batch' | 'direct',
  madeAt: Date = new Date(),
): PlanRecord {
  const byAction: Record<string, VersionTotals> = {};
  for (const [action, t] of Object.entries(plan.byAction)) if (t) byAction[action] = { versions: t.versions, bytes: t.bytes };
  const byStorageClass: Record<string, Record<string, VersionTotals>> = {};
  for (const [action, classes] of Object.entries(plan.byStorageClass)) if (classes) byStorageClass[action] = { ...classes };
  const locked: Record<string, LockSummary> = {};
  for (const [action, summary] of Object.entries(plan.locked ?? {})) if (summary) locked[action] = { ...summary };
  const aclCopies =
    plan.aclCopies && plan.aclCopies.versions > 0 ? { aclCopies: { versions: plan.aclCopies.versions, bytes: plan.aclCopies.bytes } } : {};
  return {
    inventoryDate: plan.inventoryDate,
    madeAt: madeAt.toISOString(),
    engine,
    byAction,
    byStorageClass,
    ...(Object.keys(locked).length ? { locked } : {}),
    ...aclCopies,
  };
}

export interface ExpirationRecord {
  readonly ruleId: string;
  readonly action: 'added' | 'updated' | 'unchanged' | 'removed' | 'absent';
  readonly at: string;
  readonly noncurrentDays: number;
  readonly newerNoncurrentVersions: number;
  readonly prefix: string;
  /** Applied with --force over a missing or failed verification. */
  readonly forced: boolean;
}

/** One pass over a bucket's versions in a deterministic order, resumable from its checkpoint. */
export interface DirectPassRecord {
  /** 'direct': every action; 'outside-batch': the copies Batch Operations cannot make. */
  readonly pass: 'direct' | 'outside-batch';
  readonly bucket: string;
  /** `inventory:<dt>` or `listing:<started at>`: a checkpoint only means something for its own source. */
  readonly source: string;
  readonly startedAt: string;
  finishedAt?: string;
  checkpoint: Checkpoint;
  /** Versions by outcome (updated, copied, skipped reasons, failed, ...). */
  outcomes: Record<string, number>;
  /** Writes read back with HeadObject and found as AWS documents them. @default 0 */
  readBack?: number;
  /**
   * Writes made to a key between the runner's read and its copy (possible only where the endpoint
   * ignores copy conditions), found under the copy and made current again by copying them. @default 0
   */
  newerWritesRestored?: number;
  /** The newest versions that failed; older ones are spilled to failureChunks. The next run retries all. */
  failures: DirectFailure[];
  /** Objects under the state prefix holding earlier failures of this pass (JSON arrays). @default [] */
  failureChunks?: string[];
  /** How many failures the chunks hold, and by error code. */
  spilledFailures?: number;
  spilledFailureCodes?: Record<string, number>;
}

export interface DirectFailure {
  readonly key: string;
  readonly versionId: string;
  readonly action: string;
  readonly code: string;
  readonly message: string;
}

export interface ArchivedVersionRecord {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly storageClass: string;
  stage: 'restore-requested' | 'restored' | 'copied' | 'superseded' | 'failed';
  updatedAt: string;
  /** The SSE-KMS version the copy wrote. */
  newVersionId?: string;
  error?: string;
}

export interface OutstandingWork {
  readonly inventoryDate: string;
  /** NOT-SSE current versions over 5 GiB: Batch Operations cannot copy them. */
  readonly overFiveGiB: number;
  /** NOT-SSE current versions in Glacier/Deep Archive: restored by a job, then still to be copied. */
  readonly archived: number;
  /** NOT-SSE current versions under Object Lock: copied one by one to keep their own settings. */
  readonly locked: number;
  /** NOT-SSE current versions in a bucket that uses ACLs: copied one by one to keep their ACL. */
  readonly acl: number;
}

/** Jobs the plan recorded that have no job id yet: a run stopped between two CreateJob calls. */
export function unsubmittedJobs(state: MigrationState): JobRecord[] {
  return Object.values(state.jobs).filter((r) => !r.jobId && !r.retryOf);
}

export function emptyState(stack: string): MigrationState {
  return { version: STATE_VERSION, stack, updatedAt: new Date(0).toISOString(), jobs: {} };
}

export class StateStore {
  private eTag?: string;
  readonly key: string;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    outputs: StackOutputs,
  ) {
    this.key = `${outputs.reports_prefix}${REPORTS_LAYOUT.state}state.json`;
  }

  /**
   * The state, upgraded to this runner's version and validated. One that does not parse stops the
   * command before anything is written, so it is never overwritten.
   */
  async load(stack: string): Promise<MigrationState> {
    const stored = await readDocument(this.s3, this.bucket, this.key);
    if (!stored) {
      this.eTag = undefined;
      return emptyState(stack);
    }
    const parsed = parseStateDocument(stored.value);
    if ('problem' in parsed) {
      throw new StateError(
        `The state s3://${this.bucket}/${this.key} cannot be read: ${parsed.problem}. It is left as it is. ` +
          `Restore an earlier version (the reports bucket keeps them for 30 days: aws s3api list-object-versions --bucket ${this.bucket} --prefix ${this.key}), ` +
          'or move it aside to start from an empty state: the next run plans again from the newest inventory and adopts the jobs earlier runs created for that plan ' +
          "(found by the token in their description, with s3:ListJobs), so none is created twice; jobs of an older inventory, and the runner's own passes, start afresh",
      );
    }
    this.eTag = stored.eTag;
    return parsed.value as MigrationState;
  }

  /**
   * Saves over exactly the version loaded; anything else means another runner wrote it. A state gone
   * since it was loaded is not written again: whoever removed it under a working runner meant it.
   */
  async save(state: MigrationState): Promise<void> {
    state.updatedAt = new Date().toISOString();
    let eTag: string | undefined;
    try {
      eTag = await writeJson(this.s3, this.bucket, this.key, state, this.eTag ? { ifMatch: this.eTag } : { ifNoneMatch: '*' });
    } catch (error) {
      if (!(this.eTag && error instanceof AwsError && error.awsCode === 'NoSuchKey')) throw error;
      throw new StateError(
        `The state s3://${this.bucket}/${this.key} is gone: it was deleted or moved aside while this run worked, and is not written again. ` +
          "The jobs this run created are not lost: rerun: it plans again and adopts every job the plan's tokens created (found by the token in their description), so none is created twice",
        { cause: error },
      );
    }
    if (eTag === undefined) {
      throw new ConflictError(`The state s3://${this.bucket}/${this.key} was changed by another runner; rerun to continue from its state`);
    }
    this.eTag = eTag;
  }
}

const lockBody = z.object({ owner: z.string(), acquiredAt: z.string(), heartbeatAt: z.string() });
type LockBody = z.infer<typeof lockBody>;

/** What to do about a lock object of another shape. */
const LOCK_FIX = 'it was not written by a runner of this version; when no runner is running, delete it and run again';

export interface LockOptions {
  /** A lock whose holder has not written for this long may be taken over. @default 30 minutes */
  readonly staleAfterMs?: number;
  readonly now?: () => Date;
}

/** How often a runner at work writes its lock; far under the 30 minutes after which it may be taken over. */
export const HEARTBEAT_EVERY_MS = 60_000;

export class StackLock {
  readonly key: string;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private eTag?: string;
  private lastWrittenMs = 0;
  private readonly staleAfterMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    outputs: StackOutputs,
    options: LockOptions = {},
  ) {
    this.key = `${outputs.reports_prefix}${REPORTS_LAYOUT.state}lock.json`;
    this.staleAfterMs = options.staleAfterMs ?? 30 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  private body(acquiredAt?: string): LockBody {
    const now = this.now().toISOString();
    return { owner: this.owner, acquiredAt: acquiredAt ?? now, heartbeatAt: now };
  }

  /** Takes the lock, or a stale one; otherwise says who holds it. */
  async acquire(): Promise<void> {
    const created = await writeJson(this.s3, this.bucket, this.key, this.body(), { ifNoneMatch: '*' });
    if (created !== undefined) {
      this.eTag = created;
      this.lastWrittenMs = Date.now();
      return;
    }
    const held = await readJson(this.s3, this.bucket, this.key, lockBody, LOCK_FIX);
    if (!held) return this.acquire();
    const idleMs = this.now().getTime() - new Date(held.value.heartbeatAt).getTime();
    if (idleMs < this.staleAfterMs) {
      throw new ConflictError(
        `Another runner (${held.value.owner}, since ${held.value.acquiredAt}, last heard from ${held.value.heartbeatAt}) holds the lock s3://${this.bucket}/${this.key}; ` +
          `it is taken over once silent for --lock-stale-minutes (${Math.round(this.staleAfterMs / 60_000)}; silent now ${Math.round(idleMs / 60_000)}). ` +
          'A live runner writes the lock at least every minute: lower --lock-stale-minutes only when that runner is known to be dead ' +
          '(its pipeline job ended or was killed), never to get past one that is still running',
      );
    }
    // Stale: replace exactly the lock we read, so two runners taking it over cannot both win.
    const taken = await writeJson(this.s3, this.bucket, this.key, this.body(), { ifMatch: held.eTag });
    if (taken === undefined) throw new ConflictError(`Another runner took over the stale lock s3://${this.bucket}/${this.key} first`);
    this.eTag = taken;
    this.lastWrittenMs = Date.now();
  }

  /** Proves the holder is alive; fails if the lock was taken over meanwhile. */
  async heartbeat(): Promise<void> {
    if (!this.eTag) return;
    const held = await readJson(this.s3, this.bucket, this.key, lockBody, LOCK_FIX);
    const eTag = await writeJson(this.s3, this.bucket, this.key, this.body(held?.value.acquiredAt), { ifMatch: this.eTag });
    if (eTag === undefined) throw new ConflictError(`The lock s3://${this.bucket}/${this.key} was taken over by another runner; stopping`);
    this.eTag = eTag;
    this.lastWrittenMs = Date.now();
  }

  /**
   * A heartbeat once HEARTBEAT_EVERY_MS have passed since the lock was last written, else nothing:
   * what a long run calls as often as it likes, so its lock writes grow with minutes, not with calls.
   */
  async heartbeatIfDue(): Promise<void> {
    if (Date.now() - this.lastWrittenMs >= HEARTBEAT_EVERY_MS) await this.heartbeat();
  }

  /** Deletes the lock only while it is still the one this runner wrote: a lock taken over since stays. */
  async release(): Promise<boolean> {
    if (!this.eTag) return false;
    const released = await deleteObject(this.s3, this.bucket, this.key, { ifMatch: this.eTag });
    this.eTag = undefined;
    return released;
  }
}

/** The stack's state, loaded under its lock, for a command that changes it. */
export interface StackSession {
  readonly state: MigrationState;
  readonly store: StateStore;
  readonly lock: StackLock;
}

/** Takes the stack's lock, loads the state, runs the body, and releases the lock however it ends. */
export async function withStackLock<T>(
  s3: S3Client,
  outputs: StackOutputs,
  options: LockOptions,
  body: (session: StackSession) => Promise<T>,
): Promise<T> {
  const lock = new StackLock(s3, outputs.reports_bucket, outputs, options);
  await lock.acquire();
  try {
    const store = new StateStore(s3, outputs.reports_bucket, outputs);
    const state = await store.load(outputs.stack);
    return await body({ state, store, lock });
  } finally {
    await lock.release();
  }
}
