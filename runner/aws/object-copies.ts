// Copies of a version onto its own key under the KMS key: single CopyObject (optionally conditional,
// If-Match) up to 5 GiB, multipart with UploadPartCopy above; each says again what S3 would not carry over.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { AclSettings } from '../core/object-acl';
import { copySourceRange, type PartRange } from '../core/part-ranges';
import { AwsError } from '../errors';
import { httpStatus } from './errors';
import type { ObjectLock, VersionHead } from './objects';
import {
  CURRENT_VERSION,
  versionIdFromAnswer,
  call,
  describe,
  taggingHeader,
  versionParam,
  type CallHooks,
  type ObjectRef,
} from './version-call';

/** `x-amz-copy-source`: bucket/url-encoded-key?versionId=... */
export function copySource(ref: ObjectRef): string {
  const encodedKey = encodeURIComponent(ref.key).replace(/%2F/g, '/');
  const { VersionId } = versionParam(ref.versionId);
  return `${ref.bucket}/${encodedKey}${VersionId === undefined ? '' : `?versionId=${encodeURIComponent(VersionId)}`}`;
}

/**
 * The version a copy read: the one its answer names (`x-amz-copy-source-version-id`), else the one
 * its source named; a current version copied without an answer is in a bucket never versioned.
 */
function copiedVersionId(source: ObjectRef, answered: string | undefined): string {
  return answered ?? (source.versionId === CURRENT_VERSION ? versionIdFromAnswer(undefined) : source.versionId);
}

/** Everything a rewrite in place must say, because S3 does not carry it over by itself. */
export interface RewriteSettings {
  readonly kmsKeyArn: string;
  /** Named explicitly: a copy otherwise lands in STANDARD. */
  readonly storageClass: string;
  /** Carried explicitly: a copy otherwise drops retention and legal hold. */
  readonly lock: ObjectLock;
  /** Only where the bucket uses ACLs: a copy otherwise becomes private. */
  readonly acl?: AclSettings;
}

function rewriteParams(settings: RewriteSettings) {
  const acl = settings.acl;
  return {
    ServerSideEncryption: 'aws:kms' as const,
    SSEKMSKeyId: settings.kmsKeyArn,
    BucketKeyEnabled: true,
    StorageClass: settings.storageClass as StorageClass,
    ...(settings.lock.mode && settings.lock.retainUntil
      ? { ObjectLockMode: settings.lock.mode, ObjectLockRetainUntilDate: settings.lock.retainUntil }
      : {}),
    ...(settings.lock.legalHold ? { ObjectLockLegalHoldStatus: settings.lock.legalHold } : {}),
    // A copy is private anyway; not naming 'private' keeps BucketOwnerEnforced buckets happy too.
    ...(acl && 'canned' in acl && acl.canned !== 'private' ? { ACL: acl.canned } : {}),
    ...(acl && 'grants' in acl
      ? {
          ...(acl.grants.FULL_CONTROL ? { GrantFullControl: acl.grants.FULL_CONTROL } : {}),
          ...(acl.grants.READ ? { GrantRead: acl.grants.READ } : {}),
          ...(acl.grants.READ_ACP ? { GrantReadACP: acl.grants.READ_ACP } : {}),
          ...(acl.grants.WRITE_ACP ? { GrantWriteACP: acl.grants.WRITE_ACP } : {}),
        }
      : {}),
  };
}

/** What a copy in place wrote, and from which version, as its answer names them. */
export interface CopyAnswer {
  readonly newVersionId: string;
  /** The version the bytes came from. */
  readonly copiedVersionId: string;
}

/**
 * Copies a version onto its own key (up to 5 GiB): metadata, content type and tags are copied
 * (MetadataDirective and TaggingDirective COPY); the source must still have the ETag HEAD saw, and,
 * with `currentETag`, so must the key's current version at the moment of the write (`If-Match`).
 */
export async function copyInPlace(
  s3: S3Client,
  ref: ObjectRef,
  sourceETag: string,
  settings: RewriteSettings,
  hooks?: CallHooks,
  currentETag?: string,
): Promise<CopyAnswer> {
  const out = await copyOntoItself(
    s3,
    ref,
    { CopySourceIfMatch: quotedETag(sourceETag), ...(currentETag ? { IfMatch: quotedETag(currentETag) } : {}) },
    settings,
    hooks,
  );
  return { newVersionId: versionIdFromAnswer(out.VersionId), copiedVersionId: copiedVersionId(ref, out.CopySourceVersionId) };
}

/** A copy refused because the key changed since it was read: 412 on a condition, 404 on a source gone. */
export function copyRefusal(error: unknown): 'changed' | 'gone' | undefined {
  if (!(error instanceof AwsError)) return undefined;
  const status = httpStatus(error.cause);
  if (error.awsCode === 'PreconditionFailed' || status === 412) return 'changed';
  if (['NoSuchKey', 'NoSuchVersion'].includes(error.awsCode ?? '') || status === 404) return 'gone';
  return undefined;
}

/** The one CopyObject of a version onto its own key, metadata and tags copied, under the conditions given. */
function copyOntoItself(
  s3: S3Client,
  ref: ObjectRef,
  conditions: { readonly CopySourceIfMatch: string; readonly IfMatch?: string },
  settings: RewriteSettings,
  hooks?: CallHooks,
) {
  return call(`CopyObject in place ${describe(ref)}`, hooks, () =>
    s3.send(
      new CopyObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        CopySource: copySource(ref),
        ...conditions,
        MetadataDirective: 'COPY',
        TaggingDirective: 'COPY',
        ...rewriteParams(settings),
      }),
    ),
  );
}

/** What a conditional copy in place did: wrote a new version, or refused because the key changed. */
export type ConditionalCopyAnswer =
  | { readonly kind: 'copied'; readonly newVersionId: string; readonly copiedVersionId: string }
  /** 412 PreconditionFailed: the current version (or the source) no longer has the ETag named. */
  | { readonly kind: 'changed' }
  /** 404: the key's current version is a delete marker, or the key is gone. */
  | { readonly kind: 'gone' };

export interface CopyConditions {
  /** `x-amz-copy-source-if-match`: the source must still have this ETag. */
  readonly sourceETag: string;
  /** `If-Match`: the key's current version must have this ETag at the moment of the write. */
  readonly currentETag: string;
}

/** An ETag as the If-Match headers take it: quoted (inventory reports write it without quotes). */
export function quotedETag(eTag: string): string {
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

/**
 * Copies a version onto its own key like copyInPlace, on two conditions S3 checks as it writes:
 * the source still has the ETag named, and so does the key's current version (CopyObject's
 * conditional write, `If-Match`). A failed condition is an answer, not an error: the key changed.
 */
export async function conditionalCopyInPlace(
  s3: S3Client,
  ref: ObjectRef,
  conditions: CopyConditions,
  settings: RewriteSettings,
  hooks?: CallHooks,
): Promise<ConditionalCopyAnswer> {
  try {
    return { kind: 'copied', ...(await copyInPlace(s3, ref, conditions.sourceETag, settings, hooks, conditions.currentETag)) };
  } catch (error) {
    const refusal = copyRefusal(error);
    if (refusal) return { kind: refusal };
    throw error;
  }
}

export interface MultipartCopyProps {
  readonly head: VersionHead;
  readonly tags: Record<string, string>;
  readonly ranges: readonly PartRange[];
  /** Parts copied at once. @default 4 */
  readonly partConcurrency?: number;
}

/**
 * Copies a version over 5 GiB onto its own key with UploadPartCopy: the upload is created with
 * everything a copy would keep (system and user metadata, tags, storage class, lock, ACL) and SSE-KMS;
 * a failed copy aborts its upload so no parts stay billed.
 */
export async function multipartCopyInPlace(
  s3: S3Client,
  ref: ObjectRef,
  settings: RewriteSettings,
  props: MultipartCopyProps,
  hooks?: CallHooks,
): Promise<CopyAnswer> {
  const { head } = props;
  const tagging = taggingHeader(props.tags);
  const created = await call(`CreateMultipartUpload for ${describe(ref)}`, hooks, () =>
    s3.send(
      new CreateMultipartUploadCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ...(head.system.contentType ? { ContentType: head.system.contentType } : {}),
        ...(head.system.cacheControl ? { CacheControl: head.system.cacheControl } : {}),
        ...(head.system.contentDisposition ? { ContentDisposition: head.system.contentDisposition } : {}),
        ...(head.system.contentEncoding ? { ContentEncoding: head.system.contentEncoding } : {}),
        ...(head.system.contentLanguage ? { ContentLanguage: head.system.contentLanguage } : {}),
        ...(head.system.expires ? { Expires: head.system.expires } : {}),
        ...(head.system.websiteRedirectLocation ? { WebsiteRedirectLocation: head.system.websiteRedirectLocation } : {}),
        Metadata: head.metadata,
        ...(tagging ? { Tagging: tagging } : {}),
        ...rewriteParams(settings),
      }),
    ),
  );
  const uploadId = created.UploadId!;
  try {
    const parts: CompletedPart[] = new Array<CompletedPart>(props.ranges.length);
    const queue = [...props.ranges];
    const worker = async () => {
      for (let range = queue.shift(); range; range = queue.shift()) {
        const part = range;
        const out = await call(`UploadPartCopy part ${part.partNumber} of ${describe(ref)}`, hooks, () =>
          s3.send(
            new UploadPartCopyCommand({
              Bucket: ref.bucket,
              Key: ref.key,
              UploadId: uploadId,
              PartNumber: part.partNumber,
              CopySource: copySource(ref),
              CopySourceRange: copySourceRange(part),
              CopySourceIfMatch: head.eTag,
            }),
          ),
        );
        parts[part.partNumber - 1] = { PartNumber: part.partNumber, ETag: out.CopyPartResult?.ETag };
      }
    };
    await Promise.all(Array.from({ length: Math.min(props.partConcurrency ?? 4, props.ranges.length) }, worker));
    const done = await call(`CompleteMultipartUpload for ${describe(ref)}`, hooks, () =>
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      ),
    );
    return { newVersionId: versionIdFromAnswer(done.VersionId), copiedVersionId: copiedVersionId(ref, undefined) };
  } catch (error) {
    await call(`AbortMultipartUpload ${uploadId} for ${describe(ref)}`, hooks, () =>
      s3.send(new AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId })),
    ).catch(() => undefined);
    throw error;
  }
}
