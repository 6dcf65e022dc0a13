// The semantics of S3, free of HTTP: every rule of writes, reads, copies, encryption updates,
// restores and multipart uploads lives here, so the REST handler and Batch Operations jobs
// change objects in exactly the same way, fire the same event notifications and queue
// the same replication.
import { optional } from '../optional';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PolicyDocument } from '../iam/policy';
import type { Principal } from '../iam/principal';
import type { KmsKey, KmsWorld } from '../kms/world';
import { Bucket } from './bucket';
import type { ObjectOwnership, VersioningStatus } from './bucket-config';
import { bodyMd5Hex, bodySize, concatBodies, sliceBody } from './body';
import { BodyFiles } from './body-files';
import { internEncryption, resolveEncryption, usableKey } from './encryption';
import { compareKeys } from './key-order';
import { MAX_COPY_SOURCE_BYTES, s3Errors } from './errors';
import {
  listObjects,
  listVersions,
  type ListObjectsPage,
  type ListObjectsParams,
  type ListVersionsPage,
  type ListVersionsParams,
  type VersionEntry,
} from './listing';
import type { ObjectBody, ObjectEncryption, ObjectLockSettings, ObjectVersion, StorageClass } from './model';
import { MIN_PART_BYTES, type MultipartUpload, type UploadedPart } from './multipart';
import { namesEncryption, NO_OBJECT_LOCK, NO_TAGS, type EncryptionRequest, type ObjectDraft } from './object-draft';
import { effectiveRestore, isArchivedClass, isDataUnavailable } from './restore';
import { EventLog } from './event-log';
import { validateNotificationConfiguration, type FiredEventName, type NotificationConfiguration } from './notification-config';
import { Replication } from './replication';
import { replicatingRule, validateReplicationConfiguration, type ReplicationConfiguration } from './replication-config';

export interface S3WorldDeps {
  readonly accountId: string;
  readonly region: string;
  readonly kms: KmsWorld;
  readonly now: () => Date;
  /** How long RestoreObject takes before the copy is readable. */
  readonly restoreDelayMs: () => number;
  /** The IAM role an ARN names (replication assumes the configuration's role). @default none exists */
  readonly roleByArn?: (arn: string) => { readonly roleName: string; readonly arn: string } | undefined;
  /** IAM's identity policies of a principal, for KMS decisions that delegate to IAM. @default none */
  readonly identityPolicies?: (principal: Principal) => readonly PolicyDocument[];
}

export interface CreateBucketInput {
  readonly name: string;
  /** @default the world's region */
  readonly region?: string;
  readonly objectLockEnabled?: boolean;
  /** @default 'BucketOwnerEnforced', S3's default for new buckets since April 2023 */
  readonly ownership?: ObjectOwnership;
}

/** Settings of a new version as a request states them; omitted ones take S3's defaults. */
export interface WriteSettings {
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
  /** @default 'STANDARD' */
  readonly storageClass?: StorageClass;
  readonly encryption?: EncryptionRequest;
  /** Canned ACL. @default 'private' */
  readonly acl?: string;
  readonly objectLock?: ObjectLockSettings;
  readonly checksumAlgorithm?: ObjectDraft['checksumAlgorithm'];
}

export interface WriteConditions {
  /** Write only if the current object's ETag matches. */
  readonly ifMatch?: string;
  /** `*`: write only if no current object exists. */
  readonly ifNoneMatch?: string;
}

export interface PutObjectInput extends WriteSettings, WriteConditions {
  readonly bucket: string;
  readonly key: string;
  readonly body: ObjectBody;
}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** A copy source: the object, plus the SSE-C key MD5 when the source is SSE-C. */
export interface CopySource extends ObjectRef {
  readonly sseCustomerKeyMd5?: string;
  /** `x-amz-copy-source-if-match`: copy only if the source's ETag matches. */
  readonly ifMatch?: string;
  /** `x-amz-copy-source-if-none-match`: copy only if the source's ETag differs. */
  readonly ifNoneMatch?: string;
}

/** Destination conditions (If-Match, If-None-Match) are checked against the key's current version, as for PutObject. */
export interface CopyObjectInput extends WriteConditions {
  readonly source: CopySource;
  readonly bucket: string;
  readonly key: string;
  /** @default 'COPY' */
  readonly metadataDirective?: 'COPY' | 'REPLACE';
  /** With REPLACE: the new content type and metadata. */
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** @default 'COPY' */
  readonly taggingDirective?: 'COPY' | 'REPLACE';
  readonly tags?: Readonly<Record<string, string>>;
  /** @default 'STANDARD' (S3 does not keep the source's class) */
  readonly storageClass?: StorageClass;
  readonly encryption?: EncryptionRequest;
  /** @default 'private' (S3 does not keep the source's ACL) */
  readonly acl?: string;
  /** Object Lock settings are not copied; a copy that should keep them says so. */
  readonly objectLock?: ObjectLockSettings;
}

export interface CopyResult {
  readonly version: ObjectVersion;
  readonly source: ObjectVersion;
}

export interface UpdateObjectEncryptionInput extends ObjectRef {
  /** Target key ARN; UpdateObjectEncryption accepts nothing but a key ARN. */
  readonly kmsKeyArn: string;
  /** @default false, as the API documents */
  readonly bucketKeyEnabled?: boolean;
}

export interface DeleteResult {
  readonly versionId?: string;
  readonly deleteMarker: boolean;
}

export type RestoreOutcome = 'accepted' | 'already-restored';

const KMS_KEY_ARN = /^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:([0-9]{12}):key\/[a-zA-Z0-9-]+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class S3World {
  private readonly buckets = new Map<string, Bucket>();
  /** Every event notification fired, one record per matching destination. */
  readonly events: EventLog;
  /** The replication queue: `await replication.drain()` waits until every queued version replicated. */
  readonly replication: Replication;

  /** Where large bodies the sandbox writes itself are kept (files, not memory). */
  private readonly bodyFiles = new BodyFiles();

  constructor(private readonly deps: S3WorldDeps) {
    this.events = new EventLog(deps);
    this.replication = new Replication({
      accountId: deps.accountId,
      region: deps.region,
      kms: deps.kms,
      events: this.events,
      bucketNamed: (name) => this.buckets.get(name),
      roleByArn: deps.roleByArn ?? (() => undefined),
      identityPolicies: deps.identityPolicies ?? (() => []),
    });
  }

  // --- buckets -------------------------------------------------------------------------------

  /**
   * A body as the world would store it (large byte bodies moved to a file), for writers that hold
   * bodies before they store them: an UNLOAD's files until the query succeeds.
   */
  keepBody(body: ObjectBody): ObjectBody {
    return this.bodyFiles.keep(body);
  }

  /** Removes the files that hold large bodies: call when the world is done with (the sandbox stopped). */
  dispose(): void {
    this.bodyFiles.dispose();
  }

  createBucket(input: CreateBucketInput): Bucket {
    if (!BUCKET_NAME.test(input.name) || input.name.includes('..')) throw s3Errors.invalidBucketName(input.name);
    const region = input.region ?? this.deps.region;
    const existing = this.buckets.get(input.name);
    if (existing) {
      // us-east-1 answers a repeated CreateBucket by its owner with success, for legacy reasons.
      if (existing.region === 'us-east-1' && region === 'us-east-1') return existing;
      throw s3Errors.bucketAlreadyOwnedByYou(input.name);
    }
    const bucket = new Bucket({
      name: input.name,
      region,
      creationDate: this.deps.now(),
      objectLockEnabled: input.objectLockEnabled ?? false,
      ownership: input.ownership ?? 'BucketOwnerEnforced',
    });
    this.buckets.set(input.name, bucket);
    return bucket;
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Errors.noSuchBucket(name);
    return bucket;
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  listBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  deleteBucket(name: string): void {
    const bucket = this.bucket(name);
    if (!bucket.isEmpty) throw s3Errors.bucketNotEmpty(name);
    this.buckets.delete(name);
  }

  setVersioning(name: string, status: Exclude<VersioningStatus, 'Unversioned'>): void {
    const bucket = this.bucket(name);
    if (bucket.objectLockEnabled && status === 'Suspended') {
      throw s3Errors.invalidBucketState(
        'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      );
    }
    bucket.versioning = status;
  }

  /** PutBucketReplication: replaces the configuration after S3's checks; only later writes replicate. */
  putReplication(name: string, config: ReplicationConfiguration): void {
    const bucket = this.bucket(name);
    validateReplicationConfiguration(config, bucket, (n) => this.buckets.get(n));
    bucket.replication = config;
  }

  /** PutBucketNotificationConfiguration: replaces the whole configuration (an empty one turns notifications off). */
  putNotification(name: string, config: NotificationConfiguration): void {
    const bucket = this.bucket(name);
    validateNotificationConfiguration(config);
    bucket.notification = config;
  }

  // --- reads ---------------------------------------------------------------------------------

  /** The version a GET/HEAD addresses, failing as S3 does for missing keys, versions and delete markers. */
  version(ref: ObjectRef): ObjectVersion {
    const bucket = this.bucket(ref.bucket);
    if (ref.versionId === undefined) {
      const latest = bucket.latest(ref.key);
      if (!latest) throw s3Errors.noSuchKey(ref.key);
      if (latest.isDeleteMarker) throw s3Errors.noSuchKey(ref.key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
      return latest;
    }
    const found = bucket.versionWithId(ref.key, ref.versionId);
    if (!found) throw s3Errors.noSuchVersion(ref.key, ref.versionId);
    if (found.isDeleteMarker) throw s3Errors.deleteMarkerVersion(found.versionId);
    return found;
  }

  /** Like version(), for reading data: archived versions need a finished restore first. */
  readableVersion(ref: ObjectRef): ObjectVersion {
    const version = this.version(ref);
    if (isDataUnavailable(version, this.deps.now())) throw s3Errors.archivedObject(version.storageClass);
    return version;
  }

  /** Every version of a bucket in listing order (key order, newest first), for inventory and jobs. */
  *versions(bucketName: string): IterableIterator<VersionEntry> {
    const bucket = this.bucket(bucketName);
    for (const key of bucket.keys()) yield* bucket.newestFirst(key);
  }

  listObjects(bucket: string, params: ListObjectsParams): ListObjectsPage {
    return listObjects(this.bucket(bucket), params);
  }

  listVersions(bucket: string, params: ListVersionsParams): ListVersionsPage {
    return listVersions(this.bucket(bucket), params);
  }

  /** The restore state as of now (a delayed restore completes on its own). */
  restoreState(version: ObjectVersion): ObjectVersion['restore'] {
    return effectiveRestore(version.restore, this.deps.now());
  }

  // --- writes --------------------------------------------------------------------------------

  putObject(input: PutObjectInput): ObjectVersion {
    const bucket = this.bucket(input.bucket);
    this.checkConditions(bucket, input.key, input);
    const draft = this.draft(bucket, input);
    return this.write(bucket, input.key, draft, input.body, {}, 's3:ObjectCreated:Put');
  }

  deleteObject(ref: ObjectRef, options: { readonly bypassGovernanceRetention?: boolean; readonly ifMatch?: string } = {}): DeleteResult {
    const bucket = this.bucket(ref.bucket);
    // A conditional delete is evaluated against the current version only, as S3 documents it.
    if (options.ifMatch !== undefined) this.checkConditions(bucket, ref.key, { ifMatch: options.ifMatch });
    if (ref.versionId !== undefined) {
      const version = bucket.versionWithId(ref.key, ref.versionId);
      if (!version) return { versionId: ref.versionId, deleteMarker: false };
      this.checkNotLocked(version, options.bypassGovernanceRetention ?? false);
      bucket.remove(ref.key, ref.versionId);
      // Deleting a version by id is never replicated (S3 protects replicas from malicious deletes).
      this.events.fire(bucket, 's3:ObjectRemoved:Delete', version);
      return { versionId: ref.versionId, deleteMarker: version.isDeleteMarker };
    }
    if (bucket.versioning === 'Unversioned') {
      const removed = bucket.remove(ref.key, 'null');
      if (removed) this.events.fire(bucket, 's3:ObjectRemoved:Delete', removed);
      return { deleteMarker: false };
    }
    const marker = this.newVersion(bucket, ref.key, {
      isDeleteMarker: true,
      body: EMPTY_BODY,
      eTag: '',
      draft: {
        metadata: NO_TAGS,
        tags: NO_TAGS,
        storageClass: 'STANDARD',
        encryption: NOT_ENCRYPTED,
        acl: 'private',
        objectLock: NO_OBJECT_LOCK,
      },
    });
    const rule = replicatingRule(bucket.replication, marker);
    bucket.append(marker);
    if (rule) this.replication.enqueue(marker, rule, bucket.replication!.role);
    this.events.fire(bucket, 's3:ObjectRemoved:DeleteMarkerCreated', marker);
    return { versionId: marker.versionId, deleteMarker: true };
  }

  /**
   * CopyObject and Batch Operations' S3PutObjectCopy. Checks in S3's order of concern: source
   * readable (SSE-C key, archive state), the 5 GB copy limit, then copy-to-itself legality.
   */
  copyObject(input: CopyObjectInput): CopyResult {
    const source = this.copySource(input.source);
    if (source.size > MAX_COPY_SOURCE_BYTES) throw s3Errors.copySourceTooLarge();
    const bucket = this.bucket(input.bucket);
    const inPlace =
      input.source.bucket === input.bucket &&
      input.source.key === input.key &&
      (input.source.versionId === undefined || input.source.versionId === bucket.latest(input.key)?.versionId);
    if (inPlace && input.metadataDirective !== 'REPLACE' && input.storageClass === undefined && !namesEncryption(input.encryption)) {
      throw s3Errors.copyToItself();
    }
    const replaceMetadata = input.metadataDirective === 'REPLACE';
    const draft = this.draft(bucket, {
      ...(replaceMetadata ? optional('contentType', input.contentType) : optional('contentType', source.contentType)),
      metadata: replaceMetadata ? (input.metadata ?? NO_TAGS) : source.metadata,
      tags: input.taggingDirective === 'REPLACE' ? (input.tags ?? NO_TAGS) : source.tags,
      ...optional('storageClass', input.storageClass),
      ...optional('encryption', input.encryption),
      ...optional('acl', input.acl),
      ...optional('objectLock', input.objectLock),
      ...optional('checksumAlgorithm', source.checksumAlgorithm),
    });
    this.checkConditions(bucket, input.key, input);
    const version = this.write(bucket, input.key, draft, source.body, {}, 's3:ObjectCreated:Copy');
    return { version, source };
  }

  /**
   * UpdateObjectEncryption (S3 API since 2026-01; Batch Operations S3UpdateObjectEncryption).
   * Documented rules (UpdateObjectEncryptionCommand docs and the S3 API reference, checked 2026-11):
   * - target is SSE-KMS only, named by a key ARN `arn:aws...:kms:region:account:key/id` (no alias),
   *   owned by the bucket owner's account (else AccessDenied); BucketKeyEnabled defaults to false;
   * - sources must be SSE-S3 or SSE-KMS: NOT-SSE, DSSE-KMS and SSE-C sources are InvalidRequest;
   * - objects under a legal hold or any retention period are AccessDenied (Object Lock);
   * - applies to one version in place: no new version, storage class, dates, ETag and checksums
   *   are kept; archived (Glacier, Deep Archive) objects are updated without a restore;
   * - requests "on source buckets with live replication enabled won't initiate replica events in the
   *   destination bucket" (user guide, update-sse-encryption), so nothing is queued; no event type
   *   for it is documented (notification-how-to-event-types-and-destinations), so none is fired.
   */
  updateObjectEncryption(input: UpdateObjectEncryptionInput): ObjectVersion {
    const arn = KMS_KEY_ARN.exec(input.kmsKeyArn);
    if (!arn) {
      throw s3Errors.invalidRequest(
        "Requests that modify an object's encryption type to SSE-KMS require a valid AWS KMS key Amazon Resource Name (ARN). Confirm that you have a correctly formatted KMS key ARN in your request, and then try again.",
      );
    }
    if (arn[1] !== this.deps.accountId) {
      throw s3Errors.accessDenied(
        'The AWS KMS key in the request must be owned by the same account as the bucket. Modify the request to specify a KMS key from the same account, and then try again.',
      );
    }
    const bucket = this.bucket(input.bucket);
    const version = this.version(input);
    const status = version.encryption.status;
    if (status === 'NOT-SSE') {
      throw s3Errors.invalidRequest(
        "The UpdateObjectEncryption operation doesn't supported unencrypted source objects. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.",
      );
    }
    if (status === 'DSSE-KMS' || status === 'SSE-C') {
      throw s3Errors.invalidRequest(
        "The UpdateObjectEncryption operation doesn't support source objects with the encryption type DSSE-KMS or SSE-C. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.",
      );
    }
    if (this.isLocked(version)) {
      throw s3Errors.accessDenied(
        "The encryption type for the specified object can't be updated because that object is protected by S3 Object Lock. If the object has a governance-mode retention period or a legal hold, you must first remove the Object Lock status on the object before you issue your UpdateObjectEncryption request.",
      );
    }
    const key = usableKey(this.deps.kms, input.kmsKeyArn);
    const encryption = internEncryption({ status: 'SSE-KMS', kmsKeyArn: key.arn, bucketKeyEnabled: input.bucketKeyEnabled ?? false });
    const updated: ObjectVersion = { ...version, encryption };
    bucket.replace(updated);
    return updated;
  }

  restoreObject(ref: ObjectRef, days: number): RestoreOutcome {
    const bucket = this.bucket(ref.bucket);
    const version = this.version(ref);
    if (!isArchivedClass(version.storageClass)) throw s3Errors.restoreNotAllowed(version.storageClass);
    const now = this.deps.now();
    const current = effectiveRestore(version.restore, now);
    if (current?.ongoing) throw s3Errors.restoreInProgress();
    if (current && current.expiry && current.expiry > now) {
      bucket.replace({ ...version, restore: { ongoing: false, expiry: new Date(now.getTime() + days * 86_400_000), days } });
      return 'already-restored';
    }
    const delay = this.deps.restoreDelayMs();
    const completesAt = new Date(now.getTime() + delay);
    const restore =
      delay > 0
        ? { ongoing: true, completesAt, days }
        : { ongoing: false, completesAt, days, expiry: new Date(now.getTime() + days * 86_400_000) };
    bucket.replace({ ...version, restore });
    this.events.fire(bucket, 's3:ObjectRestore:Post', version);
    // A delayed restore completes lazily when read; only an immediate one fires its completion.
    if (delay === 0) this.events.fire(bucket, 's3:ObjectRestore:Completed', version);
    return 'accepted';
  }

  // --- tags and Object Lock ------------------------------------------------------------------

  putTags(ref: ObjectRef, tags: Readonly<Record<string, string>>): ObjectVersion {
    validateTags(tags);
    const version = this.updateVersion(ref, (v) => ({ ...v, tags: { ...tags } }));
    this.events.fire(this.bucket(ref.bucket), 's3:ObjectTagging:Put', version);
    return version;
  }

  /** DeleteObjectTagging. */
  deleteTags(ref: ObjectRef): ObjectVersion {
    const version = this.updateVersion(ref, (v) => ({ ...v, tags: NO_TAGS }));
    this.events.fire(this.bucket(ref.bucket), 's3:ObjectTagging:Delete', version);
    return version;
  }

  putRetention(
    ref: ObjectRef,
    retention: { readonly mode?: 'GOVERNANCE' | 'COMPLIANCE'; readonly retainUntil?: Date },
    bypassGovernance = false,
  ): ObjectVersion {
    const bucket = this.bucket(ref.bucket);
    if (!bucket.objectLockEnabled) throw s3Errors.objectLockNotEnabled();
    const version = this.version(ref);
    const current = version.objectLock;
    const shortens =
      current.retainUntil !== undefined && (retention.retainUntil === undefined || retention.retainUntil < current.retainUntil);
    if (current.retainUntil && current.retainUntil > this.deps.now() && shortens && (current.mode === 'COMPLIANCE' || !bypassGovernance)) {
      throw s3Errors.accessDenied();
    }
    const objectLock: ObjectLockSettings = {
      ...optional('legalHold', current.legalHold),
      ...optional('mode', retention.mode),
      ...optional('retainUntil', retention.retainUntil),
    };
    return this.updateVersion(ref, (v) => ({ ...v, objectLock }));
  }

  putLegalHold(ref: ObjectRef, status: 'ON' | 'OFF'): ObjectVersion {
    if (!this.bucket(ref.bucket).objectLockEnabled) throw s3Errors.objectLockNotEnabled();
    return this.updateVersion(ref, (v) => ({ ...v, objectLock: { ...v.objectLock, legalHold: status } }));
  }

  putAcl(ref: ObjectRef, acl: string): ObjectVersion {
    if (this.bucket(ref.bucket).ownership === 'BucketOwnerEnforced') throw s3Errors.aclNotSupported();
    const version = this.updateVersion(ref, (v) => ({ ...v, acl }));
    this.events.fire(this.bucket(ref.bucket), 's3:ObjectAcl:Put', version);
    return version;
  }

  /** The KMS key behind an ARN stored on a version, if it still exists. */
  kmsKey(arn: string): KmsKey | undefined {
    return this.deps.kms.findKey(arn);
  }

  // --- multipart uploads ---------------------------------------------------------------------

  createMultipartUpload(input: { readonly bucket: string; readonly key: string } & WriteSettings): MultipartUpload {
    const bucket = this.bucket(input.bucket);
    const upload: MultipartUpload = {
      uploadId: randomBytes(24).toString('base64url'),
      bucket: input.bucket,
      key: input.key,
      initiated: this.deps.now(),
      draft: this.draft(bucket, input),
      parts: new Map(),
    };
    bucket.uploads.set(upload.uploadId, upload);
    return upload;
  }

  uploadPart(target: UploadTarget, body: ObjectBody): UploadedPart {
    const upload = this.upload(target);
    return this.addPart(upload, target.partNumber, body);
  }

  /** UploadPartCopy: a byte range (inclusive, as in `bytes=first-last`) of a source becomes a part. */
  uploadPartCopy(
    target: UploadTarget,
    source: CopySource,
    range?: { readonly first: number; readonly last: number },
  ): { part: UploadedPart; source: ObjectVersion } {
    const upload = this.upload(target);
    const version = this.copySource(source);
    if (range && (range.first > range.last || range.last >= version.size)) {
      throw s3Errors.invalidArgument(
        'Range specified is not valid for source object of size: ' + version.size,
        'x-amz-copy-source-range',
        `bytes=${range.first}-${range.last}`,
      );
    }
    const length = range ? range.last - range.first + 1 : version.size;
    if (length > MAX_COPY_SOURCE_BYTES) throw s3Errors.copySourceTooLarge();
    const body = range ? sliceBody(version.body, range.first, length) : version.body;
    return { part: this.addPart(upload, target.partNumber, body), source: version };
  }

  completeMultipartUpload(
    target: { readonly bucket: string; readonly key: string; readonly uploadId: string },
    parts: readonly { readonly partNumber: number; readonly eTag: string }[],
    conditions: WriteConditions = {},
  ): ObjectVersion {
    const bucket = this.bucket(target.bucket);
    const upload = this.upload(target);
    if (parts.length === 0) throw s3Errors.malformedXml();
    const chosen: UploadedPart[] = [];
    parts.forEach((p, i) => {
      if (i > 0 && p.partNumber <= parts[i - 1]!.partNumber) throw s3Errors.invalidPartOrder();
      const part = upload.parts.get(p.partNumber);
      if (!part || stripQuotes(p.eTag) !== stripQuotes(part.eTag)) throw s3Errors.invalidPart();
      chosen.push(part);
    });
    if (chosen.slice(0, -1).some((p) => p.size < MIN_PART_BYTES)) throw s3Errors.entityTooSmall();
    this.checkConditions(bucket, target.key, conditions);
    const digest = createHash('md5');
    for (const part of chosen) digest.update(Buffer.from(stripQuotes(part.eTag), 'hex'));
    const eTag = `"${digest.digest('hex')}-${chosen.length}"`;
    const body = concatBodies(chosen.map((p) => p.body));
    bucket.uploads.delete(upload.uploadId);
    return this.write(
      bucket,
      target.key,
      upload.draft,
      body,
      { eTag, partsCount: chosen.length },
      's3:ObjectCreated:CompleteMultipartUpload',
    );
  }

  /** Uploads in progress, by key then initiation time; no paging (the sandbox holds few). */
  listMultipartUploads(bucketName: string, prefix = ''): MultipartUpload[] {
    return [...this.bucket(bucketName).uploads.values()]
      .filter((u) => u.key.startsWith(prefix))
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime());
  }

  listParts(target: { readonly bucket: string; readonly key: string; readonly uploadId: string }): UploadedPart[] {
    return [...this.upload(target).parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  abortMultipartUpload(target: { readonly bucket: string; readonly key: string; readonly uploadId: string }): void {
    const upload = this.upload(target);
    this.bucket(target.bucket).uploads.delete(upload.uploadId);
  }

  // --- seeding and state ---------------------------------------------------------------------

  /** Queues again every version saved PENDING (state loading): replication resumes where it stopped. */
  requeuePendingReplication(): void {
    for (const bucket of this.buckets.values()) {
      if (!bucket.replication) continue;
      for (const key of bucket.keys()) {
        for (const version of bucket.versionsOf(key)) {
          if (version.replicationStatus !== 'PENDING') continue;
          const rule = replicatingRule(bucket.replication, version);
          if (rule) this.replication.enqueue(version, rule, bucket.replication.role);
        }
      }
    }
  }

  /** Inserts a fully formed version as the newest of its key (seeding, loading saved state). */
  insertVersion(version: ObjectVersion): void {
    this.bucket(version.bucket).append(version);
  }

  // --- internals -----------------------------------------------------------------------------

  private copySource(source: CopySource): ObjectVersion {
    const version = this.version(source);
    if (version.encryption.status === 'SSE-C') {
      if (source.sseCustomerKeyMd5 === undefined) throw s3Errors.sseCustomerKeyRequired();
      if (source.sseCustomerKeyMd5 !== version.encryption.sseCustomerKeyMd5) throw s3Errors.sseCustomerKeyMismatch();
    }
    if (isDataUnavailable(version, this.deps.now())) throw s3Errors.archivedSource();
    if (source.ifMatch !== undefined && stripQuotes(source.ifMatch) !== stripQuotes(version.eTag))
      throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
    if (source.ifNoneMatch !== undefined && stripQuotes(source.ifNoneMatch) === stripQuotes(version.eTag))
      throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
    return version;
  }

  private draft(bucket: Bucket, settings: WriteSettings): ObjectDraft {
    const acl = settings.acl ?? 'private';
    if (
      bucket.ownership === 'BucketOwnerEnforced' &&
      settings.acl !== undefined &&
      settings.acl !== 'bucket-owner-full-control' &&
      settings.acl !== 'private'
    ) {
      throw s3Errors.aclNotSupported();
    }
    const objectLock = settings.objectLock ?? NO_OBJECT_LOCK;
    if ((objectLock.mode !== undefined || objectLock.legalHold !== undefined) && !bucket.objectLockEnabled)
      throw s3Errors.objectLockNotEnabled();
    validateTags(settings.tags ?? NO_TAGS);
    return {
      ...optional('contentType', settings.contentType),
      metadata: settings.metadata ?? NO_TAGS,
      tags: settings.tags ?? NO_TAGS,
      storageClass: settings.storageClass ?? 'STANDARD',
      encryption: resolveEncryption(settings.encryption, bucket.encryption, this.deps.kms),
      acl,
      objectLock,
      ...optional('checksumAlgorithm', settings.checksumAlgorithm),
    };
  }

  /** Appends a new version, queues its replication (status PENDING) when a rule selects it, and fires its event. */
  private write(
    bucket: Bucket,
    key: string,
    draft: ObjectDraft,
    body: ObjectBody,
    multipart: { eTag?: string; partsCount?: number },
    event: FiredEventName,
  ): ObjectVersion {
    const version = this.newVersion(bucket, key, {
      isDeleteMarker: false,
      body: this.bodyFiles.keep(body),
      draft,
      eTag: multipart.eTag ?? `"${bodyMd5Hex(body)}"`,
      ...optional('partsCount', multipart.partsCount),
    });
    // SSE-KMS and SSE-C ETags are not the MD5 of the data: make them differ per write as on AWS.
    const opaque = draft.encryption.status !== 'NOT-SSE' && draft.encryption.status !== 'SSE-S3' && multipart.eTag === undefined;
    const written = opaque
      ? {
          ...version,
          eTag: `"${createHash('md5')
            .update(version.eTag + version.versionId + version.lastModified.getTime())
            .digest('hex')}"`,
        }
      : version;
    const rule = replicatingRule(bucket.replication, written);
    const final: ObjectVersion = rule ? { ...written, replicationStatus: 'PENDING' } : written;
    bucket.append(final);
    if (rule) this.replication.enqueue(final, rule, bucket.replication!.role);
    this.events.fire(bucket, event, final);
    return final;
  }

  private newVersion(
    bucket: Bucket,
    key: string,
    parts: { isDeleteMarker: boolean; body: ObjectBody; draft: ObjectDraft; eTag: string; partsCount?: number },
  ): ObjectVersion {
    const { draft } = parts;
    return {
      bucket: bucket.name,
      key,
      versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null',
      isDeleteMarker: parts.isDeleteMarker,
      size: bodySize(parts.body),
      lastModified: this.deps.now(),
      eTag: parts.eTag,
      storageClass: draft.storageClass,
      isMultipartUploaded: parts.partsCount !== undefined,
      ...optional('partsCount', parts.partsCount),
      encryption: draft.encryption,
      objectLock: draft.objectLock,
      ...optional('contentType', draft.contentType),
      ...optional('checksumAlgorithm', draft.checksumAlgorithm),
      metadata: draft.metadata,
      tags: draft.tags,
      acl: draft.acl,
      owner: this.deps.accountId,
      body: parts.body,
    };
  }

  private checkConditions(bucket: Bucket, key: string, conditions: WriteConditions): void {
    if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return;
    const latest = bucket.latest(key);
    const current = latest && !latest.isDeleteMarker ? latest : undefined;
    if (conditions.ifNoneMatch !== undefined) {
      if (conditions.ifNoneMatch !== '*') throw s3Errors.notImplemented('If-None-Match accepts only * on writes');
      if (current) throw s3Errors.preconditionFailed('If-None-Match');
    }
    if (conditions.ifMatch !== undefined) {
      if (!current) throw s3Errors.noSuchKey(key);
      if (conditions.ifMatch !== '*' && stripQuotes(conditions.ifMatch) !== stripQuotes(current.eTag))
        throw s3Errors.preconditionFailed('If-Match');
    }
  }

  private isLocked(version: ObjectVersion): boolean {
    const lock = version.objectLock;
    return lock.legalHold === 'ON' || (lock.retainUntil !== undefined && lock.retainUntil > this.deps.now());
  }

  private checkNotLocked(version: ObjectVersion, bypassGovernance: boolean): void {
    const lock = version.objectLock;
    if (lock.legalHold === 'ON') throw s3Errors.objectLocked();
    if (lock.retainUntil !== undefined && lock.retainUntil > this.deps.now() && (lock.mode === 'COMPLIANCE' || !bypassGovernance))
      throw s3Errors.objectLocked();
  }

  private updateVersion(ref: ObjectRef, change: (version: ObjectVersion) => ObjectVersion): ObjectVersion {
    const bucket = this.bucket(ref.bucket);
    const updated = change(this.version(ref));
    bucket.replace(updated);
    return updated;
  }

  private upload(target: { readonly bucket: string; readonly key: string; readonly uploadId: string }): MultipartUpload {
    const upload = this.bucket(target.bucket).uploads.get(target.uploadId);
    if (!upload || upload.key !== target.key) throw s3Errors.noSuchUpload(target.uploadId);
    return upload;
  }

  private addPart(upload: MultipartUpload, partNumber: number, body: ObjectBody): UploadedPart {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(partNumber));
    }
    const part: UploadedPart = { partNumber, body, size: bodySize(body), eTag: `"${bodyMd5Hex(body)}"`, lastModified: this.deps.now() };
    upload.parts.set(partNumber, part);
    return part;
  }
}

export interface UploadTarget {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly partNumber: number;
}

const EMPTY_BODY: ObjectBody = { kind: 'bytes', data: Buffer.alloc(0) };
const NOT_ENCRYPTED: ObjectEncryption = internEncryption({ status: 'NOT-SSE', bucketKeyEnabled: false });

function newVersionId(): string {
  return randomUUID().replace(/-/g, '');
}

function stripQuotes(eTag: string): string {
  return eTag.replace(/^"|"$/g, '');
}

function validateTags(tags: Readonly<Record<string, string>>): void {
  const entries = Object.entries(tags);
  if (entries.length > 10) throw s3Errors.badRequest('Object tags cannot be greater than 10');
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > 128) throw s3Errors.invalidTag('The TagKey you have provided is invalid');
    if (v.length > 256) throw s3Errors.invalidTag('The TagValue you have provided is invalid');
  }
}
