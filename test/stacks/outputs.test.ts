// The outputs contract: bucket entries of older deployments still parse, and the DSSE-KMS and exception fields are checked.
import { bucketOutputSchema, stackOutputsSchema } from '../../stacks/outputs';

/** A bucket entry as a deployment made before migrate_dsse_kms and accepted_exceptions wrote it. */
function olderBucketOutput(): Record<string, unknown> {
  return {
    bucket: 'acme-data',
    prefix_filter: '',
    inventory_config_id: 'kms-migration',
    inventory_format: 'Parquet',
    inventory_frequency: 'Daily',
    inventory_location: 's3://kmsmig-prod-inv-1/inventory/acme-data/kms-migration/',
    glue_table: 'inventory_acme_data',
    versioning: true,
    uses_acls: false,
    object_lock: false,
  };
}

function olderStackOutputs(): Record<string, unknown> {
  return {
    stack: 'prod',
    region: 'eu-west-1',
    account_id: '123456789012',
    kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9',
    kms_key_alias: 'alias/s3-migration-prod',
    inventory_bucket: 'kmsmig-prod-inv-1',
    glue_database: 'kms_migration_prod',
    athena_workgroup: 'kms-migration-prod',
    reports_bucket: 'kmsmig-prod-reports-1',
    reports_prefix: 'prod/',
    batch_operations_role_arn: 'arn:aws:iam::123456789012:role/kms-migration-prod-batch-operations',
    noncurrent_days: 30,
    newer_noncurrent_versions: 0,
    buckets: { 'acme-data': olderBucketOutput() },
  };
}

describe('bucket outputs', () => {
  it('reads an entry without the DSSE-KMS and exception fields as "not migrated, nothing accepted"', () => {
    expect(bucketOutputSchema.parse(olderBucketOutput())).toMatchObject({ migrate_dsse_kms: false, accepted_exceptions: [] });
  });

  it('reads a whole outputs file of an older deployment', () => {
    const outputs = stackOutputsSchema.parse(olderStackOutputs());
    expect(outputs.buckets['acme-data']).toMatchObject({ migrate_dsse_kms: false, accepted_exceptions: [] });
  });

  it.each<[boolean, string[]]>([
    [true, []],
    [true, ['SSE-C']],
    [false, ['SSE-C', 'DSSE-KMS']],
  ])('keeps migrate_dsse_kms %p and accepted_exceptions %j as written', (migrate, accepted) => {
    const parsed = bucketOutputSchema.parse({ ...olderBucketOutput(), migrate_dsse_kms: migrate, accepted_exceptions: accepted });
    expect(parsed).toMatchObject({ migrate_dsse_kms: migrate, accepted_exceptions: accepted });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a class that is never an exception', { accepted_exceptions: ['SSE-S3'] }, ['accepted_exceptions', '0']],
    ['migrate_dsse_kms that is no boolean', { migrate_dsse_kms: 'true' }, ['migrate_dsse_kms']],
    ['DSSE-KMS both migrated and accepted', { migrate_dsse_kms: true, accepted_exceptions: ['DSSE-KMS'] }, ['accepted_exceptions']],
  ])('refuses %s', (_name, fields, issuePath) => {
    const result = bucketOutputSchema.safeParse({ ...olderBucketOutput(), ...fields });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.map(String))).toEqual([issuePath]);
  });
});
