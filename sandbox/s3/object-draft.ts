// What a write asks for, before S3 assigns version id, ETag and date: the common input of
// PutObject, CopyObject's destination and CreateMultipartUpload.
import type { ObjectEncryption, ObjectLockSettings, StorageClass } from './model';

export interface ObjectDraft {
  readonly contentType?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly storageClass: StorageClass;
  readonly encryption: ObjectEncryption;
  readonly acl: string;
  readonly objectLock: ObjectLockSettings;
  readonly checksumAlgorithm?: 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';
}

/** The encryption a request names; absent fields fall back to the bucket's default encryption. */
export interface EncryptionRequest {
  readonly serverSideEncryption?: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
  readonly sseCustomerAlgorithm?: string;
  readonly sseCustomerKeyMd5?: string;
}

/** True when the request names any encryption at all (matters for copy-in-place legality). */
export function namesEncryption(request: EncryptionRequest | undefined): boolean {
  return request !== undefined && Object.values(request).some((v) => v !== undefined);
}

export const NO_OBJECT_LOCK: ObjectLockSettings = Object.freeze({});
export const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});
