// S3 object operations on the wire: each parses its headers and body, calls the S3 world for
// the semantics, and renders S3's response; no object rule is decided here.
import { header, type SandboxResponse } from '../../http/request';
import { optional } from '../../optional';
import { bodySize, bodyStream, bytesBody } from '../body';
import { s3Errors } from '../errors';
import { checkKeyUseThroughS3 } from '../kms-access';
import type { ObjectVersion } from '../model';
import type { CopyObjectInput } from '../world';
import { child, children, node, parseBody, tag, text } from '../xml';
import { emptyResponse, versionIdParam, xmlResponse, type S3Call, type S3Operation } from './call';
import { copySource, encryptionHeaders, objectHeaders, versionIdHeader, writeConditions, writeSettings } from './headers';

function isVersioned(call: S3Call): boolean {
  return call.world.bucket(call.bucket).versioning !== 'Unversioned';
}

function ref(call: S3Call): { bucket: string; key: string; versionId?: string } {
  return { bucket: call.bucket, key: call.key, ...optional('versionId', versionIdParam(call)) };
}

/** GET and HEAD of an SSE-C object need its key (MD5 checked; the key itself is never stored). */
function checkReadable(call: S3Call, version: ObjectVersion): void {
  const encryption = version.encryption;
  if (encryption.status === 'SSE-C') {
    const md5 = header(call.req, 'x-amz-server-side-encryption-customer-key-md5');
    if (md5 === undefined) throw s3Errors.sseCustomerKeyRequired();
    if (md5 !== encryption.sseCustomerKeyMd5) throw s3Errors.sseCustomerKeyMismatch();
  }
}

/**
 * Reading SSE-KMS (or DSSE-KMS) data needs kms:Decrypt: the key policy (and IAM where it delegates)
 * must allow the caller, and a disabled key refuses. HEAD reads no data and needs no key.
 */
function checkKmsForData(call: S3Call, version: ObjectVersion): void {
  const arn = version.encryption.kmsKeyArn;
  if (arn === undefined) return;
  checkKeyUseThroughS3(call, version, 'kms:Decrypt');
  const key = call.world.kmsKey(arn);
  if (key && key.keyState !== 'Enabled') throw s3Errors.kmsDisabled(key.arn);
}

function checkReadConditions(call: S3Call, version: ObjectVersion): number | undefined {
  const ifMatch = header(call.req, 'if-match');
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch.replace(/"/g, '') !== version.eTag.replace(/"/g, ''))
    throw s3Errors.preconditionFailed('If-Match');
  const ifNoneMatch = header(call.req, 'if-none-match');
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || ifNoneMatch.replace(/"/g, '') === version.eTag.replace(/"/g, ''))) return 304;
  return undefined;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` into [start, end); undefined for whole-object reads. */
function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Math.min(Number(match[2]), size);
    if (suffix === 0) throw s3Errors.invalidRange(size);
    return { start: size - suffix, end: size };
  }
  const start = Number(match[1]);
  const last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || last < start) throw s3Errors.invalidRange(size);
  return { start, end: last + 1 };
}

function tagSet(tags: Readonly<Record<string, string>>): string {
  return node('TagSet', ...Object.entries(tags).map(([k, v]) => node('Tag', tag('Key', k), tag('Value', v))));
}

function parseTagging(call: S3Call): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of children(child(parseBody(call.req.body, 'Tagging').TagSet).Tag)) {
    const key = text(t.Key);
    if (key === undefined) throw s3Errors.malformedXml();
    if (key in tags) throw s3Errors.invalidTag('Cannot provide multiple Tags with the same key');
    tags[key] = text(t.Value) ?? '';
  }
  return tags;
}

function grants(version: ObjectVersion): string {
  const canonical = (id: string, permission: string): string =>
    `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${tag('ID', id)}${tag('DisplayName', 'sandbox')}</Grantee>${tag('Permission', permission)}</Grant>`;
  const group = (uri: string, permission: string): string =>
    `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">${tag('URI', uri)}</Grantee>${tag('Permission', permission)}</Grant>`;
  const list = [canonical(version.owner, 'FULL_CONTROL')];
  if (version.acl === 'public-read' || version.acl === 'public-read-write')
    list.push(group('http://acs.amazonaws.com/groups/global/AllUsers', 'READ'));
  if (version.acl === 'public-read-write') list.push(group('http://acs.amazonaws.com/groups/global/AllUsers', 'WRITE'));
  if (version.acl === 'authenticated-read') list.push(group('http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'READ'));
  return node('AccessControlList', ...list);
}

const isDirective = (value: string): value is 'COPY' | 'REPLACE' => value === 'COPY' || value === 'REPLACE';

/** CopyObject's request as the world's input; shared with the imitation that copies badly. */
export function copyObjectInput(call: S3Call): CopyObjectInput {
  const settings = writeSettings(call.req);
  const metadataDirective = header(call.req, 'x-amz-metadata-directive');
  const taggingDirective = header(call.req, 'x-amz-tagging-directive');
  if (metadataDirective !== undefined && !isDirective(metadataDirective)) {
    throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', metadataDirective);
  }
  if (taggingDirective !== undefined && !isDirective(taggingDirective)) {
    throw s3Errors.invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', taggingDirective);
  }
  return {
    source: copySource(call.req),
    bucket: call.bucket,
    key: call.key,
    ...optional('metadataDirective', metadataDirective),
    ...optional('contentType', settings.contentType),
    ...optional('metadata', settings.metadata),
    ...optional('taggingDirective', taggingDirective),
    ...optional('tags', settings.tags),
    ...optional('storageClass', settings.storageClass),
    ...optional('encryption', settings.encryption),
    ...optional('acl', settings.acl),
    ...optional('objectLock', settings.objectLock),
    ...writeConditions(call.req),
  };
}

/** CopyObject's answer for the version written from `source`. */
export function copyObjectResponse(call: S3Call, version: ObjectVersion, source: ObjectVersion): SandboxResponse {
  const sourceVersioned = call.world.bucket(source.bucket).versioning !== 'Unversioned';
  return xmlResponse('CopyObjectResult', [tag('ETag', version.eTag), tag('LastModified', version.lastModified)], {
    ...versionIdHeader(version, isVersioned(call)),
    ...(sourceVersioned ? { 'x-amz-copy-source-version-id': source.versionId } : {}),
    ...encryptionHeaders(version.encryption),
  });
}

function readVersion(call: S3Call): ObjectVersion {
  const version = call.world.version(ref(call));
  checkReadable(call, version);
  return version;
}

export const objectOperations: Record<string, S3Operation> = {
  PutObject: (call) => {
    const version = call.world.putObject({
      bucket: call.bucket,
      key: call.key,
      body: bytesBody(call.req.body),
      ...writeSettings(call.req),
      ...writeConditions(call.req),
    });
    return emptyResponse(200, {
      etag: version.eTag,
      ...versionIdHeader(version, isVersioned(call)),
      ...encryptionHeaders(version.encryption),
    });
  },

  HeadObject: (call) => {
    const version = readVersion(call);
    const notModified = checkReadConditions(call, version);
    const headers = objectHeaders(version, call.world.restoreState(version), isVersioned(call));
    if (notModified) return emptyResponse(notModified, { etag: version.eTag, 'last-modified': headers['last-modified']! });
    return { status: 200, headers: { ...headers, 'content-length': version.size } };
  },

  GetObject: (call) => {
    const world = call.world;
    const version = world.readableVersion(ref(call));
    checkReadable(call, version);
    checkKmsForData(call, version);
    const notModified = checkReadConditions(call, version);
    const headers = objectHeaders(version, world.restoreState(version), isVersioned(call));
    if (notModified) return emptyResponse(notModified, { etag: version.eTag, 'last-modified': headers['last-modified']! });
    const size = bodySize(version.body);
    const range = parseRange(header(call.req, 'range'), size);
    if (!range) return { status: 200, headers: { ...headers, 'content-length': size }, body: bodyStream(version.body, 0, size) };
    return {
      status: 206,
      headers: { ...headers, 'content-length': range.end - range.start, 'content-range': `bytes ${range.start}-${range.end - 1}/${size}` },
      body: bodyStream(version.body, range.start, range.end),
    };
  },

  DeleteObject: (call) => {
    const ifMatch = header(call.req, 'if-match');
    const result = call.world.deleteObject(ref(call), {
      bypassGovernanceRetention: header(call.req, 'x-amz-bypass-governance-retention') === 'true',
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return emptyResponse(204, {
      ...(result.versionId !== undefined ? { 'x-amz-version-id': result.versionId } : {}),
      ...(result.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
    });
  },

  DeleteObjects: (call) => {
    const request = parseBody(call.req.body, 'Delete');
    const quiet = text(request.Quiet) === 'true';
    const bypass = header(call.req, 'x-amz-bypass-governance-retention') === 'true';
    call.world.bucket(call.bucket);
    const results = children(request.Object).map((o) => {
      const key = text(o.Key) ?? '';
      const versionId = text(o.VersionId) || undefined;
      try {
        const result = call.world.deleteObject(
          { bucket: call.bucket, key, ...optional('versionId', versionId) },
          { bypassGovernanceRetention: bypass },
        );
        if (quiet) return '';
        return node(
          'Deleted',
          tag('Key', key),
          tag('VersionId', versionId),
          result.deleteMarker ? tag('DeleteMarker', true) : '',
          result.deleteMarker ? tag('DeleteMarkerVersionId', result.versionId) : '',
        );
      } catch (error) {
        const e = error as { code?: string; message?: string };
        return node(
          'Error',
          tag('Key', key),
          tag('VersionId', versionId),
          tag('Code', e.code ?? 'InternalError'),
          tag('Message', e.message ?? String(error)),
        );
      }
    });
    return xmlResponse('DeleteResult', results);
  },

  CopyObject: (call) => {
    const { version, source } = call.world.copyObject(copyObjectInput(call));
    return copyObjectResponse(call, version, source);
  },

  UpdateObjectEncryption: (call) => {
    const request = parseBody(call.req.body, 'ObjectEncryption');
    // The wire name is SSE-KMS (the SDK's SSEKMS member carries xmlName "SSE-KMS").
    const kms = request['SSE-KMS'];
    if (kms === undefined) {
      throw s3Errors.invalidRequest(
        'Requests that modify an object encryption configuration require a valid new encryption type. Valid values are SSEKMS. Modify the request to specify SSE-KMS for the updated encryption type, and then try again.',
      );
    }
    const arn = text(child(kms).KMSKeyArn);
    if (arn === undefined || arn === '') {
      throw s3Errors.invalidRequest(
        "Requests that modify an object's encryption type to SSE-KMS require an AWS KMS key Amazon Resource Name (ARN). Modify the request to specify a KMS key ARN, and then try again.",
      );
    }
    const bucketKey = text(child(kms).BucketKeyEnabled);
    if (bucketKey !== undefined && bucketKey !== 'true' && bucketKey !== 'false') {
      throw s3Errors.invalidRequest(
        "The BucketKeyEnabled value isn't valid. Valid values are true or false. Modify the request to specify a valid value, and then try again.",
      );
    }
    call.world.updateObjectEncryption({ ...ref(call), kmsKeyArn: arn, bucketKeyEnabled: bucketKey === 'true' });
    return emptyResponse(200);
  },

  RestoreObject: (call) => {
    const request = call.req.body.length > 0 ? parseBody(call.req.body, 'RestoreRequest') : {};
    const days = Number(text(request.Days) ?? '1');
    if (!Number.isInteger(days) || days < 1) throw s3Errors.malformedXml();
    const outcome = call.world.restoreObject(ref(call), days);
    return emptyResponse(outcome === 'accepted' ? 202 : 200);
  },

  GetObjectTagging: (call) => {
    const version = call.world.version(ref(call));
    return xmlResponse('Tagging', [tagSet(version.tags)], versionIdHeader(version, isVersioned(call)));
  },

  PutObjectTagging: (call) => {
    const version = call.world.putTags(ref(call), parseTagging(call));
    return emptyResponse(200, versionIdHeader(version, isVersioned(call)));
  },

  DeleteObjectTagging: (call) => {
    const version = call.world.deleteTags(ref(call));
    return emptyResponse(204, versionIdHeader(version, isVersioned(call)));
  },

  GetObjectRetention: (call) => {
    const version = call.world.version(ref(call));
    const lock = version.objectLock;
    if (!lock.mode || !lock.retainUntil)
      throw s3Errors.notFoundConfig(
        'NoSuchObjectLockConfiguration',
        'The specified object does not have a ObjectLock configuration',
        call.bucket,
      );
    return xmlResponse('Retention', [tag('Mode', lock.mode), tag('RetainUntilDate', lock.retainUntil)]);
  },

  PutObjectRetention: (call) => {
    const request = parseBody(call.req.body, 'Retention');
    const mode = text(request.Mode);
    const until = text(request.RetainUntilDate);
    if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw s3Errors.malformedXml();
    call.world.putRetention(
      ref(call),
      {
        ...optional('mode', mode),
        ...optional('retainUntil', until ? new Date(until) : undefined),
      },
      header(call.req, 'x-amz-bypass-governance-retention') === 'true',
    );
    return emptyResponse(200);
  },

  GetObjectLegalHold: (call) => {
    const version = call.world.version(ref(call));
    if (!version.objectLock.legalHold)
      throw s3Errors.notFoundConfig(
        'NoSuchObjectLockConfiguration',
        'The specified object does not have a ObjectLock configuration',
        call.bucket,
      );
    return xmlResponse('LegalHold', [tag('Status', version.objectLock.legalHold)]);
  },

  PutObjectLegalHold: (call) => {
    const status = text(parseBody(call.req.body, 'LegalHold').Status);
    if (status !== 'ON' && status !== 'OFF') throw s3Errors.malformedXml();
    call.world.putLegalHold(ref(call), status);
    return emptyResponse(200);
  },

  GetObjectAcl: (call) => {
    const version = call.world.version(ref(call));
    return xmlResponse('AccessControlPolicy', [node('Owner', tag('ID', version.owner), tag('DisplayName', 'sandbox')), grants(version)]);
  },

  PutObjectAcl: (call) => {
    const acl = header(call.req, 'x-amz-acl') ?? 'private';
    call.world.putAcl(ref(call), acl);
    return emptyResponse(200);
  },

  CreateMultipartUpload: (call) => {
    const upload = call.world.createMultipartUpload({ bucket: call.bucket, key: call.key, ...writeSettings(call.req) });
    return xmlResponse(
      'InitiateMultipartUploadResult',
      [tag('Bucket', call.bucket), tag('Key', call.key), tag('UploadId', upload.uploadId)],
      encryptionHeaders(upload.draft.encryption),
    );
  },

  UploadPart: (call) => {
    const part = call.world.uploadPart(uploadTarget(call), bytesBody(call.req.body));
    return emptyResponse(200, { etag: part.eTag });
  },

  UploadPartCopy: (call) => {
    const rangeHeader = header(call.req, 'x-amz-copy-source-range');
    let range: { first: number; last: number } | undefined;
    if (rangeHeader !== undefined) {
      const match = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader);
      if (!match) {
        throw s3Errors.invalidArgument(
          'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
          'x-amz-copy-source-range',
          rangeHeader,
        );
      }
      range = { first: Number(match[1]), last: Number(match[2]) };
    }
    const { part, source } = call.world.uploadPartCopy(uploadTarget(call), copySource(call.req), range);
    return xmlResponse('CopyPartResult', [tag('ETag', part.eTag), tag('LastModified', part.lastModified)], {
      ...(call.world.bucket(source.bucket).versioning !== 'Unversioned' ? { 'x-amz-copy-source-version-id': source.versionId } : {}),
    });
  },

  CompleteMultipartUpload: (call) => {
    const request = parseBody(call.req.body, 'CompleteMultipartUpload');
    const parts = children(request.Part).map((p) => ({ partNumber: Number(text(p.PartNumber)), eTag: text(p.ETag) ?? '' }));
    const version = call.world.completeMultipartUpload(
      { bucket: call.bucket, key: call.key, uploadId: call.req.query.get('uploadId') ?? '' },
      parts,
      writeConditions(call.req),
    );
    return xmlResponse(
      'CompleteMultipartUploadResult',
      [
        tag('Location', `/${call.bucket}/${encodeURIComponent(call.key)}`),
        tag('Bucket', call.bucket),
        tag('Key', call.key),
        tag('ETag', version.eTag),
      ],
      { ...versionIdHeader(version, isVersioned(call)), ...encryptionHeaders(version.encryption) },
    );
  },

  ListMultipartUploads: (call) => {
    const uploads = call.world.listMultipartUploads(call.bucket, call.req.query.get('prefix') ?? '');
    const owner = node('Owner', tag('ID', call.accountId), tag('DisplayName', 'sandbox'));
    return xmlResponse('ListMultipartUploadsResult', [
      tag('Bucket', call.bucket),
      tag('KeyMarker', ''),
      tag('UploadIdMarker', ''),
      tag('Prefix', call.req.query.get('prefix') ?? ''),
      tag('MaxUploads', 1000),
      tag('IsTruncated', false),
      ...uploads.map((u) =>
        node(
          'Upload',
          tag('Key', u.key),
          tag('UploadId', u.uploadId),
          node('Initiator', tag('ID', call.accountId), tag('DisplayName', 'sandbox')),
          owner,
          tag('StorageClass', u.draft.storageClass),
          tag('Initiated', u.initiated),
        ),
      ),
    ]);
  },

  ListParts: (call) => {
    const target = { bucket: call.bucket, key: call.key, uploadId: call.req.query.get('uploadId') ?? '' };
    const parts = call.world.listParts(target);
    return xmlResponse('ListPartsResult', [
      tag('Bucket', call.bucket),
      tag('Key', call.key),
      tag('UploadId', target.uploadId),
      tag('PartNumberMarker', 0),
      tag('MaxParts', 1000),
      tag('IsTruncated', false),
      ...parts.map((p) =>
        node('Part', tag('PartNumber', p.partNumber), tag('LastModified', p.lastModified), tag('ETag', p.eTag), tag('Size', p.size)),
      ),
    ]);
  },

  AbortMultipartUpload: (call) => {
    call.world.abortMultipartUpload({ bucket: call.bucket, key: call.key, uploadId: call.req.query.get('uploadId') ?? '' });
    return emptyResponse(204);
  },
};

function uploadTarget(call: S3Call): { bucket: string; key: string; uploadId: string; partNumber: number } {
  return {
    bucket: call.bucket,
    key: call.key,
    uploadId: call.req.query.get('uploadId') ?? '',
    partNumber: Number(call.req.query.get('partNumber')),
  };
}
