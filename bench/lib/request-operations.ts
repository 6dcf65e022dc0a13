// Names the AWS operation of one HTTP request as it crosses the wire, so the bench counts both the
// runner's and the AWS CLI's requests the same way, trusting neither client's own account.
// Service: the SigV4 credential scope. S3 (path-style only, as both clients are configured):
// method, bucket or object, sub-resource query parameters, copy-source header. KMS: X-Amz-Target.
// Query-protocol services (STS): the form body's Action.

export interface WireRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/bucket/key?tagging`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body, only when it is a small form (application/x-www-form-urlencoded). */
  readonly formBody?: string;
}

function header(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `s3`, `kms`, `sts`... from `Credential=AKID/20260101/us-east-1/<service>/aws4_request`. */
export function serviceOf(request: WireRequest): string {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(header(request, 'authorization') ?? '');
  if (scope) return scope[1]!;
  // Presigned or anonymous requests carry the scope in the query, or nothing.
  const query = new URL(request.url, 'http://local').searchParams.get('X-Amz-Credential');
  return query?.split('/')[3] ?? 'unsigned';
}

/** Sub-resources that name a bucket-level operation: `?versioning` -> GetBucketVersioning, ... */
const BUCKET_SUBRESOURCES: Readonly<Record<string, string>> = {
  versioning: 'BucketVersioning',
  encryption: 'BucketEncryption',
  lifecycle: 'BucketLifecycleConfiguration',
  policy: 'BucketPolicy',
  tagging: 'BucketTagging',
  acl: 'BucketAcl',
  location: 'BucketLocation',
  ownershipControls: 'BucketOwnershipControls',
  'object-lock': 'ObjectLockConfiguration',
  inventory: 'BucketInventoryConfiguration',
  notification: 'BucketNotificationConfiguration',
  replication: 'BucketReplication',
  publicAccessBlock: 'PublicAccessBlock',
};

const OBJECT_SUBRESOURCES: Readonly<Record<string, string>> = {
  tagging: 'ObjectTagging',
  acl: 'ObjectAcl',
  retention: 'ObjectRetention',
  'legal-hold': 'ObjectLegalHold',
  attributes: 'ObjectAttributes',
};

const VERB: Readonly<Record<string, string>> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

function s3Operation(request: WireRequest): string {
  const url = new URL(request.url, 'http://local');
  const q = url.searchParams;
  const method = request.method.toUpperCase();
  const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
  const hasKey = keyParts.length > 0 && keyParts.join('/') !== '';
  if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method} /`;
  if (!hasKey) {
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
    if (method === 'GET' && q.has('versions')) return 'ListObjectVersions';
    if (method === 'GET' && q.has('uploads')) return 'ListMultipartUploads';
    for (const [sub, name] of Object.entries(BUCKET_SUBRESOURCES)) if (q.has(sub) && VERB[method]) return `${VERB[method]}${name}`;
    if (method === 'GET') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    return `${method} bucket`;
  }
  const copySource = header(request, 'x-amz-copy-source') !== undefined;
  if (method === 'HEAD') return 'HeadObject';
  if (q.has('uploadId')) {
    if (method === 'PUT') return copySource ? 'UploadPartCopy' : 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    if (method === 'GET') return 'ListParts';
  }
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && q.has('restore')) return 'RestoreObject';
  // AWS's UpdateObjectEncryption is PUT /{key}?encryption (moto stores it as an upload; it is still counted by what was asked).
  if (method === 'PUT' && q.has('encryption')) return 'UpdateObjectEncryption';
  for (const [sub, name] of Object.entries(OBJECT_SUBRESOURCES)) if (q.has(sub) && VERB[method]) return `${VERB[method]}${name}`;
  if (method === 'PUT') return copySource ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'DELETE') return 'DeleteObject';
  return `${method} object`;
}

/** `service:Operation`, e.g. `s3:CopyObject`, `kms:DescribeKey`, `sts:GetCallerIdentity`. */
export function operationOf(request: WireRequest): string {
  const service = serviceOf(request);
  if (service === 's3') return `s3:${s3Operation(request)}`;
  const target = header(request, 'x-amz-target');
  // JSON protocols: `TrentService.DescribeKey`.
  if (target) return `${service}:${target.split('.').pop()}`;
  const action =
    new URLSearchParams(request.formBody ?? '').get('Action') ?? new URL(request.url, 'http://local').searchParams.get('Action');
  return `${service}:${action ?? request.method.toUpperCase()}`;
}
