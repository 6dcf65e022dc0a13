// S3's error codes, statuses and messages as AWS documents them, built in one place so every
// path (API handler, Batch Operations tasks) fails with the same words.
import { ServiceError } from '../errors';

export const MAX_COPY_SOURCE_BYTES = 5 * 1024 * 1024 * 1024;

export const s3Errors = {
  noSuchBucket: (bucket: string) => new ServiceError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string, headers: Record<string, string> = {}) =>
    new ServiceError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    new ServiceError('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  deleteMarkerVersion: (versionId: string) =>
    new ServiceError(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      { Method: 'GET', ResourceType: 'DeleteMarker' },
      {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': versionId,
        allow: 'DELETE',
      },
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new ServiceError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', {
      BucketName: bucket,
    }),
  bucketNotEmpty: (bucket: string) =>
    new ServiceError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket }),
  invalidBucketName: (bucket: string) =>
    new ServiceError('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket }),
  copySourceTooLarge: () =>
    new ServiceError(
      'InvalidRequest',
      400,
      `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`,
    ),
  archivedSource: () =>
    new ServiceError('InvalidObjectState', 403, "Operation is not valid for the source object's storage class", {
      StorageClass: 'GLACIER',
    }),
  archivedObject: (storageClass: string) =>
    new ServiceError('InvalidObjectState', 403, "The operation is not valid for the object's storage class", {
      StorageClass: storageClass,
    }),
  restoreNotAllowed: (storageClass: string) =>
    new ServiceError('InvalidObjectState', 403, "Restore is not allowed for the object's current storage class", {
      StorageClass: storageClass,
    }),
  restoreInProgress: () => new ServiceError('RestoreAlreadyInProgress', 409, 'Object restore is already in progress'),
  sseCustomerKeyRequired: () =>
    new ServiceError(
      'InvalidRequest',
      400,
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    ),
  sseCustomerKeyMismatch: () => new ServiceError('AccessDenied', 403, 'Access Denied'),
  copyToItself: () =>
    new ServiceError(
      'InvalidRequest',
      400,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    ),
  aclNotSupported: () => new ServiceError('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs'),
  objectLockNotEnabled: () => new ServiceError('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration'),
  objectLocked: () => new ServiceError('AccessDenied', 403, 'Access Denied because object protected by object lock.'),
  preconditionFailed: (condition: string) =>
    new ServiceError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition }),
  noSuchUpload: (uploadId: string) =>
    new ServiceError(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  invalidPart: () =>
    new ServiceError(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    ),
  invalidPartOrder: () =>
    new ServiceError('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'),
  entityTooSmall: () => new ServiceError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.'),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new ServiceError('InvalidArgument', 400, message, name !== undefined ? { ArgumentName: name, ArgumentValue: value ?? '' } : {}),
  invalidRequest: (message: string) => new ServiceError('InvalidRequest', 400, message),
  invalidRange: (size: number) =>
    new ServiceError('InvalidRange', 416, 'The requested range is not satisfiable', { ActualObjectSize: String(size) }),
  invalidTag: (message: string) => new ServiceError('InvalidTag', 400, message),
  malformedPolicy: () => new ServiceError('MalformedPolicy', 400, "Policies must be valid JSON and the first byte must be '{'"),
  malformedXml: () =>
    new ServiceError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
  accessDenied: (message = 'Access Denied') => new ServiceError('AccessDenied', 403, message),
  kmsNotFound: (message: string) => new ServiceError('KMS.NotFoundException', 400, message),
  kmsDisabled: (keyArn: string) => new ServiceError('KMS.DisabledException', 400, `${keyArn} is disabled.`),
  invalidBucketState: (message: string) => new ServiceError('InvalidBucketState', 409, message),
  notImplemented: (message: string) => new ServiceError('NotImplemented', 501, message),
  badRequest: (message: string) => new ServiceError('BadRequest', 400, message),
  notFoundConfig: (code: string, message: string, bucket: string) => new ServiceError(code, 404, message, { BucketName: bucket }),
};
