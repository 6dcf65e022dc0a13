// The sandbox's own copy of AWS's S3 Inventory report fields, in the order S3 writes them, with
// the Parquet/ORC column each becomes (AWS docs: "Configuring Amazon S3 Inventory" and "Querying
// Amazon S3 Inventory with Athena"). Kept apart from stacks/ so the stack's schema is checked
// against AWS's, not against itself: a test compares the two.

export interface ReportField {
  /** Name in the report's fileSchema and in the configuration's optional fields. */
  readonly s3Name: string;
  /** Column name in Parquet and ORC reports. */
  readonly column: string;
  /** Column type in Parquet and ORC reports. */
  readonly columnarType: 'string' | 'boolean' | 'bigint' | 'timestamp';
  /** Present in every report (Bucket, Key; VersionId, IsLatest, IsDeleteMarker when all versions are listed). */
  readonly fixed: boolean;
}

export const REPORT_FIELDS: readonly ReportField[] = [
  { s3Name: 'Bucket', column: 'bucket', columnarType: 'string', fixed: true },
  { s3Name: 'Key', column: 'key', columnarType: 'string', fixed: true },
  { s3Name: 'VersionId', column: 'version_id', columnarType: 'string', fixed: true },
  { s3Name: 'IsLatest', column: 'is_latest', columnarType: 'boolean', fixed: true },
  { s3Name: 'IsDeleteMarker', column: 'is_delete_marker', columnarType: 'boolean', fixed: true },
  { s3Name: 'Size', column: 'size', columnarType: 'bigint', fixed: false },
  { s3Name: 'LastModifiedDate', column: 'last_modified_date', columnarType: 'timestamp', fixed: false },
  { s3Name: 'ETag', column: 'e_tag', columnarType: 'string', fixed: false },
  { s3Name: 'StorageClass', column: 'storage_class', columnarType: 'string', fixed: false },
  { s3Name: 'IsMultipartUploaded', column: 'is_multipart_uploaded', columnarType: 'boolean', fixed: false },
  { s3Name: 'ReplicationStatus', column: 'replication_status', columnarType: 'string', fixed: false },
  { s3Name: 'EncryptionStatus', column: 'encryption_status', columnarType: 'string', fixed: false },
  // Epoch milliseconds in Parquet and ORC; ISO-8601 text in CSV.
  { s3Name: 'ObjectLockRetainUntilDate', column: 'object_lock_retain_until_date', columnarType: 'bigint', fixed: false },
  { s3Name: 'ObjectLockMode', column: 'object_lock_mode', columnarType: 'string', fixed: false },
  { s3Name: 'ObjectLockLegalHoldStatus', column: 'object_lock_legal_hold_status', columnarType: 'string', fixed: false },
  { s3Name: 'IntelligentTieringAccessTier', column: 'intelligent_tiering_access_tier', columnarType: 'string', fixed: false },
  { s3Name: 'BucketKeyStatus', column: 'bucket_key_status', columnarType: 'string', fixed: false },
  { s3Name: 'ChecksumAlgorithm', column: 'checksum_algorithm', columnarType: 'string', fixed: false },
  { s3Name: 'ObjectAccessControlList', column: 'object_access_control_list', columnarType: 'string', fixed: false },
  { s3Name: 'ObjectOwner', column: 'object_owner', columnarType: 'string', fixed: false },
];
