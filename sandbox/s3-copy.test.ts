// CopyObject, multipart copy and restore through the SDK: what a copy keeps and drops, the 5 GB
// limit, archived and SSE-C sources, KMS key checks, ACLs and ownership.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import { failureOf, useSandbox } from './support/clients';
import { listAllVersions } from './support/seeded';

const fixture = useSandbox({
  seed: {
    seed: 7,
    buckets: [
      { name: 'huge', versions: 1, overFiveGbRate: 1, hardKeyRate: 0 },
      { name: 'archive', versions: 1, storageClasses: { GLACIER: 1 }, hardKeyRate: 0 },
      { name: 'deep-archive', versions: 1, storageClasses: { DEEP_ARCHIVE: 1 }, hardKeyRate: 0 },
    ],
  },
});
const s3 = () => fixture.clients.s3;
let counter = 0;

async function versionedBucket(ownership?: 'ObjectWriter'): Promise<string> {
  const bucket = `copy-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket, ...(ownership ? { ObjectOwnership: ownership } : {}) }));
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

async function newKmsKey() {
  return (await fixture.clients.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
}

const source = (bucket: string, key: string, versionId?: string) =>
  `${bucket}/${encodeURIComponent(key)}${versionId ? `?versionId=${versionId}` : ''}`;

describe('copy in place', () => {
  it('re-encrypts under SSE-KMS with a Bucket Key as a new version, keeping metadata, content type and tags', async () => {
    const bucket = await versionedBucket();
    const key = await newKmsKey();
    const original = await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'a b+c.csv',
        Body: 'x,y',
        ContentType: 'text/csv',
        Metadata: { origin: 'etl' },
        Tagging: 'team=payments',
      }),
    );
    const copy = await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'a b+c.csv',
        CopySource: source(bucket, 'a b+c.csv'),
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key.KeyId,
        BucketKeyEnabled: true,
      }),
    );
    expect(copy.CopySourceVersionId).toBe(original.VersionId);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b+c.csv' }));
    expect(head).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key.Arn,
      BucketKeyEnabled: true,
      ContentType: 'text/csv',
      Metadata: { origin: 'etl' },
      VersionId: copy.VersionId,
    });
    expect((await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'a b+c.csv' }))).TagSet).toEqual([
      { Key: 'team', Value: 'payments' },
    ]);
    const old = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b+c.csv', VersionId: original.VersionId }));
    expect(old.ServerSideEncryption).toBe('AES256');
    expect(head.ETag).not.toBe(old.ETag);
  });

  it('refuses a copy to itself that changes nothing', async () => {
    const bucket = await versionedBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const failure = await failureOf(s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'k', CopySource: source(bucket, 'k') })));
    expect(failure).toMatchObject({ name: 'InvalidRequest', status: 400 });
    expect(failure.message).toContain('copy an object to itself without changing');
  });

  it('replaces metadata and tags only when the directives say REPLACE', async () => {
    const bucket = await versionedBucket();
    await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ContentType: 'text/plain', Metadata: { a: '1' }, Tagging: 't=1' }),
    );
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'k',
        CopySource: source(bucket, 'k'),
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { b: '2' },
        TaggingDirective: 'REPLACE',
        Tagging: 'u=2',
      }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head).toMatchObject({ ContentType: 'application/json', Metadata: { b: '2' } });
    expect((await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([{ Key: 'u', Value: '2' }]);
  });

  it('lands in STANDARD unless the copy names a storage class', async () => {
    const bucket = await versionedBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
    await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'to-standard', CopySource: source(bucket, 'ia') }));
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'ia',
        CopySource: source(bucket, 'ia'),
        StorageClass: 'STANDARD_IA',
        ServerSideEncryption: 'AES256',
      }),
    );
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-standard' }))).StorageClass).toBeUndefined();
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'ia' }))).StorageClass).toBe('STANDARD_IA');
  });

  it('does not keep the source ACL: the copy is private', async () => {
    const bucket = await versionedBucket('ObjectWriter');
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'public-read' }));
    const grantsOf = async () => (await s3().send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }))).Grants?.map((g) => g.Permission);
    expect(await grantsOf()).toEqual(['FULL_CONTROL', 'READ']);
    await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'k', CopySource: source(bucket, 'k'), ServerSideEncryption: 'AES256' }));
    expect(await grantsOf()).toEqual(['FULL_CONTROL']);
  });
});

describe('copy conditions', () => {
  // Conditional writes (If-Match on the destination's current version) were added to CopyObject in
  // the S3 API; the source conditions (x-amz-copy-source-if-*) have always been there.
  async function inPlaceFixture() {
    const bucket = await versionedBucket();
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'unencrypted', Tagging: 'team=payments' }));
    const copy = (extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>) =>
      s3().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'k',
          CopySource: source(bucket, 'k', put.VersionId),
          ServerSideEncryption: 'aws:kms',
          ...extra,
        }),
      );
    const versions = async () =>
      ((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? []).map((v) => v.VersionId);
    return { bucket, put, copy, versions };
  }

  const conditionOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const e = error as { name: string; Condition?: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, status: e.$metadata?.httpStatusCode, condition: e.Condition };
    }
    throw new Error('expected the copy to fail, but it succeeded');
  };

  it('copies when the source and the destination still have the ETag named', async () => {
    const { put, copy, versions } = await inPlaceFixture();
    const written = await copy({ CopySourceIfMatch: put.ETag, IfMatch: put.ETag });
    expect(written.CopySourceVersionId).toBe(put.VersionId);
    expect(await versions()).toEqual([written.VersionId, put.VersionId]);
  });

  it('refuses with 412 PreconditionFailed (If-Match) when the current version has another ETag, and writes nothing', async () => {
    const { put, copy, versions } = await inPlaceFixture();
    const first = await copy({ CopySourceIfMatch: put.ETag, IfMatch: put.ETag });
    // A rerun: the current version is now the SSE-KMS copy, whose ETag is not the source's MD5.
    expect(await conditionOf(copy({ CopySourceIfMatch: put.ETag, IfMatch: put.ETag }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
      condition: 'If-Match',
    });
    expect(await versions()).toEqual([first.VersionId, put.VersionId]);
  });

  it('refuses with 412 PreconditionFailed (x-amz-copy-source-If-Match) when the source has another ETag, and writes nothing', async () => {
    const { put, copy, versions } = await inPlaceFixture();
    expect(await conditionOf(copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"', IfMatch: put.ETag }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
      condition: 'x-amz-copy-source-If-Match',
    });
    expect(await conditionOf(copy({ CopySourceIfNoneMatch: put.ETag }))).toMatchObject({
      status: 412,
      condition: 'x-amz-copy-source-If-None-Match',
    });
    expect(await versions()).toEqual([put.VersionId]);
  });

  it('answers 404 NoSuchKey to If-Match when the current version is a delete marker', async () => {
    const { bucket, put, copy, versions } = await inPlaceFixture();
    const marker = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(await conditionOf(copy({ CopySourceIfMatch: put.ETag, IfMatch: put.ETag }))).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await versions()).toEqual([put.VersionId]);
    expect(marker.DeleteMarker).toBe(true);
  });
});

describe('ownership and ACLs', () => {
  it('rejects ACLs on BucketOwnerEnforced buckets, the default for new buckets', async () => {
    const bucket = await versionedBucket();
    expect(await failureOf(s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'public-read' })))).toMatchObject({
      name: 'AccessControlListNotSupported',
      status: 400,
    });
    await expect(
      s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' })),
    ).resolves.toBeDefined();
  });
});

describe('KMS keys on writes', () => {
  it('fails an SSE-KMS write naming an unknown key with KMS.NotFoundException (400)', async () => {
    const bucket = await versionedBucket();
    const failure = await failureOf(
      s3().send(
        new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/does-not-exist' }),
      ),
    );
    expect(failure).toMatchObject({ name: 'KMS.NotFoundException', status: 400 });
  });

  it('fails an SSE-KMS copy with a disabled key with KMS.DisabledException (400)', async () => {
    const bucket = await versionedBucket();
    const key = await newKmsKey();
    await fixture.clients.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const failure = await failureOf(
      s3().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'k',
          CopySource: source(bucket, 'k'),
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: key.Arn,
        }),
      ),
    );
    expect(failure).toMatchObject({ name: 'KMS.DisabledException', status: 400 });
  });

  it('uses the AWS managed key aws/s3 for SSE-KMS without a key id', async () => {
    const bucket = await versionedBucket();
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms' }));
    expect(put.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
  });

  it('reports DSSE-KMS as aws:kms:dsse with its key', async () => {
    const bucket = await versionedBucket();
    const key = await newKmsKey();
    await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: key.Arn }),
    );
    expect(await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).toMatchObject({
      ServerSideEncryption: 'aws:kms:dsse',
      SSEKMSKeyId: key.Arn,
    });
  });
});

describe('SSE-C sources', () => {
  const customerKey = Buffer.alloc(32, 7);
  const customerKeyMd5 = createHash('md5').update(customerKey).digest('base64');

  it('cannot be read or copied without the customer key, and can with it', async () => {
    const bucket = await versionedBucket();
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'secret',
        Body: 'x',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: customerKey.toString('base64'),
      }),
    );
    expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'secret' })))).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
    });
    expect(
      await failureOf(s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: source(bucket, 'secret') }))),
    ).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
    });
    const head = await s3().send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: 'secret',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: customerKey.toString('base64'),
      }),
    );
    expect(head).toMatchObject({ SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: customerKeyMd5 });
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy',
        CopySource: source(bucket, 'secret'),
        CopySourceSSECustomerAlgorithm: 'AES256',
        CopySourceSSECustomerKey: customerKey.toString('base64'),
      }),
    );
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy' }))).ServerSideEncryption).toBe('AES256');
  });
});

describe('the 5 GB copy limit', () => {
  it("refuses CopyObject of a source over 5 GB with AWS's exact error", async () => {
    const [huge] = await listAllVersions(s3(), 'huge');
    expect(huge!.size).toBeGreaterThan(5 * 1024 ** 3);
    const failure = await failureOf(
      s3().send(
        new CopyObjectCommand({ Bucket: 'huge', Key: huge!.key, CopySource: source('huge', huge!.key), ServerSideEncryption: 'aws:kms' }),
      ),
    );
    expect(failure).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
      message: 'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120',
    });
  });

  it('copies it in place with UploadPartCopy ranges, byte for byte, as a multipart object', async () => {
    const [huge] = await listAllVersions(s3(), 'huge');
    const { key, size } = huge!;
    const half = Math.floor(size / 2);
    const upload = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: 'huge', Key: key, ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true }),
    );
    const parts = [];
    for (const [partNumber, first, last] of [
      [1, 0, half - 1],
      [2, half, size - 1],
    ] as const) {
      const part = await s3().send(
        new UploadPartCopyCommand({
          Bucket: 'huge',
          Key: key,
          UploadId: upload.UploadId,
          PartNumber: partNumber,
          CopySource: source('huge', key, huge!.versionId),
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      parts.push({ PartNumber: partNumber, ETag: part.CopyPartResult!.ETag! });
    }
    const done = await s3().send(
      new CompleteMultipartUploadCommand({ Bucket: 'huge', Key: key, UploadId: upload.UploadId, MultipartUpload: { Parts: parts } }),
    );
    expect(done.ETag).toMatch(/-2"$/);
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'huge', Key: key }));
    expect(head).toMatchObject({ ContentLength: size, ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true });
    const range = `bytes=${half - 8}-${half + 7}`;
    const before = await (
      await s3().send(new GetObjectCommand({ Bucket: 'huge', Key: key, VersionId: huge!.versionId, Range: range }))
    ).Body!.transformToByteArray();
    const after = await (await s3().send(new GetObjectCommand({ Bucket: 'huge', Key: key, Range: range }))).Body!.transformToByteArray();
    expect(Buffer.from(after)).toEqual(Buffer.from(before));
    expect(before.length).toBe(16);
  });
});

describe('archived sources and RestoreObject', () => {
  it('refuses to copy GLACIER and DEEP_ARCHIVE sources with InvalidObjectState (403)', async () => {
    for (const bucket of ['archive', 'deep-archive']) {
      const [archived] = await listAllVersions(s3(), bucket);
      const failure = await failureOf(
        s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'copied', CopySource: source(bucket, archived!.key) })),
      );
      expect(failure).toMatchObject({ name: 'InvalidObjectState', status: 403 });
    }
  });

  it('copies an archived source once its restore completes after the configured delay', async () => {
    const [archived] = await listAllVersions(s3(), 'archive');
    fixture.sandbox.world.restoreDelayMs = 300;
    try {
      const restore = await s3().send(
        new RestoreObjectCommand({
          Bucket: 'archive',
          Key: archived!.key,
          RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Standard' } },
        }),
      );
      expect(restore.$metadata.httpStatusCode).toBe(202);
      expect((await s3().send(new HeadObjectCommand({ Bucket: 'archive', Key: archived!.key }))).Restore).toBe('ongoing-request="true"');
      expect(
        await failureOf(s3().send(new RestoreObjectCommand({ Bucket: 'archive', Key: archived!.key, RestoreRequest: { Days: 2 } }))),
      ).toMatchObject({
        name: 'RestoreAlreadyInProgress',
        status: 409,
      });
      expect(
        (
          await failureOf(
            s3().send(new CopyObjectCommand({ Bucket: 'archive', Key: 'copied', CopySource: source('archive', archived!.key) })),
          )
        ).name,
      ).toBe('InvalidObjectState');
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await s3().send(new HeadObjectCommand({ Bucket: 'archive', Key: archived!.key }))).Restore).toMatch(
        /^ongoing-request="false", expiry-date=".+GMT"$/,
      );
      await s3().send(
        new CopyObjectCommand({ Bucket: 'archive', Key: 'copied', CopySource: source('archive', archived!.key), StorageClass: 'GLACIER' }),
      );
      expect((await s3().send(new HeadObjectCommand({ Bucket: 'archive', Key: 'copied' }))).StorageClass).toBe('GLACIER');
    } finally {
      fixture.sandbox.world.restoreDelayMs = 0;
    }
  });

  it('refuses RestoreObject on a storage class that is not archived', async () => {
    const bucket = await versionedBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect(await failureOf(s3().send(new RestoreObjectCommand({ Bucket: bucket, Key: 'k', RestoreRequest: { Days: 1 } })))).toMatchObject({
      name: 'InvalidObjectState',
      status: 403,
    });
  });
});

describe('multipart upload', () => {
  it('assembles uploaded parts, checks part order and sizes, and lists the object as one version', async () => {
    const bucket = await versionedBucket();
    const upload = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big', Metadata: { m: '1' } }));
    const five = Buffer.alloc(5 * 1024 * 1024, 'a');
    const p1 = await s3().send(new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId: upload.UploadId, PartNumber: 1, Body: five }));
    const p2 = await s3().send(
      new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId: upload.UploadId, PartNumber: 2, Body: 'tail' }),
    );
    const p3 = await s3().send(new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId: upload.UploadId, PartNumber: 3, Body: five }));
    expect(
      await failureOf(
        s3().send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'big',
            UploadId: upload.UploadId,
            MultipartUpload: {
              Parts: [
                { PartNumber: 2, ETag: p2.ETag },
                { PartNumber: 1, ETag: p1.ETag },
              ],
            },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidPartOrder', status: 400 });
    // Every part but the last must be at least 5 MiB: the 4-byte part 2 is refused before part 3...
    expect(
      await failureOf(
        s3().send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'big',
            UploadId: upload.UploadId,
            MultipartUpload: {
              Parts: [
                { PartNumber: 1, ETag: p1.ETag },
                { PartNumber: 2, ETag: p2.ETag },
                { PartNumber: 3, ETag: p3.ETag },
              ],
            },
          }),
        ),
      ),
    ).toMatchObject({ name: 'EntityTooSmall', status: 400 });
    // ...and accepted as the last part, the unlisted part 3 left out of the object.
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId: upload.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'big' }));
    expect(head).toMatchObject({ ContentLength: five.length + 4, Metadata: { m: '1' } });
    expect(head.ETag).toMatch(/-2"$/);
    const tail = await s3().send(
      new GetObjectCommand({ Bucket: bucket, Key: 'big', Range: `bytes=${five.length - 1}-${five.length + 3}` }),
    );
    expect(await tail.Body!.transformToString()).toBe('atail');
    expect((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toHaveLength(1);
  });
});

describe('multipart housekeeping', () => {
  it('lists uploads in progress and their parts, and forgets an aborted upload', async () => {
    const bucket = await versionedBucket();
    const upload = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'left over', StorageClass: 'STANDARD_IA' }));
    await s3().send(new UploadPartCommand({ Bucket: bucket, Key: 'left over', UploadId: upload.UploadId, PartNumber: 3, Body: 'abc' }));
    const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId, u.StorageClass])).toEqual([['left over', upload.UploadId, 'STANDARD_IA']]);
    const parts = await s3().send(new ListPartsCommand({ Bucket: bucket, Key: 'left over', UploadId: upload.UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[3, 3]]);
    await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'left over', UploadId: upload.UploadId }));
    expect((await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
    expect(await failureOf(s3().send(new ListPartsCommand({ Bucket: bucket, Key: 'left over', UploadId: upload.UploadId })))).toMatchObject(
      { name: 'NoSuchUpload', status: 404 },
    );
  });
});
