// The end state of copy-in-place and update-encryption jobs, checked object by object through the
// S3 API: encryption key and Bucket Key, tags, metadata, storage class, version counts.
import { GetObjectTaggingCommand, HeadObjectCommand, ListObjectVersionsCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { useSandbox } from '../support/clients';
import { bytesBody } from '../s3/body';
import { internEncryption } from '../s3/encryption';
import type { StorageClass } from '../s3/model';
import { jobInput, prepareJobs, runJob, uploadCsvManifest, type ManifestRow } from './job-fixtures';

const fixture = useSandbox();
const BUCKET = 'migrate-effects';
let roleArn: string;
let keyArn: string;

interface SeededObject {
  readonly key: string;
  readonly storageClass: StorageClass;
  readonly tags: Record<string, string>;
  readonly metadata: Record<string, string>;
}

const UNENCRYPTED: readonly SeededObject[] = [
  { key: 'plain/a.txt', storageClass: 'STANDARD', tags: { team: 'data' }, metadata: { owner: 'alice' } },
  { key: 'with space/report 2024.csv', storageClass: 'STANDARD', tags: {}, metadata: {} },
  { key: 'plus+sign/a+b=c.txt', storageClass: 'STANDARD', tags: { a: '1', b: '2' }, metadata: { 'x-note': 'plus' } },
  { key: 'percent/100%.txt', storageClass: 'STANDARD', tags: {}, metadata: { k: 'v' } },
  { key: 'ünïcödé/ファイル.bin', storageClass: 'STANDARD', tags: { lang: 'ja' }, metadata: {} },
];
const UNENCRYPTED_IA: readonly SeededObject[] = [
  { key: 'ia/one.txt', storageClass: 'STANDARD_IA', tags: { tier: 'ia' }, metadata: { m: '1' } },
  { key: 'ia/two.txt', storageClass: 'STANDARD_IA', tags: {}, metadata: {} },
];
const SSE_S3: readonly SeededObject[] = [
  { key: 'sse-s3/a.txt', storageClass: 'STANDARD', tags: { t: 'x' }, metadata: { m: 'y' } },
  { key: 'sse-s3/archived.bin', storageClass: 'GLACIER', tags: {}, metadata: {} },
  { key: 'sse-s3/deep.bin', storageClass: 'DEEP_ARCHIVE', tags: { cold: 'yes' }, metadata: {} },
];

beforeAll(() => {
  ({ roleArn } = prepareJobs(fixture.sandbox));
  const { s3, kms } = fixture.sandbox.world;
  keyArn = kms.createKey({ description: 'migration target' }).arn;
  s3.createBucket({ name: BUCKET });
  s3.setVersioning(BUCKET, 'Enabled');
  // Two versions per key: the migration must act on the one the manifest names.
  for (const [objects, encryption] of [
    [[...UNENCRYPTED, ...UNENCRYPTED_IA], undefined],
    [SSE_S3, { serverSideEncryption: 'AES256' as const }],
  ] as const) {
    for (const o of objects) {
      for (const generation of [1, 2]) {
        const written = s3.putObject({
          bucket: BUCKET,
          key: o.key,
          body: bytesBody(Buffer.from(`${o.key} v${generation}`)),
          contentType: 'text/plain',
          storageClass: o.storageClass,
          tags: o.tags,
          metadata: o.metadata,
          ...(encryption ? { encryption } : {}),
        });
        // Objects written before January 2023 carry no encryption; the bucket default cannot produce them now.
        if (!encryption)
          s3.bucket(BUCKET).replace({ ...written, encryption: internEncryption({ status: 'NOT-SSE', bucketKeyEnabled: false }) });
      }
    }
  }
});

async function versionsOf(key: string) {
  const listed = await fixture.clients.s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: key }));
  return (listed.Versions ?? []).filter((v) => v.Key === key);
}

async function head(key: string, versionId?: string): Promise<HeadObjectCommandOutput> {
  return fixture.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
}

async function tagsOf(key: string, versionId?: string): Promise<Record<string, string>> {
  const out = await fixture.clients.s3.send(
    new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}

function currentRows(objects: readonly SeededObject[]): ManifestRow[] {
  return objects.map((o) => {
    const latest = fixture.sandbox.world.s3.version({ bucket: BUCKET, key: o.key });
    return { bucket: BUCKET, key: o.key, versionId: latest.versionId };
  });
}

describe('S3PutObjectCopy in place with SSEAwsKmsKeyId and BucketKeyEnabled', () => {
  it('adds exactly one new current version per key, SSE-KMS with the key and Bucket Key, keeping tags, metadata and content type', async () => {
    const before = new Map<string, number>();
    for (const o of UNENCRYPTED) before.set(o.key, (await versionsOf(o.key)).length);
    const rows = currentRows(UNENCRYPTED);
    const manifest = await uploadCsvManifest(fixture.clients, 'copy.csv', rows);
    const job = await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, manifest, {
        S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${BUCKET}`, SSEAwsKmsKeyId: keyArn, BucketKeyEnabled: true },
      }),
    );
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: UNENCRYPTED.length,
      NumberOfTasksSucceeded: UNENCRYPTED.length,
      NumberOfTasksFailed: 0,
    });

    for (const [i, o] of UNENCRYPTED.entries()) {
      const versions = await versionsOf(o.key);
      expect(versions).toHaveLength(before.get(o.key)! + 1);
      const current = versions.find((v) => v.IsLatest)!;
      expect(current.VersionId).not.toBe(rows[i]!.versionId);
      const copied = await head(o.key);
      expect(copied.ServerSideEncryption).toBe('aws:kms');
      expect(copied.SSEKMSKeyId).toBe(keyArn);
      expect(copied.BucketKeyEnabled).toBe(true);
      expect(copied.StorageClass ?? 'STANDARD').toBe('STANDARD');
      expect(copied.Metadata ?? {}).toEqual(o.metadata);
      expect(copied.ContentType).toBe('text/plain');
      expect(copied.ContentLength).toBe(Buffer.byteLength(`${o.key} v2`));
      expect(await tagsOf(o.key)).toEqual(o.tags);
      // The old version is untouched and now noncurrent: lifecycle removes it later.
      const old = await head(o.key, rows[i]!.versionId);
      expect(old.ServerSideEncryption).toBeUndefined();
    }
  });

  it('lands copies in STANDARD when StorageClass is absent, and keeps the class when the job names it', async () => {
    const manifest = await uploadCsvManifest(fixture.clients, 'copy-ia-dropped.csv', currentRows([UNENCRYPTED_IA[0]!]));
    await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, manifest, {
        S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${BUCKET}`, SSEAwsKmsKeyId: keyArn, BucketKeyEnabled: true },
      }),
    );
    expect((await head(UNENCRYPTED_IA[0]!.key)).StorageClass ?? 'STANDARD').toBe('STANDARD');

    const kept = await uploadCsvManifest(fixture.clients, 'copy-ia-kept.csv', currentRows([UNENCRYPTED_IA[1]!]));
    await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, kept, {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${BUCKET}`,
          SSEAwsKmsKeyId: keyArn,
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD_IA',
        },
      }),
    );
    expect((await head(UNENCRYPTED_IA[1]!.key)).StorageClass).toBe('STANDARD_IA');
  });

  it('replaces tags and metadata when NewObjectTagging and NewObjectMetadata are given', async () => {
    const o = UNENCRYPTED[0]!;
    const manifest = await uploadCsvManifest(fixture.clients, 'copy-replace.csv', currentRows([o]));
    await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, manifest, {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${BUCKET}`,
          SSEAwsKmsKeyId: keyArn,
          BucketKeyEnabled: true,
          NewObjectTagging: [{ Key: 'migrated', Value: 'yes' }],
          MetadataDirective: 'REPLACE',
          NewObjectMetadata: { ContentType: 'application/json', UserMetadata: { replaced: 'true' } },
        },
      }),
    );
    const copied = await head(o.key);
    expect(copied.Metadata).toEqual({ replaced: 'true' });
    expect(copied.ContentType).toBe('application/json');
    expect(await tagsOf(o.key)).toEqual({ migrated: 'yes' });
  });
});

describe('S3UpdateObjectEncryption', () => {
  it('re-wraps every listed version in place: no new version, same version ids, ETags, classes, dates, tags and metadata', async () => {
    const rows: ManifestRow[] = [];
    const before = new Map<string, HeadObjectCommandOutput>();
    const counts = new Map<string, number>();
    for (const o of SSE_S3) {
      const versions = await versionsOf(o.key);
      counts.set(o.key, versions.length);
      for (const v of versions) {
        rows.push({ bucket: BUCKET, key: o.key, versionId: v.VersionId! });
        before.set(`${o.key}@${v.VersionId}`, await head(o.key, v.VersionId));
      }
    }
    const manifest = await uploadCsvManifest(fixture.clients, 'update.csv', rows);
    const job = await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, manifest, {
        S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } },
      }),
    );
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: rows.length,
      NumberOfTasksSucceeded: rows.length,
      NumberOfTasksFailed: 0,
    });

    for (const o of SSE_S3) {
      expect(await versionsOf(o.key)).toHaveLength(counts.get(o.key)!);
    }
    for (const row of rows) {
      const was = before.get(`${row.key}@${row.versionId}`)!;
      const now = await head(row.key, row.versionId);
      expect(now.ServerSideEncryption).toBe('aws:kms');
      expect(now.SSEKMSKeyId).toBe(keyArn);
      expect(now.BucketKeyEnabled).toBe(true);
      expect(now.ETag).toBe(was.ETag);
      expect(now.StorageClass).toBe(was.StorageClass);
      expect(now.LastModified).toEqual(was.LastModified);
      expect(now.Metadata).toEqual(was.Metadata);
      expect(await tagsOf(row.key, row.versionId)).toEqual(SSE_S3.find((o) => o.key === row.key)!.tags);
    }
  });
});

describe('S3PutObjectCopy and Object Lock', () => {
  it('does not carry a legal hold or retention over unless the job names them', async () => {
    const { s3 } = fixture.sandbox.world;
    const bucket = 'locked-objects';
    s3.createBucket({ name: bucket, objectLockEnabled: true });
    const retainUntil = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000);
    const held = s3.putObject({
      bucket,
      key: 'held.txt',
      body: bytesBody(Buffer.from('h')),
      objectLock: { legalHold: 'ON', mode: 'GOVERNANCE', retainUntil },
    });
    const kept = s3.putObject({ bucket, key: 'kept.txt', body: bytesBody(Buffer.from('k')), objectLock: { legalHold: 'ON' } });
    const copy = (extra: object) => ({
      S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${bucket}`, SSEAwsKmsKeyId: keyArn, BucketKeyEnabled: true, ...extra },
    });

    await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(
        roleArn,
        await uploadCsvManifest(fixture.clients, 'lock-dropped.csv', [{ bucket, key: held.key, versionId: held.versionId }]),
        copy({}),
      ),
    );
    const dropped = await fixture.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: held.key }));
    expect(dropped.ObjectLockLegalHoldStatus).toBeUndefined();
    expect(dropped.ObjectLockMode).toBeUndefined();

    await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(
        roleArn,
        await uploadCsvManifest(fixture.clients, 'lock-kept.csv', [{ bucket, key: kept.key, versionId: kept.versionId }]),
        copy({
          ObjectLockLegalHoldStatus: 'ON',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: retainUntil,
        }),
      ),
    );
    const carried = await fixture.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: kept.key }));
    expect(carried.ObjectLockLegalHoldStatus).toBe('ON');
    expect(carried.ObjectLockMode).toBe('GOVERNANCE');
    expect(carried.ObjectLockRetainUntilDate).toEqual(retainUntil);
  });
});
