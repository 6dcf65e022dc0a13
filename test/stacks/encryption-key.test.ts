// The migration key: rotation, deletion window, protection from destroy, alias, and a key policy that grants exactly what each principal needs.
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { Testing } from 'cdktf';
import { EncryptionKey } from '../../stacks/constructs/encryption-key';
import { KMS_ADMIN_ACTIONS } from '../../stacks/constructs/actions';
import {
  ACCOUNT,
  DISTRIBUTION,
  OTHER_DISTRIBUTION,
  PARTNER_READER,
  READER,
  conditionValues,
  config,
  policyStatements,
  resourcesOf,
  statement,
  synthesize,
} from './builders';

describe('EncryptionKey', () => {
  const { json, stack } = synthesize(config({ alarm: { enabled: true } }));
  const keyPolicy = policyStatements(stack, 'MigrationKey/Policy');

  it('turns rotation on and keeps the configured deletion window', () => {
    expect(json).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      key_usage: 'ENCRYPT_DECRYPT',
    });
  });

  it('refuses to plan the destruction of the key or its alias', () => {
    // `cdktf destroy` in the wrong workspace, or a change that replaces the key, would otherwise
    // schedule the deletion of the only key that can read the migrated objects.
    for (const type of ['aws_kms_key', 'aws_kms_alias']) {
      const resources = resourcesOf(stack, type);
      expect(resources).toHaveLength(1);
      expect([type, resources[0]?.lifecycle]).toEqual([type, { prevent_destroy: true }]);
    }
  });

  it('names the key by the configured alias', () => {
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: 'alias/s3-migration-test' });
  });

  it('lets the account root and named administrators administer, never use, the key', () => {
    const root = statement(keyPolicy, 'AccountRootAdministersKey');
    expect(root.principals).toEqual([{ type: 'AWS', identifiers: [`arn:aws:iam::${ACCOUNT}:root`] }]);
    expect(root.actions).toEqual([...KMS_ADMIN_ACTIONS]);
    const admins = statement(keyPolicy, 'NamedAdministratorsAdministerKey');
    expect(admins.principals).toEqual([{ type: 'AWS', identifiers: [`arn:aws:iam::${ACCOUNT}:role/admin`] }]);
    for (const s of [root, admins]) {
      expect(s.actions).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
      expect(s.actions).not.toEqual(expect.arrayContaining(['kms:GenerateDataKey']));
    }
  });

  it('lets named users use the key only through S3 of this Region and account', () => {
    const users = statement(keyPolicy, 'NamedUsersUseKeyThroughS3');
    expect(users.actions).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
    expect(conditionValues(users, 'StringEquals', 'kms:ViaService')).toEqual(['s3.eu-west-1.amazonaws.com']);
    expect(conditionValues(users, 'StringEquals', 'kms:CallerAccount')).toEqual([ACCOUNT]);
  });

  it('lets the Batch Operations role re-encrypt only through S3', () => {
    const batch = statement(keyPolicy, 'BatchOperationsReencryptsThroughS3');
    expect(batch.principals?.[0]?.identifiers).toEqual([`arn:aws:iam::${ACCOUNT}:role/kms-migration-test-batch-operations`]);
    expect(batch.actions).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
    expect(conditionValues(batch, 'StringEquals', 'kms:ViaService')).toEqual(['s3.eu-west-1.amazonaws.com']);
  });

  it('lets S3 deliver inventory only for the listed buckets of this account', () => {
    const delivery = statement(keyPolicy, 'S3InventoryDeliveryEncrypts');
    expect(delivery.principals).toEqual([{ type: 'Service', identifiers: ['s3.amazonaws.com'] }]);
    expect(delivery.actions).toEqual(['kms:GenerateDataKey']);
    expect(conditionValues(delivery, 'StringEquals', 'aws:SourceAccount')).toEqual([ACCOUNT]);
    expect(conditionValues(delivery, 'ArnLike', 'aws:SourceArn')).toEqual(['arn:aws:s3:::data-bucket', 'arn:aws:s3:::logs-bucket']);
  });

  it('lets only the alarm rule of this account publish through the key', () => {
    const events = statement(keyPolicy, 'EventBridgePublishesKeyAlarm');
    expect(conditionValues(events, 'StringEquals', 'aws:SourceAccount')).toEqual([ACCOUNT]);
    expect(conditionValues(events, 'ArnEquals', 'aws:SourceArn')).toEqual([
      `arn:aws:events:eu-west-1:${ACCOUNT}:rule/kms-migration-test-key-alarm`,
    ]);
  });

  it('has no statement beyond the ones it documents', () => {
    expect(keyPolicy.map((s) => s.sid)).toEqual([
      'AccountRootAdministersKey',
      'NamedAdministratorsAdministerKey',
      'NamedUsersUseKeyThroughS3',
      'BatchOperationsReencryptsThroughS3',
      'S3InventoryDeliveryEncrypts',
      'EventBridgePublishesKeyAlarm',
    ]);
  });

  it.each([3, 31, 7.5])('refuses a deletion window of %p days', (days) => {
    expect(() =>
      Testing.synthScope((scope) => {
        new EncryptionKey(scope, 'Key', {
          alias: 'alias/x',
          accountId: ACCOUNT,
          region: 'eu-west-1',
          batchOperationsRoleArn: `arn:aws:iam::${ACCOUNT}:role/b`,
          deletionWindowDays: days,
        });
      }),
    ).toThrow(`'deletionWindowDays' value must be between 7 and 30 days. Received: ${days}`);
  });
});

describe('EncryptionKey grants to the readers and distributions of a bucket', () => {
  const { stack } = synthesize(
    config({
      buckets: [
        { name: 'data-bucket', readers: [READER, PARTNER_READER], cloudfrontDistributions: [DISTRIBUTION, OTHER_DISTRIBUTION] },
        { name: 'logs-bucket', prefix: 'app/', logDelivery: ['s3-server-access-logs', 'vended-logs'] },
        { name: 'web.assets-2', cloudfrontDistributions: [DISTRIBUTION] },
      ],
    }),
  );
  const keyPolicy = policyStatements(stack, 'MigrationKey/Policy');
  const objectsOf = (bucket: string) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];

  it("lets the readers of a bucket decrypt only, through S3 of the Region, only that bucket's objects", () => {
    const readers = statement(keyPolicy, 'ReadersDecryptThroughDataBucket');
    expect(readers.effect).toBe('Allow');
    expect(readers.principals).toEqual([{ type: 'AWS', identifiers: [READER, PARTNER_READER] }]);
    expect(readers.actions).toEqual(['kms:Decrypt']);
    expect(readers.resources).toEqual(['*']);
    expect(readers.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] },
      // The object ARN without S3 Bucket Keys, the bucket ARN with them.
      { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: objectsOf('data-bucket') },
    ]);
  });

  it('does not limit readers to the account, so readers of other accounts decrypt too', () => {
    expect(conditionValues(statement(keyPolicy, 'ReadersDecryptThroughDataBucket'), 'StringEquals', 'kms:CallerAccount')).toBeUndefined();
  });

  it("lets CloudFront decrypt only for the bucket's distributions and objects", () => {
    const cloudFront = statement(keyPolicy, 'CloudFrontDecryptsThroughDataBucket');
    expect(cloudFront.principals).toEqual([{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }]);
    expect(cloudFront.actions).toEqual(['kms:Decrypt']);
    expect(cloudFront.condition).toEqual([
      { test: 'StringEquals', variable: 'AWS:SourceArn', values: [DISTRIBUTION, OTHER_DISTRIBUTION] },
      { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: objectsOf('data-bucket') },
    ]);
  });

  it("lets the bucket's log delivery services generate data keys only, from this account's sources, for that bucket's objects only", () => {
    const delivery = statement(keyPolicy, 'LogDeliveryEncryptsIntoLogsBucket');
    expect(delivery.effect).toBe('Allow');
    expect(delivery.principals).toEqual([{ type: 'Service', identifiers: ['logging.s3.amazonaws.com', 'delivery.logs.amazonaws.com'] }]);
    expect(delivery.actions).toEqual(['kms:GenerateDataKey']);
    expect(delivery.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: objectsOf('logs-bucket') },
    ]);
  });

  it('adds one statement per purpose and bucket, named by the bucket in letters and digits, none for a bucket without', () => {
    expect(keyPolicy.map((s) => s.sid).filter((sid) => /^(Readers|CloudFront|LogDelivery)/.test(sid))).toEqual([
      'ReadersDecryptThroughDataBucket',
      'CloudFrontDecryptsThroughDataBucket',
      'LogDeliveryEncryptsIntoLogsBucket',
      'CloudFrontDecryptsThroughWebAssets2',
    ]);
    expect(
      conditionValues(statement(keyPolicy, 'CloudFrontDecryptsThroughWebAssets2'), 'StringLike', 'kms:EncryptionContext:aws:s3:arn'),
    ).toEqual(objectsOf('web.assets-2'));
  });
});

describe('EncryptionKey grants to the replication roles of a bucket', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
  const DR_ROLE = 'arn:aws:iam::210987654321:role/dr-replication';
  const { stack } = synthesize(
    config({
      buckets: [
        { name: 'data-bucket', readers: [READER], replicationRoles: [ROLE, DR_ROLE] },
        { name: 'logs-bucket', prefix: 'app/' },
      ],
    }),
  );
  const keyPolicy = policyStatements(stack, 'MigrationKey/Policy');

  it("lets the replication roles decrypt only, through S3 of the Region, only that bucket's objects", () => {
    const replication = statement(keyPolicy, 'ReplicationDecryptsThroughDataBucket');
    expect(replication.effect).toBe('Allow');
    expect(replication.principals).toEqual([{ type: 'AWS', identifiers: [ROLE, DR_ROLE] }]);
    // kms:Encrypt is the replica key's (the destination's), never this key's.
    expect(replication.actions).toEqual(['kms:Decrypt']);
    expect(replication.resources).toEqual(['*']);
    expect(replication.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] },
      {
        test: 'StringLike',
        variable: 'kms:EncryptionContext:aws:s3:arn',
        values: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'],
      },
    ]);
  });

  it('adds the statement for the bucket that names roles only', () => {
    expect(keyPolicy.map((s) => s.sid).filter((sid) => sid.startsWith('Replication'))).toEqual(['ReplicationDecryptsThroughDataBucket']);
  });
});
