// Turns a write's encryption request plus the bucket default into the object's encryption state,
// checking KMS keys the way S3 does (unknown key: KMS.NotFoundException; disabled: KMS.DisabledException,
// both 400 as S3 surfaces them). States are interned: a million versions share a handful of objects.
import type { KmsKey, KmsWorld } from '../kms/world';
import type { DefaultEncryption } from './bucket-config';
import { s3Errors } from './errors';
import type { ObjectEncryption } from './model';
import type { EncryptionRequest } from './object-draft';

const interned = new Map<string, ObjectEncryption>();

/** One shared frozen object per distinct encryption state. */
export function internEncryption(encryption: ObjectEncryption): ObjectEncryption {
  const id = `${encryption.status}|${encryption.kmsKeyArn ?? ''}|${encryption.bucketKeyEnabled}|${encryption.sseCustomerKeyMd5 ?? ''}`;
  let shared = interned.get(id);
  if (!shared) {
    shared = Object.freeze({ ...encryption });
    interned.set(id, shared);
  }
  return shared;
}

/** A KMS key S3 may use for a write now; fails as S3 does when it is missing or disabled. */
export function usableKey(kms: KmsWorld, keyRef: string): KmsKey {
  const key = kms.findKey(keyRef);
  if (!key) {
    throw s3Errors.kmsNotFound(keyRef.startsWith('arn:') ? `Key '${keyRef}' does not exist` : `Invalid keyId '${keyRef}'`);
  }
  if (key.keyState !== 'Enabled') throw s3Errors.kmsDisabled(key.arn);
  return key;
}

export function resolveEncryption(
  request: EncryptionRequest | undefined,
  bucketDefault: DefaultEncryption,
  kms: KmsWorld,
): ObjectEncryption {
  if (request?.sseCustomerAlgorithm !== undefined || request?.sseCustomerKeyMd5 !== undefined) {
    if (request.sseCustomerAlgorithm !== 'AES256') {
      throw s3Errors.invalidArgument(
        'The encryption algorithm specified is not valid.',
        'x-amz-server-side-encryption-customer-algorithm',
        request.sseCustomerAlgorithm ?? '',
      );
    }
    if (!request.sseCustomerKeyMd5) {
      throw s3Errors.invalidArgument(
        'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
        'x-amz-server-side-encryption-customer-key',
        '',
      );
    }
    return internEncryption({ status: 'SSE-C', bucketKeyEnabled: false, sseCustomerKeyMd5: request.sseCustomerKeyMd5 });
  }
  const algorithm = request?.serverSideEncryption;
  if (algorithm === undefined && request?.kmsKeyId !== undefined) {
    throw s3Errors.invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id',
      request.kmsKeyId,
    );
  }
  if (algorithm === undefined) return fromBucketDefault(bucketDefault, kms);
  if (algorithm === 'AES256') {
    if (request?.kmsKeyId !== undefined) {
      throw s3Errors.invalidArgument(
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
        'x-amz-server-side-encryption',
        algorithm,
      );
    }
    return internEncryption({ status: 'SSE-S3', bucketKeyEnabled: false });
  }
  // Without a key id S3 uses the AWS managed key aws/s3, not the bucket default's key.
  const key = request?.kmsKeyId !== undefined ? usableKey(kms, request.kmsKeyId) : kms.s3ManagedKey();
  if (algorithm === 'aws:kms:dsse') return internEncryption({ status: 'DSSE-KMS', kmsKeyArn: key.arn, bucketKeyEnabled: false });
  const bucketKeyEnabled = request?.bucketKeyEnabled ?? (bucketDefault.sseAlgorithm === 'aws:kms' && bucketDefault.bucketKeyEnabled);
  return internEncryption({ status: 'SSE-KMS', kmsKeyArn: key.arn, bucketKeyEnabled });
}

function fromBucketDefault(bucketDefault: DefaultEncryption, kms: KmsWorld): ObjectEncryption {
  if (bucketDefault.sseAlgorithm === 'AES256') return internEncryption({ status: 'SSE-S3', bucketKeyEnabled: false });
  const key = bucketDefault.kmsMasterKeyId !== undefined ? usableKey(kms, bucketDefault.kmsMasterKeyId) : kms.s3ManagedKey();
  if (bucketDefault.sseAlgorithm === 'aws:kms:dsse')
    return internEncryption({ status: 'DSSE-KMS', kmsKeyArn: key.arn, bucketKeyEnabled: false });
  return internEncryption({ status: 'SSE-KMS', kmsKeyArn: key.arn, bucketKeyEnabled: bucketDefault.bucketKeyEnabled });
}
