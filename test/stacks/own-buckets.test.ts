// The buckets the stack creates for itself: inventory (S3 delivers into it) and reports (the runner writes into it).
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { ACCOUNT, byConstructPath, conditionValues, policyStatements, statement, synthesize } from './builders';

describe.each(['InventoryBucket', 'ReportsBucket'])('%s', (name) => {
  const { json, stack } = synthesize();
  const bucketRef = `aws_s3_bucket.${Object.keys(stack.resource.aws_s3_bucket ?? {}).find((id) => id.startsWith(`${name}_`))}`;

  it('blocks every kind of public access', () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: `\${${bucketRef}.id}`,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('enforces bucket ownership, so ACLs play no part', () => {
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: `\${${bucketRef}.id}`,
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  it('encrypts with the migration key and Bucket Keys', () => {
    const encryption = byConstructPath(stack.resource.aws_s3_bucket_server_side_encryption_configuration ?? {}, `${name}/Encryption`);
    expect(encryption.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: '${aws_kms_key.MigrationKey_2857B45E.arn}',
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  it('refuses requests without TLS', () => {
    const tls = statement(policyStatements(stack, `${name}/PolicyDocument`), 'DenyInsecureTransport');
    expect(tls.effect).toBe('Deny');
    expect(conditionValues(tls, 'Bool', 'aws:SecureTransport')).toEqual(['false']);
    expect(tls.resources).toEqual([`\${${bucketRef}.arn}`, `\${${bucketRef}.arn}/*`]);
  });

  it('expires old artifacts and aborts forgotten uploads', () => {
    const lifecycle = byConstructPath(stack.resource.aws_s3_bucket_lifecycle_configuration ?? {}, `${name}/Lifecycle`);
    const rules = lifecycle.rule as { id: string; expiration?: { days: number }[] }[];
    expect(rules.map((r) => r.id)).toContain('AbortIncompleteUploads');
    expect(rules.some((r) => (r.expiration?.[0]?.days ?? 0) > 0)).toBe(true);
  });
});

describe('inventory bucket policy', () => {
  const { stack } = synthesize();
  const delivery = statement(policyStatements(stack, 'InventoryBucket/PolicyDocument'), 'S3InventoryDeliversForListedBuckets');

  it('admits only S3, only for the listed buckets of this account', () => {
    expect(delivery.principals).toEqual([{ type: 'Service', identifiers: ['s3.amazonaws.com'] }]);
    expect(delivery.actions).toEqual(['s3:PutObject']);
    expect(conditionValues(delivery, 'StringEquals', 'aws:SourceAccount')).toEqual([ACCOUNT]);
    expect(conditionValues(delivery, 'ArnLike', 'aws:SourceArn')).toEqual(['arn:aws:s3:::data-bucket', 'arn:aws:s3:::logs-bucket']);
    expect(conditionValues(delivery, 'StringEquals', 's3:x-amz-acl')).toEqual(['bucket-owner-full-control']);
  });

  it('admits delivery only under the inventory prefix', () => {
    expect(delivery.resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.InventoryBucket_[0-9A-F]{8}\.arn\}\/inventory\/\*$/)]);
  });
});

describe('reports bucket', () => {
  const { stack } = synthesize();

  it('keeps old versions of the runner state for a while', () => {
    const versioning = byConstructPath(stack.resource.aws_s3_bucket_versioning ?? {}, 'ReportsBucket/Versioning');
    expect(versioning.versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('expires Athena results sooner than manifests and completion reports, and never the state', () => {
    const lifecycle = byConstructPath(stack.resource.aws_s3_bucket_lifecycle_configuration ?? {}, 'ReportsBucket/Lifecycle');
    const rules = lifecycle.rule as { id: string; filter: { prefix: string }[]; expiration?: { days: number }[] }[];
    const days = Object.fromEntries(rules.filter((r) => r.expiration).map((r) => [r.filter[0]?.prefix, r.expiration?.[0]?.days]));
    expect(days).toEqual({ 'test/athena-results/': 7, 'test/manifests/': 400, 'test/job-reports/': 400 });
  });
});
