// The role S3 Batch Operations assumes: who may assume it and exactly what it may do.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { ACCOUNT, conditionValues, config, policyStatements, statement, synthesize } from './builders';

describe('BatchOperationsRole', () => {
  const { json, stack } = synthesize();
  const trust = policyStatements(stack, 'BatchOperationsRole/TrustPolicy');
  const permissions = policyStatements(stack, 'BatchOperationsRole/PermissionsPolicy');

  it('has the name the key policy expects', () => {
    expect(json).toHaveResourceWithProperties(IamRole, { name: 'kms-migration-test-batch-operations' });
  });

  it('is assumed only by Batch Operations jobs of this account and Region', () => {
    expect(trust).toHaveLength(1);
    const s = trust[0];
    expect(s.principals).toEqual([{ type: 'Service', identifiers: ['batchoperations.s3.amazonaws.com'] }]);
    expect(s.actions).toEqual(['sts:AssumeRole']);
    expect(s.resources).toBeUndefined();
    expect(conditionValues(s, 'StringEquals', 'aws:SourceAccount')).toEqual([ACCOUNT]);
    expect(conditionValues(s, 'ArnLike', 'aws:SourceArn')).toEqual([`arn:aws:s3:eu-west-1:${ACCOUNT}:job/*`]);
  });

  it('reads and rewrites objects only in the listed buckets and prefixes', () => {
    const objects = ['arn:aws:s3:::data-bucket/*', 'arn:aws:s3:::logs-bucket/app/*'];
    expect(statement(permissions, 'ReadSourceObjectVersions')).toMatchObject({
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'],
      resources: objects,
    });
    expect(statement(permissions, 'ReencryptOrCopyInPlace')).toMatchObject({
      actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:UpdateObjectEncryption', 's3:RestoreObject'],
      resources: objects,
    });
  });

  it('touches ACLs only on buckets that use them', () => {
    expect(statement(permissions, 'CarryOverObjectAcls').resources).toEqual(['arn:aws:s3:::logs-bucket/app/*']);
  });

  it('carries Object Lock settings only where a bucket uses Object Lock', () => {
    expect(permissions.map((s) => s.sid)).not.toContain('CarryOverObjectLock');
    const { stack: locked } = synthesize(config({ buckets: [{ name: 'vault-bucket', objectLock: true }] }));
    expect(statement(policyStatements(locked, 'BatchOperationsRole/PermissionsPolicy'), 'CarryOverObjectLock')).toMatchObject({
      actions: ['s3:GetObjectLegalHold', 's3:GetObjectRetention', 's3:PutObjectLegalHold', 's3:PutObjectRetention'],
      resources: ['arn:aws:s3:::vault-bucket/*'],
    });
  });

  it('reads manifests and writes reports only under the stack prefix', () => {
    expect(statement(permissions, 'ReadManifests').resources).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.ReportsBucket_[0-9A-F]{8}\.arn\}\/test\/manifests\/\*$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.InventoryBucket_[0-9A-F]{8}\.arn\}\/inventory\/\*$/),
    ]);
    expect(statement(permissions, 'WriteCompletionReports').resources).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.ReportsBucket_[0-9A-F]{8}\.arn\}\/test\/job-reports\/\*$/),
    ]);
  });

  it('uses only the migration key, only through S3', () => {
    const kms = statement(permissions, 'UseMigrationKeyThroughS3');
    expect(kms.resources).toEqual(['${aws_kms_key.MigrationKey_2857B45E.arn}']);
    expect(conditionValues(kms, 'StringEquals', 'kms:ViaService')).toEqual(['s3.eu-west-1.amazonaws.com']);
  });
});
