// Bucket configuration round-trips through the SDK: encryption (and its effect on writes),
// versioning, policy, lifecycle (whole-document replacement), inventory, ownership, public access block.
import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type InventoryConfiguration,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let counter = 0;

async function newBucket(): Promise<string> {
  const bucket = `config-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

describe('default encryption', () => {
  it('reports SSE-S3 for a new bucket and again after the configuration is deleted', async () => {
    const bucket = await newBucket();
    const algorithm = async () =>
      (await s3().send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]
        ?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    expect(await algorithm()).toBe('AES256');
    await s3().send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      }),
    );
    expect(await algorithm()).toBe('aws:kms');
    await s3().send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    expect(await algorithm()).toBe('AES256');
  });

  it('applies SSE-KMS with the configured key and Bucket Key to writes without encryption headers', async () => {
    const bucket = await newBucket();
    const key = (await fixture.clients.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await s3().send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.KeyId }, BucketKeyEnabled: true }],
        },
      }),
    );
    const rule = (await s3().send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.KeyId },
      BucketKeyEnabled: true,
    });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key.Arn,
      BucketKeyEnabled: true,
    });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'explicit', Body: 'x', ServerSideEncryption: 'AES256' }));
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'explicit' }))).ServerSideEncryption).toBe('AES256');
  });
});

describe('versioning configuration', () => {
  it('has no status until enabled, then Enabled, then Suspended', async () => {
    const bucket = await newBucket();
    const status = async () => (await s3().send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
    expect(await status()).toBeUndefined();
    await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect(await status()).toBe('Enabled');
    await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    expect(await status()).toBe('Suspended');
  });
});

describe('policy', () => {
  it('round-trips the policy document and answers NoSuchBucketPolicy when there is none', async () => {
    const bucket = await newBucket();
    expect(await failureOf(s3().send(new GetBucketPolicyCommand({ Bucket: bucket })))).toMatchObject({
      name: 'NoSuchBucketPolicy',
      status: 404,
    });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    await s3().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    expect(JSON.parse((await s3().send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!)).toEqual(JSON.parse(policy));
    await s3().send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect((await failureOf(s3().send(new GetBucketPolicyCommand({ Bucket: bucket })))).name).toBe('NoSuchBucketPolicy');
  });

  it('refuses a policy that is not JSON', async () => {
    const bucket = await newBucket();
    expect(await failureOf(s3().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: 'not json' })))).toMatchObject({
      name: 'MalformedPolicy',
      status: 400,
    });
  });
});

describe('lifecycle', () => {
  it('replaces the whole configuration on every put, as S3 does', async () => {
    const bucket = await newBucket();
    await s3().send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'someone-elses-rule', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } },
            {
              ID: 'archive',
              Status: 'Enabled',
              Filter: { Prefix: 'logs/' },
              Transitions: [
                { Days: 30, StorageClass: 'STANDARD_IA' },
                { Days: 90, StorageClass: 'GLACIER' },
              ],
            },
          ],
        },
      }),
    );
    const rules = (await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules;
    expect(rules?.[1]).toEqual({
      ID: 'archive',
      Status: 'Enabled',
      Filter: { Prefix: 'logs/' },
      Transitions: [
        { Days: 30, StorageClass: 'STANDARD_IA' },
        { Days: 90, StorageClass: 'GLACIER' },
      ],
    });
    await s3().send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'expire-noncurrent', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }],
        },
      }),
    );
    expect((await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules?.map((r) => r.ID)).toEqual([
      'expire-noncurrent',
    ]);
    await s3().send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    expect(await failureOf(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))).toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
      status: 404,
    });
  });
});

describe('inventory', () => {
  it('round-trips an all-versions inventory configuration with SSE-KMS destination encryption', async () => {
    const bucket = await newBucket();
    const config: InventoryConfiguration = {
      Id: 'migration',
      IsEnabled: true,
      Destination: {
        S3BucketDestination: {
          AccountId: '123456789012',
          Bucket: 'arn:aws:s3:::inventory-dest',
          Format: 'CSV',
          Prefix: 'inv',
          Encryption: { SSEKMS: { KeyId: 'arn:aws:kms:us-east-1:123456789012:key/abc' } },
        },
      },
      Filter: { Prefix: 'data/' },
      IncludedObjectVersions: 'All',
      OptionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus', 'IsMultipartUploaded', 'ObjectLockMode'],
      Schedule: { Frequency: 'Weekly' },
    };
    await s3().send(new PutBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'migration', InventoryConfiguration: config }));
    expect(
      (await s3().send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'migration' }))).InventoryConfiguration,
    ).toEqual(config);
    expect((await s3().send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }))).InventoryConfigurationList).toEqual([
      config,
    ]);
  });
});

describe('ownership controls and public access block', () => {
  it('starts BucketOwnerEnforced with every public access block on, as new buckets do', async () => {
    const bucket = await newBucket();
    expect((await s3().send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([
      { ObjectOwnership: 'BucketOwnerEnforced' },
    ]);
    expect((await s3().send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it('round-trips changes and deletions', async () => {
    const bucket = await newBucket();
    await s3().send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      }),
    );
    expect((await s3().send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([
      { ObjectOwnership: 'BucketOwnerPreferred' },
    ]);
    await s3().send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    expect((await failureOf(s3().send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })))).name).toBe(
      'OwnershipControlsNotFoundError',
    );
    await s3().send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: false,
        },
      }),
    );
    expect((await s3().send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration?.IgnorePublicAcls).toBe(
      false,
    );
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect((await failureOf(s3().send(new GetPublicAccessBlockCommand({ Bucket: bucket })))).name).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );
  });
});
