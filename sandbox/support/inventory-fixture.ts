// Test support: a seeded source bucket with an all-versions inventory configuration (CSV unless a
// test asks for Parquet), and a Glue table over it as AWS documents one ("Querying Amazon S3
// Inventory with Athena"), built from the sandbox's own report fields. test/stacks holds this
// table to the one our stacks declare.
import { GetQueryExecutionCommand, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutBucketInventoryConfigurationCommand, type InventoryFormat } from '@aws-sdk/client-s3';
import type { TableInput } from '@aws-sdk/client-glue';
import type { SandboxClients } from '../clients';
import { REPORT_FIELDS } from '../inventory/report-fields';
import type { SeedSpec } from '../seed';

export const INVENTORY_CONFIG_ID = 'kms-migration';
export const INVENTORY_DESTINATION_PREFIX = 'inventory';
/** Every optional field, in report order. */
export const INVENTORY_OPTIONAL_FIELDS: readonly string[] = REPORT_FIELDS.filter((f) => !f.fixed).map((f) => f.s3Name);
/** The dt= partition S3 writes a report's symlink under. */
export const INVENTORY_PARTITION_FORMAT = 'yyyy-MM-dd-HH-mm';

/** Columns in report order; CSV tables (OpenCSVSerde) read every column as text except the booleans. */
export function inventoryColumns(format: InventoryFormat): { name: string; type: string }[] {
  return REPORT_FIELDS.map((f) => ({ name: f.column, type: format !== 'CSV' || f.columnarType === 'boolean' ? f.columnarType : 'string' }));
}

/** Inventory tables read the Hive symlink files under hive/dt=.../, whatever the data format. */
export function inventoryStorageFormat(format: InventoryFormat): {
  serializationLibrary: string;
  inputFormat: string;
  outputFormat: string;
} {
  const serde: Record<InventoryFormat, string> = {
    CSV: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    ORC: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
    Parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  };
  return {
    serializationLibrary: serde[format],
    inputFormat: 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat',
  };
}

export const SOURCE_BUCKET = 'acme-data';
export const INVENTORY_BUCKET = 'acme-inventory';
export const RESULTS_BUCKET = 'acme-athena-results';
/** On the hour, as S3 starts its reports; the projection grid is hourly. */
export const REPORT_AT = new Date('2026-11-23T04:00:00Z');

export const SEED: SeedSpec = {
  seed: 7,
  buckets: [
    {
      name: SOURCE_BUCKET,
      versions: 1200,
      versionsPerKey: 3,
      versioning: 'Enabled',
      encryption: { 'SSE-S3': 5, 'SSE-KMS': 3, 'NOT-SSE': 2 },
      storageClasses: { STANDARD: 5, STANDARD_IA: 2, GLACIER: 1, DEEP_ARCHIVE: 1 },
      hardKeyRate: 0.1,
      deleteMarkerRate: 0.05,
    },
  ],
};

export async function configureInventory(clients: SandboxClients, format: InventoryFormat = 'CSV'): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: INVENTORY_BUCKET }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
  await clients.s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: SOURCE_BUCKET,
      Id: INVENTORY_CONFIG_ID,
      InventoryConfiguration: {
        Id: INVENTORY_CONFIG_ID,
        IsEnabled: true,
        IncludedObjectVersions: 'All',
        Schedule: { Frequency: 'Daily' },
        OptionalFields: [...INVENTORY_OPTIONAL_FIELDS] as never,
        Destination: {
          S3BucketDestination: {
            Bucket: `arn:aws:s3:::${INVENTORY_BUCKET}`,
            Format: format,
            Prefix: INVENTORY_DESTINATION_PREFIX,
            Encryption: { SSES3: {} },
          },
        },
      },
    }),
  );
}

/** The table the stack declares: Hive symlinks under hive/, partition projection on dt. */
export function inventoryTableInput(name: string, format: InventoryFormat = 'CSV'): TableInput {
  const storage = inventoryStorageFormat(format);
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    Parameters: {
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': INVENTORY_PARTITION_FORMAT,
      'projection.dt.range': '2024-01-01-00-00,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'HOURS',
    },
    StorageDescriptor: {
      Location: `s3://${INVENTORY_BUCKET}/${INVENTORY_DESTINATION_PREFIX}/${SOURCE_BUCKET}/${INVENTORY_CONFIG_ID}/hive/`,
      InputFormat: storage.inputFormat,
      OutputFormat: storage.outputFormat,
      SerdeInfo: { SerializationLibrary: storage.serializationLibrary },
      Columns: inventoryColumns(format).map((c) => ({ Name: c.name, Type: c.type })),
    },
  };
}

/** Runs a query over the fixture's database through the SDK and waits for its end state (Athena's poll, shortened). */
export async function queryInventory(clients: SandboxClients, sql: string): Promise<QueryExecution> {
  const { athena } = clients;
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: 'kms_migration' },
      ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/results/` },
    }),
  );
  for (;;) {
    const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    if (!['QUEUED', 'RUNNING'].includes(execution.Status!.State!)) return execution;
    await new Promise((r) => setTimeout(r, 2));
  }
}
