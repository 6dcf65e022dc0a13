# Every IAM action list the module grants, kept in one place so a reviewer reads them once
# (the same lists as stacks/constructs/actions.ts).
locals {
  # Managing the key without being able to use it for data.
  kms_admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # What S3 needs from KMS to write (GenerateDataKey) and read (Decrypt) SSE-KMS objects for a caller.
  kms_s3_use_actions = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]

  # What S3 needs from KMS to read an SSE-KMS object for one of a bucket's readers: reading only.
  kms_s3_read_actions = ["kms:Decrypt"]

  # What a CloudFront Origin Access Control needs to read SSE-KMS objects (AWS's statement also
  # grants kms:Encrypt and kms:GenerateDataKey*, for uploads through the distribution).
  kms_cloudfront_read_actions = ["kms:Decrypt"]

  # What S3 needs from KMS to encrypt a log object a delivery service writes into a migrated bucket.
  kms_log_delivery_actions = ["kms:GenerateDataKey"]

  # What a CloudFront Origin Access Control reads from the bucket.
  s3_cloudfront_read_actions = ["s3:GetObject"]

  # What UpdateObjectEncryption and copy in place need; ReEncrypt* is spelled out.
  kms_batch_operations_actions = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]

  # Copying a DSSE-KMS version in place: S3 decrypts the source under the key it is under, for the
  # role; the copy is written under the migration key with kms_batch_operations_actions.
  kms_dsse_source_decrypt_actions = ["kms:Decrypt"]

  # S3 delivering inventory reports into an SSE-KMS bucket.
  kms_inventory_delivery_actions = ["kms:GenerateDataKey"]

  # EventBridge publishing to an SNS topic encrypted with the key.
  kms_eventbridge_publish_actions = ["kms:Decrypt", "kms:GenerateDataKey"]

  # Reading a source object version with everything a copy in place must carry over.
  s3_batch_read_object_actions = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"]

  # Writing the copy (PutObject covers the copy destination) and re-encrypting in place.
  s3_batch_write_object_actions = ["s3:PutObject", "s3:PutObjectTagging", "s3:UpdateObjectEncryption", "s3:RestoreObject"]

  # Only for buckets that still use ACLs: read the source ACL, write it on the copy.
  s3_batch_acl_actions = ["s3:GetObjectAcl", "s3:GetObjectVersionAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"]

  # Only for buckets with Object Lock: carry retention and legal hold over to the copy.
  s3_batch_object_lock_actions = ["s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectRetention"]

  # Reading a manifest the runner wrote.
  s3_manifest_read_actions = ["s3:GetObject", "s3:GetObjectVersion"]

  # Writing completion reports.
  s3_report_write_actions = ["s3:PutObject"]

  # Bucket-level reads Batch Operations makes on the report and source buckets.
  s3_batch_bucket_actions = ["s3:GetBucketLocation"]
}
