// S3 Inventory on each bucket, the Glue tables over it and the Athena workgroup the runner queries in.
import { S3BucketInventory } from '@cdktf/provider-aws/lib/s3-bucket-inventory';
import { INVENTORY_FORMATS, InventoryFormat } from '../../stacks/config';
import { config, resourcesOf, synthesize } from './builders';

// Written out from AWS's "Querying Amazon S3 Inventory with Amazon Athena", independently of
// stacks/inventory-schema.ts, so a drift in either is caught.
const DOCUMENTED_COLUMNS = [
  'bucket',
  'key',
  'version_id',
  'is_latest',
  'is_delete_marker',
  'size',
  'last_modified_date',
  'e_tag',
  'storage_class',
  'is_multipart_uploaded',
  'replication_status',
  'encryption_status',
  'object_lock_retain_until_date',
  'object_lock_mode',
  'object_lock_legal_hold_status',
  'intelligent_tiering_access_tier',
  'bucket_key_status',
  'checksum_algorithm',
  'object_access_control_list',
  'object_owner',
];
const DOCUMENTED_OPTIONAL_FIELDS = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
  'ObjectAccessControlList',
  'ObjectOwner',
];
const COLUMNAR_TYPES: Record<string, string> = {
  is_latest: 'boolean',
  is_delete_marker: 'boolean',
  is_multipart_uploaded: 'boolean',
  size: 'bigint',
  last_modified_date: 'timestamp',
  object_lock_retain_until_date: 'bigint',
};
const CSV_TYPES: Record<string, string> = { is_latest: 'boolean', is_delete_marker: 'boolean', is_multipart_uploaded: 'boolean' };
const SERDES: Record<InventoryFormat, string> = {
  CSV: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
  ORC: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
  Parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};

interface GlueTable {
  name: string;
  parameters: Record<string, string>;
  partition_keys: { name: string; type: string }[];
  storage_descriptor: {
    location: string;
    input_format: string;
    columns: { name: string; type: string }[];
    ser_de_info: { serialization_library: string };
  };
}

function inventoryOf(stack: ReturnType<typeof synthesize>['stack'], bucket: string): Record<string, unknown> {
  const found = resourcesOf(stack, 'aws_s3_bucket_inventory').find((r) => r.bucket === bucket);
  if (!found) throw new Error(`no inventory on ${bucket}`);
  return found;
}

describe('inventory configuration', () => {
  const { json, stack } = synthesize();

  it('lists all versions daily, with every field the runner classifies by', () => {
    const inventory = inventoryOf(stack, 'data-bucket');
    expect(inventory).toMatchObject({
      name: 'kms-migration',
      enabled: true,
      included_object_versions: 'All',
      schedule: { frequency: 'Daily' },
    });
    // optional_fields is a set in Terraform: order does not matter, completeness does.
    expect([...(inventory.optional_fields as string[])].sort()).toEqual([...DOCUMENTED_OPTIONAL_FIELDS].sort());
  });

  it('delivers KMS-encrypted reports into the inventory bucket of this account', () => {
    expect(json).toHaveResourceWithProperties(S3BucketInventory, {
      bucket: 'data-bucket',
      destination: {
        bucket: {
          bucket_arn: '${aws_s3_bucket.InventoryBucket_85DE5DD6.arn}',
          account_id: '123456789012',
          format: 'Parquet',
          prefix: 'inventory',
          encryption: { sse_kms: { key_id: '${aws_kms_key.MigrationKey_2857B45E.arn}' } },
        },
      },
    });
  });

  it('applies a bucket prefix filter', () => {
    expect(json).toHaveResourceWithProperties(S3BucketInventory, { bucket: 'logs-bucket', filter: { prefix: 'app/' } });
  });

  it('uses the configured format and frequency', () => {
    const { stack: weekly } = synthesize(config({ inventory: { format: 'ORC', frequency: 'Weekly' } }));
    expect(inventoryOf(weekly, 'data-bucket')).toMatchObject({
      schedule: { frequency: 'Weekly' },
      destination: { bucket: { format: 'ORC' } },
    });
  });
});

describe.each(INVENTORY_FORMATS)('Glue table over %s reports', (format) => {
  const { stack } = synthesize(config({ inventory: { format } }));
  const table = resourcesOf(stack, 'aws_glue_catalog_table').find((t) => t.name === 'inventory_data_bucket') as unknown as GlueTable;

  it('has the documented columns in report order', () => {
    expect(table.storage_descriptor.columns.map((c) => c.name)).toEqual(DOCUMENTED_COLUMNS);
  });

  it('types the columns as AWS documents for the format', () => {
    const types = format === 'CSV' ? CSV_TYPES : COLUMNAR_TYPES;
    for (const column of table.storage_descriptor.columns) {
      expect([column.name, column.type]).toEqual([column.name, types[column.name] ?? 'string']);
    }
  });

  it('reads the Hive symlinks with the serde of the format', () => {
    expect(table.storage_descriptor.input_format).toBe('org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat');
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe(SERDES[format]);
    expect(table.storage_descriptor.location).toBe(
      's3://${aws_s3_bucket.InventoryBucket_85DE5DD6.bucket}/inventory/data-bucket/kms-migration/hive/',
    );
  });

  it('projects the dt partition so no MSCK REPAIR is ever needed', () => {
    expect(table.partition_keys).toEqual([{ name: 'dt', type: 'string' }]);
    expect(table.parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd-HH-mm',
      'projection.dt.range': '2024-01-01-00-00,NOW',
      'projection.dt.interval.unit': 'HOURS',
    });
  });
});

describe('Athena workgroup', () => {
  it('enforces KMS-encrypted results in the reports bucket and caps bytes scanned', () => {
    const { stack } = synthesize(config({ athena: { bytesScannedCutoffPerQuery: 1_073_741_824 } }));
    expect(resourcesOf(stack, 'aws_athena_workgroup')).toHaveLength(1);
    expect(resourcesOf(stack, 'aws_athena_workgroup')[0]).toMatchObject({
      name: 'kms-migration-test',
      configuration: {
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: 1_073_741_824,
        result_configuration: {
          output_location: 's3://${aws_s3_bucket.ReportsBucket_1013F020.bucket}/test/athena-results/',
          encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: '${aws_kms_key.MigrationKey_2857B45E.arn}' },
        },
      },
    });
  });
});
