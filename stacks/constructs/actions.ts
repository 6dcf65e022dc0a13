// Every IAM action list the stacks grant, kept in one place so a reviewer reads them once.

/** Managing the key without being able to use it for data. */
export const KMS_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** What S3 needs from KMS to write (GenerateDataKey) and read (Decrypt) SSE-KMS objects for a caller. */
export const KMS_S3_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'] as const;

/** What S3 needs from KMS to read an SSE-KMS object for one of a bucket's readers: reading only. */
export const KMS_S3_READ_ACTIONS = ['kms:Decrypt'] as const;

/**
 * What a CloudFront distribution's Origin Access Control needs to read SSE-KMS objects. AWS's
 * documented statement also grants kms:Encrypt and kms:GenerateDataKey*, for uploads through the
 * distribution; a bucket's distributions are granted reading only.
 */
export const KMS_CLOUDFRONT_READ_ACTIONS = ['kms:Decrypt'] as const;

/**
 * What S3 needs from KMS to encrypt a log object a delivery service writes into a bucket under the
 * key: a data key. AWS's vended-logs statement grants kms:GenerateDataKey*
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html#AWS-logs-SSE-KMS-S3);
 * the plain operation is the one S3 calls for a single-part upload, which is how logs arrive.
 */
export const KMS_LOG_DELIVERY_ACTIONS = ['kms:GenerateDataKey'] as const;

/** What a CloudFront Origin Access Control reads from the bucket. */
export const S3_CLOUDFRONT_READ_ACTIONS = ['s3:GetObject'] as const;

/**
 * What UpdateObjectEncryption and copy in place need from KMS: AWS documents kms:Encrypt, Decrypt,
 * GenerateDataKey and ReEncrypt* for UpdateObjectEncryption; ReEncrypt* is spelled out.
 */
export const KMS_BATCH_OPERATIONS_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/**
 * Copying a DSSE-KMS version in place: S3 decrypts the source under the key it is under, for the
 * role; the copy is written under the migration key with KMS_BATCH_OPERATIONS_ACTIONS.
 */
export const KMS_DSSE_SOURCE_DECRYPT_ACTIONS = ['kms:Decrypt'] as const;

/** S3 delivering inventory reports into an SSE-KMS bucket. */
export const KMS_INVENTORY_DELIVERY_ACTIONS = ['kms:GenerateDataKey'] as const;

/** EventBridge publishing to an SNS topic encrypted with the key. */
export const KMS_EVENTBRIDGE_PUBLISH_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Reading a source object version with everything a copy in place must carry over. */
export const S3_BATCH_READ_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectTagging',
  's3:GetObjectVersionTagging',
] as const;

/** Writing the copy (PutObject covers the copy destination) and re-encrypting in place. */
export const S3_BATCH_WRITE_OBJECT_ACTIONS = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:UpdateObjectEncryption',
  's3:RestoreObject',
] as const;

/** Only for buckets that still use ACLs: read the source ACL, write it on the copy. */
export const S3_BATCH_ACL_ACTIONS = ['s3:GetObjectAcl', 's3:GetObjectVersionAcl', 's3:PutObjectAcl', 's3:PutObjectVersionAcl'] as const;

/** Only for buckets with Object Lock: carry retention and legal hold over to the copy. */
export const S3_BATCH_OBJECT_LOCK_ACTIONS = [
  's3:GetObjectLegalHold',
  's3:GetObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
] as const;

/** Reading a manifest the runner wrote. */
export const S3_MANIFEST_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;

/** Writing completion reports. */
export const S3_REPORT_WRITE_ACTIONS = ['s3:PutObject'] as const;

/** Bucket-level reads Batch Operations makes on the report and source buckets. */
export const S3_BATCH_BUCKET_ACTIONS = ['s3:GetBucketLocation'] as const;
