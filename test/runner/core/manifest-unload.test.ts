// The UNLOAD that has Athena write manifest data files, and the inventory-format manifest.json over them.
import { inventoryManifest } from '../../../runner/core/manifest';
import { manifestUnloadQuery } from '../../../runner/core/plan-query';

const TARGET = { bucket: 'acme-reports', prefix: 'kms/manifests/acme-data/2026-11-22-01-00/S3PutObjectCopy-STANDARD-0/data/' };

describe('manifestUnloadQuery', () => {
  it.each([
    ['CSV inventory: keys already URL-encoded', true, "SELECT bucket, key, coalesce(version_id, '')"],
    ['Parquet/ORC inventory: keys encoded by url_encode', false, "SELECT bucket, url_encode(key), coalesce(version_id, '')"],
  ])('%s', (_, encoded, select) => {
    const sql = manifestUnloadQuery('kms_migration', 'inventory_acme', '2026-11-22-01-00', 'copy', 'STANDARD', encoded, TARGET);
    expect(sql.startsWith('UNLOAD (\n')).toBe(true);
    expect(sql).toContain(select);
    expect(sql).toContain('FROM "kms_migration"."inventory_acme"');
    expect(sql).toContain("WHERE dt = '2026-11-22-01-00'");
    expect(sql).toContain("AND storage_class = 'STANDARD'");
    expect(sql).toContain(`TO 's3://acme-reports/${TARGET.prefix}'`);
    expect(sql.endsWith("WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'GZIP')")).toBe(true);
  });

  it('leaves the storage class out for re-encryption, which keeps every class', () => {
    expect(manifestUnloadQuery('db', 't', '2026-11-22-01-00', ['update-encryption'], undefined, true, TARGET)).not.toContain(
      'storage_class =',
    );
  });

  it.each([
    ['a prefix that is not a folder', { bucket: 'acme-reports', prefix: 'no-slash' }, /must be a folder/],
    ['a bucket name that could end the string', { bucket: "acme' --", prefix: 'p/' }, /Unexpected bucket name/],
  ])('refuses %s', (_, target, message) => {
    expect(() => manifestUnloadQuery('db', 't', '2026-11-22-01-00', 'copy', undefined, true, target)).toThrow(message);
  });

  it('doubles a quote in the prefix so it stays inside the string', () => {
    expect(
      manifestUnloadQuery('db', 't', '2026-11-22-01-00', 'copy', undefined, true, { bucket: 'acme-reports', prefix: "it's/" }),
    ).toContain("TO 's3://acme-reports/it''s/'");
  });
});

describe('inventoryManifest', () => {
  const at = new Date('2026-11-23T05:00:00Z');

  it('follows the S3 Inventory manifest.json shape, MD5 from the single-part ETag', () => {
    expect(
      inventoryManifest('acme-data', 'acme-reports', at, [{ key: 'm/data/q_1.gz', size: 120, md5: '0123456789abcdef0123456789abcdef' }]),
    ).toEqual({
      sourceBucket: 'acme-data',
      destinationBucket: 'arn:aws:s3:::acme-reports',
      version: '2016-11-30',
      creationTimestamp: String(at.getTime()),
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, VersionId',
      files: [{ key: 'm/data/q_1.gz', size: 120, MD5checksum: '0123456789abcdef0123456789abcdef' }],
    });
  });

  it('refuses a multipart ETag, which is no MD5 of the file', () => {
    expect(() =>
      inventoryManifest('acme-data', 'acme-reports', at, [{ key: 'k.gz', size: 1, md5: '0123456789abcdef0123456789abcdef-2' }]),
    ).toThrow(/is not a hex MD5/);
  });
});
