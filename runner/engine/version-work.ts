// What the runner does to one object version by itself: UpdateObjectEncryption, or a copy in place
// (multipart above 5 GiB, restored archives kept in their class), carrying over what S3 would drop.
// A copy is made only while the version is still the current one, so a repeated copy cannot happen:
// where the endpoint has proven it honours copy conditions, S3 checks that as it writes (If-Match);
// elsewhere a HeadObject of the current version comes first.
import type { S3Client } from '../aws/clients';
import type { BucketOutput } from '../../stacks/outputs';
import {
  headVersion,
  keyHistory,
  isCustomerKeyRefusal,
  objectAcl,
  objectTags,
  requestRestore,
  updateObjectEncryption,
  type VersionHead,
} from '../aws/objects';
import {
  conditionalCopyInPlace,
  copyInPlace,
  copyRefusal,
  multipartCopyInPlace,
  type CopyAnswer,
  type RewriteSettings,
} from '../aws/object-copies';
import {
  CURRENT_VERSION,
  currentVersionRef,
  type CallHooks,
  type ObjectRef,
  type VersionRef,
  type VersionSelector,
} from '../aws/version-call';
import { AwsError, WriteNotConfirmedError } from '../errors';
import { copyReadBackProblems, updateAnswerProblem, updateReadBackProblems } from '../core/write-evidence';
import {
  ACTIONABLE,
  ARCHIVED_STORAGE_CLASSES,
  MAX_BATCH_COPY_BYTES,
  classifyVersion,
  type Action,
  type ActionableAction,
  type ClassifyOptions,
} from '../core/classify';
import { classifyOptions } from '../stack-outputs';
import { isMigrationKey } from '../core/migration-key';
import { aclSettings } from '../core/object-acl';
import { newerWriteUnderCopy } from '../core/newer-write';
import { DEFAULT_PART_BYTES, partRanges } from '../core/part-ranges';

export interface WorkItem {
  readonly key: string;
  /** 'null' for the null version (see core/version-id.ts). */
  readonly versionId: string;
  /** From the inventory; undefined when working from a listing (HeadObject decides). */
  readonly action?: ActionableAction;
  /** From a listing. */
  readonly isLatest?: boolean;
  readonly size?: number;
  readonly storageClass?: string;
  /** The version's ETag, from the inventory or the listing: the condition of a copy made without HeadObject. */
  readonly eTag?: string;
  /** Set by migrateVersion under --update-by-copy: copy what UpdateObjectEncryption would re-wrap. */
  readonly rewrapByCopy?: boolean;
}

export type Outcome =
  | { readonly kind: 'updated'; readonly readBack: boolean }
  | {
      readonly kind: 'copied';
      readonly newVersionId: string;
      readonly multipart: boolean;
      readonly storageClass: string;
      readonly readBack: boolean;
      /** Writes made between the runner's read and its copy, found under the copy and made current again. */
      readonly restoredNewer?: number;
    }
  /** Classified from a listing as needing nothing (compliant, SSE-C, noncurrent unencrypted, ...). */
  | { readonly kind: 'left-alone'; readonly action: Action; readonly storageClass: string; readonly size: number }
  /** No longer the current version, or no longer unencrypted: copied already (by an earlier run) or overwritten. */
  | { readonly kind: 'superseded' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'restore-requested'; readonly storageClass: string }
  | { readonly kind: 'restore-pending'; readonly storageClass: string }
  /** `--update-by-copy`: a noncurrent version UpdateObjectEncryption would have re-wrapped; the expiration removes it. */
  | { readonly kind: 'noncurrent-left-to-expire' }
  /** `--archived report`: the archived version was only reported. */
  | { readonly kind: 'archived-reported'; readonly storageClass: string };

export interface WorkEnv {
  readonly s3: S3Client;
  readonly kmsKeyArn: string;
  readonly bucket: BucketOutput;
  readonly hooks: CallHooks;
  /** 'copy': restore then copy archived versions; 'report': only report them. */
  readonly archived: 'copy' | 'report';
  /** @default 7 */
  readonly restoreDays?: number;
  /** @default 'Standard' */
  readonly restoreTier?: 'Standard' | 'Bulk' | 'Expedited';
  /** @default 512 MiB */
  readonly partBytes?: number;
  readonly now?: () => Date;
  /**
   * Versions UpdateObjectEncryption would re-wrap (SSE-S3, another key, no Bucket Key) are copied in
   * place instead, for endpoints without a working UpdateObjectEncryption: current ones get a new
   * SSE-KMS version; noncurrent ones are left to the noncurrent-version expiration. @default false
   */
  readonly updateByCopy?: boolean;
  /**
   * The endpoint has proven (write probe) that it refuses a copy whose If-Match or
   * x-amz-copy-source-if-match fails: plain copies then skip the HeadObject of the current version.
   * @default false
   */
  readonly copyConditions?: boolean;
  /** Whether this write is read back with HeadObject (a deterministic sample). @default none */
  readonly readBack?: (key: string, versionId: string) => boolean;
}

/** A version the caller knows to be the key's current one, as requests about it address it. */
function currentRef(env: WorkEnv, key: string, versionId: string) {
  return currentVersionRef(env.bucket.bucket, key, versionId);
}

/**
 * The plan's rule, from HeadObject: the listing path has no inventory. The key id is checked too: a
 * version under another key is re-wrapped like one without a Bucket Key (or, locked, copied). The lock
 * comes from HeadObject's x-amz-object-lock-* headers, which S3 returns only to a caller with
 * s3:GetObjectRetention and s3:GetObjectLegalHold (S3 API reference, HeadObject:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): the runner's role has both.
 */
export function classifyHead(head: VersionHead, isLatest: boolean, kmsKeyArn: string, options: ClassifyOptions = {}): Action {
  const foreignKey = head.encryptionStatus === 'SSE-KMS' && head.bucketKeyEnabled && !isMigrationKey(head.kmsKeyId, kmsKeyArn);
  return classifyVersion(
    {
      isDeleteMarker: false,
      isLatest,
      encryptionStatus: head.encryptionStatus,
      bucketKeyStatus: head.bucketKeyEnabled && !foreignKey ? 'ENABLED' : 'DISABLED',
      storageClass: head.storageClass,
      size: head.size,
      objectLockMode: head.lock.mode ?? '',
      legalHoldStatus: head.lock.legalHold ?? '',
      ...(head.lock.retainUntil ? { retainUntil: head.lock.retainUntil } : {}),
    },
    options,
  );
}

function nowOf(env: Pick<WorkEnv, 'now'>): Date {
  return (env.now ?? (() => new Date()))();
}

async function rewriteSettings(env: WorkEnv, source: ObjectRef, head: VersionHead): Promise<RewriteSettings> {
  const now = nowOf(env);
  // A retention date in the past protects nothing any more and S3 refuses it on a write.
  const retention =
    head.lock.mode && head.lock.retainUntil && head.lock.retainUntil > now
      ? { mode: head.lock.mode, retainUntil: head.lock.retainUntil }
      : {};
  const acl = env.bucket.uses_acls ? await objectAcl(env.s3, source, env.hooks) : undefined;
  return {
    kmsKeyArn: env.kmsKeyArn,
    storageClass: head.storageClass,
    lock: { ...retention, ...(head.lock.legalHold ? { legalHold: head.lock.legalHold } : {}) },
    ...(acl ? { acl: aclSettings(acl.ownerId, acl.grants) } : {}),
  };
}

/**
 * Copies the item in place if it is still the current, unencrypted version. `known` is a HeadObject
 * of the key's current version made moments ago (the listing path's classification): it stands in
 * for reading the current version again, with the same checks on it.
 */
async function copyCurrent(env: WorkEnv, item: WorkItem, known?: VersionHead): Promise<Outcome> {
  const current = known ?? (await headVersion(env.s3, env.bucket.bucket, item.key, CURRENT_VERSION, env.hooks));
  if (!current) return { kind: 'gone' };
  if (current.versionId !== item.versionId) return item.rewrapByCopy ? { kind: 'noncurrent-left-to-expire' } : { kind: 'superseded' };
  // Copied only while still unencrypted (or, with --update-by-copy, still not under the key): a rerun never copies twice.
  const classified = classifyHead(current, true, env.kmsKeyArn, classifyOptions(env.bucket, nowOf(env)));
  // A locked version to re-encrypt is copied (UpdateObjectEncryption refuses it); one whose lock has
  // ended since the plan is copied all the same: a copy re-encrypts it just as well.
  const stillToDo = item.rewrapByCopy
    ? classified === 'update-encryption' || classified === 'copy-locked'
    : current.encryptionStatus === 'NOT-SSE' ||
      (current.encryptionStatus === 'DSSE-KMS' && env.bucket.migrate_dsse_kms) ||
      classified === 'copy-locked' ||
      (item.action === 'copy-locked' && classified === 'update-encryption');
  if (!stillToDo) return { kind: 'superseded' };
  if (ARCHIVED_STORAGE_CLASSES.includes(current.storageClass) && current.restore !== 'restored') return restoreOrWait(env, item, current);
  const source = currentRef(env, item.key, item.versionId);
  const settings = await rewriteSettings(env, source, current);
  const multipart = current.size > MAX_BATCH_COPY_BYTES;
  const readBack = env.readBack?.(item.key, item.versionId) ?? false;
  const tags = multipart || readBack ? await objectTags(env.s3, source, env.hooks) : undefined;
  // Where the endpoint has proven it honours If-Match, S3 itself refuses the copy once the key has a
  // newer version than the one just read; a multipart copy, and any copy elsewhere, is checked after.
  const conditioned = (env.copyConditions ?? false) && !multipart;
  let answer: CopyAnswer;
  try {
    answer = multipart
      ? await multipartCopyInPlace(
          env.s3,
          source,
          settings,
          { head: current, tags: tags!, ranges: partRanges(current.size, env.partBytes ?? DEFAULT_PART_BYTES) },
          env.hooks,
        )
      : await copyInPlace(env.s3, source, current.eTag, settings, env.hooks, conditioned ? current.eTag : undefined);
  } catch (error) {
    const changed = await changedSinceRead(env, item, error);
    if (changed) return changed;
    throw error;
  }
  const { newVersionId } = answer;
  const where = `copy in place of s3://${env.bucket.bucket}/${item.key} version ${item.versionId}`;
  // In a versioned bucket a copy in place must write a new version; the source must stay beside it.
  if (env.bucket.versioning && newVersionId === item.versionId)
    throw new WriteNotConfirmedError(where, [`the answer names the source version ${newVersionId} as the new one`]);
  const restoredNewer = conditioned || !env.bucket.versioning ? 0 : await restoreNewerWrites(env, item.key, answer);
  if (readBack) {
    const copy = await headVersion(env.s3, env.bucket.bucket, item.key, currentRef(env, item.key, newVersionId).versionId, env.hooks);
    const copyTags = copy ? await objectTags(env.s3, currentRef(env, item.key, copy.versionId), env.hooks) : {};
    const problems = copyReadBackProblems(facts(current), copy && facts(copy), env.kmsKeyArn, { source: tags!, copy: copyTags });
    if (problems.length > 0) throw new WriteNotConfirmedError(`${where}, read back`, problems);
  }
  return {
    kind: 'copied',
    newVersionId,
    multipart,
    storageClass: current.storageClass,
    readBack,
    ...(restoredNewer > 0 ? { restoredNewer } : {}),
  };
}

/**
 * A copy refused because the key changed after it was read: a failed condition (412) means a newer
 * version or another ETag, so the version is superseded; a missing source (404) is confirmed with
 * HeadObject of the version itself before it is counted as gone.
 */
async function changedSinceRead(env: WorkEnv, item: WorkItem, error: unknown): Promise<Outcome | undefined> {
  const refusal = copyRefusal(error);
  if (refusal === 'changed') return { kind: 'superseded' };
  if (refusal === 'gone' && !(await headVersion(env.s3, env.bucket.bucket, item.key, item.versionId, env.hooks))) return { kind: 'gone' };
  return undefined;
}

/** Copies of a buried newer write made before the runner gives up on a key that keeps changing. */
const MAX_NEWER_WRITE_REPAIRS = 3;

/**
 * After a copy the endpoint could not make conditional on the key's current version: reads the key's
 * history, and when a version written between the runner's read and its copy lies under the copy,
 * makes that newer content current again by copying it in place (SSE-KMS under the key, its own
 * tags, metadata, class, lock and ACL), then checks again. Returns how many such writes it restored.
 * A delete buried by the copy, or a history that cannot be read, stops the bucket: the runner never
 * deletes, and never guesses.
 */
async function restoreNewerWrites(env: WorkEnv, key: string, first: CopyAnswer): Promise<number> {
  let answer = first;
  const ownCopies: string[] = [];
  let restored = 0;
  for (let reads = 0; ; reads++) {
    const check = newerWriteUnderCopy(
      await keyHistory(env.s3, env.bucket.bucket, key, env.hooks),
      answer.copiedVersionId,
      answer.newVersionId,
      ownCopies,
    );
    if (check.kind === 'clear') return restored;
    const where = `copy in place of s3://${env.bucket.bucket}/${key} version ${answer.copiedVersionId} (new version ${answer.newVersionId})`;
    if (check.kind === 'cannot-tell')
      throw new WriteNotConfirmedError(where, [
        `whether a write made between the read and the copy lies under it cannot be told: ${check.why}`,
      ]);
    if (check.kind === 'buried-delete') {
      throw new WriteNotConfirmedError(where, [
        `the key was deleted (delete marker ${check.deleteMarkerId}) after the runner read it and before its copy, which brought the old content back; ` +
          `delete it again: aws s3api delete-object --bucket ${env.bucket.bucket} --key '${key}'`,
      ]);
    }
    if (reads === MAX_NEWER_WRITE_REPAIRS)
      throw new WriteNotConfirmedError(where, [
        `the key kept changing: ${restored} newer writes restored, and version ${check.versionId} still lies under a copy`,
      ]);
    // Named by its id, 'null' included: the newer version is noncurrent now, under the copy.
    const newer: VersionRef = { bucket: env.bucket.bucket, key, versionId: check.versionId };
    const head = await headVersion(env.s3, newer.bucket, key, check.versionId, env.hooks).catch((error: unknown) => {
      if (isCustomerKeyRefusal(error))
        throw new WriteNotConfirmedError(where, [
          `version ${check.versionId}, written between the read and the copy, is SSE-C: the runner cannot copy it back without its key; make it current again with its key`,
        ]);
      throw error;
    });
    // Deleted since: the copy buries nothing any more; the history is read again.
    if (!head) continue;
    ownCopies.push(answer.newVersionId);
    answer = await copyInPlace(env.s3, newer, head.eTag, await rewriteSettings(env, newer, head), env.hooks);
    restored++;
  }
}

/**
 * A plain copy (unencrypted, current, up to 5 GiB, no Object Lock, no ACL to carry) in one request,
 * when the endpoint honours copy conditions and the ETag is known. S3 writes it only if the key's
 * current version still has the ETag the inventory (or listing) saw, so a version overwritten since,
 * deleted, or already copied by an earlier run (its SSE-KMS copy has another ETag) is left alone.
 * The source named is the current version, with the same ETag: should a newer version with identical
 * bytes have replaced this one, it is that version, with its own tags and metadata, that is copied.
 */
async function copyWhileCurrent(env: WorkEnv, item: WorkItem, eTag: string, storageClass: string): Promise<Outcome> {
  const current: ObjectRef = { bucket: env.bucket.bucket, key: item.key, versionId: CURRENT_VERSION };
  const readBack = env.readBack?.(item.key, item.versionId) ?? false;
  // Without versioning the copy replaces its source: a sampled source is read before the write.
  const replaced = readBack && !env.bucket.versioning ? await sourceFacts(env, item.key, CURRENT_VERSION) : undefined;
  const settings: RewriteSettings = { kmsKeyArn: env.kmsKeyArn, storageClass, lock: {} };
  const answer = await conditionalCopyInPlace(env.s3, current, { sourceETag: eTag, currentETag: eTag }, settings, env.hooks);
  if (answer.kind === 'changed') return { kind: 'superseded' };
  if (answer.kind === 'gone') return { kind: 'gone' };
  const { newVersionId, copiedVersionId } = answer;
  const where = `copy in place of s3://${env.bucket.bucket}/${item.key} version ${item.versionId}`;
  if (env.bucket.versioning && newVersionId === copiedVersionId)
    throw new WriteNotConfirmedError(where, [`the answer names the source version ${newVersionId} as the new one`]);
  if (readBack) {
    // Named exactly, 'null' included: in a versioned bucket the source is noncurrent now, under the copy.
    const source = replaced ?? (await sourceFacts(env, item.key, copiedVersionId));
    const copy = await headVersion(env.s3, env.bucket.bucket, item.key, currentRef(env, item.key, newVersionId).versionId, env.hooks);
    const copyTags = copy ? await objectTags(env.s3, currentRef(env, item.key, copy.versionId), env.hooks) : {};
    const problems = source
      ? copyReadBackProblems(facts(source.head), copy && facts(copy), env.kmsKeyArn, { source: source.tags, copy: copyTags })
      : [`the source version ${copiedVersionId} the answer names cannot be read back`];
    if (problems.length > 0) throw new WriteNotConfirmedError(`${where}, read back`, problems);
  }
  return { kind: 'copied', newVersionId, multipart: false, storageClass, readBack };
}

/** What a read-back compares a copy with: the source's HeadObject and tags. */
async function sourceFacts(
  env: WorkEnv,
  key: string,
  version: VersionSelector,
): Promise<{ head: VersionHead; tags: Record<string, string> } | undefined> {
  const head = await headVersion(env.s3, env.bucket.bucket, key, version, env.hooks);
  return head ? { head, tags: await objectTags(env.s3, { bucket: env.bucket.bucket, key, versionId: version }, env.hooks) } : undefined;
}

/** Whether a copy can be one conditional request: see copyWhileCurrent. */
function copiesByCondition(env: WorkEnv, item: WorkItem): boolean {
  return (env.copyConditions ?? false) && !env.bucket.uses_acls && !item.rewrapByCopy;
}

function facts(head: VersionHead) {
  return { ...head, contentType: head.system.contentType };
}

/**
 * UpdateObjectEncryption, then what proves it: the answer must not name another version, and a
 * sample is read back (same version, size, ETag and class; SSE-KMS under the key, Bucket Key on).
 */
async function updateVersion(env: WorkEnv, item: WorkItem): Promise<Outcome> {
  // Named exactly, 'null' included: this version need not be the current one.
  const version = { bucket: env.bucket.bucket, key: item.key, versionId: item.versionId };
  const where = `UpdateObjectEncryption of s3://${version.bucket}/${version.key} version ${version.versionId}`;
  const readBack = env.readBack?.(item.key, item.versionId) ?? false;
  const before = readBack ? await headVersion(env.s3, version.bucket, version.key, version.versionId, env.hooks) : undefined;
  let answer;
  try {
    answer = await updateObjectEncryption(env.s3, version, env.kmsKeyArn, env.hooks);
  } catch (error) {
    // Deleted since it was listed or inventoried: counted as gone once HeadObject agrees.
    if (copyRefusal(error) === 'gone' && !(await headVersion(env.s3, version.bucket, version.key, version.versionId, env.hooks)))
      return { kind: 'gone' };
    throw await explainLocked(env, version, error);
  }
  const answerProblem = updateAnswerProblem(version.versionId, answer.answeredVersionId);
  if (answerProblem) throw new WriteNotConfirmedError(where, [answerProblem]);
  if (before) {
    const after = await headVersion(env.s3, version.bucket, version.key, version.versionId, env.hooks);
    const problems = updateReadBackProblems(facts(before), after && facts(after), env.kmsKeyArn);
    if (problems.length > 0) throw new WriteNotConfirmedError(`${where}, read back`, problems);
  }
  return { kind: 'updated', readBack: before !== undefined };
}

async function restoreOrWait(env: WorkEnv, item: WorkItem, head: VersionHead): Promise<Outcome> {
  const storageClass = head.storageClass;
  if (env.archived === 'report') return { kind: 'archived-reported', storageClass };
  if (head.restore === 'ongoing') return { kind: 'restore-pending', storageClass };
  const answer = await requestRestore(
    env.s3,
    currentRef(env, item.key, item.versionId),
    env.restoreDays ?? 7,
    env.restoreTier ?? 'Standard',
    env.hooks,
  );
  return answer === 'accepted' ? { kind: 'restore-requested', storageClass } : { kind: 'restore-pending', storageClass };
}

/**
 * UpdateObjectEncryption refuses versions under retention or legal hold with AccessDenied, which
 * otherwise reads as a missing IAM permission: say which it is, and what a person can do.
 */
async function explainLocked(env: WorkEnv, version: VersionRef, error: unknown): Promise<unknown> {
  if (!(error instanceof AwsError) || error.awsCode !== 'AccessDenied') return error;
  const head = await headVersion(env.s3, version.bucket, version.key, version.versionId, env.hooks).catch(() => undefined);
  if (!head || (!head.lock.mode && head.lock.legalHold !== 'ON')) return error;
  const lock = [
    head.lock.mode ? `${head.lock.mode} retention until ${head.lock.retainUntil?.toISOString()}` : '',
    head.lock.legalHold === 'ON' ? 'legal hold' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return new AwsError(
    `UpdateObjectEncryption s3://${version.bucket}/${version.key} version ${version.versionId} refused: the version is under Object Lock (${lock}); ` +
      'the lock was set after the inventory the run worked from; the runner never removes a lock: the next run, from an inventory that shows it, copies the version in place with its lock if it is current, or leaves it to the noncurrent-version expiration',
    'ObjectLocked',
    { cause: error },
  );
}

/** What the plan's rule says of a listed version, from HeadObject. */
export interface ListedClassification {
  readonly action: Action;
  readonly storageClass: string;
  readonly size: number;
  readonly head?: VersionHead;
  /** `head` is the key's current version, read without naming a version: proof it is still the current one. */
  readonly current?: boolean;
}

/**
 * Classifies a listed version from HeadObject; undefined when it is gone. A version listed as the
 * latest is read as the key's current version (no versionId): when the answer names the listed
 * version, one request both classifies it and proves it is still current, which a copy needs.
 * Otherwise (overwritten since the listing) it is read by its id and classified as noncurrent.
 */
export async function classifyListed(
  env: Pick<WorkEnv, 's3' | 'bucket' | 'kmsKeyArn' | 'hooks' | 'now'>,
  item: WorkItem,
): Promise<ListedClassification | undefined> {
  const refused = { action: 'sse-c' as const, storageClass: item.storageClass ?? 'STANDARD', size: item.size ?? 0 };
  const classified = (head: VersionHead, isLatest: boolean): ListedClassification => ({
    action: classifyHead(head, isLatest, env.kmsKeyArn, classifyOptions(env.bucket, nowOf(env))),
    storageClass: head.storageClass,
    size: head.size,
    head,
    current: isLatest,
  });
  // SSE-C is left alone anyway; HeadObject refuses it without the customer's key.
  const read = async (version: VersionSelector): Promise<VersionHead | 'sse-c' | undefined> => {
    try {
      return await headVersion(env.s3, env.bucket.bucket, item.key, version, env.hooks);
    } catch (error) {
      if (isCustomerKeyRefusal(error)) return 'sse-c';
      throw error;
    }
  };
  if (item.isLatest) {
    const current = await read(CURRENT_VERSION);
    if (current !== 'sse-c' && current?.versionId === item.versionId) return classified(current, true);
    // Overwritten (perhaps by an SSE-C version), or deleted, since the listing: the listed version itself decides.
  }
  const head = await read(item.versionId);
  if (head === 'sse-c') return refused;
  return head ? classified(head, false) : undefined;
}

export async function migrateVersion(env: WorkEnv, item: WorkItem): Promise<Outcome> {
  let action: Action | undefined = item.action;
  if (action === undefined) {
    const listed = await classifyListed(env, item);
    if (!listed) return { kind: 'gone' };
    action = listed.action;
    if (!(ACTIONABLE as readonly string[]).includes(action)) {
      return { kind: 'left-alone', action, storageClass: listed.storageClass, size: listed.size };
    }
    // The HeadObject that classified the version gave its ETag and class: the copy needs no other.
    if (action === 'copy' && listed.head && copiesByCondition(env, item))
      return copyWhileCurrent(env, item, listed.head.eTag, listed.head.storageClass);
    // Read as the key's current version: a copy (where S3 cannot check that itself) needs no other read.
    const known = listed.current ? listed.head : undefined;
    if (action === 'update-encryption' && env.updateByCopy) {
      // A version just read by its id as noncurrent (listed so, or overwritten since): no copy can
      // re-encrypt it in place, so it is left to the noncurrent-version expiration without reading
      // the current version again. Should it become current once more (its newer versions deleted),
      // `migrate verify` finds it and the next run copies it.
      return known ? copyCurrent(env, { ...item, rewrapByCopy: true }, known) : { kind: 'noncurrent-left-to-expire' };
    }
    if (action === 'update-encryption') return updateVersion(env, item);
    if ((ACTIONABLE as readonly string[]).includes(action)) return copyCurrent(env, item, known);
  } else if (action === 'copy' && item.eTag && item.storageClass && copiesByCondition(env, item)) {
    return copyWhileCurrent(env, item, item.eTag, item.storageClass);
  }
  if (action === 'update-encryption') {
    if (!env.updateByCopy) return updateVersion(env, item);
    // SSE-S3 and SSE-KMS archived versions are re-wrapped without restore by UpdateObjectEncryption;
    // a copy must restore them first, which copyCurrent does from HeadObject.
    return copyCurrent(env, { ...item, rewrapByCopy: true });
  }
  // Every other actionable version (copy, over 5 GiB, under Object Lock, archived) is copied in place,
  // by one rule that reads size, class, lock and restore from HeadObject at the moment of the copy.
  if ((ACTIONABLE as readonly string[]).includes(action)) return copyCurrent(env, item);
  throw new Error(`The runner does not act on versions classified '${action}'`);
}
