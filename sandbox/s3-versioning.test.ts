// Versioning through the SDK: version ids, `null` versions, delete markers, suspended buckets.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let counter = 0;

async function bucketWith(status?: 'Enabled' | 'Suspended'): Promise<string> {
  const bucket = `versioning-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  if (status === 'Suspended')
    await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  if (status) await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
  return bucket;
}

async function versionsOf(bucket: string) {
  const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return {
    versions: (listed.Versions ?? []).map((v) => ({ key: v.Key, id: v.VersionId, latest: v.IsLatest })),
    markers: (listed.DeleteMarkers ?? []).map((m) => ({ key: m.Key, id: m.VersionId, latest: m.IsLatest })),
  };
}

it('gives every write to a versioned bucket a new 32-character version id, newest listed first', async () => {
  const bucket = await bucketWith('Enabled');
  const first = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'one' }));
  const second = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'two' }));
  expect(first.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
  expect(second.VersionId).not.toBe(first.VersionId);
  expect((await versionsOf(bucket)).versions).toEqual([
    { key: 'k', id: second.VersionId, latest: true },
    { key: 'k', id: first.VersionId, latest: false },
  ]);
  const old = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }));
  expect(await old.Body!.transformToString()).toBe('one');
});

it('writes version id null in an unversioned bucket and keeps it when versioning starts', async () => {
  const bucket = await bucketWith();
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'before' }));
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const after = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'after' }));
  expect((await versionsOf(bucket)).versions).toEqual([
    { key: 'k', id: after.VersionId, latest: true },
    { key: 'k', id: 'null', latest: false },
  ]);
  const nullVersion = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'null' }));
  expect(await nullVersion.Body!.transformToString()).toBe('before');
});

it('overwrites the null version while versioning is suspended and keeps older real versions', async () => {
  const bucket = await bucketWith('Enabled');
  const real = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'real' }));
  await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  const firstNull = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-1' }));
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-2' }));
  expect(firstNull.VersionId).toBe('null');
  expect((await versionsOf(bucket)).versions).toEqual([
    { key: 'k', id: 'null', latest: true },
    { key: 'k', id: real.VersionId, latest: false },
  ]);
  expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body!.transformToString()).toBe('null-2');
});

it('hides a key behind a delete marker and shows it again when the marker is deleted', async () => {
  const bucket = await bucketWith('Enabled');
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  const deleted = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
  expect(deleted.DeleteMarker).toBe(true);
  expect(await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })))).toMatchObject({ name: 'NoSuchKey', status: 404 });
  expect((await versionsOf(bucket)).markers).toEqual([{ key: 'k', id: deleted.VersionId, latest: true }]);
  expect(await failureOf(s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: deleted.VersionId })))).toMatchObject({
    status: 405,
  });
  await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: deleted.VersionId }));
  expect(await (await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body!.transformToString()).toBe('x');
});

it('deletes one version permanently, leaving the others', async () => {
  const bucket = await bucketWith('Enabled');
  const first = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '1' }));
  const second = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '2' }));
  await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: second.VersionId }));
  expect((await versionsOf(bucket)).versions).toEqual([{ key: 'k', id: first.VersionId, latest: true }]);
});

it('answers NoSuchVersion for an unknown version id', async () => {
  const bucket = await bucketWith('Enabled');
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: '1' }));
  expect(
    await failureOf(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345' }))),
  ).toMatchObject({
    name: 'NoSuchVersion',
    status: 404,
  });
});

it('deletes many keys and versions in one DeleteObjects call, reporting each', async () => {
  const bucket = await bucketWith('Enabled');
  const a = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: '1' }));
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'b b', Body: '1' }));
  const result = await s3().send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'a', VersionId: a.VersionId }, { Key: 'b b' }] } }),
  );
  const deleted = (result.Deleted ?? []).map((d) => ({ key: d.Key, version: d.VersionId, marker: d.DeleteMarker ?? false }));
  expect(deleted).toEqual([
    { key: 'a', version: a.VersionId, marker: false },
    { key: 'b b', version: undefined, marker: true },
  ]);
  const after = await versionsOf(bucket);
  expect(after.versions.map((v) => v.key)).toEqual(['b b']);
  expect(after.markers.map((m) => m.key)).toEqual(['b b']);
});
