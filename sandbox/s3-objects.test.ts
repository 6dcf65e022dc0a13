// S3 objects through the SDK: buckets, put/get/head with metadata, ranges, hard keys, errors.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { HARD_KEY_STEMS, maxLengthKey } from './seed';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let bucketCounter = 0;

async function newBucket(): Promise<string> {
  const name = `objects-${++bucketCounter}`;
  await s3().send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    const bucket = await newBucket();
    await expect(s3().send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    expect((await s3().send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(bucket);
    await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
    expect((await failureOf(s3().send(new HeadBucketCommand({ Bucket: bucket })))).status).toBe(404);
  });

  it('refuses to delete a bucket that still has objects', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(await failureOf(s3().send(new DeleteBucketCommand({ Bucket: bucket })))).toMatchObject({ name: 'BucketNotEmpty', status: 409 });
  });

  it('answers NoSuchBucket for objects in a missing bucket', async () => {
    expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
    });
  });

  it('refuses invalid bucket names', async () => {
    expect(await failureOf(s3().send(new CreateBucketCommand({ Bucket: 'Upper_Case' })))).toMatchObject({
      name: 'InvalidBucketName',
      status: 400,
    });
  });
});

describe('objects', () => {
  it('round-trips body, content type and user metadata', async () => {
    const bucket = await newBucket();
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'doc.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
        Metadata: { owner: 'team-a' },
      }),
    );
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.json' }));
    expect(await got.Body!.transformToString()).toBe('{"a":1}');
    expect(got).toMatchObject({ ContentType: 'application/json', Metadata: { owner: 'team-a' }, ContentLength: 7 });
  });

  it('serves byte ranges with 206 and Content-Range', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'r', Body: '0123456789' }));
    const middle = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'r', Range: 'bytes=2-5' }));
    expect(await middle.Body!.transformToString()).toBe('2345');
    expect(middle.ContentRange).toBe('bytes 2-5/10');
    const suffix = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'r', Range: 'bytes=-3' }));
    expect(await suffix.Body!.transformToString()).toBe('789');
    expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'r', Range: 'bytes=20-30' })))).toMatchObject({
      name: 'InvalidRange',
      status: 416,
    });
  });

  it('stores every hard key exactly as written and lists it back', async () => {
    const bucket = await newBucket();
    const keys = [...HARD_KEY_STEMS, maxLengthKey(7), ' leading-space', 'tab\there', '~tilde*star(paren)!'];
    for (const key of keys) await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    for (const key of keys) {
      const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await got.Body!.transformToString()).toBe(key);
    }
    const listed = (await s3().send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key);
    expect(new Set(listed)).toEqual(new Set(keys));
    expect(Buffer.byteLength(maxLengthKey(7))).toBe(1024);
  });

  it('keeps a key that looks like a URL escape apart from the key it would decode to', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'a%2Fb', Body: 'escaped' }));
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b', Body: 'slash' }));
    expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'a%2Fb' }))).Body!.transformToString()).toBe('escaped');
    expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b' }))).Body!.transformToString()).toBe('slash');
  });

  it('answers InvalidURI for a path that is not valid percent-encoding', async () => {
    const bucket = await newBucket();
    const response = await fetch(`${fixture.sandbox.endpoint}/${bucket}/bad%ZZkey`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidURI</Code>');
  });

  it('answers NoSuchKey on GET and 404 on HEAD of a missing key', async () => {
    const bucket = await newBucket();
    expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await failureOf(s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
  });

  it('deletes an object from an unversioned bucket for good', async () => {
    const bucket = await newBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'gone', Body: 'x' }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    expect((await failureOf(s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'gone' })))).status).toBe(404);
  });

  it('encrypts writes without headers with SSE-S3, the default of every bucket', async () => {
    const bucket = await newBucket();
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: 'x' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain' }))).ServerSideEncryption).toBe('AES256');
  });
});
