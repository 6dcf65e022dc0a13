// Table tests of an inventory report's evidence: manifest.json parsed by its schema, each data file
// against its size and MD5, the Hive symlink and Athena's files against the manifest, a report dated ahead.
import { defined } from '../../support/defined';
import {
  coverageProblems,
  dataFileProblems,
  datedAfterNow,
  listedDataFiles,
  manifestProblems,
  parseInventoryManifest,
  symlinkProblems,
  symlinkedFiles,
  type InventoryManifest,
} from '../../../runner/core/inventory-evidence';

const MD5 = 'f11166069f1990abeb9c97ace9cdfabc';
const URL = 's3://inventory/demo-app-assets/config/2026-01-01T01-00Z/manifest.json';

/** A manifest as S3 writes it (the example of "Locating your inventory list"), with changes. */
function manifestText(change: Record<string, unknown> = {}): string {
  return JSON.stringify({
    sourceBucket: 'demo-app-assets',
    destinationBucket: 'arn:aws:s3:::inventory',
    version: '2016-11-30',
    creationTimestamp: '1514944800000',
    fileFormat: 'CSV',
    fileSchema: 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size',
    files: [{ key: 'demo-app-assets/config/data/a.csv.gz', size: 2147483647, MD5checksum: MD5 }],
    ...change,
  });
}

function parsed(text = manifestText()): InventoryManifest {
  const result = parseInventoryManifest(text, URL);
  if ('problem' in result) throw new Error(result.problem);
  return result.manifest;
}

describe('parseInventoryManifest', () => {
  it('reads the data files of a manifest as S3 writes it, in the destination bucket its ARN names', () => {
    expect(listedDataFiles(parsed())).toEqual([
      {
        url: 's3://inventory/demo-app-assets/config/data/a.csv.gz',
        bucket: 'inventory',
        key: 'demo-app-assets/config/data/a.csv.gz',
        size: 2147483647,
        md5: MD5,
      },
    ]);
  });

  it.each([
    ['not JSON', '{"files": [', /is not JSON/],
    ['no files', manifestText({ files: undefined }), /is not an inventory manifest \(files: /],
    ['a size as text', manifestText({ files: [{ key: 'k', size: '12', MD5checksum: MD5 }] }), /files\.0\.size: /],
    [
      'a checksum that is no MD5',
      manifestText({ files: [{ key: 'k', size: 12, MD5checksum: 'abc' }] }),
      /files\.0\.MD5checksum: an MD5 of 32 hex digits/,
    ],
    ['an unknown format', manifestText({ fileFormat: 'JSON' }), /fileFormat: /],
  ])('names what is wrong with %s', (_, text, problem) => {
    const result = parseInventoryManifest(text, URL);
    expect('problem' in result && result.problem).toMatch(problem);
    expect('problem' in result && result.problem).toContain(URL);
  });
});

describe('manifestProblems', () => {
  it('accepts the bucket and format the stack expects', () => {
    expect(manifestProblems(parsed(), { sourceBucket: 'demo-app-assets', format: 'CSV' })).toEqual([]);
  });

  it('refuses a report of another bucket or in another format than the table reads', () => {
    expect(manifestProblems(parsed(), { sourceBucket: 'demo-logs', format: 'Parquet' })).toEqual([
      "the report's manifest describes bucket demo-app-assets, not demo-logs",
      "the report's data files are CSV, the inventory table reads Parquet",
    ]);
  });
});

describe('dataFileProblems', () => {
  const file = defined(
    listedDataFiles(parsed(manifestText({ files: [{ key: 'data/a.csv.gz', size: 10, MD5checksum: MD5.toUpperCase() }] })))[0],
    'the listed file',
  );

  it.each([
    ['the file S3 delivered', { size: 10, md5: MD5 }, []],
    ['a missing file', undefined, ["data file s3://inventory/data/a.csv.gz, listed in the report's manifest, is missing"]],
    ['another size', { size: 11, md5: MD5 }, ["data file s3://inventory/data/a.csv.gz is 11 bytes, the report's manifest says 10"]],
    [
      'other content of the same size',
      { size: 10, md5: '0'.repeat(32) },
      [`data file s3://inventory/data/a.csv.gz has MD5 ${'0'.repeat(32)}, the report's manifest says ${MD5}`],
    ],
  ])('finds %s', (_, found, problems) => {
    expect(dataFileProblems(file, found)).toEqual(problems);
  });
});

describe('symlinkProblems', () => {
  const link = 's3://inventory/hive/dt=2026-01-01-01-00/symlink.txt';
  const files = ['s3://inventory/data/a.parquet', 's3://inventory/data/b.parquet'] as const;

  it("accepts a symlink naming exactly the manifest's files, in any order", () => {
    expect(symlinkProblems(files, symlinkedFiles('s3://inventory/data/b.parquet\n s3://inventory/data/a.parquet \n\n'), link)).toEqual([]);
  });

  it('names an empty symlink of a report with data files', () => {
    expect(symlinkProblems(files, symlinkedFiles(''), link)).toEqual([
      `the Hive symlink ${link} lists no data file, the report's manifest lists 2`,
    ]);
  });

  it('accepts an empty symlink of a report without data files (an empty bucket)', () => {
    expect(symlinkProblems([], [], link)).toEqual([]);
  });

  it('names files left out and files the manifest does not list', () => {
    expect(symlinkProblems(files, ['s3://inventory/data/a.parquet', 's3://inventory/data/z.parquet'], link)).toEqual([
      `the Hive symlink ${link} leaves out 1 of the report's 2 data files (e.g. s3://inventory/data/b.parquet)`,
      `the Hive symlink ${link} lists 1 data files the report's manifest does not (e.g. s3://inventory/data/z.parquet)`,
    ]);
  });
});

describe('coverageProblems', () => {
  const files = ['s3://inventory/data/a.parquet', 's3://inventory/data/b.parquet'] as const;

  it.each([
    [
      'every file read',
      [
        { file: files[0], versions: 3 },
        { file: files[1], versions: 1 },
      ],
      [],
    ],
    [
      'a file with no row read',
      [
        { file: files[0], versions: 3 },
        { file: files[1], versions: 0 },
      ],
      ["Athena read no row of 1 of the report's 2 data files (e.g. s3://inventory/data/b.parquet)"],
    ],
    [
      'a file outside the report',
      [
        { file: files[0], versions: 3 },
        { file: files[1], versions: 1 },
        { file: 's3://inventory/data/z.parquet', versions: 2 },
      ],
      ['Athena read 1 data files the report does not list (e.g. s3://inventory/data/z.parquet)'],
    ],
  ])('with %s', (_, read, problems) => {
    expect(coverageProblems(files, read)).toEqual(problems);
  });
});

describe('datedAfterNow', () => {
  const report = { dt: '2026-01-01-02-00', createdAt: new Date('2026-01-01T02:00:00Z') };

  it('says a report dated after now is hidden by the partition projection', () => {
    expect(datedAfterNow(report, new Date('2026-01-01T01:59:00Z'))).toBe(
      "the newest inventory (2026-01-01-02-00) is dated after now (2026-01-01T01:59:00.000Z), so the table's partition projection hides it",
    );
  });

  it('accepts a report dated now or before', () => {
    expect(datedAfterNow(report, new Date('2026-01-01T02:00:00Z'))).toBeUndefined();
  });
});
