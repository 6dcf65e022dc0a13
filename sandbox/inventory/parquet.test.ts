// Parquet inventory reports end to end in the sandbox: the report S3 writes (typed columns,
// manifest with MD5s, hive symlink), read back by Athena through a Parquet table like the stack's.
// (test/stacks/inventory-fields.test.ts holds the sandbox's field order to the stack's schema.)
import { GetQueryResultsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { useSandbox } from '../support/clients';
import {
  configureInventory,
  queryInventory,
  INVENTORY_BUCKET,
  INVENTORY_CONFIG_ID,
  INVENTORY_DESTINATION_PREFIX,
  inventoryTableInput,
  REPORT_AT,
  SEED,
  SOURCE_BUCKET,
} from '../support/inventory-fixture';
import { produceInventory, type ProducedInventory } from './producer';

const fixture = useSandbox({ seed: SEED, now: () => new Date('2026-11-23T05:30:00Z') });
let produced: ProducedInventory;

beforeAll(async () => {
  await configureInventory(fixture.clients, 'Parquet');
  produced = await produceInventory(fixture.sandbox.world, {
    bucket: SOURCE_BUCKET,
    configId: INVENTORY_CONFIG_ID,
    at: REPORT_AT,
    maxRowsPerFile: 500,
  });
  const { glue } = fixture.sandbox;
  glue.createDatabase({ Name: 'kms_migration' });
  glue.createTable('kms_migration', inventoryTableInput('inventory_acme_data', 'Parquet'));
});

async function read(key: string): Promise<Buffer> {
  const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: INVENTORY_BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const run = (sql: string): Promise<QueryExecution> => queryInventory(fixture.clients, sql);

it('writes Parquet data files listed in manifest.json with their MD5 and in the hive symlink', async () => {
  const manifest = JSON.parse((await read(produced.manifestKey)).toString('utf8')) as {
    fileFormat: string;
    fileSchema: string;
    files: { key: string; size: number; MD5checksum: string }[];
  };
  expect(manifest.fileFormat).toBe('Parquet');
  expect(manifest.fileSchema).toMatch(/^message s3\.inventory \{ required binary bucket \(STRING\);.* optional int64 size;/);
  expect(manifest.files.length).toBe(Math.ceil(produced.rows / 500));
  for (const file of manifest.files) {
    const body = await read(file.key);
    expect(file.key).toMatch(
      new RegExp(`^${INVENTORY_DESTINATION_PREFIX}/${SOURCE_BUCKET}/${INVENTORY_CONFIG_ID}/data/[0-9a-f-]+\\.parquet$`),
    );
    expect(body.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect({ size: file.size, md5: file.MD5checksum }).toEqual({ size: body.length, md5: createHash('md5').update(body).digest('hex') });
  }
  const symlink = (await read(produced.symlinkKey)).toString('utf8');
  expect(symlink).toBe(manifest.files.map((f) => `s3://${INVENTORY_BUCKET}/${f.key}\n`).join(''));
});

it('types the columns as AWS documents them for Parquet, read through the Parquet table', async () => {
  const execution = await run(
    'SELECT size, last_modified_date, object_lock_retain_until_date, is_latest, is_delete_marker, is_multipart_uploaded, storage_class FROM inventory_acme_data LIMIT 1',
  );
  expect(execution.Status?.StateChangeReason).toBeUndefined();
  const { ResultSet } = await fixture.clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId! }));
  expect(ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Type)).toEqual([
    'bigint',
    'timestamp(3)',
    'bigint',
    'boolean',
    'boolean',
    'boolean',
    'varchar',
  ]);
});

it('answers from the Parquet rows exactly as the world holds the versions, keys not URL-encoded', async () => {
  const execution = await run(
    "SELECT key, version_id, size, last_modified_date FROM inventory_acme_data WHERE dt = '2026-11-23-04-00' AND NOT is_delete_marker",
  );
  expect(execution.Status?.StateChangeReason).toBeUndefined();
  const rows: string[][] = [];
  let token: string | undefined;
  do {
    const page = await fixture.clients.athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId!, ...(token ? { NextToken: token } : {}) }),
    );
    rows.push(...page.ResultSet!.Rows!.map((r) => r.Data!.map((d) => d.VarCharValue ?? '')));
    token = page.NextToken;
  } while (token);
  const expected = [...fixture.sandbox.world.s3.versions(SOURCE_BUCKET)]
    .filter(({ version }) => !version.isDeleteMarker)
    .map(({ version }) => [
      version.key,
      version.versionId === 'null' ? '' : version.versionId,
      String(version.size),
      version.lastModified.toISOString().replace('T', ' ').replace('Z', ''),
    ]);
  const sort = (a: string[], b: string[]): number => (a.join('\u0000') < b.join('\u0000') ? -1 : 1);
  expect(rows.slice(1).sort(sort)).toEqual(expected.sort(sort));
});

it('fails a bigint column compared with a string, as Athena does on Parquet tables', async () => {
  const execution = await run("SELECT count(*) FROM inventory_acme_data WHERE object_lock_retain_until_date <> ''");
  expect(execution.Status?.State).toBe('FAILED');
  expect(execution.Status?.StateChangeReason).toBe('TYPE_MISMATCH: line 1:48: Cannot apply operator: bigint <> varchar(0)');
});

it('refuses an ORC table with the sandbox limitation', async () => {
  const { glue } = fixture.sandbox;
  glue.createTable('kms_migration', inventoryTableInput('inventory_orc', 'ORC'));
  const execution = await run('SELECT count(*) FROM inventory_orc');
  expect(execution.Status?.State).toBe('FAILED');
  expect(execution.Status?.StateChangeReason).toMatch(
    /^NOT_SUPPORTED: ORC table kms_migration\.inventory_orc: the sandbox does not read or write ORC/,
  );
});
