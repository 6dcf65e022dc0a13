// Imitations through the SDK: each makes the sandbox answer 200 while storing the wrong thing, is
// off by default, can be scoped to one bucket, and switches off again at runtime.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { SandboxConfigError } from './errors';
import { Imitations, parseImitation } from './imitations';
import { startSandbox } from './sandbox';
import { failureOf, useSandbox } from './support/clients';
import { captureResponseHeaders } from './support/response-headers';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let counter = 0;

afterEach(() => fixture.sandbox.imitations.clear());

async function versionedBucket(): Promise<string> {
  const bucket = `imitation-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

async function kmsKeyArn(): Promise<string> {
  return (await fixture.clients.kms.send(new CreateKeyCommand({ Description: 'migration target' }))).KeyMetadata!.Arn!;
}

/** The object every test starts from: what a migration must keep. */
async function putOriginal(bucket: string): Promise<string> {
  const put = await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'k',
      Body: 'original',
      Metadata: { origin: 'etl' },
      Tagging: 'team=payments',
      StorageClass: 'STANDARD_IA',
      ServerSideEncryption: 'AES256',
    }),
  );
  return put.VersionId!;
}

/** The state a read-back would check: encryption, storage class, metadata, tags and body. */
async function observe(bucket: string, versionId?: string) {
  const ref = { Bucket: bucket, Key: 'k', ...(versionId ? { VersionId: versionId } : {}) };
  const head = await s3().send(new HeadObjectCommand(ref));
  return {
    versionId: head.VersionId,
    sse: head.ServerSideEncryption,
    kmsKey: head.SSEKMSKeyId,
    bucketKey: head.BucketKeyEnabled ?? false,
    storageClass: head.StorageClass ?? 'STANDARD',
    metadata: head.Metadata,
    tags: (await s3().send(new GetObjectTaggingCommand(ref))).TagSet,
    body: await (await s3().send(new GetObjectCommand(ref))).Body!.transformToString(),
  };
}

async function versionIds(bucket: string): Promise<string[]> {
  return ((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? []).map((v) => v.VersionId!);
}

/** UpdateObjectEncryption of one version; returns the status and the raw x-amz-version-id of the answer. */
async function updateEncryption(
  bucket: string,
  versionId: string,
  arn: string,
): Promise<{ status: number | undefined; versionIdHeader: string | undefined }> {
  const command = new UpdateObjectEncryptionCommand({
    Bucket: bucket,
    Key: 'k',
    VersionId: versionId,
    ObjectEncryption: { SSEKMS: { KMSKeyArn: arn, BucketKeyEnabled: true } },
  });
  const headers = captureResponseHeaders(command);
  const answer = await s3().send(command);
  return { status: answer.$metadata.httpStatusCode, versionIdHeader: headers()?.['x-amz-version-id'] };
}

const requestXml = (arn: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><SSE-KMS><KMSKeyArn>${arn}</KMSKeyArn><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>`;

const ORIGINAL = {
  sse: 'AES256',
  storageClass: 'STANDARD_IA',
  metadata: { origin: 'etl' },
  tags: [{ Key: 'team', Value: 'payments' }],
  body: 'original',
};

describe('update-encryption-writes-new-version', () => {
  it('is off by default: the asked version is re-encrypted in place and no version id is answered', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    const original = await putOriginal(bucket);
    expect(fixture.sandbox.imitations.active()).toEqual([]);
    expect(await updateEncryption(bucket, original, arn)).toEqual({ status: 200, versionIdHeader: undefined });
    expect(await versionIds(bucket)).toEqual([original]);
    expect(await observe(bucket)).toEqual({ ...ORIGINAL, versionId: original, sse: 'aws:kms', kmsKey: arn, bucketKey: true });
  });

  it('stores the request XML as a new current version and answers that version id, as moto does', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    const original = await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    const answer = await updateEncryption(bucket, original, arn);
    const versions = await versionIds(bucket);
    expect(answer.status).toBe(200);
    expect(versions).toHaveLength(2);
    expect(versions).toEqual([answer.versionIdHeader, original]);
    expect(answer.versionIdHeader).not.toBe(original);
    expect(await observe(bucket)).toEqual({
      versionId: answer.versionIdHeader,
      sse: 'AES256',
      kmsKey: undefined,
      bucketKey: false,
      storageClass: 'STANDARD',
      metadata: {},
      tags: [],
      body: requestXml(arn),
    });
    expect(await observe(bucket, original)).toEqual({ ...ORIGINAL, versionId: original, kmsKey: undefined, bucketKey: false });
  });

  it("encrypts the new version only with the bucket's default encryption", async () => {
    const bucket = await versionedBucket();
    const defaultArn = await kmsKeyArn();
    const targetArn = await kmsKeyArn();
    await s3().send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: defaultArn } }],
        },
      }),
    );
    const original = await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    await updateEncryption(bucket, original, targetArn);
    expect(await observe(bucket)).toMatchObject({ sse: 'aws:kms', kmsKey: defaultArn, bucketKey: false });
  });

  it('misbehaves only in the bucket it is scoped to', async () => {
    const customer = await versionedBucket();
    const other = await versionedBucket();
    const arn = await kmsKeyArn();
    const inCustomer = await putOriginal(customer);
    const inOther = await putOriginal(other);
    fixture.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version', bucket: customer });
    await updateEncryption(customer, inCustomer, arn);
    await updateEncryption(other, inOther, arn);
    expect(await versionIds(customer)).toHaveLength(2);
    expect(await versionIds(other)).toEqual([inOther]);
    expect(await observe(other)).toMatchObject({ versionId: inOther, sse: 'aws:kms', kmsKey: arn });
  });

  it('behaves as AWS again once disabled', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    const original = await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'update-encryption-writes-new-version' });
    fixture.sandbox.imitations.disable('update-encryption-writes-new-version');
    expect(await updateEncryption(bucket, original, arn)).toEqual({ status: 200, versionIdHeader: undefined });
    expect(await versionIds(bucket)).toEqual([original]);
    expect(await observe(bucket)).toMatchObject({ versionId: original, sse: 'aws:kms', kmsKey: arn, bucketKey: true });
  });
});

describe('copy-drops-attributes', () => {
  const copyInPlace = (bucket: string, arn: string, extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]> = {}) =>
    s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'k',
        CopySource: `${bucket}/k`,
        StorageClass: 'STANDARD_IA',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: arn,
        BucketKeyEnabled: true,
        ...extra,
      }),
    );

  it('is off by default: a copy in place keeps tags, metadata and the storage class asked for', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    const original = await putOriginal(bucket);
    const copy = await copyInPlace(bucket, arn);
    expect(await versionIds(bucket)).toEqual([copy.VersionId, original]);
    expect(await observe(bucket)).toEqual({ ...ORIGINAL, versionId: copy.VersionId, sse: 'aws:kms', kmsKey: arn, bucketKey: true });
  });

  it('answers 200 with the new version, which lands in STANDARD without tags or metadata', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    const original = await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'copy-drops-attributes' });
    const copy = await copyInPlace(bucket, arn);
    expect(copy.$metadata.httpStatusCode).toBe(200);
    expect(copy).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, BucketKeyEnabled: true });
    expect(await versionIds(bucket)).toEqual([copy.VersionId, original]);
    expect(await observe(bucket)).toEqual({
      versionId: copy.VersionId,
      sse: 'aws:kms',
      kmsKey: arn,
      bucketKey: true,
      storageClass: 'STANDARD',
      metadata: {},
      tags: [],
      body: 'original',
    });
    expect(await observe(bucket, original)).toEqual({ ...ORIGINAL, versionId: original, kmsKey: undefined, bucketKey: false });
  });

  it('drops them even when the request replaces metadata and tags explicitly', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'copy-drops-attributes' });
    await copyInPlace(bucket, arn, {
      MetadataDirective: 'REPLACE',
      Metadata: { origin: 'etl' },
      TaggingDirective: 'REPLACE',
      Tagging: 'team=payments',
    });
    expect(await observe(bucket)).toMatchObject({ storageClass: 'STANDARD', metadata: {}, tags: [] });
  });

  it('still refuses a copy that S3 refuses', async () => {
    const bucket = await versionedBucket();
    await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'copy-drops-attributes' });
    expect(await failureOf(s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'k', CopySource: `${bucket}/k` })))).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
    });
  });

  it('misbehaves only in the destination bucket it is scoped to', async () => {
    const customer = await versionedBucket();
    const other = await versionedBucket();
    const arn = await kmsKeyArn();
    await putOriginal(customer);
    await putOriginal(other);
    fixture.sandbox.imitations.enable({ kind: 'copy-drops-attributes', bucket: customer });
    await copyInPlace(customer, arn);
    await copyInPlace(other, arn);
    expect(await observe(customer)).toMatchObject({ storageClass: 'STANDARD', metadata: {}, tags: [] });
    expect(await observe(other)).toMatchObject({
      storageClass: 'STANDARD_IA',
      metadata: { origin: 'etl' },
      tags: [{ Key: 'team', Value: 'payments' }],
    });
  });

  it('keeps attributes again once disabled', async () => {
    const bucket = await versionedBucket();
    const arn = await kmsKeyArn();
    await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'copy-drops-attributes' });
    fixture.sandbox.imitations.disable('copy-drops-attributes');
    const copy = await copyInPlace(bucket, arn);
    expect(await observe(bucket)).toEqual({ ...ORIGINAL, versionId: copy.VersionId, sse: 'aws:kms', kmsKey: arn, bucketKey: true });
  });
});

describe('copy-ignores-conditions', () => {
  const staleCopy = (bucket: string, arn: string, original: string) =>
    s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'k',
        CopySource: `${bucket}/k?versionId=${original}`,
        CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
        IfMatch: '"0123456789abcdef0123456789abcdef"',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: arn,
      }),
    );

  it('is off by default: a copy whose conditions fail is refused with 412', async () => {
    const bucket = await versionedBucket();
    const original = await putOriginal(bucket);
    expect(await failureOf(staleCopy(bucket, await kmsKeyArn(), original))).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(await versionIds(bucket)).toEqual([original]);
  });

  it('writes the copy anyway and answers 200, as moto 5.2.1 does', async () => {
    const bucket = await versionedBucket();
    const original = await putOriginal(bucket);
    fixture.sandbox.imitations.enable({ kind: 'copy-ignores-conditions' });
    const copy = await staleCopy(bucket, await kmsKeyArn(), original);
    expect(copy.$metadata.httpStatusCode).toBe(200);
    expect(await versionIds(bucket)).toEqual([copy.VersionId, original]);
  });
});

describe('switching imitations', () => {
  it('starts with the imitations given to startSandbox', async () => {
    const sb = await startSandbox({ imitations: [{ kind: 'copy-drops-attributes', bucket: 'customer' }] });
    try {
      expect(sb.imitations.active()).toEqual([{ kind: 'copy-drops-attributes', bucket: 'customer' }]);
      expect(sb.imitations.appliesTo('copy-drops-attributes', 'customer')).toBe(true);
      expect(sb.imitations.appliesTo('copy-drops-attributes', 'other')).toBe(false);
    } finally {
      await sb.stop();
    }
  });

  it('refuses an unknown kind at start, naming the value', async () => {
    const start = startSandbox({ imitations: [{ kind: 'copy-everything-twice' as 'copy-drops-attributes' }] });
    await expect(start).rejects.toThrow(SandboxConfigError);
    await expect(start).rejects.toThrow(
      "imitation 'kind' must be one of update-encryption-writes-new-version, copy-drops-attributes, copy-ignores-conditions. Received: copy-everything-twice",
    );
  });

  it('enables a kind once however often it is enabled, and disables it for every bucket', () => {
    const imitations = new Imitations();
    imitations.enable({ kind: 'copy-drops-attributes', bucket: 'a' });
    imitations.enable({ kind: 'copy-drops-attributes', bucket: 'a' });
    imitations.enable({ kind: 'copy-drops-attributes', bucket: 'b' });
    imitations.enable({ kind: 'update-encryption-writes-new-version' });
    expect(imitations.active()).toHaveLength(3);
    imitations.disable('copy-drops-attributes');
    expect(imitations.active()).toEqual([{ kind: 'update-encryption-writes-new-version' }]);
  });

  it.each([
    ['copy-drops-attributes', { kind: 'copy-drops-attributes' }],
    ['copy-drops-attributes:customer-data', { kind: 'copy-drops-attributes', bucket: 'customer-data' }],
    ['update-encryption-writes-new-version:b', { kind: 'update-encryption-writes-new-version', bucket: 'b' }],
  ])('parses the CLI form %s', (text, expected) => {
    expect(parseImitation(text)).toEqual(expected);
  });

  it.each([
    ['copy', "imitation 'kind' must be one of"],
    ['copy-drops-attributes:', "imitation 'bucket' must name a bucket when given"],
  ])('refuses the CLI form %s', (text, message) => {
    expect(() => parseImitation(text)).toThrow(message);
  });
});
