// Per-object S3 calls of the direct engine other than the copies (aws/object-copies.ts): HeadObject,
// UpdateObjectEncryption, tags, ACL, RestoreObject, version listing and the write probe's canaries.
// Every call goes through version-call.ts, which reports each throttle so concurrency can back off.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  GetObjectAclCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  RestoreObjectCommand,
  UpdateObjectEncryptionCommand,
  ListObjectVersionsCommand,
  type HeadObjectCommandOutput,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { HistoryEntry, KeyHistory } from '../core/newer-write';
import type { AclGrant } from '../core/object-acl';
import { AwsError } from '../errors';
import { httpStatus } from './errors';
import {
  versionIdFromAnswer,
  call,
  describe,
  describeVersion,
  taggingHeader,
  versionParam,
  type CallHooks,
  type ObjectRef,
  type VersionRef,
  type VersionSelector,
} from './version-call';

export interface ObjectLock {
  readonly mode?: 'GOVERNANCE' | 'COMPLIANCE';
  readonly retainUntil?: Date;
  readonly legalHold?: 'ON' | 'OFF';
}

/** What HeadObject tells about a version: enough to classify, copy faithfully and follow a restore. */
export interface VersionHead {
  readonly versionId: string;
  /** 'NOT-SSE', 'SSE-S3', 'SSE-KMS', 'DSSE-KMS' or 'SSE-C', as inventory names them. */
  readonly encryptionStatus: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
  readonly storageClass: string;
  readonly size: number;
  readonly eTag: string;
  /** Archived versions: none requested, restore running, or a restored copy readable now. */
  readonly restore: 'none' | 'ongoing' | 'restored';
  readonly lock: ObjectLock;
  readonly system: SystemMetadata;
  readonly metadata: Record<string, string>;
  /** `x-amz-replication-status`: 'REPLICA' on a replication destination; undefined where nothing replicates. */
  readonly replicationStatus?: string;
}

/** The system metadata a multipart copy must set again (a single copy keeps it with MetadataDirective COPY). */
export interface SystemMetadata {
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly expires?: Date;
  readonly websiteRedirectLocation?: string;
}

function encryptionStatus(out: HeadObjectCommandOutput): string {
  if (out.SSECustomerAlgorithm) return 'SSE-C';
  switch (out.ServerSideEncryption) {
    case 'AES256':
      return 'SSE-S3';
    case 'aws:kms':
      return 'SSE-KMS';
    case 'aws:kms:dsse':
      return 'DSSE-KMS';
    default:
      return 'NOT-SSE';
  }
}

function restoreOf(header: string | undefined): VersionHead['restore'] {
  if (!header) return 'none';
  return /ongoing-request="true"/.test(header) ? 'ongoing' : 'restored';
}

/**
 * HeadObject of an SSE-C version without its customer key is a bare 400 (HEAD has no body): that
 * refusal is how S3 says "SSE-C", and the only way a listing can tell.
 */
export function isCustomerKeyRefusal(error: unknown): boolean {
  return error instanceof AwsError && httpStatus(error.cause) === 400;
}

/**
 * The one HeadObject of the runner: a version by its id ('null' included), or the key's current one;
 * undefined when it is gone or a delete marker.
 */
export async function headVersion(
  s3: S3Client,
  bucket: string,
  key: string,
  version: VersionSelector,
  hooks?: CallHooks,
): Promise<VersionHead | undefined> {
  try {
    const out = await call(`HeadObject s3://${bucket}/${key} ${describeVersion(version)}`, hooks, () =>
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...versionParam(version) })),
    );
    return {
      versionId: versionIdFromAnswer(out.VersionId),
      encryptionStatus: encryptionStatus(out),
      kmsKeyId: out.SSEKMSKeyId,
      bucketKeyEnabled: out.BucketKeyEnabled === true,
      storageClass: out.StorageClass ?? 'STANDARD',
      size: out.ContentLength ?? 0,
      eTag: out.ETag ?? '',
      restore: restoreOf(out.Restore),
      lock: {
        ...(out.ObjectLockMode ? { mode: out.ObjectLockMode } : {}),
        ...(out.ObjectLockRetainUntilDate ? { retainUntil: out.ObjectLockRetainUntilDate } : {}),
        ...(out.ObjectLockLegalHoldStatus ? { legalHold: out.ObjectLockLegalHoldStatus } : {}),
      },
      system: {
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        contentDisposition: out.ContentDisposition,
        contentEncoding: out.ContentEncoding,
        contentLanguage: out.ContentLanguage,
        expires: out.Expires,
        websiteRedirectLocation: out.WebsiteRedirectLocation,
      },
      metadata: out.Metadata ?? {},
      ...(out.ReplicationStatus ? { replicationStatus: out.ReplicationStatus } : {}),
    };
  } catch (error) {
    // HEAD errors have no body: a missing version or a delete marker shows as 404 or 405.
    if (
      error instanceof AwsError &&
      (['NotFound', 'NoSuchKey', 'NoSuchVersion', 'MethodNotAllowed'].includes(error.awsCode ?? '') ||
        [404, 405].includes(httpStatus(error.cause) ?? 0))
    ) {
      return undefined;
    }
    throw error;
  }
}

/** What an UpdateObjectEncryption answer said; the SDK's response shape carries nothing of the version. */
export interface UpdateAnswer {
  /** The raw `x-amz-version-id` header, when the endpoint sent one. */
  readonly answeredVersionId?: string;
}

/**
 * Re-wraps a version's data key under the KMS key with a Bucket Key: no new version, no data movement.
 * The answer's `x-amz-version-id`, which the SDK drops, is kept: an endpoint that names another
 * version than the one asked for wrote something else (moto stores the request as a new version).
 */
export async function updateObjectEncryption(s3: S3Client, ref: VersionRef, kmsKeyArn: string, hooks?: CallHooks): Promise<UpdateAnswer> {
  keepAnsweredVersionId(s3);
  const out = await call(`UpdateObjectEncryption ${describe(ref)}`, hooks, () =>
    s3.send(
      new UpdateObjectEncryptionCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ...versionParam(ref.versionId),
        ObjectEncryption: { SSEKMS: { KMSKeyArn: kmsKeyArn, BucketKeyEnabled: true } },
      }),
    ),
  );
  const answeredVersionId = (out as { [ANSWERED_VERSION_ID]?: string })[ANSWERED_VERSION_ID];
  return answeredVersionId === undefined ? {} : { answeredVersionId };
}

/** Where the client-level middleware below leaves an UpdateObjectEncryption answer's `x-amz-version-id`. */
const ANSWERED_VERSION_ID = Symbol('x-amz-version-id');
const keepingAnsweredVersionId = new WeakSet<S3Client>();

/**
 * Adds, once per client, a middleware that copies the raw `x-amz-version-id` of an
 * UpdateObjectEncryption answer onto its output. It sits on the client, not on each command: the
 * runner's clients cache their middleware per command class (`cacheMiddleware`), so a command's own
 * middleware would run only for the first command of its class.
 */
function keepAnsweredVersionId(s3: S3Client): void {
  if (keepingAnsweredVersionId.has(s3)) return;
  keepingAnsweredVersionId.add(s3);
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'UpdateObjectEncryptionCommand') {
        const headers = (result.response as { headers?: Record<string, string | undefined> }).headers ?? {};
        const answered = headers['x-amz-version-id'];
        if (answered !== undefined && result.output && typeof result.output === 'object')
          (result.output as { [ANSWERED_VERSION_ID]?: string })[ANSWERED_VERSION_ID] = answered;
      }
      return result;
    },
    { step: 'initialize', name: 'kmsMigrationAnsweredVersionId' },
  );
}

/** The bytes of one version (small objects only: the write probe's canaries). */
export async function objectBytes(s3: S3Client, ref: ObjectRef, hooks?: CallHooks): Promise<Buffer> {
  return call(`GetObject ${describe(ref)}`, hooks, async () => {
    const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...versionParam(ref.versionId) }));
    return Buffer.from(await out.Body!.transformToByteArray());
  });
}

export interface CanaryProps {
  readonly body: Buffer;
  readonly storageClass: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly tags: Record<string, string>;
}

/** Writes a canary object SSE-S3 encrypted, as most objects awaiting migration are; returns its version. */
export async function putCanary(s3: S3Client, bucket: string, key: string, props: CanaryProps, hooks?: CallHooks): Promise<VersionRef> {
  const out = await call(`PutObject s3://${bucket}/${key}`, hooks, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: props.body,
        ServerSideEncryption: 'AES256',
        StorageClass: props.storageClass as StorageClass,
        ContentType: props.contentType,
        Metadata: props.metadata,
        ...(taggingHeader(props.tags) ? { Tagging: taggingHeader(props.tags) } : {}),
      }),
    ),
  );
  return { bucket, key, versionId: versionIdFromAnswer(out.VersionId) };
}

/** Entries of one key a history page asks for: most keys have few versions. */
const HISTORY_PAGE = 100;

/**
 * Every version and delete marker of exactly one key, versions newest first as S3 lists them. The
 * listing is by prefix, and every other key under that prefix sorts after the key itself, so paging
 * stops at the first entry of another key.
 */
export async function keyHistory(s3: S3Client, bucket: string, key: string, hooks?: CallHooks): Promise<KeyHistory> {
  const versions: HistoryEntry[] = [];
  const deleteMarkers: HistoryEntry[] = [];
  const entry = (v: { VersionId?: string; IsLatest?: boolean; LastModified?: Date }): HistoryEntry => ({
    versionId: versionIdFromAnswer(v.VersionId),
    isLatest: v.IsLatest === true,
    ...(v.LastModified ? { lastModified: v.LastModified } : {}),
  });
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await call(`ListObjectVersions s3://${bucket}/${key}`, hooks, () =>
      s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: HISTORY_PAGE, ...markers })),
    );
    const all = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
    for (const v of page.Versions ?? []) if (v.Key === key) versions.push(entry(v));
    for (const m of page.DeleteMarkers ?? []) if (m.Key === key) deleteMarkers.push(entry(m));
    if (!page.IsTruncated || all.some((v) => v.Key !== key)) return { versions, deleteMarkers };
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}

/** Version ids of one key, newest first (delete markers included, as ids). */
export async function versionIdsOf(s3: S3Client, bucket: string, key: string, hooks?: CallHooks): Promise<string[]> {
  const history = await keyHistory(s3, bucket, key, hooks);
  return [...history.versions, ...history.deleteMarkers].map((v) => v.versionId);
}

/** Deletes one version for good (the canaries only). */
export async function deleteVersion(s3: S3Client, ref: VersionRef, hooks?: CallHooks): Promise<void> {
  await call(`DeleteObject ${describe(ref)}`, hooks, () =>
    s3.send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...versionParam(ref.versionId) })),
  );
}

export async function objectTags(s3: S3Client, ref: ObjectRef, hooks?: CallHooks): Promise<Record<string, string>> {
  const out = await call(`GetObjectTagging ${describe(ref)}`, hooks, () =>
    s3.send(new GetObjectTaggingCommand({ Bucket: ref.bucket, Key: ref.key, ...versionParam(ref.versionId) })),
  );
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export async function objectAcl(s3: S3Client, ref: ObjectRef, hooks?: CallHooks): Promise<{ ownerId: string; grants: AclGrant[] }> {
  const out = await call(`GetObjectAcl ${describe(ref)}`, hooks, () =>
    s3.send(new GetObjectAclCommand({ Bucket: ref.bucket, Key: ref.key, ...versionParam(ref.versionId) })),
  );
  return {
    ownerId: out.Owner?.ID ?? '',
    grants: (out.Grants ?? []).map((g) => ({
      ...(g.Grantee?.ID ? { id: g.Grantee.ID } : {}),
      ...(g.Grantee?.URI ? { uri: g.Grantee.URI } : {}),
      permission: g.Permission ?? '',
    })),
  };
}

/** Asks S3 to restore an archived version for `days`; 'in-progress' when a restore already runs. */
export async function requestRestore(
  s3: S3Client,
  ref: ObjectRef,
  days: number,
  tier: 'Standard' | 'Bulk' | 'Expedited',
  hooks?: CallHooks,
): Promise<'accepted' | 'in-progress'> {
  try {
    await call(`RestoreObject ${describe(ref)}`, hooks, () =>
      s3.send(
        new RestoreObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          ...versionParam(ref.versionId),
          RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
        }),
      ),
    );
    return 'accepted';
  } catch (error) {
    if (error instanceof AwsError && error.awsCode === 'RestoreAlreadyInProgress') return 'in-progress';
    throw error;
  }
}

export interface ListedVersion {
  readonly key: string;
  /** 'null' for the null version (see core/version-id.ts). */
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly size: number;
  readonly storageClass: string;
  readonly lastModified?: Date;
}

/**
 * Every version (delete markers left out: they hold no data) in key order, newest first, from
 * after a position: page by page, so memory does not grow with the bucket.
 */
export async function* listVersions(
  s3: S3Client,
  bucket: string,
  prefix: string,
  after?: { key: string; versionId: string },
  hooks?: CallHooks,
): AsyncGenerator<ListedVersion> {
  // ListObjectVersions has no SDK paginator: the key and version-id markers are the resume position.
  let keyMarker = after?.key;
  let versionIdMarker = after?.versionId;
  for (;;) {
    const page = await call(`ListObjectVersions s3://${bucket}/${prefix}`, hooks, () =>
      s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          ...(prefix ? { Prefix: prefix } : {}),
          ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      ),
    );
    for (const v of page.Versions ?? []) {
      yield {
        key: v.Key ?? '',
        versionId: versionIdFromAnswer(v.VersionId),
        isLatest: v.IsLatest === true,
        size: v.Size ?? 0,
        storageClass: v.StorageClass ?? 'STANDARD',
        ...(v.LastModified ? { lastModified: v.LastModified } : {}),
      };
    }
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
