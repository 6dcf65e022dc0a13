// The columnar version store: every version reads back exactly as written, whether its columns
// hold it or it is kept whole, and a key's chain keeps S3's order through replaces and deletes.
import { createHash } from 'node:crypto';
import { bodyBytes, bodyMd5Hex, bodyStream, DeflatedBodyWriter } from './body';
import { internEncryption } from './encryption';
import type { ObjectVersion } from './model';
import { NO_OBJECT_LOCK, NO_TAGS } from './object-draft';
import { NO_ROW, VersionStore } from './version-store';

const seeded = (key: string, versionId: string, overrides: Partial<ObjectVersion> = {}): ObjectVersion => ({
  bucket: 'b',
  key,
  versionId,
  isDeleteMarker: false,
  size: 42,
  lastModified: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
  eTag: '"0123456789abcdef0123456789abcdef"',
  storageClass: 'STANDARD_IA',
  isMultipartUploaded: false,
  encryption: internEncryption({ status: 'SSE-S3', bucketKeyEnabled: false }),
  objectLock: NO_OBJECT_LOCK,
  contentType: 'text/csv',
  metadata: NO_TAGS,
  tags: { team: 'payments' },
  acl: 'private',
  owner: '123456789012',
  body: { kind: 'seeded', seed: 7, size: 42 },
  ...overrides,
});

const versionsOf = (store: VersionStore, key: string): ObjectVersion[] => {
  const out: ObjectVersion[] = [];
  for (let row = store.newestRow(key); row !== NO_ROW; row = store.olderRow(row)) out.push(store.version(row));
  return out;
};

describe('VersionStore', () => {
  it.each<[string, Partial<ObjectVersion>]>([
    ['a compact version', {}],
    ['a multipart ETag and parts count', { eTag: '"0123456789abcdef0123456789abcdef-3"', partsCount: 3, isMultipartUploaded: true }],
    ['a delete marker', { isDeleteMarker: true, size: 0, eTag: '', body: { kind: 'bytes', data: Buffer.alloc(0) }, tags: NO_TAGS }],
    ['the null version id', { versionId: 'null' }],
    ['real bytes (kept whole)', { body: { kind: 'bytes', data: Buffer.from('hello') }, size: 5 }],
    ['Object Lock settings (kept whole)', { objectLock: { mode: 'GOVERNANCE', retainUntil: new Date(0) } }],
    ['an upper-case ETag (kept whole)', { eTag: '"0123456789ABCDEF0123456789ABCDEF"' }],
    ['replication status and checksum', { replicationStatus: 'PENDING', checksumAlgorithm: 'CRC32' }],
  ])('reads back %s exactly as written', (_name, overrides) => {
    const store = new VersionStore('b');
    const version = seeded('k', overrides.versionId ?? 'A'.repeat(32), overrides);
    store.append(version);
    expect(store.version(store.newestRow('k'))).toStrictEqual(version);
  });

  it('chains a key newest first, replaces a version in place and drops the key with its last version', () => {
    const store = new VersionStore('b');
    const ids = ['a', 'b', 'c'].map((c) => c.repeat(32));
    for (const id of ids) store.append(seeded('k', id));
    expect(versionsOf(store, 'k').map((v) => v.versionId)).toEqual([...ids].reverse());
    const row = store.findRow('k', ids[1]!);
    store.write(row, seeded('k', ids[1]!, { storageClass: 'GLACIER' }));
    expect(versionsOf(store, 'k').map((v) => v.storageClass)).toEqual(['STANDARD_IA', 'GLACIER', 'STANDARD_IA']);
    for (const id of ids) store.delete(store.findRow('k', id));
    expect(store.hasKey('k')).toBe(false);
    expect(store.versionCount).toBe(0);
  });

  it('replaces the version with the same id when one is appended again (the null rule)', () => {
    const store = new VersionStore('b');
    store.append(seeded('k', 'null', { size: 1, body: { kind: 'seeded', seed: 1, size: 1 } }));
    store.append(seeded('k', 'null', { size: 2, body: { kind: 'seeded', seed: 2, size: 2 } }));
    expect(versionsOf(store, 'k').map((v) => v.size)).toEqual([2]);
    expect(store.versionCount).toBe(1);
  });
});

describe('deflated bodies', () => {
  const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `bucket,key-${i},v${i},succeeded,200,,Successful\n`).join(''));
  const writer = new DeflatedBodyWriter();
  for (let at = 0; at < text.length; at += 10_000) writer.add(text.subarray(at, at + 10_000));
  const body = writer.finish();

  it('reads back the bytes, whole and by range, with the MD5 of the bytes', async () => {
    expect(bodyBytes(body).equals(text)).toBe(true);
    expect(bodyBytes(body, 9_990, 30_020).equals(text.subarray(9_990, 30_020))).toBe(true);
    expect(bodyMd5Hex(body)).toBe(createHash('md5').update(text).digest('hex'));
    const streamed: Buffer[] = [];
    for await (const chunk of bodyStream(body, 5, text.length - 5)) streamed.push(chunk as Buffer);
    expect(Buffer.concat(streamed).equals(text.subarray(5, text.length - 5))).toBe(true);
  });
});
