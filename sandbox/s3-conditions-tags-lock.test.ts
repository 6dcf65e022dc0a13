// Conditional writes (the runner's lock/state file), object tagging and Object Lock through the SDK.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let counter = 0;

async function newBucket(options: { versioned?: boolean; objectLock?: boolean } = {}): Promise<string> {
  const bucket = `cond-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket, ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }));
  if (options.versioned)
    await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

describe('conditional deletes', () => {
  it('deletes with If-Match only while the current version has that ETag', async () => {
    const bucket = await newBucket({ versioned: true });
    const first = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '{"owner":"a"}' }));
    const second = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '{"owner":"b"}' }));
    expect(await failureOf(s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'lock.json', IfMatch: first.ETag })))).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'lock.json' }))).Body!.transformToString()).toBe(
      '{"owner":"b"}',
    );
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'lock.json', IfMatch: second.ETag }));
    expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'lock.json' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('answers 404 to If-Match on a key that does not exist', async () => {
    const bucket = await newBucket();
    expect(await failureOf(s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'absent', IfMatch: '"abc"' })))).toMatchObject({
      status: 404,
    });
  });
});

describe('conditional writes', () => {
  it('creates with If-None-Match: * only when the key does not exist', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '{"owner":"a"}', IfNoneMatch: '*' }));
    expect(
      await failureOf(s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '{"owner":"b"}', IfNoneMatch: '*' }))),
    ).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'lock.json' }))).Body!.transformToString()).toBe(
      '{"owner":"a"}',
    );
  });

  it('allows If-None-Match: * again once the current version is a delete marker', async () => {
    const bucket = await newBucket({ versioned: true });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '1', IfNoneMatch: '*' }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'lock.json' }));
    await expect(s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'lock.json', Body: '2', IfNoneMatch: '*' }))).resolves.toBeDefined();
  });

  it('replaces with If-Match only when the ETag is still the one read', async () => {
    const bucket = await newBucket();
    const first = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state.json', Body: 'v1' }));
    const second = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state.json', Body: 'v2', IfMatch: first.ETag }));
    expect(
      await failureOf(s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state.json', Body: 'v3', IfMatch: first.ETag }))),
    ).toMatchObject({
      name: 'PreconditionFailed',
      status: 412,
    });
    await expect(
      s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state.json', Body: 'v3', IfMatch: second.ETag })),
    ).resolves.toBeDefined();
  });

  it('answers NoSuchKey to If-Match on a key that does not exist', async () => {
    const bucket = await newBucket();
    expect(await failureOf(s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'absent', Body: 'x', IfMatch: '"abc"' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('answers 304 to a GET whose If-None-Match matches and 412 to a failed If-Match', async () => {
    const bucket = await newBucket();
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect((await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: put.ETag })))).status).toBe(304);
    expect((await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: '"0000"' })))).status).toBe(412);
  });
});

describe('tagging', () => {
  it('tags a specific version without creating a new one', async () => {
    const bucket = await newBucket({ versioned: true });
    const first = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '1', Tagging: 'a=1' }));
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '2' }));
    await s3().send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k',
        VersionId: first.VersionId,
        Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] },
      }),
    );
    const tagged = await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }));
    expect(tagged).toMatchObject({ VersionId: first.VersionId, TagSet: [{ Key: 'old', Value: 'yes' }] });
    expect((await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([]);
    await s3().send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }));
    expect((await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }))).TagSet).toEqual([]);
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }))).VersionId).toBe(
      first.VersionId,
    );
  });

  it('refuses more than 10 tags', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const TagSet = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await failureOf(s3().send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet } })))).toMatchObject({
      name: 'BadRequest',
      status: 400,
    });
  });
});

describe('Object Lock', () => {
  it('stores retention and legal hold from PutObject headers and reports them on HEAD', async () => {
    const bucket = await newBucket({ objectLock: true });
    const until = new Date(Date.now() + 86_400_000);
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'x',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: until,
        ObjectLockLegalHoldStatus: 'ON',
      }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head).toMatchObject({ ObjectLockMode: 'GOVERNANCE', ObjectLockLegalHoldStatus: 'ON' });
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());
  });

  it('refuses to delete a version under legal hold or retention, until released', async () => {
    const bucket = await newBucket({ objectLock: true });
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    await s3().send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'ON' } }));
    expect((await s3().send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'k' }))).LegalHold?.Status).toBe('ON');
    expect(await failureOf(s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    await s3().send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'OFF' } }));
    await s3().send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: 'k',
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 86_400_000) },
      }),
    );
    expect((await s3().send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k' }))).Retention?.Mode).toBe('COMPLIANCE');
    expect((await failureOf(s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId })))).status).toBe(403);
  });

  it('refuses Object Lock settings on a bucket created without Object Lock', async () => {
    const bucket = await newBucket({ versioned: true });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(
      await failureOf(s3().send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: 'k', LegalHold: { Status: 'ON' } }))),
    ).toMatchObject({ name: 'InvalidRequest', status: 400 });
  });
});
