// Athena through the SDK over a produced inventory: real SQL answers checked against the world
// row by row, states, pagination, result files, failures and workgroup enforcement.
import {
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  ListWorkGroupsCommand,
  StartQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { produceAllInventories } from '../analytics';
import { failureOf, useSandbox } from '../support/clients';
import { configureInventory, inventoryTableInput, REPORT_AT, RESULTS_BUCKET, SEED, SOURCE_BUCKET } from '../support/inventory-fixture';
import { parseCsv } from './csv';

const fixture = useSandbox({ seed: SEED, now: () => new Date('2026-11-23T05:30:00Z') });
const OUTPUT = `s3://${RESULTS_BUCKET}/results/`;

beforeAll(async () => {
  await configureInventory(fixture.clients);
  await produceAllInventories(fixture.sandbox.world, REPORT_AT);
  const { glue } = fixture.sandbox;
  glue.createDatabase({ Name: 'kms_migration' });
  glue.createTable('kms_migration', inventoryTableInput('inventory_acme_data'));
});

async function run(sql: string, extra: { WorkGroup?: string; OutputLocation?: string } = {}): Promise<QueryExecution> {
  const athena = fixture.clients.athena;
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: 'kms_migration' },
      ResultConfiguration: { OutputLocation: extra.OutputLocation ?? OUTPUT },
      ...(extra.WorkGroup ? { WorkGroup: extra.WorkGroup } : {}),
    }),
  );
  const states: string[] = [];
  for (;;) {
    const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    states.push(execution.Status!.State!);
    if (!['QUEUED', 'RUNNING'].includes(execution.Status!.State!)) return execution;
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function allRows(id: string, maxResults: number): Promise<string[][]> {
  const rows: string[][] = [];
  let token: string | undefined;
  do {
    const page = await fixture.clients.athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: maxResults, ...(token ? { NextToken: token } : {}) }),
    );
    rows.push(...page.ResultSet!.Rows!.map((r) => r.Data!.map((d) => d.VarCharValue ?? '<null>')));
    token = page.NextToken;
  } while (token);
  return rows;
}

it('counts non-SSE-KMS current versions per storage class exactly as the world holds them', async () => {
  const execution = await run(`
    SELECT storage_class, count(*) AS versions
    FROM kms_migration.inventory_acme_data
    WHERE dt = '2026-11-23-04-00' AND is_latest = true AND is_delete_marker = false AND encryption_status <> 'SSE-KMS'
    GROUP BY storage_class ORDER BY storage_class`);
  expect(execution.Status?.State).toBe('SUCCEEDED');
  const expected = new Map<string, number>();
  for (const { version, isLatest } of fixture.sandbox.world.s3.versions(SOURCE_BUCKET)) {
    if (isLatest && !version.isDeleteMarker && version.encryption.status !== 'SSE-KMS')
      expected.set(version.storageClass, (expected.get(version.storageClass) ?? 0) + 1);
  }
  const rows = await allRows(execution.QueryExecutionId!, 1000);
  expect(rows[0]).toEqual(['storage_class', 'versions']);
  expect(rows.slice(1)).toEqual([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => [c, String(n)]));
  expect(execution.Statistics?.DataScannedInBytes).toBeGreaterThan(0);
  expect(execution.ResultConfiguration?.OutputLocation).toBe(`${OUTPUT}${execution.QueryExecutionId}.csv`);
});

it('lists the non-compliant versions row by row, keys still URL-encoded and decodable with url_decode', async () => {
  const execution = await run(`
    SELECT url_decode(key) AS object_key, version_id, encryption_status, bucket_key_status
    FROM inventory_acme_data
    WHERE NOT (encryption_status = 'SSE-KMS' AND bucket_key_status = 'ENABLED') AND is_delete_marker = false
    ORDER BY key, version_id`);
  expect(execution.Status?.State).toBe('SUCCEEDED');
  const expected = [...fixture.sandbox.world.s3.versions(SOURCE_BUCKET)]
    .map((e) => e.version)
    .filter((v) => !v.isDeleteMarker && !(v.encryption.status === 'SSE-KMS' && v.encryption.bucketKeyEnabled))
    .map((v) => [
      v.key,
      v.versionId === 'null' ? '' : v.versionId,
      v.encryption.status,
      v.encryption.status === 'SSE-KMS' && v.encryption.bucketKeyEnabled ? 'ENABLED' : 'DISABLED',
    ]);
  const rows = (await allRows(execution.QueryExecutionId!, 1000)).slice(1);
  const sortKey = (r: readonly string[]): string => `${r[0]}\u0000${r[1]}`;
  expect(new Set(rows.map(sortKey)).size).toBe(rows.length);
  expect([...rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))).toEqual(
    [...expected].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
  );
  expect(rows.some((r) => r[0]!.includes(' '))).toBe(true);
});

it('paginates GetQueryResults with the header row first', async () => {
  const execution = await run('SELECT key, size FROM inventory_acme_data ORDER BY key, version_id LIMIT 25');
  const paged = await allRows(execution.QueryExecutionId!, 7);
  const whole = await allRows(execution.QueryExecutionId!, 1000);
  expect(paged).toEqual(whole);
  expect(whole).toHaveLength(26);
  const first = await fixture.clients.athena.send(
    new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId!, MaxResults: 7 }),
  );
  expect(first.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => [c.Name, c.Type])).toEqual([
    ['key', 'varchar'],
    ['size', 'varchar'],
  ]);
  expect(first.NextToken).toBeDefined();
});

it('writes the results CSV with a header and every value quoted, plus a .metadata file', async () => {
  const execution = await run('SELECT \'a "quoted" value\' AS text, 42 AS answer, NULL AS missing');
  expect(execution.Status?.StateChangeReason).toBeUndefined();
  const key = `results/${execution.QueryExecutionId}.csv`;
  const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: RESULTS_BUCKET, Key: key }));
  expect(await object.Body!.transformToString()).toBe('"text","answer","missing"\n"a ""quoted"" value","42",\n');
  await expect(fixture.clients.s3.send(new GetObjectCommand({ Bucket: RESULTS_BUCKET, Key: `${key}.metadata` }))).resolves.toBeDefined();
  expect([...parseCsv('"text","answer"\n')]).toEqual([['text', 'answer']]);
});

it('ends bad SQL FAILED with the engine reason', async () => {
  const execution = await run('SELEC storage_class FROM inventory_acme_data');
  expect(execution.Status?.State).toBe('FAILED');
  expect(execution.Status?.StateChangeReason).toMatch(/SYNTAX_ERROR: syntax error at or near "SELEC"/);
  expect(
    await failureOf(fixture.clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId! }))),
  ).toMatchObject({ name: 'InvalidRequestException' });
});

it('only sees hour-aligned inventory partitions, as partition projection at 1 HOURS does', async () => {
  await produceAllInventories(fixture.sandbox.world, new Date('2026-11-23T04:30:00Z'));
  const execution = await run('SELECT DISTINCT dt FROM inventory_acme_data');
  expect((await allRows(execution.QueryExecutionId!, 10)).slice(1)).toEqual([['2026-11-23-04-00']]);
});

it('fails a query that scans more than the workgroup cutoff, and enforces the workgroup output location', async () => {
  fixture.sandbox.athena.createWorkGroup({
    name: 'tight',
    configuration: {
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: 100,
      ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/enforced/`, EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
    },
  });
  const tooBig = await run('SELECT count(*) FROM inventory_acme_data', { WorkGroup: 'tight' });
  expect(tooBig.Status?.State).toBe('FAILED');
  expect(tooBig.Status?.StateChangeReason).toBe('Query cancelled! : Bytes scanned limit was exceeded');
  const small = await run('SELECT 1 AS one', { WorkGroup: 'tight', OutputLocation: `s3://${RESULTS_BUCKET}/ignored/` });
  expect(small.ResultConfiguration?.OutputLocation).toBe(`s3://${RESULTS_BUCKET}/enforced/${small.QueryExecutionId}.csv`);
  const object = await fixture.clients.s3.send(
    new GetObjectCommand({ Bucket: RESULTS_BUCKET, Key: `enforced/${small.QueryExecutionId}.csv` }),
  );
  expect(object.ServerSideEncryption).toBe('AES256');
});

it('creates, gets and lists workgroups through the API, refusing a cutoff under 10 MB', async () => {
  const athena = fixture.clients.athena;
  await athena.send(
    new CreateWorkGroupCommand({
      Name: 'kms-migration',
      Configuration: { BytesScannedCutoffPerQuery: 10_000_000, ResultConfiguration: { OutputLocation: OUTPUT } },
    }),
  );
  expect(
    (await athena.send(new GetWorkGroupCommand({ WorkGroup: 'kms-migration' }))).WorkGroup?.Configuration?.BytesScannedCutoffPerQuery,
  ).toBe(10_000_000);
  expect((await athena.send(new ListWorkGroupsCommand({}))).WorkGroups?.map((w) => w.Name)).toEqual(
    expect.arrayContaining(['primary', 'kms-migration']),
  );
  expect(
    await failureOf(athena.send(new CreateWorkGroupCommand({ Name: 'cheap', Configuration: { BytesScannedCutoffPerQuery: 5 } }))),
  ).toMatchObject({ name: 'InvalidRequestException' });
});

it('scans only the partition a query restricts dt to, and every partition otherwise', async () => {
  const earlier = await produceAllInventories(fixture.sandbox.world, new Date('2026-11-23T03:00:00Z'));
  const s3 = fixture.sandbox.world.s3;
  const sizeOf = (keys: readonly string[]): number =>
    keys.reduce((n, key) => n + s3.version({ bucket: earlier[0]!.destinationBucket, key }).size, 0);
  const restricted = await run("SELECT count(*) FROM inventory_acme_data WHERE dt = '2026-11-23-03-00'");
  expect(restricted.Statistics?.DataScannedInBytes).toBe(sizeOf(earlier[0]!.dataKeys));
  const everything = await run('SELECT count(*) FROM inventory_acme_data');
  expect(everything.Statistics?.DataScannedInBytes).toBeGreaterThan(restricted.Statistics!.DataScannedInBytes!);
  expect((await allRows(restricted.QueryExecutionId!, 10))[1]).toEqual([String(s3.bucket(SOURCE_BUCKET).versionCount)]);
});

describe('one query at a time', () => {
  it('keeps a second query QUEUED while the first runs, then runs it, in order', async () => {
    const { athena } = fixture.sandbox;
    const before = athena.stateDelayMs;
    athena.stateDelayMs = 40;
    try {
      const first = athena.startQueryExecution({
        queryString: 'SELECT count(*) FROM inventory_acme_data',
        database: 'kms_migration',
        resultConfiguration: { OutputLocation: OUTPUT },
      });
      const second = athena.startQueryExecution({
        queryString: 'SELECT 1',
        database: 'kms_migration',
        resultConfiguration: { OutputLocation: OUTPUT },
      });
      const seen = new Set<string>();
      while (athena.getQueryExecution(first).Status!.State !== 'SUCCEEDED') {
        if (athena.getQueryExecution(first).Status!.State === 'RUNNING')
          seen.add(`second ${athena.getQueryExecution(second).Status!.State!} while first RUNNING`);
        await new Promise((r) => setTimeout(r, 2));
      }
      expect([...seen]).toEqual(['second QUEUED while first RUNNING']);
      const done = await athena.waitForQuery(second);
      expect(done.Status!.State).toBe('SUCCEEDED');
      expect(done.Status!.CompletionDateTime!.getTime()).toBeGreaterThanOrEqual(
        athena.getQueryExecution(first).Status!.CompletionDateTime!.getTime(),
      );
    } finally {
      athena.stateDelayMs = before;
    }
  });
});
