// Athena UNLOAD: the statement parsed as a table of cases, then through the SDK: gzip TEXTFILE files
// under the TO prefix, encrypted per workgroup, an empty result set, and a refusal of a non-empty prefix.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { gunzipSync } from 'node:zlib';
import { produceAllInventories } from '../analytics';
import { useSandbox } from '../support/clients';
import { configureInventory, inventoryTableInput, REPORT_AT, RESULTS_BUCKET, SEED, SOURCE_BUCKET } from '../support/inventory-fixture';
import type { GlueWorld } from '../glue/world';
import type { S3World } from '../s3/world';
import { bodyBytes } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import { runUnloadQuery } from './engine';
import { parseUnload } from './unload';

describe('parseUnload', () => {
  it.each([
    ['SELECT 1', undefined],
    [
      "UNLOAD (SELECT a FROM t WHERE b = ')') TO 's3://out-bucket/m/data/' WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'GZIP')",
      {
        select: "SELECT a FROM t WHERE b = ')'",
        targetBucket: 'out-bucket',
        targetPrefix: 'm/data/',
        fieldDelimiter: ',',
        compression: 'GZIP',
      },
    ],
    [
      "unload (select 1) to 's3://out-bucket/p' with (format = 'TEXTFILE')",
      { select: 'select 1', targetBucket: 'out-bucket', targetPrefix: 'p/', fieldDelimiter: '\u0001', compression: 'GZIP' },
    ],
    [
      "UNLOAD (SELECT 1) TO 's3://out-bucket/' WITH (format='TEXTFILE', compression='NONE')",
      { select: 'SELECT 1', targetBucket: 'out-bucket', targetPrefix: '', fieldDelimiter: '\u0001', compression: 'NONE' },
    ],
  ])('reads %s', (sql, expected) => {
    expect(parseUnload(sql)).toEqual(expected);
  });

  it.each([
    ["UNLOAD (SELECT 1) TO 's3://out-bucket/p/'", /format PARQUET is not supported by the sandbox/],
    ["UNLOAD (SELECT 1) TO 's3://out-bucket/p/' WITH (format = 'TEXTFILE', compression = 'ZSTD')", /compression ZSTD/],
    ["UNLOAD (SELECT 1 TO 's3://out-bucket/p/'", /unbalanced parenthesis/],
    ["UNLOAD (SELECT 1) INTO 's3://out-bucket/p/'", /SYNTAX_ERROR: UNLOAD needs TO/],
    [
      "UNLOAD (SELECT 1) TO 's3://out-bucket/p/' WITH (format = 'TEXTFILE', field_delimiter = ',,')",
      /field_delimiter must be one character/,
    ],
  ])('refuses %s', (sql, message) => {
    expect(() => parseUnload(sql)).toThrow(message);
  });
});

describe('the files an UNLOAD writes', () => {
  const noTables = { glue: {} as GlueWorld, s3: {} as S3World, now: new Date('2026-11-23T05:30:00Z') };

  async function unloadLines(
    sql: string,
    rowsPerFile: number,
    gzip = true,
  ): Promise<{ files: readonly Buffer[]; lines: string[]; rows: number }> {
    const outcome = await runUnloadQuery(sql, noTables, { fieldDelimiter: ',', gzip, rowsPerFile });
    const files = outcome.files.map((body) => bodyBytes(body));
    const lines = files.flatMap((bytes) =>
      (gzip ? gunzipSync(bytes) : bytes)
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    return { files, lines, rows: outcome.rows };
  }

  it('writes no header, no quotes, NULL as \\N, an empty string as nothing, timestamps as Athena renders them', async () => {
    const { lines, rows } = await unloadLines(
      "SELECT * FROM (VALUES ('b', 'a%2Fk', NULL, TIMESTAMP '2026-11-23 04:00:00.5'), ('b', 'x,\"y', '', NULL)) AS t(bucket, key, version_id, seen)",
      100,
    );
    expect(rows).toBe(2);
    expect(lines.sort()).toEqual(['b,a%2Fk,\\N,2026-11-23 04:00:00.500', 'b,x,"y,,\\N']);
  });

  it('splits the rows over files of at most rowsPerFile rows, each row once', async () => {
    const { files, lines, rows } = await unloadLines('SELECT CAST(range AS VARCHAR) AS n FROM range(1050)', 500);
    expect(rows).toBe(1050);
    expect(files).toHaveLength(3);
    expect(lines.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 1050 }, (_, i) => i));
  });

  it('hands each file to keepBody as it is done, and lists what keepBody returns in file order', async () => {
    const kept: number[] = [];
    // Files compress two at a time and may finish out of order: the body keepBody returns names the file's first row.
    const keepBody = (body: ObjectBody): ObjectBody => {
      const firstRow = Number(gunzipSync(bodyBytes(body)).toString('utf8').split('\n')[0]);
      kept.push(firstRow);
      return { kind: 'seeded', seed: firstRow, size: 1 };
    };
    const outcome = await runUnloadQuery(
      'SELECT CAST(range AS VARCHAR) AS n FROM range(1050) ORDER BY range',
      { ...noTables, keepBody },
      { fieldDelimiter: ',', gzip: true, rowsPerFile: 500 },
    );
    expect([...kept].sort((a, b) => a - b)).toEqual([0, 500, 1000]);
    expect(outcome.files).toEqual([0, 500, 1000].map((seed) => ({ kind: 'seeded', seed, size: 1 })));
  });

  it('writes plain text without compression, and no file for no row', async () => {
    expect((await unloadLines("SELECT 'a' AS v", 10, false)).lines).toEqual(['a']);
    const none = await unloadLines("SELECT 'a' AS v WHERE false", 10);
    expect(none).toEqual({ files: [], lines: [], rows: 0 });
  });
});

describe('UNLOAD through the SDK', () => {
  const fixture = useSandbox({ seed: SEED, now: () => new Date('2026-11-23T05:30:00Z') });
  const OUTPUT = `s3://${RESULTS_BUCKET}/results/`;
  const SELECT =
    "SELECT bucket, key, coalesce(version_id, '') FROM inventory_acme_data WHERE dt = '2026-11-23-04-00' AND is_delete_marker = false";

  beforeAll(async () => {
    await configureInventory(fixture.clients);
    await produceAllInventories(fixture.sandbox.world, REPORT_AT);
    const { glue, athena } = fixture.sandbox;
    glue.createDatabase({ Name: 'kms_migration' });
    glue.createTable('kms_migration', inventoryTableInput('inventory_acme_data'));
    athena.createWorkGroup({
      name: 'encrypted',
      configuration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: { OutputLocation: OUTPUT, EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      },
    });
    athena.unloadRowsPerFile = 500;
  });

  async function run(sql: string): Promise<QueryExecution> {
    const athena = fixture.clients.athena;
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'encrypted', QueryExecutionContext: { Database: 'kms_migration' } }),
    );
    for (;;) {
      const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
      if (!['QUEUED', 'RUNNING'].includes(execution.Status!.State!)) return execution;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  async function text(bucket: string, key: string): Promise<Buffer> {
    const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  const unload = (prefix: string): string =>
    `UNLOAD (${SELECT}) TO 's3://${RESULTS_BUCKET}/${prefix}' WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'GZIP')`;

  it('writes every row once as gzip CSV files without header, keys as stored, encrypted per workgroup', async () => {
    const execution = await run(unload('manifests/one/data/'));
    expect(execution.Status?.State).toBe('SUCCEEDED');
    const listed = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: RESULTS_BUCKET, Prefix: 'manifests/one/data/' }));
    const keys = listed.Contents!.map((c) => c.Key!);
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.every((k) => k.startsWith(`manifests/one/data/${execution.QueryExecutionId}_`) && k.endsWith('.gz'))).toBe(true);
    const lines: string[] = [];
    for (const key of keys) {
      const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: RESULTS_BUCKET, Key: key }));
      expect(object.ServerSideEncryption).toBe('AES256');
      lines.push(
        ...gunzipSync(Buffer.from(await object.Body!.transformToByteArray()))
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
    }
    const expected = [...fixture.sandbox.world.s3.versions(SOURCE_BUCKET)].filter((e) => !e.version.isDeleteMarker);
    expect(lines).toHaveLength(expected.length);
    expect(lines.every((l) => l.split(',').length === 3 && l.startsWith(`${SOURCE_BUCKET},`) && !l.includes('"'))).toBe(true);
    // Keys stay URL-encoded as the CSV inventory holds them: no space, no raw '/'.
    expect(lines.some((l) => l.includes('+') || l.includes('%2F'))).toBe(true);
  });

  it('returns an empty result set and lists the written files in a data manifest', async () => {
    const execution = await run(unload('manifests/two/data/'));
    const results = await fixture.clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId! }));
    expect(results.ResultSet?.Rows).toEqual([]);
    const manifest = execution.Statistics?.DataManifestLocation;
    expect(manifest).toBe(`${OUTPUT}${execution.QueryExecutionId}-manifest.csv`);
    const listed = (await text(RESULTS_BUCKET, `results/${execution.QueryExecutionId}-manifest.csv`))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const written = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: RESULTS_BUCKET, Prefix: 'manifests/two/data/' }));
    expect(listed.sort()).toEqual(written.Contents!.map((c) => `s3://${RESULTS_BUCKET}/${c.Key}`).sort());
  });

  it('writes NULL as \\N', async () => {
    const execution = await run(
      `UNLOAD (SELECT 'a' AS x, NULL AS y) TO 's3://${RESULTS_BUCKET}/nulls/' WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'NONE')`,
    );
    const listed = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: RESULTS_BUCKET, Prefix: 'nulls/' }));
    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect((await text(RESULTS_BUCKET, listed.Contents![0]!.Key!)).toString('utf8')).toBe('a,\\N\n');
  });

  it('fails when the target prefix already holds objects, and writes nothing more there', async () => {
    await run(unload('manifests/three/data/'));
    const before = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: RESULTS_BUCKET, Prefix: 'manifests/three/data/' }));
    const again = await run(unload('manifests/three/data/'));
    expect(again.Status?.State).toBe('FAILED');
    expect(again.Status?.StateChangeReason).toMatch(
      /^HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: s3:\/\/acme-athena-results\/manifests\/three\/data\//,
    );
    const after = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: RESULTS_BUCKET, Prefix: 'manifests/three/data/' }));
    expect(after.KeyCount).toBe(before.KeyCount);
  });
});
