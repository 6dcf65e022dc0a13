// Manifest and report encoding as tables of cases: URL-encoded hard keys, `null` and empty
// version ids, quoted CSV fields, inventory rows, and the report's row layout.
import { encodeInventoryKey } from '../inventory/key-encoding';
import {
  countCsvRows,
  decodeManifestKey,
  encodeManifestKey,
  ManifestError,
  parseCsv,
  parseCsvManifest,
  parseInventoryRows,
} from './manifest';
import { buildCompletionReport, reportRow } from './report';

describe('manifest keys', () => {
  it.each([
    ['with space/report 2024.csv'],
    ['plus+sign/a+b=c.txt'],
    ['percent/100%.txt'],
    ['a%2Fb'],
    ['ünïcödé/ファイル.bin'],
    ['quote"and,comma'],
  ])('decodes %p from both the sandbox encoding and S3 Inventory form encoding', (key) => {
    expect(decodeManifestKey(encodeManifestKey(key))).toBe(key);
    expect(decodeManifestKey(encodeInventoryKey(key))).toBe(key);
  });

  it('reads + as a space, as S3 Inventory writes it', () => {
    expect(decodeManifestKey('a+b%2Bc')).toBe('a b+c');
  });

  it('fails the manifest on a malformed escape', () => {
    expect(() => decodeManifestKey('bad%zz')).toThrow(ManifestError);
  });
});

describe('CSV manifests', () => {
  it.each([
    ['b,k1,v1\n', ['Bucket', 'Key', 'VersionId'], [{ bucket: 'b', key: 'k1', manifestKey: 'k1', versionId: 'v1' }]],
    ['b,k1,null\r\n', ['Bucket', 'Key', 'VersionId'], [{ bucket: 'b', key: 'k1', manifestKey: 'k1', versionId: 'null' }]],
    ['b,k1,\n', ['Bucket', 'Key', 'VersionId'], [{ bucket: 'b', key: 'k1', manifestKey: 'k1', missingVersionId: true }]],
    ['b,k1\n', ['Bucket', 'Key', 'VersionId'], [{ bucket: 'b', key: 'k1', manifestKey: 'k1', missingVersionId: true }]],
    ['b,a+b%2Bc\n', ['Bucket', 'Key'], [{ bucket: 'b', key: 'a b+c', manifestKey: 'a+b%2Bc' }]],
    ['"b","k,1"\n\n', ['Bucket', 'Key'], [{ bucket: 'b', key: 'k,1', manifestKey: 'k,1' }]],
  ] as const)('parses %j with fields %j', (text, fields, tasks) => {
    expect(parseCsvManifest(text, fields)).toEqual(tasks);
  });

  it('refuses a row with fewer fields than the spec declares', () => {
    expect(() => parseCsvManifest('b\n', ['Bucket', 'Key'])).toThrow(ManifestError);
  });

  it('parses quoted fields with doubled quotes and embedded newlines', () => {
    expect(parseCsv('"a ""q""","x\ny"\nb,c')).toEqual([
      ['a "q"', 'x\ny'],
      ['b', 'c'],
    ]);
  });

  it('keeps empty fields, ends rows at CRLF, joins a quoted run inside a field, and reads a last row without newline', () => {
    expect(parseCsv('a,,\r\nx"y,z"w,""\n\nlast,"q"')).toEqual([
      ['a', '', ''],
      ['xy,zw', ''],
      ['last', 'q'],
    ]);
  });
});

describe('counting rows', () => {
  it.each([
    '',
    '\n\n',
    'a,b\nc,d',
    'a,b\r\nc,d\r\n',
    'a\rb\r\n\r\nc',
    '"a","b"\n"c","d"\n',
    '""\n"",""\n""""\n',
    '"a ""q""","x\ny"\nb,c',
    'a,,\r\nx"y,z"w,""\n\nlast,"q"',
    '"unterminated\nstill one row',
  ])('counts the rows parseCsv finds in %j', (text) => {
    expect(countCsvRows(text)).toBe(parseCsv(text).length);
  });
});

describe('inventory rows', () => {
  it('maps columns by fileSchema and gives unversioned rows the null version id', () => {
    const text = '"src","dir%2Fa+b","v1","true"\n"src","plain","","true"\n';
    expect(parseInventoryRows(text, 'Bucket, Key, VersionId, IsLatest')).toEqual([
      { bucket: 'src', key: 'dir/a b', manifestKey: 'dir%2Fa+b', versionId: 'v1' },
      { bucket: 'src', key: 'plain', manifestKey: 'plain', versionId: 'null' },
    ]);
  });
});

describe('completion report', () => {
  const ok = {
    task: { bucket: 'b', key: 'a b', manifestKey: 'a+b', versionId: 'v1' },
    succeeded: true,
    httpStatusCode: 200,
    resultMessage: 'Successful',
  };
  const failed = {
    task: { bucket: 'b', key: 'k', manifestKey: 'k', versionId: 'v2' },
    succeeded: false,
    httpStatusCode: 400,
    errorCode: 'InvalidRequest',
    resultMessage: 'bad, "very" bad',
  };

  it('writes rows as Bucket, Key (as the manifest wrote it), VersionId, TaskStatus, HTTPStatusCode, ErrorCode, ResultMessage', () => {
    expect(reportRow(ok)).toBe('b,a+b,v1,succeeded,200,,Successful');
    expect(reportRow(failed)).toBe('b,k,v2,failed,400,InvalidRequest,"bad, ""very"" bad"');
  });

  it('lays files out under prefix/job-<id>/ and lists only failed files for FailedTasksOnly', () => {
    const all = buildCompletionReport(
      'j1',
      { Enabled: true, Bucket: 'arn:aws:s3:::reports', Format: 'Report_CSV_20180820', Prefix: 'p/', ReportScope: 'AllTasks' },
      [ok, failed],
      new Date(0),
    )!;
    expect(all.manifestKey).toBe('p/job-j1/manifest.json');
    expect(all.files.map((f) => f.taskExecutionStatus)).toEqual(['succeeded', 'failed']);
    for (const f of all.files) expect(f.key).toMatch(/^p\/job-j1\/results\/[0-9a-f]{40}\.csv$/);
    const onlyFailed = buildCompletionReport(
      'j1',
      { Enabled: true, Bucket: 'arn:aws:s3:::reports', Format: 'Report_CSV_20180820', ReportScope: 'FailedTasksOnly' },
      [ok, failed],
      new Date(0),
    )!;
    expect(onlyFailed.manifestKey).toBe('job-j1/manifest.json');
    expect(JSON.parse(onlyFailed.manifest).Results).toEqual([
      expect.objectContaining({ TaskExecutionStatus: 'failed', Bucket: 'reports' }),
    ]);
  });

  it('writes nothing when the report is disabled', () => {
    expect(buildCompletionReport('j1', { Enabled: false }, [ok], new Date(0))).toBeUndefined();
  });
});
