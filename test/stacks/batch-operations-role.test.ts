// The role S3 Batch Operations assumes: who may assume it and exactly what it may do.
import { defined } from '../support/defined';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Testing } from 'cdktf';
import { BatchOperationsRole, BatchOperationsRoleProps } from '../../stacks/constructs/batch-operations-role';
import {
  ACCOUNT,
  DSSE_KEY,
  DSSE_MRK,
  RenderedStatement,
  conditionValues,
  config,
  policyStatements,
  statement,
  synthesize,
} from './builders';

const DSSE_SID = 'DecryptDsseKmsSourcesThroughS3';

function permissionsFor(buckets: Record<string, unknown>[]): RenderedStatement[] {
  return policyStatements(synthesize(config({ buckets })).stack, 'BatchOperationsRole/PermissionsPolicy');
}

describe('BatchOperationsRole', () => {
  const { json, stack } = synthesize();
  const trust = policyStatements(stack, 'BatchOperationsRole/TrustPolicy');
  const permissions = policyStatements(stack, 'BatchOperationsRole/PermissionsPolicy');

  it('has the name the key policy expects', () => {
    expect(json).toHaveResourceWithProperties(IamRole, { name: 'kms-migration-test-batch-operations' });
  });

  it('is assumed only by Batch Operations jobs of this account and Region', () => {
    expect(trust).toHaveLength(1);
    const s = defined(trust[0], 'the trust statement');
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

  it('decrypts no DSSE-KMS source key unless a bucket opts in', () => {
    expect(permissions.map((s) => s.sid)).not.toContain(DSSE_SID);
    expect(permissionsFor([{ name: 'data-bucket', acceptRemaining: ['SSE-C', 'DSSE-KMS'] }]).map((s) => s.sid)).not.toContain(DSSE_SID);
  });

  it('adds no DSSE-KMS grant when an opted-in bucket lists no keys: the migration key already decrypts', () => {
    expect(permissionsFor([{ name: 'data-bucket', dsseKms: { migrate: true } }]).map((s) => s.sid)).not.toContain(DSSE_SID);
  });

  it('decrypts exactly the listed DSSE-KMS source keys, each once, only through S3 of the Region', () => {
    const { json, stack } = synthesize(
      config({
        buckets: [
          { name: 'data-bucket', dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY, DSSE_MRK] } },
          { name: 'logs-bucket', dsseKms: { migrate: true, sourceKeyArns: [DSSE_MRK] } },
          { name: 'plain-bucket' },
        ],
      }),
    );
    expect(json).toHaveResourceWithProperties(IamRolePolicy, { name: 'kms-migration' });
    const decrypt = statement(policyStatements(stack, 'BatchOperationsRole/PermissionsPolicy'), DSSE_SID);
    expect(decrypt).toEqual({
      sid: DSSE_SID,
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [DSSE_KEY, DSSE_MRK],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }],
    });
  });

  it('leaves the migration key grant as it was when DSSE-KMS keys are added', () => {
    const opted = permissionsFor([{ name: 'data-bucket', dsseKms: { migrate: true, sourceKeyArns: [DSSE_KEY] } }]);
    expect(statement(opted, 'UseMigrationKeyThroughS3').resources).toEqual(['${aws_kms_key.MigrationKey_2857B45E.arn}']);
  });

  describe('used directly', () => {
    const props = (dsseKmsSourceKeyArns: string[]): BatchOperationsRoleProps => ({
      accountId: ACCOUNT,
      region: 'eu-west-1',
      roleName: 'r',
      kmsKeyArn: DSSE_KEY,
      sourceBuckets: [{ name: 'data-bucket', dsseKmsSourceKeyArns }],
      reportsBucketArn: 'arn:aws:s3:::reports',
      manifestObjectsArn: 'arn:aws:s3:::reports/m/*',
      reportObjectsArn: 'arn:aws:s3:::reports/r/*',
      inventoryObjectsArn: 'arn:aws:s3:::inventory/i/*',
    });

    it.each([`arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9`, `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/legacy`])(
      'refuses the DSSE-KMS source key %s, which is no key of the Region',
      (arn) => {
        expect(() => Testing.synthScope((scope) => void new BatchOperationsRole(scope, 'Role', props([arn])))).toThrow(
          `'dsseKmsSourceKeyArns' of bucket 'data-bucket' must be KMS key ARNs in eu-west-1, the buckets' Region. Received: ${arn}`,
        );
      },
    );

    it('accepts a key of the Region', () => {
      expect(() => Testing.synthScope((scope) => void new BatchOperationsRole(scope, 'Role', props([DSSE_MRK])))).not.toThrow();
    });
  });
});
