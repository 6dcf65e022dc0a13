// S3 Inventory on demand: S3's layout, manifest and checksum, symlink, CSV gzip with URL-encoded
// keys, null versions, splitting, and refusal of formats the sandbox cannot write.
import { GetObjectCommand, PutBucketInventoryConfigurationCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { produceAllInventories } from '../analytics';
import { parseCsv } from '../athena/csv';
import { configureInventory, INVENTORY_BUCKET, INVENTORY_CONFIG_ID, REPORT_AT, SEED, SOURCE_BUCKET } from '../support/inventory-fixture';
import { useSandbox } from '../support/clients';
import { decodeInventoryKey, encodeInventoryKey } from './key-encoding';
import { InventoryNotSupportedError, produceInventory } from './producer';
import { REPORT_FIELDS } from './report-fields';

const fixture = useSandbox({ seed: SEED });

async function read(key: string): Promise<{ body: Buffer; sse: string | undefined }> {
  const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: INVENTORY_BUCKET, Key: key }));
  return { body: Buffer.from(await object.Body!.transformToByteArray()), sse: object.ServerSideEncryption };
}

beforeAll(async () => {
  await configureInventory(fixture.clients);
});

describe('a produced report', () => {
  let manifestKey: string;
  let rows: string[][];
  beforeAll(async () => {
    const produced = await produceInventory(fixture.sandbox.world, {
      bucket: SOURCE_BUCKET,
      configId: INVENTORY_CONFIG_ID,
      at: REPORT_AT,
      maxRowsPerFile: 500,
    });
    manifestKey = produced.manifestKey;
    const manifest = JSON.parse((await read(manifestKey)).body.toString('utf8')) as { files: { key: string }[] };
    rows = [];
    for (const file of manifest.files) rows.push(...parseCsv(gunzipSync((await read(file.key)).body).toString('utf8')));
  });

  it('lands in S3 layout under prefix/source/config-id/timestamp', () => {
    expect(manifestKey).toBe(`inventory/${SOURCE_BUCKET}/${INVENTORY_CONFIG_ID}/2026-11-23T04-00Z/manifest.json`);
  });

  it('writes a manifest whose fields, sizes and MD5s describe the data files, and a matching checksum', async () => {
    const { body, sse } = await read(manifestKey);
    const manifest = JSON.parse(body.toString('utf8')) as Record<string, unknown> & {
      files: { key: string; size: number; MD5checksum: string }[];
    };
    expect(manifest).toMatchObject({
      sourceBucket: SOURCE_BUCKET,
      destinationBucket: `arn:aws:s3:::${INVENTORY_BUCKET}`,
      version: '2016-11-30',
      creationTimestamp: String(REPORT_AT.getTime()),
      fileFormat: 'CSV',
    });
    expect(manifest.fileSchema).toBe(REPORT_FIELDS.map((f) => f.s3Name).join(', '));
    expect(manifest.files.length).toBe(Math.ceil(fixture.sandbox.world.s3.bucket(SOURCE_BUCKET).versionCount / 500));
    for (const file of manifest.files) {
      expect(file.key).toMatch(new RegExp(`^inventory/${SOURCE_BUCKET}/${INVENTORY_CONFIG_ID}/data/[0-9a-f-]{36}\\.csv\\.gz$`));
      const data = (await read(file.key)).body;
      expect(file.size).toBe(data.length);
      expect(file.MD5checksum).toBe(createHash('md5').update(data).digest('hex'));
    }
    const checksum = (await read(manifestKey.replace('manifest.json', 'manifest.checksum'))).body.toString('utf8');
    expect(checksum).toBe(createHash('md5').update(body).digest('hex'));
    expect(sse).toBe('AES256');
  });

  it('writes a Hive symlink listing every data file as an s3:// URL', async () => {
    const manifest = JSON.parse((await read(manifestKey)).body.toString('utf8')) as { files: { key: string }[] };
    const symlink = (await read(`inventory/${SOURCE_BUCKET}/${INVENTORY_CONFIG_ID}/hive/dt=2026-11-23-04-00/symlink.txt`)).body.toString(
      'utf8',
    );
    expect(symlink.trim().split('\n')).toEqual(manifest.files.map((f) => `s3://${INVENTORY_BUCKET}/${f.key}`));
  });

  it('lists every version once, with every field double-quoted and keys URL-encoded', async () => {
    const world = fixture.sandbox.world.s3;
    const expected = [...world.versions(SOURCE_BUCKET)].map((e) => [e.version.key, e.version.versionId, String(e.isLatest)]);
    expect(rows.map((r) => [decodeInventoryKey(r[1]!), r[2] === '' ? 'null' : r[2], r[3]])).toEqual(expected);
    expect(rows.every((r) => r.length === REPORT_FIELDS.length && r[0] === SOURCE_BUCKET)).toBe(true);
    const hard = rows.map((r) => r[1]!).filter((k) => k.includes('%'));
    expect(hard.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[A-Za-z0-9.\-*_+%]*$/.test(r[1]!))).toBe(true);
  });

  it('quotes every field in the gzip text itself', async () => {
    const manifest = JSON.parse((await read(manifestKey)).body.toString('utf8')) as { files: { key: string }[] };
    const firstLine = gunzipSync((await read(manifest.files[0]!.key)).body)
      .toString('utf8')
      .split('\n')[0]!;
    expect(firstLine).toMatch(/^"[^"]*"(,"[^"]*")*$/);
  });
});

describe('key encoding', () => {
  it.each([
    ['with space/report 2024.csv', 'with+space%2Freport+2024.csv'],
    ['plus+sign/a+b=c.txt', 'plus%2Bsign%2Fa%2Bb%3Dc.txt'],
    ['percent/100%.txt', 'percent%2F100%25.txt'],
    ['looks/escaped%20space', 'looks%2Fescaped%2520space'],
    ['unicode/ü/😀', 'unicode%2F%C3%BC%2F%F0%9F%98%80'],
    ['keep.-*_', 'keep.-*_'],
  ])('encodes %j as S3 Inventory does and decodes it back', (key, encoded) => {
    expect(encodeInventoryKey(key)).toBe(encoded);
    expect(decodeInventoryKey(encoded)).toBe(key);
  });
});

it('writes an empty VersionId for versions written before versioning (the null version)', async () => {
  const world = fixture.sandbox.world;
  world.s3.createBucket({ name: 'legacy-bucket' });
  world.s3.putObject({ bucket: 'legacy-bucket', key: 'old.txt', body: { kind: 'bytes', data: Buffer.from('x') } });
  world.s3.bucket('legacy-bucket').inventory.set('all', {
    id: 'all',
    isEnabled: true,
    includedObjectVersions: 'All',
    optionalFields: [],
    schedule: 'Daily',
    destination: { bucketArn: `arn:aws:s3:::${INVENTORY_BUCKET}`, format: 'CSV' },
  });
  const produced = await produceInventory(world, { bucket: 'legacy-bucket', configId: 'all', at: REPORT_AT });
  const csv = gunzipSync((await read(produced.dataKeys[0]!)).body).toString('utf8');
  expect(csv).toBe('"legacy-bucket","old.txt","","true","false"\n');
});

it('refuses ORC reports with a clear error', async () => {
  await fixture.clients.s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: SOURCE_BUCKET,
      Id: 'orc',
      InventoryConfiguration: {
        Id: 'orc',
        IsEnabled: true,
        IncludedObjectVersions: 'Current',
        Schedule: { Frequency: 'Daily' },
        Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${INVENTORY_BUCKET}`, Format: 'ORC' } },
      },
    }),
  );
  await expect(produceInventory(fixture.sandbox.world, { bucket: SOURCE_BUCKET, configId: 'orc', at: REPORT_AT })).rejects.toThrow(
    InventoryNotSupportedError,
  );
  await expect(produceAllInventories(fixture.sandbox.world, REPORT_AT)).rejects.toThrow(
    /format ORC is not supported by the sandbox \(no maintained ORC writer for Node/,
  );
});
