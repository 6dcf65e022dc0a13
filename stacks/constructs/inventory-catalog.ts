// Where the inventory is queried: a Glue database, one table per bucket over the inventory's Hive
// layout with partition projection on dt (no MSCK REPAIR ever), and an Athena workgroup whose
// results are enforced, KMS-encrypted and capped in bytes scanned.
import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import type { InventoryFormat } from '../config';
import { INVENTORY_PARTITION_FORMAT, inventoryColumns, inventoryStorageFormat } from '../inventory-schema';

export interface InventoryCatalogProps {
  /** Glue database name: lower-case letters, digits and underscores. */
  readonly databaseName: string;
  readonly workgroupName: string;
  /** s3:// location for query results, ending with '/'. */
  readonly resultsLocation: string;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /**
   * Queries scanning more than this fail instead of running up a bill.
   * @default 100 GiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

export interface InventoryTableProps {
  /** Table name: lower-case letters, digits and underscores. */
  readonly tableName: string;
  /** s3:// location of the configuration's reports: .../<source bucket>/<config id>/ */
  readonly inventoryLocation: string;
  readonly format: InventoryFormat;
  /** First partition date projected, yyyy-MM-dd-HH-mm. */
  readonly projectionStart: string;
}

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

export class InventoryCatalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;
  readonly tables = new Map<string, GlueCatalogTable>();

  constructor(scope: Construct, id: string, props: InventoryCatalogProps) {
    super(scope, id);
    if (!GLUE_NAME.test(props.databaseName)) {
      throw new Error(`'databaseName' must be lower-case letters, digits and underscores. Received: ${props.databaseName}`);
    }
    if (!props.resultsLocation.startsWith('s3://') || !props.resultsLocation.endsWith('/')) {
      throw new Error(`'resultsLocation' must be an s3:// URL ending with '/'. Received: ${props.resultsLocation}`);
    }
    this.database = new GlueCatalogDatabase(this, 'Database', {
      name: props.databaseName,
      description: 'S3 Inventory of the buckets under KMS migration',
    });
    this.workgroup = new AthenaWorkgroup(this, 'Workgroup', {
      name: props.workgroupName,
      description: 'Queries over S3 Inventory for the KMS migration runner',
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 107_374_182_400,
        resultConfiguration: {
          outputLocation: props.resultsLocation,
          expectedBucketOwner: props.accountId,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: props.kmsKeyArn },
        },
      },
    });
  }

  /** Adds the table over one bucket's inventory reports. */
  addInventoryTable(id: string, props: InventoryTableProps): GlueCatalogTable {
    if (!GLUE_NAME.test(props.tableName)) {
      throw new Error(`'tableName' must be lower-case letters, digits and underscores. Received: ${props.tableName}`);
    }
    if (!props.inventoryLocation.startsWith('s3://') || !props.inventoryLocation.endsWith('/')) {
      throw new Error(`'inventoryLocation' must be an s3:// URL ending with '/'. Received: ${props.inventoryLocation}`);
    }
    const storage = inventoryStorageFormat(props.format);
    const table = new GlueCatalogTable(this, id, {
      databaseName: this.database.name,
      name: props.tableName,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': INVENTORY_PARTITION_FORMAT,
        'projection.dt.range': `${props.projectionStart},NOW`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'HOURS',
      },
      partitionKeys: [{ name: 'dt', type: 'string' }],
      storageDescriptor: {
        location: `${props.inventoryLocation}hive/`,
        inputFormat: storage.inputFormat,
        outputFormat: storage.outputFormat,
        serDeInfo: { serializationLibrary: storage.serializationLibrary, parameters: serdeParameters(props.format) },
        columns: inventoryColumns(props.format).map((c) => ({ name: c.name, type: c.type })),
      },
    });
    this.tables.set(props.tableName, table);
    return table;
  }
}

function serdeParameters(format: InventoryFormat): Record<string, string> | undefined {
  // S3 writes CSV inventory comma-separated with every field double-quoted. escapeChar is left at
  // OpenCSVSerde's default, a backslash: spelled out, `cdktf synth --hcl` writes it as "\" unescaped
  // and the HCL does not parse (terraform-modules/s3-kms-migration/schema.tf leaves it out too).
  return format === 'CSV' ? { separatorChar: ',', quoteChar: '"' } : undefined;
}
