// ListObjectsV2 and ListObjectVersions on the wire: parameters in, XML pages out, with
// EncodingType=url applied to every key-like field as S3 does.
import { s3Errors } from '../errors';
import type { ObjectVersion } from '../model';
import { node, tag } from '../xml';
import { xmlResponse, type S3Call, type S3Operation } from './call';

function maxKeysParam(call: S3Call): number {
  const raw = call.req.query.get('max-keys');
  if (raw === null) return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  return Math.min(value, 1000);
}

function param(call: S3Call, name: string): string | undefined {
  const value = call.req.query.get(name);
  return value === null || value === '' ? undefined : value;
}

function encoder(call: S3Call): (value: string | undefined) => string | undefined {
  const encodingType = param(call, 'encoding-type');
  if (encodingType !== undefined && encodingType !== 'url')
    throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return encodingType === 'url' ? (v) => (v === undefined ? undefined : encodeURIComponent(v).replace(/%2F/g, '/')) : (v) => v;
}

const owner = (version: ObjectVersion): string => node('Owner', tag('ID', version.owner), tag('DisplayName', 'sandbox'));

export const listingOperations: Record<string, S3Operation> = {
  ListObjectsV2: (call) => {
    const enc = encoder(call);
    const maxKeys = maxKeysParam(call);
    const prefix = param(call, 'prefix');
    const delimiter = param(call, 'delimiter');
    const startAfter = param(call, 'start-after');
    const token = param(call, 'continuation-token');
    const fetchOwner = param(call, 'fetch-owner') === 'true';
    const page = call.world.listObjects(call.bucket, { prefix, delimiter, maxKeys, startAfter, continuationToken: token } as const);
    return xmlResponse('ListBucketResult', [
      tag('Name', call.bucket),
      tag('Prefix', enc(prefix) ?? ''),
      tag('Delimiter', enc(delimiter)),
      tag('MaxKeys', maxKeys),
      tag('EncodingType', param(call, 'encoding-type')),
      tag('KeyCount', page.objects.length + page.commonPrefixes.length),
      tag('IsTruncated', page.isTruncated),
      tag('ContinuationToken', token),
      tag('NextContinuationToken', page.nextContinuationToken),
      tag('StartAfter', enc(startAfter)),
      ...page.objects.map((v) =>
        node(
          'Contents',
          tag('Key', enc(v.key)),
          tag('LastModified', v.lastModified),
          tag('ETag', v.eTag),
          tag('ChecksumAlgorithm', v.checksumAlgorithm),
          tag('Size', v.size),
          tag('StorageClass', v.storageClass),
          fetchOwner ? owner(v) : '',
        ),
      ),
      ...page.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]);
  },

  ListObjectVersions: (call) => {
    const enc = encoder(call);
    const maxKeys = maxKeysParam(call);
    const prefix = param(call, 'prefix');
    const delimiter = param(call, 'delimiter');
    const keyMarker = param(call, 'key-marker');
    const versionIdMarker = param(call, 'version-id-marker');
    const page = call.world.listVersions(call.bucket, { prefix, delimiter, maxKeys, keyMarker, versionIdMarker } as const);
    return xmlResponse('ListVersionsResult', [
      tag('Name', call.bucket),
      tag('Prefix', enc(prefix) ?? ''),
      tag('KeyMarker', enc(keyMarker) ?? ''),
      tag('VersionIdMarker', versionIdMarker ?? ''),
      tag('NextKeyMarker', enc(page.nextKeyMarker)),
      tag('NextVersionIdMarker', page.nextVersionIdMarker),
      tag('MaxKeys', maxKeys),
      tag('Delimiter', enc(delimiter)),
      tag('EncodingType', param(call, 'encoding-type')),
      tag('IsTruncated', page.isTruncated),
      ...page.entries.map(({ version: v, isLatest }) =>
        v.isDeleteMarker
          ? node(
              'DeleteMarker',
              owner(v),
              tag('Key', enc(v.key)),
              tag('VersionId', v.versionId),
              tag('IsLatest', isLatest),
              tag('LastModified', v.lastModified),
            )
          : node(
              'Version',
              tag('ETag', v.eTag),
              tag('ChecksumAlgorithm', v.checksumAlgorithm),
              tag('Size', v.size),
              owner(v),
              tag('StorageClass', v.storageClass),
              tag('Key', enc(v.key)),
              tag('VersionId', v.versionId),
              tag('IsLatest', isLatest),
              tag('LastModified', v.lastModified),
            ),
      ),
      ...page.commonPrefixes.map((p) => node('CommonPrefixes', tag('Prefix', enc(p)))),
    ]);
  },
};
