// S3 Batch Operations, HTTP-free: jobs walk AWS's lifecycle on their own clock, perform their
// tasks at a configurable rate through the S3 world, apply the failure threshold, and write
// completion reports. The S3 Control handler and tests drive it; it never touches HTTP.
import { randomUUID } from 'node:crypto';
import type { FaultInjector } from '../faults';
import type { IamWorld } from '../iam/world';
import { optional } from '../optional';
import { decodeOffsetToken, pageFrom } from '../page-token';
import type { ObjectVersion } from '../s3/model';
import type { S3World } from '../s3/world';
import { s3ControlErrors } from './errors';
import { bucketNameOf, ManifestError, manifestTaskSteps } from './manifest';
import {
  JOB_STATUSES,
  TERMINAL_STATUSES,
  type CreateJobInput,
  type JobDescriptor,
  type JobFailure,
  type JobManifestGeneratorFilter,
  type JobStatus,
  type JobTask,
  type ObjectEncryptionFilter,
  type OperationName,
  type S3Tag,
  type TaskResult,
} from './model';
import { completionReportSteps, writeCompletionReport, type CompletionReport } from './report';
import { performTask } from './tasks';
import { taskArray, type TaskList } from './task-list';
import { validateCreateJob } from './validate';

/** The longest a tick runs tasks before it lets the sandbox answer requests again. */
const TICK_SLICE_MS = 20;
/** The scope of ListJobs' page tokens. */
const LIST_JOBS = 'ListJobs';

/** Batch Operations fails a job once this many tasks ran and more than half of them failed. */
export const FAILURE_THRESHOLD_MIN_TASKS = 1000;

/** Jobs are forgotten this long after they end (Complete, Failed or Cancelled). */
export const JOB_RETENTION_MS = 90 * 86_400_000;

export interface BatchOperationsDeps {
  readonly s3: S3World;
  readonly iam: IamWorld;
  readonly accountId: string;
  readonly region: string;
  readonly now: () => Date;
  /** The sandbox's fault injection, which KMS-using tasks consult (service `kms`). @default none */
  readonly faults?: FaultInjector;
}

export interface BatchOperationsProps {
  /** Tasks performed per second across all active jobs, highest priority first. @default 200 */
  readonly tasksPerSecond?: number;
  /** How often jobs advance, in milliseconds. Each tick moves a job at most one status. @default 10 */
  readonly tickMs?: number;
}

export interface ListJobsParams {
  readonly jobStatuses?: readonly JobStatus[];
  readonly nextToken?: string;
  /** @default 1000 */
  readonly maxResults?: number;
}

export interface JobListDescriptor {
  readonly JobId: string;
  readonly Description?: string;
  readonly Operation: OperationName;
  readonly Priority: number;
  readonly Status: JobStatus;
  readonly CreationTime: Date;
  readonly TerminationDate?: Date;
  readonly ProgressSummary: JobDescriptor['ProgressSummary'];
}

/** A waitForStatus that ran out of time: says where the job stood. */
export class JobWaitTimeoutError extends Error {
  constructor(
    readonly jobId: string,
    readonly lastStatus: JobStatus,
    wanted: readonly JobStatus[],
    timeoutMs: number,
  ) {
    super(`job ${jobId} did not reach ${wanted.join(' or ')} within ${timeoutMs} ms; it is ${lastStatus}`);
    this.name = 'JobWaitTimeoutError';
  }
}

interface JobRecord {
  readonly jobId: string;
  readonly accountId: string;
  readonly input: CreateJobInput;
  readonly operationName: OperationName;
  readonly fingerprint: string;
  readonly creationTime: Date;
  status: JobStatus;
  priority: number;
  tags: readonly S3Tag[];
  statusUpdateReason?: string;
  failureReasons: JobFailure[];
  terminationDate?: Date;
  suspendedDate?: Date;
  suspendedCause?: string;
  tasks?: TaskList;
  /** The manifest being read, while Preparing takes more than one tick. */
  preparing?: Generator<void, TaskList>;
  /** The completion report being built, while the job's last status takes more than one tick. */
  reporting?: Generator<void, CompletionReport | undefined>;
  /** Counted at Preparing, kept once the tasks are let go at the end. */
  totalTasks: number;
  next: number;
  /** Which tasks succeeded, by index (a byte each, not an object each: a job may hold millions). */
  succeededAt?: Uint8Array;
  /** The failed tasks' results, in the order they ran. */
  readonly failures: TaskResult[];
  succeeded: number;
  failed: number;
  activeMs: number;
}

const NO_TASKS = taskArray([]);
const SUCCEEDED = { succeeded: true, httpStatusCode: 200, resultMessage: 'Successful' } as const;

/** The results of the tasks that ran, in the order they ran, made one at a time as the report reads them. */
function ranResults(job: JobRecord): Iterable<TaskResult> {
  return {
    *[Symbol.iterator]() {
      const tasks = job.tasks ?? NO_TASKS;
      let failure = 0;
      for (let at = 0; at < job.next; at++) {
        if (job.succeededAt?.[at] === 1) yield { task: tasks.at(at), ...SUCCEEDED };
        else yield job.failures[failure++]!;
      }
    },
  };
}

export class BatchOperations {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly tokens = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private rate: number;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** The last tick ran out of its time slice with work left: the next one need not wait tickMs. */
  private slicedOff = false;
  private lastTick = 0;
  private budget = 0;

  constructor(
    private readonly deps: BatchOperationsDeps,
    props: BatchOperationsProps = {},
  ) {
    this.rate = props.tasksPerSecond ?? 200;
    this.tickMs = props.tickMs ?? 10;
    validateRate(this.rate);
  }

  // --- in-process controls -------------------------------------------------------------------

  /** Tasks per second across all jobs: high in tests, low enough in demos to watch progress. */
  setTaskRate(tasksPerSecond: number): void {
    validateRate(tasksPerSecond);
    this.rate = tasksPerSecond;
  }

  taskRate(): number {
    return this.rate;
  }

  /** Resolves with the job once it has one of the statuses; rejects with JobWaitTimeoutError. */
  waitForStatus(
    jobId: string,
    statuses: JobStatus | readonly JobStatus[],
    options: { readonly timeoutMs?: number; readonly accountId?: string } = {},
  ): Promise<JobDescriptor> {
    const wanted: readonly JobStatus[] = typeof statuses === 'string' ? [statuses] : statuses;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const accountId = options.accountId ?? this.deps.accountId;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const job = this.describeJob(accountId, jobId);
        if (!wanted.includes(job.Status)) return false;
        this.listeners.delete(check);
        clearTimeout(timeout);
        resolve(job);
        return true;
      };
      const timeout = setTimeout(() => {
        this.listeners.delete(check);
        reject(new JobWaitTimeoutError(jobId, this.describeJob(accountId, jobId).Status, wanted, timeoutMs));
      }, timeoutMs);
      try {
        if (!check()) this.listeners.add(check);
      } catch (error) {
        clearTimeout(timeout);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on whatever check() threw, as an await would
        reject(error);
      }
    });
  }

  /** Every job of every account, newest first: for tests and the demo. */
  allJobs(): JobDescriptor[] {
    return [...this.jobs.values()].sort(newestFirst).map((j) => this.descriptor(j));
  }

  /** Stops the clock (jobs keep their state); the next CreateJob or status change restarts it. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // --- the API -------------------------------------------------------------------------------

  /** CreateJob. The same ClientRequestToken returns the job it created before, and no second job. */
  createJob(accountId: string, input: CreateJobInput): { readonly JobId: string } {
    this.checkAccount(accountId);
    const fingerprint = JSON.stringify({ ...input, ClientRequestToken: undefined });
    const tokenKey = `${accountId}\u0000${input.ClientRequestToken}`;
    const existingId = this.tokens.get(tokenKey);
    if (existingId !== undefined) {
      const existing = this.jobs.get(existingId)!;
      if (existing.fingerprint !== fingerprint) throw s3ControlErrors.idempotency(input.ClientRequestToken);
      return { JobId: existing.jobId };
    }
    const operationName = validateCreateJob(this.deps, input);
    const job: JobRecord = {
      jobId: randomUUID(),
      accountId,
      input,
      operationName,
      fingerprint,
      creationTime: this.deps.now(),
      status: 'New',
      priority: input.Priority,
      tags: input.Tags ?? [],
      failureReasons: [],
      next: 0,
      totalTasks: 0,
      failures: [],
      succeeded: 0,
      failed: 0,
      activeMs: 0,
    };
    this.jobs.set(job.jobId, job);
    this.tokens.set(tokenKey, job.jobId);
    this.ensureRunning();
    return { JobId: job.jobId };
  }

  describeJob(accountId: string, jobId: string): JobDescriptor {
    return this.descriptor(this.record(accountId, jobId));
  }

  listJobs(accountId: string, params: ListJobsParams = {}): { readonly Jobs: JobListDescriptor[]; readonly NextToken?: string } {
    this.checkAccount(accountId);
    const maxResults = params.maxResults ?? 1000;
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) {
      throw s3ControlErrors.badRequest(`'MaxResults' must be between 0 and 1000. Received: ${maxResults}`);
    }
    const unknown = (params.jobStatuses ?? []).filter((status) => !JOB_STATUSES.includes(status));
    if (unknown.length > 0)
      throw s3ControlErrors.badRequest(`'JobStatuses' must be among ${JOB_STATUSES.join(', ')}. Received: ${unknown.join(', ')}`);
    const offset = params.nextToken !== undefined ? decodeOffsetToken(params.nextToken, LIST_JOBS) : 0;
    if (offset === undefined)
      throw s3ControlErrors.badRequest(`'NextToken' is not a token ListJobs returned. Received: ${params.nextToken}`);
    const matching = [...this.jobs.values()]
      .filter(
        (j) => j.accountId === accountId && !this.isForgotten(j) && (!params.jobStatuses?.length || params.jobStatuses.includes(j.status)),
      )
      .sort(newestFirst);
    const page = pageFrom(matching, offset, maxResults, LIST_JOBS);
    const Jobs = page.items.map((j) => {
      const d = this.descriptor(j);
      return {
        JobId: d.JobId,
        ...optional('Description', d.Description),
        Operation: j.operationName,
        Priority: d.Priority,
        Status: d.Status,
        CreationTime: d.CreationTime,
        ...optional('TerminationDate', d.TerminationDate),
        ProgressSummary: d.ProgressSummary,
      };
    });
    return { Jobs, ...optional('NextToken', page.nextToken) };
  }

  /** UpdateJobStatus: `Ready` confirms a Suspended job; `Cancelled` cancels any job not yet ended. */
  updateJobStatus(
    accountId: string,
    jobId: string,
    requested: string,
    reason?: string,
  ): { JobId: string; Status: JobStatus; StatusUpdateReason?: string } {
    const job = this.record(accountId, jobId);
    if (requested === 'Ready') {
      if (job.status !== 'Suspended')
        throw s3ControlErrors.jobStatus(`Job ${jobId} cannot be confirmed: it is ${job.status}, not Suspended`);
      this.transition(job, 'Ready');
    } else if (requested === 'Cancelled') {
      if (TERMINAL_STATUSES.has(job.status) || job.status === 'Cancelling' || job.status === 'Failing' || job.status === 'Completing') {
        throw s3ControlErrors.jobStatus(`Job ${jobId} cannot be cancelled: it is ${job.status}`);
      }
      this.transition(job, 'Cancelling');
    } else {
      throw s3ControlErrors.badRequest(`'RequestedJobStatus' must be Ready or Cancelled. Received: ${requested}`);
    }
    if (reason !== undefined) job.statusUpdateReason = reason;
    this.ensureRunning();
    return { JobId: job.jobId, Status: job.status, ...optional('StatusUpdateReason', job.statusUpdateReason) };
  }

  updateJobPriority(accountId: string, jobId: string, priority: number): { JobId: string; Priority: number } {
    const job = this.record(accountId, jobId);
    if (!Number.isInteger(priority) || priority < 0 || priority > 2_147_483_647) {
      throw s3ControlErrors.badRequest(`'Priority' must be an integer between 0 and 2147483647. Received: ${priority}`);
    }
    job.priority = priority;
    return { JobId: job.jobId, Priority: job.priority };
  }

  getJobTagging(accountId: string, jobId: string): readonly S3Tag[] {
    return this.record(accountId, jobId).tags;
  }

  putJobTagging(accountId: string, jobId: string, tags: readonly S3Tag[]): void {
    if (tags.length > 50) throw s3ControlErrors.badRequest(`A job has at most 50 tags. Received: ${tags.length}`);
    this.record(accountId, jobId).tags = [...tags];
  }

  deleteJobTagging(accountId: string, jobId: string): void {
    this.record(accountId, jobId).tags = [];
  }

  // --- the clock -----------------------------------------------------------------------------

  private ensureRunning(): void {
    if (this.timer) return;
    this.lastTick = Date.now();
    this.scheduleTick();
  }

  /**
   * The next tick comes `tickMs` after this one ends, not on a fixed beat: however long a tick
   * worked, the requests that arrived meanwhile are answered before the next one starts. A tick
   * that ran out of its slice with work left is followed by the next timer turn (0 ms), still
   * after those requests: idling tickMs after every 20 ms slice left a third of a large job's
   * time unused. (Not setImmediate: an unreferenced immediate lets the loop block in its poll.)
   */
  private scheduleTick(): void {
    const timer = setTimeout(
      () => {
        this.tick();
        // stop() (from the tick or a caller) clears the timer: then the clock has stopped.
        if (this.timer === timer) this.scheduleTick();
      },
      this.slicedOff ? 0 : this.tickMs,
    );
    this.slicedOff = false;
    // A sandbox with a job in flight must not keep a test process alive on its own.
    timer.unref();
    this.timer = timer;
  }

  private tick(): void {
    const now = Date.now();
    const elapsedMs = now - this.lastTick;
    this.lastTick = now;
    // Unused capacity does not pile up beyond a few ticks, so a job created later does not burst.
    this.budget = Math.min(this.budget + (this.rate * elapsedMs) / 1000, Math.max(1, (this.rate * this.tickMs * 4) / 1000));
    const live = [...this.jobs.values()].filter((j) => !TERMINAL_STATUSES.has(j.status));
    live.sort((a, b) => b.priority - a.priority || a.creationTime.getTime() - b.creationTime.getTime());
    for (const job of live) {
      try {
        this.advance(job, elapsedMs);
      } catch (error) {
        // A sandbox bug must not kill the process from a timer: the job fails and says why.
        job.failureReasons.push({ FailureCode: 'InternalError', FailureReason: `sandbox failure: ${String(error)}` });
        job.terminationDate = this.deps.now();
        this.transition(job, 'Failed');
      }
    }
    if (live.every((j) => TERMINAL_STATUSES.has(j.status) || j.status === 'Suspended')) this.stop();
  }

  private advance(job: JobRecord, elapsedMs: number): void {
    switch (job.status) {
      case 'New':
        return this.transition(job, 'Preparing');
      case 'Preparing':
        return this.prepare(job);
      case 'Ready':
        return this.transition(job, 'Active');
      case 'Active':
        job.activeMs += elapsedMs;
        return this.runTasks(job);
      case 'Completing':
        return this.finish(job, 'Complete');
      case 'Failing':
        return this.finish(job, 'Failed');
      case 'Cancelling':
        return this.finish(job, 'Cancelled');
      default:
        return;
    }
  }

  private prepare(job: JobRecord): void {
    let tasks: TaskList;
    try {
      const manifest = job.input.Manifest;
      job.preparing ??= manifest ? manifestTaskSteps(this.deps.s3, manifest) : generated(() => taskArray(this.generateTasks(job)));
      const read = stepFor(job.preparing);
      if (read === undefined) {
        this.slicedOff = true;
        return;
      }
      tasks = read.value;
    } catch (error) {
      job.preparing = undefined;
      if (!(error instanceof ManifestError)) throw error;
      job.failureReasons.push({ FailureCode: error.failureCode, FailureReason: error.message });
      return this.finish(job, 'Failed');
    }
    job.preparing = undefined;
    job.tasks = tasks;
    job.totalTasks = tasks.length;
    job.succeededAt = new Uint8Array(tasks.length);
    if (job.input.ConfirmationRequired) {
      job.suspendedDate = this.deps.now();
      job.suspendedCause = 'AwaitingConfirmation';
      return this.transition(job, 'Suspended');
    }
    this.transition(job, 'Ready');
  }

  private runTasks(job: JobRecord): void {
    const tasks = job.tasks ?? NO_TASKS;
    const context = { s3: this.deps.s3, ...optional('faults', this.deps.faults) };
    const operation = job.input.Operation;
    let changed = false;
    // A tick works for a slice of time at most, whatever the budget: the service keeps answering
    // requests while a million-task job runs, as AWS does.
    const until = Date.now() + TICK_SLICE_MS;
    while (this.budget >= 1 && job.next < tasks.length && (job.next % 256 !== 0 || Date.now() < until)) {
      this.budget -= 1;
      const at = job.next++;
      const result = performTask(context, operation, tasks.at(at));
      if (result.succeeded) {
        job.succeededAt![at] = 1;
        job.succeeded++;
      } else {
        job.failures.push(result);
        job.failed++;
      }
      changed = true;
      const ran = job.succeeded + job.failed;
      if (ran >= FAILURE_THRESHOLD_MIN_TASKS && job.failed * 2 > ran) {
        job.failureReasons.push({
          FailureCode: 'TaskFailureThresholdExceeded',
          FailureReason: `The job failed because more than 50% of its tasks failed after ${ran} tasks ran (${job.failed} failed). See the completion report for each task's error.`,
        });
        return this.transition(job, 'Failing');
      }
    }
    if (job.next >= tasks.length) return this.transition(job, 'Completing');
    if (this.budget >= 1) this.slicedOff = true;
    if (changed) this.notify();
  }

  private finish(job: JobRecord, status: 'Complete' | 'Failed' | 'Cancelled'): void {
    job.reporting ??= completionReportSteps(job.jobId, job.input.Report, ranResults(job), this.deps.now());
    const built = stepFor(job.reporting);
    // Not done within this tick: the job keeps its status and the next tick goes on.
    if (built === undefined) {
      this.slicedOff = true;
      return;
    }
    job.reporting = undefined;
    const report = built.value;
    // As AWS does: a report only once at least one task ran.
    if (report && job.next > 0) {
      try {
        writeCompletionReport(this.deps.s3, report);
      } catch (error) {
        job.failureReasons.push({
          FailureCode: 'ReportWriteFailed',
          FailureReason: `Writing the completion report failed: ${(error as Error).message}`,
        });
        status = 'Failed';
      }
    }
    // The report holds the outcomes now: the tasks are let go, the counts stay.
    job.tasks = undefined;
    job.succeededAt = undefined;
    job.terminationDate = this.deps.now();
    this.transition(job, status);
  }

  private transition(job: JobRecord, status: JobStatus): void {
    job.status = status;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** The manifest generator: the source bucket's current versions that pass every filter. */
  private generateTasks(job: JobRecord): JobTask[] {
    const generator = job.input.ManifestGenerator!.S3JobManifestGenerator;
    const bucket = bucketNameOf(generator.SourceBucket)!;
    const tasks: JobTask[] = [];
    for (const { version, isLatest } of this.deps.s3.versions(bucket)) {
      if (!isLatest || version.isDeleteMarker || !passesFilter(version, generator.Filter)) continue;
      tasks.push({ bucket, key: version.key, manifestKey: encodeURIComponent(version.key), versionId: version.versionId });
    }
    return tasks;
  }

  // --- records -------------------------------------------------------------------------------

  private record(accountId: string, jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job || job.accountId !== accountId || this.isForgotten(job)) throw s3ControlErrors.noSuchJob(jobId);
    return job;
  }

  /** True 90 days after a job ended, by the world's clock: AWS no longer knows it. */
  private isForgotten(job: JobRecord): boolean {
    return job.terminationDate !== undefined && this.deps.now().getTime() - job.terminationDate.getTime() > JOB_RETENTION_MS;
  }

  private checkAccount(accountId: string): void {
    if (accountId !== this.deps.accountId)
      throw s3ControlErrors.accessDenied(`Account ${accountId} is not the sandbox's account ${this.deps.accountId}`);
  }

  private descriptor(job: JobRecord): JobDescriptor {
    const input = job.input;
    return {
      JobId: job.jobId,
      JobArn: `arn:aws:s3:${this.deps.region}:${job.accountId}:job/${job.jobId}`,
      ConfirmationRequired: input.ConfirmationRequired ?? false,
      ...optional('Description', input.Description),
      Status: job.status,
      ...optional('Manifest', input.Manifest),
      ...optional('ManifestGenerator', input.ManifestGenerator),
      Operation: input.Operation,
      Priority: job.priority,
      ProgressSummary: {
        // AWS reports the total once the manifest is read.
        TotalNumberOfTasks: job.totalTasks,
        NumberOfTasksSucceeded: job.succeeded,
        NumberOfTasksFailed: job.failed,
        Timers: { ElapsedTimeInActiveSeconds: Math.floor(job.activeMs / 1000) },
      },
      ...optional('StatusUpdateReason', job.statusUpdateReason),
      FailureReasons: [...job.failureReasons],
      Report: input.Report,
      CreationTime: job.creationTime,
      ...optional('TerminationDate', job.terminationDate),
      RoleArn: input.RoleArn,
      ...optional('SuspendedDate', job.suspendedDate),
      ...optional('SuspendedCause', job.suspendedCause),
    };
  }
}

/** Runs stepped work for a tick's slice at most: its result once it finished, else undefined. */
function stepFor<T>(steps: Generator<void, T>): { readonly value: T } | undefined {
  const until = Date.now() + TICK_SLICE_MS;
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value };
    if (Date.now() >= until) return undefined;
  }
}

/** Work done in one step, as a stepped piece of work. */
// eslint-disable-next-line require-yield -- one step: nothing to yield between
function* generated<T>(make: () => T): Generator<void, T> {
  return make();
}

function passesFilter(version: ObjectVersion, filter: JobManifestGeneratorFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.CreatedAfter && version.lastModified <= filter.CreatedAfter) return false;
  if (filter.CreatedBefore && version.lastModified >= filter.CreatedBefore) return false;
  if (filter.ObjectSizeGreaterThanBytes !== undefined && !(version.size > filter.ObjectSizeGreaterThanBytes)) return false;
  if (filter.ObjectSizeLessThanBytes !== undefined && !(version.size < filter.ObjectSizeLessThanBytes)) return false;
  if (filter.MatchAnyStorageClass?.length && !filter.MatchAnyStorageClass.includes(version.storageClass)) return false;
  const names = filter.KeyNameConstraint;
  if (names?.MatchAnyPrefix?.length && !names.MatchAnyPrefix.some((p) => version.key.startsWith(p))) return false;
  if (names?.MatchAnySuffix?.length && !names.MatchAnySuffix.some((s) => version.key.endsWith(s))) return false;
  if (names?.MatchAnySubstring?.length && !names.MatchAnySubstring.some((s) => version.key.includes(s))) return false;
  if (filter.MatchAnyObjectEncryption?.length && !filter.MatchAnyObjectEncryption.some((f) => matchesEncryption(version, f))) return false;
  return true;
}

function matchesEncryption(version: ObjectVersion, filter: ObjectEncryptionFilter): boolean {
  const e = version.encryption;
  if (filter.SSES3) return e.status === 'SSE-S3';
  if (filter.NOTSSE) return e.status === 'NOT-SSE';
  if (filter.SSEC) return e.status === 'SSE-C';
  if (filter.DSSEKMS)
    return e.status === 'DSSE-KMS' && (filter.DSSEKMS.KmsKeyArn === undefined || filter.DSSEKMS.KmsKeyArn === e.kmsKeyArn);
  if (filter.SSEKMS) {
    return (
      e.status === 'SSE-KMS' &&
      (filter.SSEKMS.KmsKeyArn === undefined || filter.SSEKMS.KmsKeyArn === e.kmsKeyArn) &&
      (filter.SSEKMS.BucketKeyEnabled === undefined || filter.SSEKMS.BucketKeyEnabled === e.bucketKeyEnabled)
    );
  }
  return false;
}

function newestFirst(a: { creationTime: Date; jobId: string }, b: { creationTime: Date; jobId: string }): number {
  return b.creationTime.getTime() - a.creationTime.getTime() || (a.jobId < b.jobId ? -1 : 1);
}

function validateRate(tasksPerSecond: number): void {
  if (!(tasksPerSecond > 0) || !Number.isFinite(tasksPerSecond)) {
    throw new RangeError(`'tasksPerSecond' must be a positive number. Received: ${tasksPerSecond}`);
  }
}
