// S3 Inventory on an existing bucket: every version, every field the runner classifies by, delivered
// into the stack's inventory bucket. The report is what Athena queries to find non-compliant versions.
import { Construct } from 'constructs';
import { S3BucketInventory } from '@cdktf/provider-aws/lib/s3-bucket-inventory';
import type { InventoryFormat, InventoryFrequency } from '../config';
import { INVENTORY_OPTIONAL_FIELDS } from '../inventory-schema';

export interface BucketInventoryProps {
  /** Name of an existing bucket. */
  readonly bucketName: string;
  /** Inventory configuration id. */
  readonly configId: string;
  readonly destinationBucketArn: string;
  /** Prefix in the destination bucket; S3 appends <source bucket>/<config id>/. */
  readonly destinationPrefix: string;
  readonly accountId: string;
  /** Reports are encrypted with this key. */
  readonly kmsKeyArn: string;
  /** @default 'Parquet' */
  readonly format?: InventoryFormat;
  /** @default 'Daily' */
  readonly frequency?: InventoryFrequency;
  /**
   * Only keys under this prefix are listed.
   * @default the whole bucket
   */
  readonly prefix?: string;
}

export class BucketInventory extends Construct {
  readonly inventory: S3BucketInventory;

  constructor(scope: Construct, id: string, props: BucketInventoryProps) {
    super(scope, id);
    this.inventory = new S3BucketInventory(this, 'Inventory', {
      bucket: props.bucketName,
      name: props.configId,
      enabled: true,
      includedObjectVersions: 'All',
      optionalFields: [...INVENTORY_OPTIONAL_FIELDS],
      schedule: { frequency: props.frequency ?? 'Daily' },
      filter: props.prefix ? { prefix: props.prefix } : undefined,
      destination: {
        bucket: {
          bucketArn: props.destinationBucketArn,
          accountId: props.accountId,
          format: props.format ?? 'Parquet',
          prefix: props.destinationPrefix,
          encryption: { sseKms: { keyId: props.kmsKeyArn } },
        },
      },
    });
  }
}
