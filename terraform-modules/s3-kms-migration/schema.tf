# The S3 Inventory report schema, mirroring stacks/inventory-schema.ts: fields in the order S3
# writes them, the Athena/Glue column each becomes per format, and the SerDe per format.
locals {
  # Optional fields: all of them; the runner classifies by encryption, Bucket Key, storage class,
  # size, multipart, Object Lock and ACL.
  inventory_fields = [
    { s3_name = "Bucket", column = "bucket", columnar_type = "string", csv_type = "string", optional = false },
    { s3_name = "Key", column = "key", columnar_type = "string", csv_type = "string", optional = false },
    { s3_name = "VersionId", column = "version_id", columnar_type = "string", csv_type = "string", optional = false },
    { s3_name = "IsLatest", column = "is_latest", columnar_type = "boolean", csv_type = "boolean", optional = false },
    { s3_name = "IsDeleteMarker", column = "is_delete_marker", columnar_type = "boolean", csv_type = "boolean", optional = false },
    { s3_name = "Size", column = "size", columnar_type = "bigint", csv_type = "string", optional = true },
    { s3_name = "LastModifiedDate", column = "last_modified_date", columnar_type = "timestamp", csv_type = "string", optional = true },
    { s3_name = "ETag", column = "e_tag", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "StorageClass", column = "storage_class", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "IsMultipartUploaded", column = "is_multipart_uploaded", columnar_type = "boolean", csv_type = "boolean", optional = true },
    { s3_name = "ReplicationStatus", column = "replication_status", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "EncryptionStatus", column = "encryption_status", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "ObjectLockRetainUntilDate", column = "object_lock_retain_until_date", columnar_type = "bigint", csv_type = "string", optional = true },
    { s3_name = "ObjectLockMode", column = "object_lock_mode", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "ObjectLockLegalHoldStatus", column = "object_lock_legal_hold_status", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "IntelligentTieringAccessTier", column = "intelligent_tiering_access_tier", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "BucketKeyStatus", column = "bucket_key_status", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "ChecksumAlgorithm", column = "checksum_algorithm", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "ObjectAccessControlList", column = "object_access_control_list", columnar_type = "string", csv_type = "string", optional = true },
    { s3_name = "ObjectOwner", column = "object_owner", columnar_type = "string", csv_type = "string", optional = true },
  ]

  inventory_optional_fields = [for f in local.inventory_fields : f.s3_name if f.optional]

  # CSV columns are positional, so the order above is the table's column order.
  inventory_columns = [for f in local.inventory_fields : {
    name = f.column
    type = var.inventory_format == "CSV" ? f.csv_type : f.columnar_type
  }]

  # Inventory tables read the Hive symlink files S3 writes under hive/dt=.../, whatever the format.
  inventory_storage = {
    input_format  = "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat"
    serialization_library = {
      CSV     = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
      ORC     = "org.apache.hadoop.hive.ql.io.orc.OrcSerde"
      Parquet = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }[var.inventory_format]
    # S3 writes CSV inventory comma-separated with every field double-quoted. escapeChar stays at
    # OpenCSVSerde's default (a backslash), as in the stack, whose `cdktf synth --hcl` cannot write it.
    serde_parameters = var.inventory_format == "CSV" ? { separatorChar = ",", quoteChar = "\"" } : null
  }

  # The Hive partition S3 writes a report's symlink under: dt=YYYY-MM-DD-HH-MM.
  inventory_partition_format = "yyyy-MM-dd-HH-mm"
  # First partition the tables project; earlier than any report this tool reads.
  inventory_projection_start = "2024-01-01-00-00"
}
