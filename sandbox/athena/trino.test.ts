// Trino's behaviour on the sandbox's DuckDB: each corrected difference of TRINO_DIFFERENCES, the
// functions the runner's SQL calls, and the type errors Trino raises, in Athena's error shape.
import { GetQueryResultsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { produceAllInventories } from '../analytics';
import type { GlueWorld } from '../glue/world';
import type { S3World } from '../s3/world';
import { useSandbox } from '../support/clients';
import { configureInventory, queryInventory, inventoryTableInput, REPORT_AT, RESULTS_BUCKET, SEED } from '../support/inventory-fixture';
import { runQuery, type QueryOutcome } from './engine';
import { QueryFailure } from './errors';
import { TRINO_DIFFERENCES } from './functions';
import { checkStrictTypes } from './strict-types';

// Queries over literals name no table: the catalog is never asked for one.
const noTables = { glue: {} as GlueWorld, s3: {} as S3World, now: new Date('2026-11-23T05:30:00Z') };

async function value(sql: string): Promise<{ value: string | null; type: string }> {
  const outcome: QueryOutcome = await runQuery(sql, noTables);
  return { value: outcome.rows[0]![0]!, type: outcome.columns[0]!.type };
}

async function failure(sql: string): Promise<QueryFailure> {
  try {
    await runQuery(sql, noTables);
  } catch (error) {
    if (error instanceof QueryFailure) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('each difference the sandbox corrects', () => {
  const cases: Readonly<Record<string, readonly [sql: string, expected: string][]>> = {
    url_encode: [
      ["SELECT url_encode('a b')", 'a+b'],
      ["SELECT url_encode('~*+%é/')", '%7E*%2B%25%C3%A9%2F'],
    ],
    url_decode: [
      ["SELECT url_decode('a+b%2Bc%20d')", 'a b+c d'],
      ["SELECT url_decode(url_encode('dir/a b+c%é~*.txt'))", 'dir/a b+c%é~*.txt'],
    ],
    regexp_like: [
      ["SELECT regexp_like('archive/2024/x', '^archive/')", 'true'],
      ["SELECT regexp_like('data/archive/x', '^archive/')", 'false'],
    ],
    from_iso8601_timestamp: [["SELECT from_iso8601_timestamp('2024-01-02T03:04:05.678Z')", '2024-01-02 03:04:05.678 UTC']],
  };

  it('has a test case for every difference listed', () => {
    expect(TRINO_DIFFERENCES.map((d) => d.name).sort()).toEqual(Object.keys(cases).sort());
  });

  for (const difference of TRINO_DIFFERENCES) {
    it(`${difference.name} ${difference.trino}`, async () => {
      for (const [sql, expected] of cases[difference.name] ?? []) expect((await value(sql)).value).toBe(expected);
    });
  }
});

describe('the functions the runner uses', () => {
  it('types from_iso8601_timestamp as timestamp(3) with time zone and compares it by time', async () => {
    expect((await value("SELECT from_iso8601_timestamp('2024-01-01T00:00:00Z')")).type).toBe('timestamp(3) with time zone');
    expect(
      (await value("SELECT from_iso8601_timestamp('2024-01-01T00:00:01Z') > from_iso8601_timestamp('2024-01-01T00:00:00.999Z')")).value,
    ).toBe('true');
  });

  it('returns random() as a double in [0, 1)', async () => {
    const { value: drawn, type } = await value('SELECT random()');
    expect(type).toBe('double');
    expect(Number(drawn)).toBeGreaterThanOrEqual(0);
    expect(Number(drawn)).toBeLessThan(1);
  });

  it('numbers rows with row_number() OVER and counts substr from 1', async () => {
    const outcome = await runQuery(
      "SELECT substr(k, 1, 2) AS head, row_number() OVER (ORDER BY k DESC) AS n FROM (VALUES ('abc'), ('xyz')) AS t(k) ORDER BY n",
      noTables,
    );
    expect(outcome.rows).toEqual([
      ['xy', '1'],
      ['ab', '2'],
    ]);
    expect(outcome.columns.map((c) => c.type)).toEqual(['varchar', 'bigint']);
  });

  it('matches LIKE case-sensitively', async () => {
    expect((await value("SELECT 'Archive/x' LIKE 'archive/%'")).value).toBe('false');
  });

  it('takes COALESCE and CAST as Trino does', async () => {
    expect((await value("SELECT COALESCE(NULL, 'x')")).value).toBe('x');
    expect(await value("SELECT CAST('42' AS BIGINT)")).toEqual({ value: '42', type: 'bigint' });
  });
});

describe('errors in Athena’s shape', () => {
  it('fails a cast Trino cannot make with INVALID_CAST_ARGUMENT', async () => {
    expect((await failure("SELECT CAST('abc' AS BIGINT)")).message).toBe("INVALID_CAST_ARGUMENT: Cannot cast 'abc' to BIGINT");
  });

  it('fails an unknown function with FUNCTION_NOT_FOUND', async () => {
    expect((await failure('SELECT no_such_function(1)')).message).toBe("FUNCTION_NOT_FOUND: Function 'no_such_function' not registered");
  });
});

describe('the type checks DuckDB alone would let through', () => {
  const types = new Map([
    ['size', 'bigint'],
    ['object_lock_retain_until_date', 'bigint'],
    ['last_modified_date', 'timestamp(3)'],
  ]);
  const check = (sql: string): string | undefined => {
    try {
      checkStrictTypes(sql, types);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('refuses a bigint column compared with a string literal on either side', () => {
    expect(check("SELECT 1 FROM t WHERE n.object_lock_retain_until_date <> ''")).toBe(
      'TYPE_MISMATCH: line 1:23: Cannot apply operator: bigint <> varchar(0)',
    );
    expect(check("SELECT 1 FROM t WHERE '5' = size")).toBe('TYPE_MISMATCH: line 1:23: Cannot apply operator: varchar(1) = bigint');
  });

  it('accepts typed literals, casts, function calls and string columns', () => {
    expect(check("SELECT 1 FROM t WHERE last_modified_date > TIMESTAMP '2024-01-01 00:00:00'")).toBeUndefined();
    expect(
      check("SELECT 1 FROM t WHERE CAST(size AS varchar) = '5' AND storage_class = 'GLACIER' AND -- size = ''\n size > 5"),
    ).toBeUndefined();
    expect(check("SELECT COALESCE(version_id, '') FROM t WHERE url_decode(key) = 'a'")).toBeUndefined();
  });
});

describe('type errors over a typed inventory table, through the SDK', () => {
  const fixture = useSandbox({ seed: SEED, now: () => new Date('2026-11-23T05:30:00Z') });

  beforeAll(async () => {
    await configureInventory(fixture.clients);
    await produceAllInventories(fixture.sandbox.world, REPORT_AT);
    const { glue } = fixture.sandbox;
    glue.createDatabase({ Name: 'kms_migration' });
    glue.createTable('kms_migration', inventoryTableInput('inventory_acme_data'));
  });

  const run = (sql: string): Promise<QueryExecution> => queryInventory(fixture.clients, sql);

  it('ends FAILED with Trino’s TYPE_MISMATCH when a boolean column is compared with a string', async () => {
    const execution = await run("SELECT count(*) FROM inventory_acme_data WHERE\n  is_latest = 'true'");
    expect(execution.Status?.State).toBe('FAILED');
    expect(execution.Status?.StateChangeReason).toBe('TYPE_MISMATCH: line 2:3: Cannot apply operator: boolean = varchar(4)');
    expect(execution.Status?.AthenaError).toMatchObject({ ErrorCategory: 2, ErrorType: 1001 });
  });

  it('ends FAILED when COALESCE mixes a boolean column with a string', async () => {
    const execution = await run("SELECT COALESCE(n.is_latest, '') FROM inventory_acme_data n");
    expect(execution.Status?.StateChangeReason).toBe('TYPE_MISMATCH: line 1:8: All COALESCE operands must be the same type: boolean');
  });

  it('names each row\'s data file in the hidden "$path" column', async () => {
    const execution = await run('SELECT DISTINCT "$path" AS file FROM inventory_acme_data');
    expect(execution.Status?.State).toBe('SUCCEEDED');
    const { ResultSet } = await fixture.clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId! }));
    const files = ResultSet!.Rows!.slice(1).map((r) => r.Data![0]!.VarCharValue!);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^s3:\/\/.+\/data\/.+\.csv\.gz$/);
  });

  async function rows(sql: string): Promise<(string | null)[][]> {
    const execution = await run(sql);
    expect(execution.Status?.StateChangeReason).toBeUndefined();
    const { ResultSet } = await fixture.clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: execution.QueryExecutionId! }));
    return ResultSet!.Rows!.slice(1).map((r) => r.Data!.map((d) => d.VarCharValue ?? null));
  }

  it('reads CSV fields as OpenCSVSerde does: empty text stays text, empty numbers and missing fields are NULL, the escape character escapes', async () => {
    const { glue } = fixture.sandbox;
    for (const [table, body] of [
      ['plain_csv', 'x,,\n'],
      ['escaped_csv', '"back\\slash",y,7\n'],
    ] as const) {
      await fixture.clients.s3.send(new PutObjectCommand({ Bucket: RESULTS_BUCKET, Key: `${table}/data.csv`, Body: body }));
      glue.createTable('kms_migration', {
        Name: table,
        StorageDescriptor: {
          Location: `s3://${RESULTS_BUCKET}/${table}/`,
          Columns: ['a', 'b', 'n', 'missing'].map((name) => ({ Name: name, Type: name === 'n' ? 'bigint' : 'string' })),
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' },
        },
      });
    }
    expect(await rows('SELECT a, b, n, missing FROM plain_csv')).toEqual([['x', '', null, null]]);
    expect(await rows('SELECT a, b, n, missing FROM escaped_csv')).toEqual([['backslash', 'y', '7', null]]);
  });

  it('runs the same comparison written as Trino accepts it', async () => {
    const execution = await run("SELECT count(*) FROM inventory_acme_data WHERE is_latest = true AND encryption_status <> ''");
    expect(execution.Status?.State).toBe('SUCCEEDED');
  });
});
