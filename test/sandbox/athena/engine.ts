// Executes a query's SQL text for real: resolves the Glue tables it names, loads their rows from
// S3 into an in-memory SQLite (sql.js), runs the text unchanged with Trino's missing functions
// registered, and types the result columns as Athena reports them.
import type { Table } from '@aws-sdk/client-glue';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { GlueWorld } from '../glue/world';
import type { S3World } from '../s3/world';
import { QueryFailure } from './errors';
import { registerTrinoFunctions } from './functions';
import { restrictedPartitionValues } from './partition-pruning';
import { fileRows, sqliteType, tableSource, type TableSource } from './table-source';

export interface QueryContext {
  readonly glue: GlueWorld;
  readonly s3: S3World;
  readonly now: Date;
  /** QueryExecutionContext.Database: where unqualified table names resolve. */
  readonly database?: string;
  /** The workgroup's BytesScannedCutoffPerQuery. */
  readonly bytesScannedCutoff?: number;
}

export interface ResultColumn {
  readonly name: string;
  /** Athena's (Trino's) type name: varchar, bigint, double, boolean. */
  readonly type: 'varchar' | 'bigint' | 'double' | 'boolean';
}

export interface QueryOutcome {
  readonly columns: readonly ResultColumn[];
  /** Values as Athena renders them in VarCharValue; null for SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
  readonly dataScannedInBytes: number;
}

// AthenaError.ErrorType values (Athena API reference, "Athena error catalog").
const ERROR_TYPE_SYNTAX = 1001;
const ERROR_TYPE_LIMIT = 1100;

let sqlJs: Promise<SqlJsStatic> | undefined;

export async function runQuery(sql: string, context: QueryContext): Promise<QueryOutcome> {
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  const tables = referencedTables(sql, context);
  const sources = tables.map(({ table }) => prune(sql, tableSource(table, context.s3, context.now), tables.length));
  const dataScannedInBytes = sources.reduce((sum, s) => sum + s.files.reduce((n, f) => n + f.size, 0), 0);
  if (context.bytesScannedCutoff !== undefined && dataScannedInBytes > context.bytesScannedCutoff) {
    throw new QueryFailure('Query cancelled! : Bytes scanned limit was exceeded', ERROR_TYPE_LIMIT);
  }
  const db = new SQL.Database();
  try {
    registerTrinoFunctions(db);
    // Trino's LIKE is case-sensitive; SQLite's is not unless told.
    db.run('PRAGMA case_sensitive_like = ON');
    const booleanColumns = new Set<string>();
    tables.forEach((ref, i) => {
      loadTable(db, ref, sources[i]!, context.s3);
      for (const c of [...sources[i]!.columns, ...sources[i]!.partitionKeys]) if (c.type === 'boolean') booleanColumns.add(c.name.toLowerCase());
    });
    return { ...execute(db, sql, booleanColumns), dataScannedInBytes };
  } finally {
    db.close();
  }
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
  /** The schema the table is created in: `main` for unqualified references. */
  readonly schema: string;
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
      if (table) refs.set(`${table.DatabaseName}.${table.Name}`, { schema: table.DatabaseName!, table });
    } else if (parts.length === 1 && context.database !== undefined) {
      const table = findTable(context.glue, context.database, parts[0]!);
      if (table) refs.set(`main.${table.Name}`, { schema: 'main', table });
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
  for (let i = 0; i < sql.length; ) {
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

function loadTable(db: Database, ref: TableRef, source: TableSource, s3: S3World): void {
  if (ref.schema !== 'main') {
    const attached = db.exec('PRAGMA database_list')[0]?.values.map((row) => String(row[1])) ?? [];
    if (!attached.includes(ref.schema)) db.run(`ATTACH ':memory:' AS ${quote(ref.schema)}`);
  }
  // Athena's hidden "$path" column names the data file each row was read from. (SQLite has no hidden
  // columns, so a SELECT * here shows it too; the runner never selects *.)
  const columns = [...source.columns, ...source.partitionKeys, { name: '$path', type: 'string' }];
  const name = `${quote(ref.schema)}.${quote(ref.table.Name!)}`;
  db.run(`CREATE TABLE ${name} (${columns.map((c) => `${quote(c.name)} ${sqliteType(c.type)}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO ${name} VALUES (${columns.map(() => '?').join(', ')})`);
  db.run('BEGIN');
  try {
    for (const file of source.files) {
      const path = `s3://${file.bucket}/${file.key}`;
      for (const row of fileRows(ref.table, source, file, s3)) insert.run([...row, path]);
    }
    db.run('COMMIT');
  } finally {
    insert.free();
  }
}

function execute(db: Database, sql: string, booleanColumns: ReadonlySet<string>): Omit<QueryOutcome, 'dataScannedInBytes'> {
  let statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new QueryFailure(`${syntaxCategory(error)}: ${(error as Error).message}`, ERROR_TYPE_SYNTAX, { cause: error });
  }
  try {
    const names = statement.getColumnNames();
    const raw: (string | number | Uint8Array | null)[][] = [];
    try {
      while (statement.step()) raw.push(statement.get());
    } catch (error) {
      throw new QueryFailure(`GENERIC_USER_ERROR: ${(error as Error).message}`, ERROR_TYPE_SYNTAX, { cause: error });
    }
    const columns = names.map((name, i): ResultColumn => ({ name, type: columnType(name, raw.map((r) => r[i] ?? null), booleanColumns) }));
    const rows = raw.map((r) => r.map((value, i) => render(value ?? null, columns[i]!.type)));
    return { columns, rows };
  } finally {
    statement.free();
  }
}

/** SQLite keeps no types on expressions: a column named like a boolean column is boolean, else the values decide. */
function columnType(name: string, values: readonly (string | number | Uint8Array | null)[], booleanColumns: ReadonlySet<string>): ResultColumn['type'] {
  if (booleanColumns.has(name.toLowerCase())) return 'boolean';
  const present = values.filter((v) => v !== null);
  if (present.length === 0 || present.some((v) => typeof v !== 'number')) return 'varchar';
  return present.every((v) => Number.isInteger(v)) ? 'bigint' : 'double';
}

function render(value: string | number | Uint8Array | null, type: ResultColumn['type']): string | null {
  if (value === null) return null;
  if (type === 'boolean') return value === 1 || value === '1' ? 'true' : value === 0 || value === '0' ? 'false' : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

function syntaxCategory(error: unknown): string {
  const message = (error as Error).message;
  if (/no such table|unknown database/.test(message)) return 'TABLE_NOT_FOUND';
  if (/no such column/.test(message)) return 'COLUMN_NOT_FOUND';
  if (/no such function/.test(message)) return 'FUNCTION_NOT_FOUND';
  return 'SYNTAX_ERROR';
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
