// ListObjectsV2 and ListObjectVersions through the SDK and its paginators: pages, prefixes,
// delimiters, markers, UTF-8 key order, and a seeded world with hard keys and delete markers.
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { useSandbox } from './support/clients';

const SEEDED_VERSIONS = 1200;
const fixture = useSandbox({
  seed: { seed: 5, buckets: [{ name: 'seeded', versions: SEEDED_VERSIONS, versionsPerKey: 3, deleteMarkerRate: 0.2, hardKeyRate: 0.2 }] },
});
const s3 = () => fixture.clients.s3;

/** The SDK has no paginator for ListObjectVersions (two markers); this walks KeyMarker/VersionIdMarker. */
async function* paginateListObjectVersions(
  config: { client: S3Client; pageSize?: number },
  input: { Bucket: string },
): AsyncGenerator<ListObjectVersionsCommandOutput> {
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await config.client.send(
      new ListObjectVersionsCommand({ ...input, ...markers, ...(config.pageSize ? { MaxKeys: config.pageSize } : {}) }),
    );
    yield page;
    if (!page.IsTruncated) return;
    markers = {
      ...(page.NextKeyMarker ? { KeyMarker: page.NextKeyMarker } : {}),
      ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
    };
  }
}

async function bucketWithKeys(name: string, keys: readonly string[]): Promise<void> {
  await s3().send(new CreateBucketCommand({ Bucket: name }));
  for (const key of keys) await s3().send(new PutObjectCommand({ Bucket: name, Key: key, Body: key }));
}

it('pages ListObjectsV2 by MaxKeys with continuation tokens, every key once, in order', async () => {
  const keys = Array.from({ length: 23 }, (_, i) => `k/${String(i).padStart(3, '0')}`);
  await bucketWithKeys('pages', [...keys].reverse());
  const pages: string[][] = [];
  for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 5 }, { Bucket: 'pages' }))
    pages.push((page.Contents ?? []).map((o) => o.Key!));
  expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
  expect(pages.flat()).toEqual(keys);
});

it('rolls keys up into common prefixes with a delimiter, counting them toward MaxKeys', async () => {
  await bucketWithKeys('delimited', ['a/1', 'a/2', 'b/x/1', 'c', 'd/1']);
  const first = await s3().send(new ListObjectsV2Command({ Bucket: 'delimited', Delimiter: '/', MaxKeys: 2 }));
  expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
  expect(first.IsTruncated).toBe(true);
  const second = await s3().send(
    new ListObjectsV2Command({ Bucket: 'delimited', Delimiter: '/', ContinuationToken: first.NextContinuationToken }),
  );
  expect(second.Contents?.map((o) => o.Key)).toEqual(['c']);
  expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['d/']);
  const nested = await s3().send(new ListObjectsV2Command({ Bucket: 'delimited', Prefix: 'b/', Delimiter: '/' }));
  expect(nested.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['b/x/']);
});

it('orders keys by UTF-8 bytes, as S3 does, not by UTF-16 code units', async () => {
  // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 9F 98 80); UTF-16 says otherwise.
  await bucketWithKeys('utf8-order', ['😀', '～', 'z']);
  expect((await s3().send(new ListObjectsV2Command({ Bucket: 'utf8-order' }))).Contents?.map((o) => o.Key)).toEqual(['z', '～', '😀']);
});

it('URL-encodes keys in answers when EncodingType=url is asked for', async () => {
  await bucketWithKeys('encoded', ['a b/c+d']);
  const listed = await s3().send(new ListObjectsV2Command({ Bucket: 'encoded', EncodingType: 'url' }));
  expect(listed.Contents?.[0]?.Key).toBe('a%20b/c%2Bd');
});

it('walks every version and delete marker of a seeded world exactly once with small pages', async () => {
  const seen = new Set<string>();
  let pages = 0;
  for await (const page of paginateListObjectVersions({ client: s3(), pageSize: 7 }, { Bucket: 'seeded' })) {
    pages++;
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      const id = `${v.Key}\u0000${v.VersionId}`;
      expect(seen.has(id)).toBe(false);
      seen.add(id);
    }
  }
  expect(seen.size).toBe(SEEDED_VERSIONS);
  expect(pages).toBe(Math.ceil(SEEDED_VERSIONS / 7));
});

it('marks exactly the newest version of each key as latest', async () => {
  const latestPerKey = new Map<string, number>();
  for await (const page of paginateListObjectVersions({ client: s3(), pageSize: 1000 }, { Bucket: 'seeded' })) {
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
      if (v.IsLatest) latestPerKey.set(v.Key!, (latestPerKey.get(v.Key!) ?? 0) + 1);
  }
  expect(latestPerKey.size).toBe(Math.ceil(SEEDED_VERSIONS / 3));
  expect([...latestPerKey.values()].every((n) => n === 1)).toBe(true);
});

it('leaves keys whose newest version is a delete marker out of ListObjectsV2', async () => {
  const markerKeys = new Set<string>();
  for await (const page of paginateListObjectVersions({ client: s3() }, { Bucket: 'seeded' }))
    for (const m of page.DeleteMarkers ?? []) if (m.IsLatest) markerKeys.add(m.Key!);
  const current: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3() }, { Bucket: 'seeded' }))
    current.push(...(page.Contents ?? []).map((o) => o.Key!));
  expect(markerKeys.size).toBeGreaterThan(0);
  expect(current.filter((k) => markerKeys.has(k))).toEqual([]);
  expect(current.length + markerKeys.size).toBe(Math.ceil(SEEDED_VERSIONS / 3));
});

it('resumes ListObjectVersions inside a key from KeyMarker and VersionIdMarker', async () => {
  const all = await s3().send(new ListObjectVersionsCommand({ Bucket: 'seeded', MaxKeys: 10 }));
  const first = await s3().send(new ListObjectVersionsCommand({ Bucket: 'seeded', MaxKeys: 2 }));
  const rest = await s3().send(
    new ListObjectVersionsCommand({
      Bucket: 'seeded',
      MaxKeys: 8,
      KeyMarker: first.NextKeyMarker,
      VersionIdMarker: first.NextVersionIdMarker,
    }),
  );
  const ids = (page: typeof all) => [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => v.VersionId).sort();
  expect([...ids(first), ...ids(rest)].sort()).toEqual(ids(all));
});

it('filters versions by prefix', async () => {
  const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: 'seeded', Prefix: 'with space/' }));
  const keys = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => v.Key!);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.every((k) => k.startsWith('with space/'))).toBe(true);
});
