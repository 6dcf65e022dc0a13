// S3's object headers both ways: request headers into write settings, and a version's state into
// the response headers of GET/HEAD/PUT (encryption, storage class, restore, Object Lock, ...).
import { optional as opt } from '../../optional';
import { header, type SandboxRequest } from '../../http/request';
import { s3Errors } from '../errors';
import {
  STORAGE_CLASSES,
  type ObjectEncryption,
  type ObjectLockSettings,
  type ObjectVersion,
  type RestoreState,
  type StorageClass,
} from '../model';
import type { EncryptionRequest } from '../object-draft';
import type { CopySource, WriteConditions, WriteSettings } from '../world';

export function storageClassHeader(value: string | undefined): StorageClass | undefined {
  if (value === undefined) return undefined;
  if (!(STORAGE_CLASSES as readonly string[]).includes(value))
    throw s3Errors.invalidArgument('The storage class you specified is not valid', 'x-amz-storage-class', value);
  return value as StorageClass;
}

type EncryptionMethod = NonNullable<EncryptionRequest['serverSideEncryption']>;
const isEncryptionMethod = (value: string): value is EncryptionMethod =>
  value === 'AES256' || value === 'aws:kms' || value === 'aws:kms:dsse';

export function encryptionRequest(req: SandboxRequest, prefix = 'x-amz-server-side-encryption'): EncryptionRequest | undefined {
  const sse = header(req, prefix);
  if (sse !== undefined && !isEncryptionMethod(sse)) {
    throw s3Errors.invalidArgument('The encryption method specified is not supported', prefix, sse);
  }
  const bucketKey = header(req, `${prefix}-bucket-key-enabled`);
  const request: EncryptionRequest = {
    ...opt('serverSideEncryption', sse),
    ...opt('kmsKeyId', header(req, `${prefix}-aws-kms-key-id`)),
    ...opt('bucketKeyEnabled', bucketKey === undefined ? undefined : bucketKey.toLowerCase() === 'true'),
    ...opt('sseCustomerAlgorithm', header(req, `${prefix}-customer-algorithm`)),
    ...opt('sseCustomerKeyMd5', header(req, `${prefix}-customer-key-md5`)),
  };
  return Object.keys(request).length > 0 ? request : undefined;
}

export function userMetadata(req: SandboxRequest): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return metadata;
}

/** `k1=v1&k2=v2`, URL-encoded, as in the x-amz-tagging header. */
export function parseTaggingHeader(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(value)) tags[k] = v;
  return tags;
}

export function objectLockHeaders(req: SandboxRequest): ObjectLockSettings | undefined {
  const mode = header(req, 'x-amz-object-lock-mode');
  const until = header(req, 'x-amz-object-lock-retain-until-date');
  const hold = header(req, 'x-amz-object-lock-legal-hold');
  if (mode === undefined && until === undefined && hold === undefined) return undefined;
  if ((mode === undefined) !== (until === undefined)) {
    throw s3Errors.invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      'x-amz-object-lock-mode',
      mode ?? '',
    );
  }
  return {
    ...opt('mode', mode as ObjectLockSettings['mode']),
    ...opt('retainUntil', until === undefined ? undefined : new Date(until)),
    ...opt('legalHold', hold as ObjectLockSettings['legalHold']),
  };
}

export function writeSettings(req: SandboxRequest): WriteSettings {
  const checksum = Object.keys(req.headers).find(
    (h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type' && h !== 'x-amz-checksum-algorithm',
  );
  const checksumAlgorithm = (header(req, 'x-amz-checksum-algorithm') ?? checksum?.slice('x-amz-checksum-'.length))?.toUpperCase();
  return {
    ...opt('contentType', header(req, 'content-type')),
    metadata: userMetadata(req),
    ...opt('tags', parseTaggingHeader(header(req, 'x-amz-tagging'))),
    ...opt('storageClass', storageClassHeader(header(req, 'x-amz-storage-class'))),
    ...opt('encryption', encryptionRequest(req)),
    ...opt('acl', header(req, 'x-amz-acl')),
    ...opt('objectLock', objectLockHeaders(req)),
    ...opt('checksumAlgorithm', checksumAlgorithm as WriteSettings['checksumAlgorithm']),
  };
}

export function writeConditions(req: SandboxRequest): WriteConditions {
  return { ...opt('ifMatch', header(req, 'if-match')), ...opt('ifNoneMatch', header(req, 'if-none-match')) };
}

/** `x-amz-copy-source: bucket/url-encoded-key?versionId=...` plus the source's SSE-C key MD5. */
export function copySource(req: SandboxRequest): CopySource {
  const raw = header(req, 'x-amz-copy-source') ?? '';
  const q = raw.indexOf('?');
  const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q)).replace(/^\//, '');
  const versionId = q < 0 ? undefined : (new URLSearchParams(raw.slice(q + 1)).get('versionId') ?? undefined);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw s3Errors.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
  return {
    bucket: path.slice(0, slash),
    key: path.slice(slash + 1),
    ...opt('versionId', versionId),
    ...opt('sseCustomerKeyMd5', header(req, 'x-amz-copy-source-server-side-encryption-customer-key-md5')),
    ...opt('ifMatch', header(req, 'x-amz-copy-source-if-match')),
    ...opt('ifNoneMatch', header(req, 'x-amz-copy-source-if-none-match')),
  };
}

export function encryptionHeaders(encryption: ObjectEncryption): Record<string, string> {
  switch (encryption.status) {
    case 'NOT-SSE':
      return {};
    case 'SSE-S3':
      return { 'x-amz-server-side-encryption': 'AES256' };
    case 'SSE-KMS':
      return {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': encryption.kmsKeyArn ?? '',
        ...(encryption.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
      };
    case 'DSSE-KMS':
      return { 'x-amz-server-side-encryption': 'aws:kms:dsse', 'x-amz-server-side-encryption-aws-kms-key-id': encryption.kmsKeyArn ?? '' };
    case 'SSE-C':
      return {
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key-md5': encryption.sseCustomerKeyMd5 ?? '',
      };
  }
}

export function restoreHeader(restore: RestoreState | undefined): Record<string, string> {
  if (!restore) return {};
  if (restore.ongoing) return { 'x-amz-restore': 'ongoing-request="true"' };
  return { 'x-amz-restore': `ongoing-request="false", expiry-date="${(restore.expiry ?? new Date()).toUTCString()}"` };
}

/** The x-amz-version-id header: S3 sends it once a bucket has ever had versioning on. */
export function versionIdHeader(version: ObjectVersion, bucketVersioned: boolean): Record<string, string> {
  return bucketVersioned ? { 'x-amz-version-id': version.versionId } : {};
}

/** Headers of GET and HEAD for a version. */
export function objectHeaders(version: ObjectVersion, restore: RestoreState | undefined, bucketVersioned: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'last-modified': version.lastModified.toUTCString(),
    etag: version.eTag,
    'content-type': version.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    ...versionIdHeader(version, bucketVersioned),
    ...encryptionHeaders(version.encryption),
    ...restoreHeader(restore),
  };
  if (version.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = version.storageClass;
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  const tagCount = Object.keys(version.tags).length;
  if (tagCount > 0) headers['x-amz-tagging-count'] = String(tagCount);
  const lock = version.objectLock;
  if (lock.mode) headers['x-amz-object-lock-mode'] = lock.mode;
  if (lock.retainUntil) headers['x-amz-object-lock-retain-until-date'] = lock.retainUntil.toISOString();
  if (lock.legalHold) headers['x-amz-object-lock-legal-hold'] = lock.legalHold;
  // Present only on versions a replication rule took (PENDING, COMPLETED, FAILED) and on replicas (REPLICA).
  if (version.replicationStatus) headers['x-amz-replication-status'] = version.replicationStatus;
  return headers;
}
