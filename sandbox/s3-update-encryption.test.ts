// UpdateObjectEncryption through the SDK, rule by rule as the S3 API reference documents it.
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import { failureOf, useSandbox } from './support/clients';
import { listAllVersions } from './support/seeded';

const fixture = useSandbox({
  seed: {
    seed: 11,
    buckets: [
      { name: 'archived-sse-s3', versions: 1, storageClasses: { DEEP_ARCHIVE: 1 }, encryption: { 'SSE-S3': 1 }, hardKeyRate: 0 },
      { name: 'legacy-unencrypted', versions: 1, encryption: { 'NOT-SSE': 1 }, hardKeyRate: 0 },
      { name: 'dual-layer', versions: 1, encryption: { 'DSSE-KMS': 1 }, hardKeyRate: 0 },
    ],
  },
});
const s3 = () => fixture.clients.s3;
let counter = 0;

async function targetKey() {
  return (await fixture.clients.kms.send(new CreateKeyCommand({ Description: 'migration target' }))).KeyMetadata!;
}

async function versionedBucket(objectLock = false): Promise<string> {
  const bucket = `update-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: objectLock }));
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

const update = (bucket: string, key: string, kmsKeyArn: string, extra: { VersionId?: string; BucketKeyEnabled?: boolean } = {}) =>
  s3().send(
    new UpdateObjectEncryptionCommand({
      Bucket: bucket,
      Key: key,
      ...(extra.VersionId ? { VersionId: extra.VersionId } : {}),
      ObjectEncryption: {
        SSEKMS: { KMSKeyArn: kmsKeyArn, ...(extra.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: extra.BucketKeyEnabled } : {}) },
      },
    }),
  );

it('moves an SSE-S3 version to SSE-KMS in place: same version, ETag, date and storage class', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'data', StorageClass: 'STANDARD_IA' }));
  const before = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
  await update(bucket, 'k', key.Arn!, { BucketKeyEnabled: true });
  const after = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
  expect(after).toMatchObject({
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: key.Arn,
    BucketKeyEnabled: true,
    VersionId: put.VersionId,
    ETag: before.ETag,
    StorageClass: 'STANDARD_IA',
  });
  expect(after.LastModified).toEqual(before.LastModified);
  expect((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toHaveLength(1);
});

it('leaves the Bucket Key off unless asked', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'data' }));
  await update(bucket, 'k', key.Arn!);
  const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
  expect(head.ServerSideEncryption).toBe('aws:kms');
  expect(head.BucketKeyEnabled).toBeUndefined();
});

it('changes the KMS key of an SSE-KMS version and touches only the version named', async () => {
  const bucket = await versionedBucket();
  const oldKey = await targetKey();
  const newKey = await targetKey();
  const first = await s3().send(
    new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '1', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: oldKey.Arn }),
  );
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '2', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: oldKey.Arn }));
  await update(bucket, 'k', newKey.Arn!, { VersionId: first.VersionId! });
  expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }))).SSEKMSKeyId).toBe(newKey.Arn);
  expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).SSEKMSKeyId).toBe(oldKey.Arn);
});

it('updates a Deep Archive object without restoring it', async () => {
  const key = await targetKey();
  const [archived] = await listAllVersions(s3(), 'archived-sse-s3');
  await update('archived-sse-s3', archived!.key, key.Arn!, { BucketKeyEnabled: true });
  const head = await s3().send(new HeadObjectCommand({ Bucket: 'archived-sse-s3', Key: archived!.key }));
  expect(head).toMatchObject({ StorageClass: 'DEEP_ARCHIVE', ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true });
  expect(head.Restore).toBeUndefined();
});

it.each([
  ['unencrypted', 'legacy-unencrypted', "doesn't supported unencrypted source objects"],
  ['DSSE-KMS', 'dual-layer', "doesn't support source objects with the encryption type DSSE-KMS or SSE-C"],
])('refuses %s sources with InvalidRequest', async (_label, bucket, message) => {
  const key = await targetKey();
  const [version] = await listAllVersions(s3(), bucket);
  const failure = await failureOf(update(bucket, version!.key, key.Arn!));
  expect(failure).toMatchObject({ name: 'InvalidRequest', status: 400 });
  expect(failure.message).toContain(message);
});

it('refuses SSE-C sources with InvalidRequest', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  const customerKey = Buffer.alloc(32, 3).toString('base64');
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'k',
      Body: 'x',
      SSECustomerAlgorithm: 'AES256',
      SSECustomerKey: customerKey,
      SSECustomerKeyMD5: createHash('md5').update(Buffer.alloc(32, 3)).digest('base64'),
    }),
  );
  expect(await failureOf(update(bucket, 'k', key.Arn!))).toMatchObject({ name: 'InvalidRequest', status: 400 });
});

it('accepts only a key ARN: an alias is InvalidRequest', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  await fixture.clients.kms.send(new CreateAliasCommand({ AliasName: 'alias/not-an-arn', TargetKeyId: key.KeyId }));
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  const failure = await failureOf(update(bucket, 'k', 'alias/not-an-arn'));
  expect(failure).toMatchObject({ name: 'InvalidRequest', status: 400 });
  expect(failure.message).toContain('valid AWS KMS key Amazon Resource Name');
});

it('refuses a key owned by another account with AccessDenied', async () => {
  const bucket = await versionedBucket();
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  const failure = await failureOf(update(bucket, 'k', 'arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555'));
  expect(failure).toMatchObject({ name: 'AccessDenied', status: 403 });
});

it('fails with KMS.NotFoundException and KMS.DisabledException for unusable keys', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  await fixture.clients.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  expect((await failureOf(update(bucket, 'k', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555'))).name).toBe(
    'KMS.NotFoundException',
  );
  expect((await failureOf(update(bucket, 'k', key.Arn!))).name).toBe('KMS.DisabledException');
});

it('refuses objects under an Object Lock legal hold with AccessDenied', async () => {
  const bucket = await versionedBucket(true);
  const key = await targetKey();
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'held', Body: 'x' }));
  await s3().send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'held', LegalHold: { Status: 'ON' } }));
  const failure = await failureOf(update(bucket, 'held', key.Arn!));
  expect(failure).toMatchObject({ name: 'AccessDenied', status: 403 });
  expect(failure.message).toContain('protected by S3 Object Lock');
});

// "If the object has a governance-mode retention period or a legal hold, you must first remove the
// Object Lock status ... You can't use the UpdateObjectEncryption operation with objects that have an
// Object Lock compliance mode retention period applied to them."
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UpdateObjectEncryption.html (Errors)
it.each(['GOVERNANCE', 'COMPLIANCE'] as const)(
  'refuses objects under %s retention with AccessDenied, and leaves them as they were',
  async (mode) => {
    const bucket = await versionedBucket(true);
    const key = await targetKey();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'retained', Body: 'x' }));
    await s3().send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: 'retained',
        Retention: { Mode: mode, RetainUntilDate: new Date(Date.now() + 86_400_000) },
      }),
    );
    const failure = await failureOf(update(bucket, 'retained', key.Arn!));
    expect(failure).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(failure.message).toContain('protected by S3 Object Lock');
    expect(await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'retained' }))).toMatchObject({
      ServerSideEncryption: 'AES256',
      ObjectLockMode: mode,
    });
  },
);

it('re-wraps a version whose retention has ended: a retain-until date in the past locks nothing', async () => {
  const bucket = await versionedBucket(true);
  const key = await targetKey();
  const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'was-retained', Body: 'x' }));
  const b = fixture.sandbox.world.s3.bucket(bucket);
  const version = b.latest('was-retained')!;
  b.replace({ ...version, objectLock: { mode: 'COMPLIANCE', retainUntil: new Date(Date.now() - 60_000) } });
  await update(bucket, 'was-retained', key.Arn!, { VersionId: put.VersionId, BucketKeyEnabled: true });
  expect(await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'was-retained' }))).toMatchObject({
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: key.Arn,
    VersionId: put.VersionId,
  });
});

it('answers NoSuchKey for a missing key', async () => {
  const bucket = await versionedBucket();
  const key = await targetKey();
  expect(await failureOf(update(bucket, 'missing', key.Arn!))).toMatchObject({ name: 'NoSuchKey', status: 404 });
});
