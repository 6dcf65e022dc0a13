// Maps a path-style S3 request to its bucket, key and operation name. Keys are percent-decoded
// exactly once from the raw path, so `a%2Fb`, `+`, spaces and unicode survive as written.
import { ServiceError } from '../../errors';
import type { SandboxRequest } from '../../http/request';

export interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
}

/** S3 Control shares the signing name `s3`; its paths start with this. */
export const S3_CONTROL_PATH_PREFIX = '/v20180820/';

export function parseTarget(rawPath: string): S3Target {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodePath(path) };
  const bucket = decodePath(path.slice(0, slash));
  const rawKey = path.slice(slash + 1);
  return rawKey === '' ? { bucket } : { bucket, key: decodePath(rawKey) };
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError('InvalidURI', 400, "Couldn't parse the specified URI.", { URI: raw });
  }
}

const BUCKET_SUBRESOURCES: readonly [string, Record<string, string>][] = [
  ['versioning', { PUT: 'PutBucketVersioning', GET: 'GetBucketVersioning' }],
  ['encryption', { PUT: 'PutBucketEncryption', GET: 'GetBucketEncryption', DELETE: 'DeleteBucketEncryption' }],
  ['policy', { PUT: 'PutBucketPolicy', GET: 'GetBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['lifecycle', { PUT: 'PutBucketLifecycleConfiguration', GET: 'GetBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' }],
  ['ownershipControls', { PUT: 'PutBucketOwnershipControls', GET: 'GetBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' }],
  ['publicAccessBlock', { PUT: 'PutPublicAccessBlock', GET: 'GetPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' }],
  ['replication', { PUT: 'PutBucketReplication', GET: 'GetBucketReplication', DELETE: 'DeleteBucketReplication' }],
  ['notification', { PUT: 'PutBucketNotificationConfiguration', GET: 'GetBucketNotificationConfiguration' }],
  ['object-lock', { PUT: 'PutObjectLockConfiguration', GET: 'GetObjectLockConfiguration' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['versions', { GET: 'ListObjectVersions' }],
  ['uploads', { GET: 'ListMultipartUploads' }],
  ['delete', { POST: 'DeleteObjects' }],
];

const OBJECT_SUBRESOURCES: readonly [string, Record<string, string>][] = [
  ['tagging', { PUT: 'PutObjectTagging', GET: 'GetObjectTagging', DELETE: 'DeleteObjectTagging' }],
  ['retention', { PUT: 'PutObjectRetention', GET: 'GetObjectRetention' }],
  ['legal-hold', { PUT: 'PutObjectLegalHold', GET: 'GetObjectLegalHold' }],
  ['acl', { PUT: 'PutObjectAcl', GET: 'GetObjectAcl' }],
  ['encryption', { PUT: 'UpdateObjectEncryption' }],
  ['restore', { POST: 'RestoreObject' }],
  ['uploads', { POST: 'CreateMultipartUpload' }],
];

/** The S3 operation name of a request, as the API reference names it. */
export function operationOf(req: SandboxRequest): string {
  const { bucket, key } = parseTarget(req.rawPath);
  const { method, query } = req;
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (key === undefined) {
    if (query.has('inventory')) {
      if (method === 'GET') return query.has('id') ? 'GetBucketInventoryConfiguration' : 'ListBucketInventoryConfigurations';
      return method === 'PUT' ? 'PutBucketInventoryConfiguration' : 'DeleteBucketInventoryConfiguration';
    }
    for (const [name, byMethod] of BUCKET_SUBRESOURCES) if (query.has(name) && byMethod[method]) return byMethod[method];
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return { PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket' }[method] ?? 'Unknown';
  }
  for (const [name, byMethod] of OBJECT_SUBRESOURCES) if (query.has(name) && byMethod[method]) return byMethod[method];
  if (query.has('uploadId')) {
    if (method === 'PUT') return req.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
    return { POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' }[method] ?? 'Unknown';
  }
  if (method === 'PUT') return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  return { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ?? 'Unknown';
}
