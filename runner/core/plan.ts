// A migration plan from Athena's per-action counts: what each bucket needs, what is left alone and
// why, and the totals the cost model prices. Pure: rows in, plan out.
import { ACTIONS, ACTIONABLE, Action, UNTOUCHED_REASONS } from './classify';
import type { ActionTotals, PlanTotals } from './cost';
import { LOCKED_ACTIONS, type PlanRow } from './plan-query';

export type { PlanRow };

export type LockedAction = (typeof LOCKED_ACTIONS)[number];

/** Versions of one class under Object Lock: how many, and until when. */
export interface LockSummary {
  readonly versions: number;
  readonly bytes: number;
  /** Earliest retain-until date (ISO 8601) among them; absent when none has retention (legal holds only). */
  readonly retainUntilEarliest?: string;
  readonly retainUntilLatest?: string;
  readonly legalHolds: number;
}

export interface JobSpec {
  readonly operation: 'S3UpdateObjectEncryption' | 'S3PutObjectCopy' | 'S3InitiateRestoreObject';
  readonly action: Action;
  /** Storage class of a copy (and restore) job; '' for update-encryption. */
  readonly storageClass: string;
  /** The classified actions whose versions go into this job's manifest. */
  readonly manifestActions: readonly Action[];
  readonly versions: number;
  readonly bytes: number;
}

export interface BucketPlan {
  readonly bucket: string;
  /** The inventory partition the plan was drawn from. */
  readonly inventoryDate: string;
  readonly byAction: Partial<Record<Action, ActionTotals>>;
  readonly keyCheck?: KeyCheck;
  /** Per action, per storage class. */
  readonly byStorageClass: Partial<Record<Action, Record<string, ActionTotals>>>;
  readonly jobs: readonly JobSpec[];
  /** Work Batch Operations cannot do: copied by the runner (over 5 GiB). */
  readonly directCopies: ActionTotals;
  /** Copied by the runner one by one to keep each version's own Object Lock settings. */
  readonly lockedCopies: ActionTotals;
  /**
   * Versions under Object Lock per class, with their retain-until dates and legal holds: none of them
   * ever goes to UpdateObjectEncryption, which refuses locked versions.
   */
  readonly locked: Partial<Record<LockedAction, LockSummary>>;
  /**
   * Copies in a bucket that uses ACLs: a copy job gives every object one ACL, so these are copied
   * one by one with their own ACL read and written back.
   */
  readonly aclCopies: ActionTotals;
  readonly untouched: readonly { readonly action: Action; readonly reason: string; readonly versions: number; readonly bytes: number }[];
}

function add(a: ActionTotals | undefined, versions: number, bytes: number): ActionTotals {
  return { versions: (a?.versions ?? 0) + versions, bytes: (a?.bytes ?? 0) + bytes };
}

/** A retain-until value as the inventory column holds it (ISO 8601 text, or epoch milliseconds) as ISO 8601. */
export function retainUntilIso(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (!Number.isFinite(date.getTime()))
    throw new Error(`Unexpected Object Lock retain-until date in the inventory: ${JSON.stringify(value)}`);
  return date.toISOString();
}

function addLock(summary: LockSummary | undefined, row: PlanRow, versions: number, bytes: number): LockSummary {
  const min = retainUntilIso(row.retain_until_min);
  const max = retainUntilIso(row.retain_until_max);
  const earliest = [summary?.retainUntilEarliest, min].filter((d): d is string => d !== undefined).sort()[0];
  const latest = [summary?.retainUntilLatest, max]
    .filter((d): d is string => d !== undefined)
    .sort()
    .pop();
  return {
    versions: (summary?.versions ?? 0) + versions,
    bytes: (summary?.bytes ?? 0) + bytes,
    ...(earliest ? { retainUntilEarliest: earliest } : {}),
    ...(latest ? { retainUntilLatest: latest } : {}),
    legalHolds: (summary?.legalHolds ?? 0) + Number(row.legal_holds || 0),
  };
}

function isLockedAction(action: Action): action is LockedAction {
  return (LOCKED_ACTIONS as readonly string[]).includes(action);
}

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

export interface BucketTraits {
  /** Objects carry ACLs a copy must keep. @default false */
  readonly usesAcls?: boolean;
  /**
   * What HeadObject found on a sample of the versions inventory calls compliant (SSE-KMS with a
   * Bucket Key): inventory has no key id, so a sample under another key means every such version
   * is re-wrapped under ours too. @default not checked
   */
  readonly keyCheck?: KeyCheck;
}

export interface KeyCheck {
  /** Versions read with HeadObject: the sample. */
  readonly sampled: number;
  /** Sampled versions under a key other than the migration key. */
  readonly foreign: number;
  /**
   * Versions drawn for the sample that are gone since the inventory (deleted, or the null version
   * behind a delete marker): skipped, and the sample drawn on past them. @default 0
   */
  readonly gone?: number;
}

export function bucketPlan(bucket: string, inventoryDate: string, rows: readonly PlanRow[], traits: BucketTraits = {}): BucketPlan {
  const byAction: Partial<Record<Action, ActionTotals>> = {};
  const byStorageClass: Partial<Record<Action, Record<string, ActionTotals>>> = {};
  const locked: Partial<Record<LockedAction, LockSummary>> = {};
  for (const row of rows) {
    if (!isAction(row.action)) {
      throw new Error(
        `Inventory of ${bucket} has versions the runner cannot classify (action '${row.action}'): check the EncryptionStatus values`,
      );
    }
    const versions = Number(row.versions);
    const bytes = Number(row.bytes || 0);
    byAction[row.action] = add(byAction[row.action], versions, bytes);
    const classes = (byStorageClass[row.action] ??= {});
    classes[row.storage_class] = add(classes[row.storage_class], versions, bytes);
    if (isLockedAction(row.action)) locked[row.action] = addLock(locked[row.action], row, versions, bytes);
  }
  const jobs: JobSpec[] = [];
  const rewrapSseKms = (traits.keyCheck?.foreign ?? 0) > 0;
  const update = add(
    byAction['update-encryption'],
    rewrapSseKms ? (byAction.compliant?.versions ?? 0) : 0,
    rewrapSseKms ? (byAction.compliant?.bytes ?? 0) : 0,
  );
  if (update.versions > 0) {
    const manifestActions: Action[] = rewrapSseKms ? ['update-encryption', 'compliant'] : ['update-encryption'];
    jobs.push({ operation: 'S3UpdateObjectEncryption', action: 'update-encryption', storageClass: '', manifestActions, ...update });
  }
  // Locked versions never join this manifest: 'compliant-locked' is apart from 'compliant' for that.
  // A copy lands in STANDARD unless told otherwise: one job per storage class keeps each class.
  for (const [storageClass, totals] of Object.entries(traits.usesAcls ? {} : (byStorageClass.copy ?? {})).sort()) {
    jobs.push({ operation: 'S3PutObjectCopy', action: 'copy', storageClass, manifestActions: ['copy'], ...totals });
  }
  for (const [storageClass, totals] of Object.entries(byStorageClass['needs-restore'] ?? {}).sort()) {
    jobs.push({
      operation: 'S3InitiateRestoreObject',
      action: 'needs-restore',
      storageClass,
      manifestActions: ['needs-restore'],
      ...totals,
    });
  }
  const untouched = (Object.keys(UNTOUCHED_REASONS) as (keyof typeof UNTOUCHED_REASONS)[])
    .filter((action) => (byAction[action]?.versions ?? 0) > 0 && !(rewrapSseKms && action === 'compliant'))
    .map((action) => ({ action, reason: UNTOUCHED_REASONS[action], ...byAction[action]! }));
  return {
    bucket,
    inventoryDate,
    byAction,
    ...(traits.keyCheck ? { keyCheck: traits.keyCheck } : {}),
    byStorageClass,
    jobs,
    directCopies: byAction['copy-too-large'] ?? { versions: 0, bytes: 0 },
    lockedCopies: byAction['copy-locked'] ?? { versions: 0, bytes: 0 },
    locked,
    aclCopies: traits.usesAcls ? (byAction.copy ?? { versions: 0, bytes: 0 }) : { versions: 0, bytes: 0 },
    untouched,
  };
}

/** Totals over every bucket, in the shape the cost model prices. */
export function planTotals(buckets: readonly BucketPlan[], noncurrentDays: number, engine: 'batch' | 'direct' = 'batch'): PlanTotals {
  const byAction: Partial<Record<Action, ActionTotals>> = {};
  const copiedBytesByStorageClass: Record<string, number> = {};
  let jobs = 0;
  for (const plan of buckets) {
    for (const [action, totals] of Object.entries(plan.byAction) as [Action, ActionTotals][]) {
      byAction[action] = add(byAction[action], totals.versions, totals.bytes);
    }
    // Price what will be done, not what inventory says: re-wrapped "compliant" versions are
    // UpdateObjectEncryption tasks, and copies in ACL buckets are the runner's, not a job's.
    const update = plan.jobs.find((j) => j.operation === 'S3UpdateObjectEncryption');
    const rewrapped = update ? update.versions - (plan.byAction['update-encryption']?.versions ?? 0) : 0;
    if (rewrapped > 0) {
      const rewrappedBytes = update!.bytes - (plan.byAction['update-encryption']?.bytes ?? 0);
      byAction['update-encryption'] = add(byAction['update-encryption'], rewrapped, rewrappedBytes);
      byAction.compliant = add(byAction.compliant, -rewrapped, -rewrappedBytes);
    }
    if (plan.aclCopies.versions > 0) {
      byAction.copy = add(byAction.copy, -plan.aclCopies.versions, -plan.aclCopies.bytes);
      byAction['copy-locked'] = add(byAction['copy-locked'], plan.aclCopies.versions, plan.aclCopies.bytes);
    }
    for (const action of ['copy', 'copy-too-large', 'copy-locked', 'needs-restore'] as const) {
      for (const [cls, totals] of Object.entries(plan.byStorageClass[action] ?? {})) {
        copiedBytesByStorageClass[cls] = (copiedBytesByStorageClass[cls] ?? 0) + totals.bytes;
      }
    }
    jobs += plan.jobs.length;
  }
  return { byAction, copiedBytesByStorageClass, jobs: engine === 'direct' ? 0 : jobs, noncurrentDays, engine };
}

const LOCK_WHAT: Readonly<Record<LockedAction, string>> = {
  'copy-locked': 'current, copied in place one by one, each new version carrying its retention and legal hold',
  'noncurrent-locked': 'noncurrent, left to the noncurrent-version expiration, which removes them once their lock ends',
  'locked-archived': 'current, in Glacier Flexible Retrieval / Deep Archive: reported, neither re-wrapped nor copied',
  'compliant-locked': 'SSE-KMS with a Bucket Key: never re-wrapped by UpdateObjectEncryption; verify checks their key',
};

/** The plan's lines about versions under Object Lock, one per class: count, retain-until range, legal holds. */
export function lockLines(plan: { readonly locked?: Partial<Record<string, LockSummary>> }): string[] {
  return LOCKED_ACTIONS.filter((action) => (plan.locked?.[action]?.versions ?? 0) > 0).map((action) => {
    const lock = plan.locked![action]!;
    const dates = lock.retainUntilEarliest
      ? lock.retainUntilEarliest === lock.retainUntilLatest
        ? `retain until ${lock.retainUntilEarliest}`
        : `retain until ${lock.retainUntilEarliest} (earliest) to ${lock.retainUntilLatest} (latest)`
      : 'no retention date';
    return `  ${lock.versions.toLocaleString('en-US')} versions under Object Lock (${action}; ${dates}; ${lock.legalHolds.toLocaleString('en-US')} under legal hold): ${LOCK_WHAT[action]}`;
  });
}

/** True when nothing is left to do. */
export function isComplete(plan: BucketPlan): boolean {
  return ACTIONABLE.every((action) => (plan.byAction[action]?.versions ?? 0) === 0);
}
