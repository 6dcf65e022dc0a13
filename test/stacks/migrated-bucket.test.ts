// What the stack declares on each existing bucket: default encryption, versioning, and a policy merged over the existing one.
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { renderPolicyDocument, PolicyDocumentBlock } from '../../rehearsal/terraform/iam-policy-document';
import {
  DISTRIBUTION,
  OTHER_DISTRIBUTION,
  byConstructPath,
  conditionValues,
  config,
  dataOf,
  policyStatements,
  resourcesOf,
  statement,
  synthesize,
} from './builders';

const KEY_ARN = '${aws_kms_key.MigrationKey_2857B45E.arn}';

describe('default encryption', () => {
  const { json, stack } = synthesize();

  it('sets aws:kms with the migration key and Bucket Keys on every bucket', () => {
    for (const bucket of ['data-bucket', 'logs-bucket']) {
      expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        bucket,
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true },
        ],
      });
    }
  });

  it('never manages the lifecycle of a migrated bucket', () => {
    const lifecycleBuckets = resourcesOf(stack, 'aws_s3_bucket_lifecycle_configuration').map((r) => r.bucket);
    expect(lifecycleBuckets).not.toContain('data-bucket');
    expect(lifecycleBuckets).not.toContain('logs-bucket');
    expect(json).not.toHaveResourceWithProperties(S3BucketLifecycleConfiguration, { bucket: 'data-bucket' });
  });
});

describe('versioning', () => {
  it('is enabled by default', () => {
    const { json } = synthesize();
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: 'data-bucket',
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('is left alone on a bucket that turns it off', () => {
    const { stack } = synthesize(config({ buckets: [{ name: 'data-bucket', versioning: false }] }));
    expect(resourcesOf(stack, 'aws_s3_bucket_versioning').map((r) => r.bucket)).not.toContain('data-bucket');
  });
});

describe('bucket policy', () => {
  const { stack } = synthesize();
  const ours = policyStatements(stack, 'Bucket-data-bucket/Policy/Document');

  it('denies every request that does not use TLS', () => {
    const tls = statement(ours, 'DenyInsecureTransport');
    expect(tls.effect).toBe('Deny');
    expect(tls.principals).toEqual([{ type: '*', identifiers: ['*'] }]);
    expect(tls.resources).toEqual(['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*']);
    expect(conditionValues(tls, 'Bool', 'aws:SecureTransport')).toEqual(['false']);
  });

  it('denies uploads that ask for an encryption other than SSE-KMS, only when they ask', () => {
    const s = statement(ours, 'DenyEncryptionOtherThanKms');
    expect(s.actions).toEqual(['s3:PutObject']);
    expect(conditionValues(s, 'Null', 's3:x-amz-server-side-encryption')).toEqual(['false']);
    expect(conditionValues(s, 'StringNotEquals', 's3:x-amz-server-side-encryption')).toEqual(['aws:kms']);
  });

  it('denies uploads that name another KMS key, only when they name one', () => {
    const s = statement(ours, 'DenyKmsKeyOtherThanMigrationKey');
    expect(conditionValues(s, 'Null', 's3:x-amz-server-side-encryption-aws-kms-key-id')).toEqual(['false']);
    expect(conditionValues(s, 'StringNotEquals', 's3:x-amz-server-side-encryption-aws-kms-key-id')).toEqual([KEY_ARN]);
  });

  it('denies aws:kms without a key id, which would mean the AWS managed key', () => {
    const s = statement(ours, 'DenyKmsWithoutMigrationKeyId');
    expect(conditionValues(s, 'StringEquals', 's3:x-amz-server-side-encryption')).toEqual(['aws:kms']);
    expect(conditionValues(s, 'Null', 's3:x-amz-server-side-encryption-aws-kms-key-id')).toEqual(['true']);
  });

  it('denies customer-provided keys', () => {
    const s = statement(ours, 'DenyCustomerProvidedKeys');
    expect(conditionValues(s, 'Null', 's3:x-amz-server-side-encryption-customer-algorithm')).toEqual(['false']);
  });

  it('never uses an IfExists operator, which would refuse uploads relying on default encryption', () => {
    for (const s of ours) {
      for (const c of s.condition ?? []) expect(c.test).not.toMatch(/IfExists$/);
    }
  });

  it('keeps only the TLS statement when deny-unencrypted-uploads is off', () => {
    const { stack: off } = synthesize(config({ migration: { denyUnencryptedUploads: false } }));
    expect(policyStatements(off, 'Bucket-data-bucket/Policy/Document').map((s) => s.sid)).toEqual(['DenyInsecureTransport']);
  });
});

describe('audit mode of the encryption policy', () => {
  const sidsOf = (overrides: Record<string, unknown>) =>
    policyStatements(synthesize(config(overrides)).stack, 'Bucket-data-bucket/Policy/Document').map((s) => s.sid);

  it('leaves out every deny of uploads naming another encryption, and keeps TLS only', () => {
    expect(sidsOf({ encryptionPolicy: { mode: 'audit' } })).toEqual(['DenyInsecureTransport']);
  });

  it('enforces them by default', () => {
    expect(sidsOf({})).toEqual([
      'DenyInsecureTransport',
      'DenyEncryptionOtherThanKms',
      'DenyKmsKeyOtherThanMigrationKey',
      'DenyKmsWithoutMigrationKeyId',
      'DenyCustomerProvidedKeys',
    ]);
  });
});

describe('CloudFront distributions reading a bucket', () => {
  const { stack } = synthesize(
    config({ buckets: [{ name: 'data-bucket', cloudfrontDistributions: [DISTRIBUTION, OTHER_DISTRIBUTION] }, { name: 'logs-bucket' }] }),
  );

  it("lets CloudFront get the bucket's objects, for its distributions only", () => {
    const reads = statement(policyStatements(stack, 'Bucket-data-bucket/Policy/Document'), 'CloudFrontDistributionsRead');
    expect(reads).toEqual({
      sid: 'CloudFrontDistributionsRead',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data-bucket/*'],
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [DISTRIBUTION, OTHER_DISTRIBUTION] }],
    });
  });

  it('grants CloudFront nothing on a bucket without distributions', () => {
    expect(policyStatements(stack, 'Bucket-logs-bucket/Policy/Document').map((s) => s.sid)).not.toContain('CloudFrontDistributionsRead');
  });
});

describe('merging with an existing policy', () => {
  const existingStatement = {
    Sid: 'PartnerReadsShared',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::210987654321:root' },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::data-bucket/shared/*',
  };
  const existingDocument = { Version: '2012-10-17', Statement: [existingStatement] };

  function mergedBlock(existing: unknown): PolicyDocumentBlock {
    const { stack } = synthesize(config({ buckets: [{ name: 'data-bucket', existingPolicy: existing }] }));
    return byConstructPath(dataOf(stack, 'aws_iam_policy_document'), 'Bucket-data-bucket/Policy/Document');
  }

  it('keeps every existing statement and adds ours', () => {
    const rendered = renderPolicyDocument(mergedBlock({ document: existingDocument }));
    expect(rendered.Statement[0]).toEqual(existingStatement);
    expect(rendered.Statement.map((s) => s.Sid)).toEqual([
      'PartnerReadsShared',
      'DenyInsecureTransport',
      'DenyEncryptionOtherThanKms',
      'DenyKmsKeyOtherThanMigrationKey',
      'DenyKmsWithoutMigrationKeyId',
      'DenyCustomerProvidedKeys',
    ]);
  });

  it('is stable from one plan to the next: merging over its own result changes nothing', () => {
    const block = mergedBlock({ document: existingDocument });
    const first = renderPolicyDocument(block);
    const second = renderPolicyDocument({ ...block, source_policy_documents: [JSON.stringify(first)] });
    expect(second).toEqual(first);
  });

  it('replaces a stale statement of ours by sid instead of adding a second one', () => {
    const stale = {
      ...existingDocument,
      Statement: [
        existingStatement,
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::old' },
      ],
    };
    const rendered = renderPolicyDocument(mergedBlock({ document: stale }));
    const tls = rendered.Statement.filter((s) => s.Sid === 'DenyInsecureTransport');
    expect(tls).toHaveLength(1);
    expect(tls[0]?.Resource).toEqual(['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*']);
  });

  it('reads the current policy through the data source when told the bucket has one', () => {
    const { stack } = synthesize(config({ buckets: [{ name: 'data-bucket', existingPolicy: 'read' }] }));
    const existing = byConstructPath(dataOf(stack, 'aws_s3_bucket_policy'), 'Bucket-data-bucket/Policy/Existing');
    expect(existing.bucket).toBe('data-bucket');
    const block = byConstructPath(dataOf(stack, 'aws_iam_policy_document'), 'Bucket-data-bucket/Policy/Document') as PolicyDocumentBlock;
    expect(block.source_policy_documents).toEqual([
      expect.stringMatching(/^\$\{data\.aws_s3_bucket_policy\.Bucket-data-bucket_Policy_Existing_[0-9A-F]{8}\.policy\}$/),
    ]);
  });

  it('reads nothing when the bucket has no policy, since the data source would fail', () => {
    const { stack } = synthesize(config({ buckets: [{ name: 'data-bucket', existingPolicy: 'none' }] }));
    expect(dataOf(stack, 'aws_s3_bucket_policy')).toEqual({});
  });
});
