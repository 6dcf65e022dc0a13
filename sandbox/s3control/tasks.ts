// Performs one Batch Operations task through the S3 world's own methods, so a job changes objects
// exactly as the API would, and turns S3's answer into the task's completion-report row.
import { ServiceError } from '../errors';
import type { FaultInjector } from '../faults';
import type { S3World } from '../s3/world';
import { optional } from '../optional';
import { bucketNameOf } from './manifest';
import type { JobOperation, JobTask, S3CopyObjectOperation, TaskResult } from './model';

/** What Batch Operations writes for a task whose manifest row has an empty VersionId. */
export const MISSING_VERSION_ID_MESSAGE = 'Task failed due to missing VersionId';

export interface TaskContext {
  readonly s3: S3World;
  /** Asked once per KMS-using task: S3 answers 503 SlowDown when KMS throttles it. */
  readonly faults?: FaultInjector;
}

export function performTask(context: TaskContext, operation: JobOperation, task: JobTask): TaskResult {
  if (task.missingVersionId) {
    return { task, succeeded: false, httpStatusCode: 400, errorCode: 'InvalidRequest', resultMessage: MISSING_VERSION_ID_MESSAGE };
  }
  try {
    perform(context, operation, task);
    return { task, succeeded: true, httpStatusCode: 200, resultMessage: 'Successful' };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { task, succeeded: false, httpStatusCode: error.status, errorCode: error.code, resultMessage: error.message };
  }
}

function perform(context: TaskContext, operation: JobOperation, task: JobTask): void {
  const ref = { bucket: task.bucket, key: task.key, ...optional('versionId', task.versionId) };
  if (operation.S3PutObjectCopy) {
    const copy = operation.S3PutObjectCopy;
    if (copy.SSEAwsKmsKeyId !== undefined) throttleCheck(context);
    context.s3.copyObject(copyInput(copy, ref));
    return;
  }
  if (operation.S3UpdateObjectEncryption) {
    const sseKms = operation.S3UpdateObjectEncryption.ObjectEncryption.SSEKMS;
    throttleCheck(context);
    context.s3.updateObjectEncryption({ ...ref, kmsKeyArn: sseKms.KMSKeyArn, ...optional('bucketKeyEnabled', sseKms.BucketKeyEnabled) });
    return;
  }
  if (operation.S3InitiateRestoreObject) {
    context.s3.restoreObject(ref, operation.S3InitiateRestoreObject.ExpirationInDays ?? 1);
    return;
  }
  throw new Error('job has no operation the sandbox performs');
}

/**
 * S3PutObjectCopy's documented defaults: metadata and tags are copied unless replaced, the
 * storage class is STANDARD unless named, ACL and Object Lock settings are not carried over.
 */
function copyInput(
  copy: S3CopyObjectOperation,
  source: { bucket: string; key: string; versionId?: string },
): Parameters<S3World['copyObject']>[0] {
  const metadata = copy.NewObjectMetadata;
  const replaceMetadata = copy.MetadataDirective === 'REPLACE' || (copy.MetadataDirective === undefined && metadata !== undefined);
  const objectLock = {
    ...optional('mode', copy.ObjectLockMode),
    ...optional('retainUntil', copy.ObjectLockRetainUntilDate),
    ...optional('legalHold', copy.ObjectLockLegalHoldStatus),
  };
  return {
    source,
    bucket: copy.TargetResource !== undefined ? (bucketNameOf(copy.TargetResource) ?? copy.TargetResource) : source.bucket,
    key: `${copy.TargetKeyPrefix ?? ''}${source.key}`,
    metadataDirective: replaceMetadata ? 'REPLACE' : 'COPY',
    ...(replaceMetadata ? { ...optional('contentType', metadata?.ContentType), metadata: metadata?.UserMetadata ?? {} } : {}),
    ...(copy.NewObjectTagging !== undefined
      ? { taggingDirective: 'REPLACE' as const, tags: Object.fromEntries(copy.NewObjectTagging.map((t) => [t.Key, t.Value])) }
      : {}),
    ...optional('storageClass', copy.StorageClass),
    ...(copy.SSEAwsKmsKeyId !== undefined
      ? {
          encryption: {
            serverSideEncryption: 'aws:kms' as const,
            kmsKeyId: copy.SSEAwsKmsKeyId,
            ...optional('bucketKeyEnabled', copy.BucketKeyEnabled),
          },
        }
      : copy.BucketKeyEnabled !== undefined
        ? { encryption: { bucketKeyEnabled: copy.BucketKeyEnabled } }
        : {}),
    ...optional('acl', copy.CannedAccessControlList),
    ...(Object.keys(objectLock).length > 0 ? { objectLock } : {}),
  };
}

function throttleCheck(context: TaskContext): void {
  if (context.faults?.decide('kms', 'GenerateDataKey').kind === 'throttle') {
    throw new ServiceError('SlowDown', 503, 'Please reduce your request rate.');
  }
}
