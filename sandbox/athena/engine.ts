// Executes a query's SQL text for real: resolves the Glue tables it names, loads their rows from
// S3 into an in-memory DuckDB typed as the tables declare, checks the types Trino checks and DuckDB
// does not, runs the text unchanged with Trino's function behaviour installed, and renders the
// result as Athena does.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Table } from '@aws-sdk/client-glue';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GlueWorld } from '../glue/world';
import type { S3World } from '../s3/world';
import { bytesBody } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import { DataFileCache } from './data-files';
import { QueryFailure } from './errors';
import { trinoFunctionStatements } from './functions';
import { restrictedPartitionValues } from './partition-pruning';
import { checkStrictTypes } from './strict-types';
import {
  csvDialect,
  dataFormat,
  duckdbType,
  fileRows,
  fileText,
  tableSource,
  type DataFile,
  type TableSource,
  writeDataFile,
} from './table-source';
import { trinoFailure, trinoTypeName } from './trino-errors';
import { unloadFiles } from './unload-files';

export interface QueryContext {
  readonly glue: GlueWorld;
  readonly s3: S3World;
  readonly now: Date;
  /** QueryExecutionContext.Database: where unqualified table names resolve. */
  readonly database?: string;
  /** The workgroup's BytesScannedCutoffPerQuery. */
  readonly bytesScannedCutoff?: number;
  /** Local copies of data files kept between queries; without one, each query copies what it reads. */
  readonly files?: DataFileCache;
  /**
   * How an UNLOAD's finished files are kept until the query stores them (the S3 world's keepBody
   * moves large ones to files as each is compressed); without one they stay in memory.
   */
  readonly keepBody?: (body: ObjectBody) => ObjectBody;
}

export interface ResultColumn {
  readonly name: string;
  /** Athena's (Trino's) type name: varchar, bigint, double, boolean, timestamp(3), ... */
  readonly type: string;
}

export interface QueryOutcome {
  readonly columns: readonly ResultColumn[];
  /** Values as Athena renders them in VarCharValue; null for SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
  readonly dataScannedInBytes: number;
}

// AthenaError.ErrorType values (Athena API reference, "Athena error catalog").
const ERROR_TYPE_LIMIT = 1100;

export async function runQuery(sql: string, context: QueryContext): Promise<QueryOutcome> {
  return withQueryDatabase(sql, context, async (connection) => execute(connection, sql));
}

/** How an UNLOAD's rows are written (TEXTFILE, as Hive's LazySimpleSerDe writes it). */
export interface UnloadFormat {
  readonly fieldDelimiter: string;
  readonly gzip: boolean;
  /** At most this many rows per file. */
  readonly rowsPerFile: number;
}

export interface UnloadOutcome {
  readonly columns: readonly ResultColumn[];
  /** The files' contents (gzip when asked), each holding whole lines. */
  readonly files: readonly ObjectBody[];
  readonly rows: number;
  readonly dataScannedInBytes: number;
}

/**
 * Runs an UNLOAD's SELECT and has DuckDB write its rows as TEXTFILE lines itself: no row passes
 * through JavaScript as values, so a million-row manifest costs DuckDB's time, not the sandbox's
 * heap. Values are rendered as Athena renders them (`render` below), NULL as `\N`, nothing quoted.
 * The text is then cut at line ends into files of `rowsPerFile` rows and compressed (`unload-files.ts`).
 */
export async function runUnloadQuery(sql: string, context: QueryContext, format: UnloadFormat): Promise<UnloadOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-unload-'));
  try {
    const path = join(dir, 'rows.txt');
    const written = await withQueryDatabase(sql, context, async (connection) => {
      let described;
      try {
        described = await connection.runAndReadAll(`DESCRIBE ${sql}`);
      } catch (error) {
        throw trinoFailure(error);
      }
      // DESCRIBE answers one row a column: its name and its type, both VARCHAR.
      const rows = described.getRowsJS() as unknown as readonly (readonly [string, string])[];
      const names = rows.map((row) => row[0]);
      const types = rows.map((row) => row[1]);
      const columns = names.map((name, i): ResultColumn => ({ name, type: trinoTypeName(types[i]!) }));
      const rendered = names.map((name, i) => `${renderSql(`q.${quote(name)}`, types[i]!)} AS ${quote(`c${i}`)}`);
      const options = [
        'FORMAT csv',
        'HEADER false',
        `DELIMITER ${literal(format.fieldDelimiter)}`,
        "QUOTE ''",
        "ESCAPE ''",
        "NULLSTR '\\N'",
      ];
      let copied;
      try {
        copied = await connection.runAndReadAll(
          `COPY (SELECT ${rendered.join(', ')} FROM (${sql}) q) TO ${literal(path)} (${options.join(', ')})`,
        );
      } catch (error) {
        throw trinoFailure(error);
      }
      // COPY answers with the number of rows it wrote.
      return { columns, rows: Number(copied.getRowsJS()[0]?.[0] ?? 0) };
    });
    // Cut and compressed here, off the event loop: DuckDB's own gzip writer costs several times the CPU.
    // Each file is handed to keepBody as it is done: at 100M versions the 876 files held at once were 2.4 GB.
    const keep = context.keepBody ?? ((body: ObjectBody) => body);
    const files =
      written.rows > 0
        ? await unloadFiles(path, { linesPerFile: format.rowsPerFile, gzip: format.gzip }, (data) => keep(bytesBody(data)))
        : [];
    return { ...written, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One in-memory DuckDB per query (nothing one query loads or defines can change another's answer),
 * with the tables the text names loaded as Glue declares them, the Trino functions installed and
 * the strict types checked; `work` runs in it.
 */
async function withQueryDatabase<T>(
  sql: string,
  context: QueryContext,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T & { readonly dataScannedInBytes: number }> {
  const tables = referencedTables(sql, context);
  const sources = tables.map(({ table }) => prune(sql, tableSource(table, context.s3, context.now), tables.length));
  const dataScannedInBytes = sources.reduce((sum, s) => sum + s.files.reduce((n, f) => n + f.size, 0), 0);
  if (context.bytesScannedCutoff !== undefined && dataScannedInBytes > context.bytesScannedCutoff) {
    throw new QueryFailure('Query cancelled! : Bytes scanned limit was exceeded', ERROR_TYPE_LIMIT);
  }
  checkStrictTypes(sql, strictColumnTypes(sources));
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: DUCKDB_MEMORY_LIMIT, threads: '2' });
  const connection = await instance.connect();
  // Data files are handed to DuckDB as local files, kept for the next query when the caller keeps a cache.
  const files = context.files ?? new DataFileCache({ s3: context.s3 });
  try {
    // Athena's session time zone is UTC; timestamps with a zone are read and rendered in it.
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(trinoFunctionStatements());
    for (const [i, ref] of tables.entries()) await loadTable(connection, ref, sources[i]!, context.s3, files);
    if (context.database !== undefined) {
      // A query naming no table still runs in its context database, as `SELECT 1` does on Athena.
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(schemaName(context.database))}`);
      await connection.run(`SET search_path = ${literal(schemaName(context.database))}`);
    }
    return { ...(await work(connection)), dataScannedInBytes };
  } finally {
    connection.closeSync();
    instance.closeSync();
    if (files !== context.files) files.dispose();
  }
}

// DuckDB spills to disk beyond this: the sandbox's queries stay within a rehearsal's memory.
const DUCKDB_MEMORY_LIMIT = '512MB';

/** The non-string column types of the tables, by name; a name typed differently by two tables is left out. */
function strictColumnTypes(sources: readonly TableSource[]): Map<string, string> {
  const types = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const source of sources) {
    for (const column of [...source.columns, ...source.partitionKeys]) {
      const name = column.name.toLowerCase();
      const type = trinoTypeName(duckdbType(column.type));
      if (types.has(name) && types.get(name) !== type) ambiguous.add(name);
      types.set(name, type);
    }
  }
  for (const [name, type] of types) if (ambiguous.has(name) || type === 'varchar') types.delete(name);
  return types;
}

/** Keeps only the partitions a single-table query provably restricts itself to. */
function prune(sql: string, source: TableSource, tableCount: number): TableSource {
  const key = source.partitionKeys[0]?.name;
  if (tableCount !== 1 || key === undefined) return source;
  const values = restrictedPartitionValues(sql, key);
  if (!values) return source;
  return { ...source, files: source.files.filter((f) => values.includes(f.partition[key] ?? '')) };
}

interface TableRef {
  readonly table: Table;
}

/**
 * The Glue tables the text names, found the way a catalog resolves names: every `db.table` (or
 * `awsdatacatalog.db.table`) and every bare name that is a table of the context database.
 * String literals and comments are skipped.
 */
function referencedTables(sql: string, context: QueryContext): TableRef[] {
  const names = identifierChains(sql);
  const refs = new Map<string, TableRef>();
  for (const chain of names) {
    const parts = chain.length === 3 && chain[0] === 'awsdatacatalog' ? chain.slice(1) : chain;
    if (parts.length === 2) {
      const table = findTable(context.glue, parts[0]!, parts[1]!);
      if (table) refs.set(`${table.DatabaseName}.${table.Name}`, { table });
    } else if (parts.length === 1 && context.database !== undefined) {
      const table = findTable(context.glue, context.database, parts[0]!);
      if (table) refs.set(`${table.DatabaseName}.${table.Name}`, { table });
    }
  }
  return [...refs.values()];
}

function findTable(glue: GlueWorld, database: string, name: string): Table | undefined {
  try {
    return glue.getTable(database, name);
  } catch {
    return undefined;
  }
}

/** Identifier chains (`a`, `a.b`, `"a"."b"`), lower-cased as Athena folds unquoted names. */
function identifierChains(sql: string): string[][] {
  const chains: string[][] = [];
  let current: string[] = [];
  let expectPart = true;
  const end = (): void => {
    if (current.length > 0) chains.push(current);
    current = [];
    expectPart = true;
  };
  for (let i = 0; i < sql.length;) {
    const rest = sql.slice(i);
    const skip = /^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*')/.exec(rest);
    if (skip) {
      end();
      i += skip[0].length;
      continue;
    }
    const word = /^([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"|`[^`]*`)/.exec(rest);
    if (word && expectPart) {
      const raw = word[0];
      current.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"').toLowerCase() : raw.replace(/`/g, '').toLowerCase());
      expectPart = false;
      i += raw.length;
      continue;
    }
    if (rest[0] === '.' && !expectPart) {
      expectPart = true;
      i++;
      continue;
    }
    end();
    i += word ? word[0].length : 1;
  }
  end();
  return chains;
}

/** Glue database names are lower-case; DuckDB schemas fold case the same way. */
function schemaName(database: string): string {
  return database.toLowerCase();
}

/**
 * Declares the table in the schema named after its Glue database, typed as Glue declares it, as a
 * view over its data files: DuckDB reads them as the query needs them, nothing is copied into
 * memory first. The files are read from local copies in `files`.
 */
async function loadTable(
  connection: DuckDBConnection,
  ref: TableRef,
  source: TableSource,
  s3: S3World,
  files: DataFileCache,
): Promise<void> {
  const schema = quote(schemaName(ref.table.DatabaseName!));
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const name = `${schema}.${quote(ref.table.Name!.toLowerCase())}`;
  const selects =
    dataFormat(ref.table) === 'parquet' ? await parquetSelects(connection, source, files) : await csvSelects(ref.table, source, s3, files);
  if (selects) {
    await connection.run(`CREATE VIEW ${name} AS ${selects.length === 0 ? emptySelect(source) : selects.join('\nUNION ALL\n')}`);
    return;
  }
  await loadRowByRow(connection, name, ref, source, s3);
}

// Athena's hidden "$path" column names the data file each row was read from. (DuckDB has no
// hidden columns, so a SELECT * here shows it too; the runner never selects *.)
function pathColumn(file: DataFile): string {
  return `${literal(`s3://${file.bucket}/${file.key}`)} AS "$path"`;
}

function partitionColumns(source: TableSource, file: DataFile): string[] {
  return source.partitionKeys.map(
    (k) =>
      `CAST(${file.partition[k.name] === undefined ? 'NULL' : literal(file.partition[k.name]!)} AS ${duckdbType(k.type)}) AS ${quote(k.name)}`,
  );
}

function emptySelect(source: TableSource): string {
  const columns = [...source.columns, ...source.partitionKeys].map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${quote(c.name)}`);
  return `SELECT ${[...columns, 'CAST(NULL AS VARCHAR) AS "$path"'].join(', ')} WHERE false`;
}

/**
 * One SELECT per CSV file over DuckDB's CSV reader, or undefined when a file holds OpenCSVSerde's
 * escape character (DuckDB's reader has no escape outside quotes) or the table is not OpenCSV
 * quoted text: those are parsed here, row by row. An empty field of a non-string column is NULL,
 * a value Hive cannot read as the column's type is NULL, as Hive reads them.
 */
const NO_NULL_STRING = '\u0001sandbox: no null string\u0001';

async function csvSelects(table: Table, source: TableSource, s3: S3World, files: DataFileCache): Promise<string[] | undefined> {
  const dialect = csvDialect(table);
  if (
    table.StorageDescriptor?.SerdeInfo?.SerializationLibrary !== 'org.apache.hadoop.hive.serde2.OpenCSVSerde' ||
    dialect.quote !== '"' ||
    dialect.separator.length !== 1
  )
    return undefined;
  const names = source.columns.map((_, i) => `c${i}`);
  const selects: string[] = [];
  for (const file of source.files) {
    const path = await files.local(file, `csv ${dialect.escape}`, (dir) => {
      const text = fileText(file, s3);
      if (text.includes(dialect.escape)) return undefined;
      const local = join(dir, 'data.csv');
      writeFileSync(local, text);
      return local;
    });
    if (path === undefined) return undefined;
    // OpenCSVSerde reads every field as text, empty ones included: no sniffing, no null string
    // (a marker no file holds), a missing trailing field NULL.
    const reader = `read_csv(${literal(path)}, auto_detect = false, header = false, delim = ${literal(dialect.separator)}, quote = '"', escape = '"', allow_quoted_nulls = false, nullstr = ${literal(NO_NULL_STRING)}, null_padding = true, columns = {${names.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ')}})`;
    const columns = source.columns.map((c, j) =>
      duckdbType(c.type) === 'VARCHAR'
        ? `${names[j]} AS ${quote(c.name)}`
        : `TRY_CAST(NULLIF(${names[j]}, '') AS ${duckdbType(c.type)}) AS ${quote(c.name)}`,
    );
    selects.push(`SELECT ${[...columns, ...partitionColumns(source, file), pathColumn(file)].join(', ')} FROM ${reader}`);
  }
  return selects;
}

/**
 * One SELECT per Parquet file over DuckDB's Parquet reader, columns matched by name as Athena
 * matches them (a column the file lacks reads as NULL).
 */
async function parquetSelects(connection: DuckDBConnection, source: TableSource, files: DataFileCache): Promise<string[]> {
  const selects: string[] = [];
  for (const file of source.files) {
    const { path, present } = await files.local(file, 'parquet', async (dir) => {
      const local = join(dir, 'data.parquet');
      writeDataFile(file, files.s3, local);
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(local)})`);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- DESCRIBE's first column is the column name, a VARCHAR
      return { path: local, present: new Set(described.getRowsJS().map((row) => String(row[0]).toLowerCase())) };
    });
    const columns = source.columns.map(
      (c) => `CAST(${present.has(c.name.toLowerCase()) ? quote(c.name) : 'NULL'} AS ${duckdbType(c.type)}) AS ${quote(c.name)}`,
    );
    selects.push(
      `SELECT ${[...columns, ...partitionColumns(source, file), pathColumn(file)].join(', ')} FROM read_parquet(${literal(path)})`,
    );
  }
  return selects;
}

/** CSV the DuckDB reader cannot take as OpenCSVSerde would: parsed here and appended as text, then typed. */
async function loadRowByRow(connection: DuckDBConnection, name: string, ref: TableRef, source: TableSource, s3: S3World): Promise<void> {
  const columns = [...source.columns, ...source.partitionKeys, { name: '$path', type: 'string' }];
  const staging = `staging_${ref.table.Name!.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  await connection.run(`CREATE TEMP TABLE ${quote(staging)} (${columns.map((c) => `${quote(c.name)} VARCHAR`).join(', ')})`);
  const appender = await connection.createAppender(staging, 'main', 'temp');
  for (const file of source.files) {
    const path = `s3://${file.bucket}/${file.key}`;
    for (const row of fileRows(ref.table, source, file, s3)) {
      for (const cell of row) {
        if (cell === null) appender.appendNull();
        else appender.appendVarchar(cell);
      }
      appender.appendVarchar(path);
      appender.endRow();
    }
  }
  appender.closeSync();
  const typed = columns.map((c) =>
    duckdbType(c.type) === 'VARCHAR' ? quote(c.name) : `TRY_CAST(${quote(c.name)} AS ${duckdbType(c.type)}) AS ${quote(c.name)}`,
  );
  await connection.run(`CREATE TABLE ${name} AS SELECT ${typed.join(', ')} FROM ${quote(staging)}`);
  await connection.run(`DROP TABLE ${quote(staging)}`);
}

async function execute(connection: DuckDBConnection, sql: string): Promise<Omit<QueryOutcome, 'dataScannedInBytes'>> {
  let reader;
  try {
    reader = await connection.runAndReadAll(sql);
  } catch (error) {
    throw trinoFailure(error);
  }
  const columns = reader.columnNames().map((name, i): ResultColumn => ({ name, type: trinoTypeName(reader.columnTypes()[i]!.toString()) }));
  const rows = reader.getRowsJS().map((row) => row.map((value, i) => render(value, columns[i]!.type)));
  return { columns, rows };
}

/** A value as Athena writes it in VarCharValue: timestamps with milliseconds, `UTC` for a zone. */
function render(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const text = value.toISOString().replace('T', ' ').replace('Z', '');
    return type.endsWith('with time zone') ? `${text} UTC` : text;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- inventory tables have scalar columns only; a nested value would need a renderer of its own
  return String(value);
}

/** `render` in SQL, for values DuckDB writes itself: the same text for each type. */
function renderSql(expression: string, duckdbTypeName: string): string {
  const type = duckdbTypeName.toUpperCase();
  if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(${expression}, '%Y-%m-%d %H:%M:%S.%g') || ' UTC'`;
  if (type.startsWith('TIMESTAMP')) return `strftime(${expression}, '%Y-%m-%d %H:%M:%S.%g')`;
  return `CAST(${expression} AS VARCHAR)`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
