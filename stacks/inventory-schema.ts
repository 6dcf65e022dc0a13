// The S3 Inventory report schema: which fields we request, the order S3 writes them, and the
// Athena/Glue column each becomes per format. Stacks, sandbox and runner all read this one table.

/** The report formats S3 Inventory writes. */
export const INVENTORY_FORMATS = ['CSV', 'Parquet', 'ORC'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

export interface InventoryField {
  /** Name in the S3 Inventory fileSchema (and, for optional fields, in optional_fields). */
  readonly s3Name: string;
  /** Athena column name, as in AWS's "Querying Amazon S3 Inventory with Athena". */
  readonly column: string;
  /** Column type for ORC and Parquet reports. */
  readonly columnarType: 'string' | 'boolean' | 'bigint' | 'timestamp';
  /** Column type for CSV reports (read with OpenCSVSerde). */
  readonly csvType: 'string' | 'boolean';
  /** False for the fields every report has (Bucket, Key, and for all-versions reports VersionId, IsLatest, IsDeleteMarker). */
  readonly optional: boolean;
}

/**
 * Every field, in the order S3 writes them into a report. Optional fields we request all of: the
 * runner classifies by encryption, Bucket Key, storage class, size, multipart, Object Lock and ACL.
 */
export const INVENTORY_FIELDS: readonly InventoryField[] = [
  { s3Name: 'Bucket', column: 'bucket', columnarType: 'string', csvType: 'string', optional: false },
  { s3Name: 'Key', column: 'key', columnarType: 'string', csvType: 'string', optional: false },
  { s3Name: 'VersionId', column: 'version_id', columnarType: 'string', csvType: 'string', optional: false },
  { s3Name: 'IsLatest', column: 'is_latest', columnarType: 'boolean', csvType: 'boolean', optional: false },
  { s3Name: 'IsDeleteMarker', column: 'is_delete_marker', columnarType: 'boolean', csvType: 'boolean', optional: false },
  { s3Name: 'Size', column: 'size', columnarType: 'bigint', csvType: 'string', optional: true },
  { s3Name: 'LastModifiedDate', column: 'last_modified_date', columnarType: 'timestamp', csvType: 'string', optional: true },
  { s3Name: 'ETag', column: 'e_tag', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'StorageClass', column: 'storage_class', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'IsMultipartUploaded', column: 'is_multipart_uploaded', columnarType: 'boolean', csvType: 'boolean', optional: true },
  { s3Name: 'ReplicationStatus', column: 'replication_status', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'EncryptionStatus', column: 'encryption_status', columnarType: 'string', csvType: 'string', optional: true },
  {
    s3Name: 'ObjectLockRetainUntilDate',
    column: 'object_lock_retain_until_date',
    columnarType: 'bigint',
    csvType: 'string',
    optional: true,
  },
  { s3Name: 'ObjectLockMode', column: 'object_lock_mode', columnarType: 'string', csvType: 'string', optional: true },
  {
    s3Name: 'ObjectLockLegalHoldStatus',
    column: 'object_lock_legal_hold_status',
    columnarType: 'string',
    csvType: 'string',
    optional: true,
  },
  {
    s3Name: 'IntelligentTieringAccessTier',
    column: 'intelligent_tiering_access_tier',
    columnarType: 'string',
    csvType: 'string',
    optional: true,
  },
  { s3Name: 'BucketKeyStatus', column: 'bucket_key_status', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'ChecksumAlgorithm', column: 'checksum_algorithm', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'ObjectAccessControlList', column: 'object_access_control_list', columnarType: 'string', csvType: 'string', optional: true },
  { s3Name: 'ObjectOwner', column: 'object_owner', columnarType: 'string', csvType: 'string', optional: true },
];

/** The optional_fields list of the inventory configuration. */
export const INVENTORY_OPTIONAL_FIELDS: readonly string[] = INVENTORY_FIELDS.filter((f) => f.optional).map((f) => f.s3Name);

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

/** Glue table columns for a report format, in report order (CSV columns are positional). */
export function inventoryColumns(format: InventoryFormat): GlueColumn[] {
  return INVENTORY_FIELDS.map((f) => ({ name: f.column, type: format === 'CSV' ? f.csvType : f.columnarType }));
}

export interface InventoryStorageFormat {
  readonly serializationLibrary: string;
  readonly inputFormat: string;
  readonly outputFormat: string;
}

// Inventory tables read the Hive symlink files S3 writes under hive/dt=.../, whatever the data format.
const SYMLINK_INPUT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';
const IGNORE_KEY_OUTPUT = 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat';

export function inventoryStorageFormat(format: InventoryFormat): InventoryStorageFormat {
  const serde: Record<InventoryFormat, string> = {
    CSV: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    ORC: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
    Parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  };
  return { serializationLibrary: serde[format], inputFormat: SYMLINK_INPUT, outputFormat: IGNORE_KEY_OUTPUT };
}

/** The Hive partition S3 writes a report's symlink under: dt=YYYY-MM-DD-HH-MM. */
export const INVENTORY_PARTITION_FORMAT = 'yyyy-MM-dd-HH-mm';

/** Glue table of one bucket's inventory. Config validation refuses two buckets with one table name. */
export function inventoryTableName(bucketName: string): string {
  return `inventory_${bucketName.replace(/[^a-z0-9]/g, '_')}`;
}
