// Fixture builders for runner tests: a complete, valid set of stack outputs to vary.
import type { StackOutputs } from '../../stacks/outputs';
import type { SeedBucketSpec } from '../../sandbox';

/** Two buckets, each planned as an update-encryption job and a copy job per storage class: six Batch Operations jobs. */
export function sixJobBuckets(): SeedBucketSpec[] {
  return ['demo-app-assets', 'demo-app-logs'].map((name) => ({
    name,
    versions: 400,
    versioning: 'Enabled' as const,
    encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 },
    storageClasses: { STANDARD: 1, STANDARD_IA: 1 },
  }));
}

export function stackOutputs(overrides: Partial<StackOutputs> = {}): StackOutputs {
  return {
    stack: 'prod',
    region: 'eu-west-1',
    account_id: '123456789012',
    kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    kms_key_alias: 'alias/s3-migration-prod',
    inventory_bucket: 'kmsmig-prod-inv-20261123',
    glue_database: 'kms_migration_prod',
    athena_workgroup: 'kms-migration-prod',
    reports_bucket: 'kmsmig-prod-reports-20261123',
    reports_prefix: 'prod/',
    batch_operations_role_arn: 'arn:aws:iam::123456789012:role/kms-migration-prod-batch-operations',
    noncurrent_days: 30,
    newer_noncurrent_versions: 0,
    buckets: {
      'acme-data': {
        bucket: 'acme-data',
        prefix_filter: '',
        inventory_config_id: 'kms-migration',
        inventory_format: 'CSV',
        inventory_frequency: 'Daily',
        inventory_location: 's3://kmsmig-prod-inv-20261123/inventory/acme-data/kms-migration/',
        glue_table: 'inventory_acme_data',
        versioning: true,
        uses_acls: false,
        object_lock: false,
        migrate_dsse_kms: false,
        accepted_exceptions: [],
        readers: [],
        cloudfront_distributions: [],
        accept_losing_access: [],
        replication_roles: [],
        accept_events: [],
      },
    },
    ...overrides,
  };
}
