// The Glue Data Catalog, free of HTTP: databases and their tables, stored in the SDK's own
// shapes so the API handler, the sandbox's Athena and a later "sandbox apply" share one model.
import type { Column, Database, DatabaseInput, StorageDescriptor, Table, TableInput } from '@aws-sdk/client-glue';
import { glueErrors } from './errors';

interface CatalogDatabase {
  readonly database: Database;
  readonly tables: Map<string, Table>;
}

/** What a saved state holds: every database with its tables, dates as ISO strings. */
export interface GlueState {
  readonly databases: readonly { readonly database: Database; readonly tables: readonly Table[] }[];
}

// Glue's name rules: 1-255 characters of "single-line string pattern"; Hive folds names to lower case.
const NAME = /^[\u0020-\uD7FF\uE000-\uFFFD\t]{1,255}$/;

export class GlueWorld {
  private readonly databases = new Map<string, CatalogDatabase>();

  constructor(
    private readonly accountId: string,
    private readonly now: () => Date,
  ) {}

  // --- databases -----------------------------------------------------------------------------

  createDatabase(input: DatabaseInput): Database {
    const name = normalizeName(input.Name, 'databaseInput.name');
    if (this.databases.has(name)) throw glueErrors.databaseExists();
    const database: Database = {
      ...input,
      Name: name,
      Parameters: input.Parameters ?? {},
      CreateTime: this.now(),
      CatalogId: this.accountId,
    };
    this.databases.set(name, { database, tables: new Map() });
    return database;
  }

  getDatabase(name: string): Database {
    return this.catalogDatabase(name).database;
  }

  listDatabases(): Database[] {
    return [...this.databases.values()].map((d) => d.database).sort(byName);
  }

  deleteDatabase(name: string): void {
    const key = this.catalogDatabase(name).database.Name!;
    this.databases.delete(key);
  }

  // --- tables --------------------------------------------------------------------------------

  createTable(databaseName: string, input: TableInput): Table {
    const database = this.catalogDatabase(databaseName);
    const name = normalizeName(input.Name, 'tableInput.name');
    if (database.tables.has(name)) throw glueErrors.tableExists();
    const now = this.now();
    const table = this.toTable(database.database.Name!, name, input, now, now, '0');
    database.tables.set(name, table);
    return table;
  }

  getTable(databaseName: string, tableName: string): Table {
    const database = this.catalogDatabase(databaseName);
    const table = database.tables.get(tableName.toLowerCase());
    if (!table) throw glueErrors.tableNotFound(database.database.Name!, tableName);
    return table;
  }

  /** Tables of a database, optionally those whose name matches Glue's `Expression` (a regex). */
  listTables(databaseName: string, expression?: string): Table[] {
    const database = this.catalogDatabase(databaseName);
    const matcher = expression !== undefined && expression !== '' ? globRegex(expression) : undefined;
    return [...database.tables.values()].filter((t) => !matcher || matcher.test(t.Name!)).sort(byName);
  }

  /** UpdateTable replaces the whole definition, as Glue does; the version id counts up. */
  updateTable(databaseName: string, input: TableInput): Table {
    const database = this.catalogDatabase(databaseName);
    const name = normalizeName(input.Name, 'tableInput.name');
    const existing = database.tables.get(name);
    if (!existing) throw glueErrors.tableNotFound(database.database.Name!, name);
    const table = this.toTable(
      database.database.Name!,
      name,
      input,
      existing.CreateTime ?? this.now(),
      this.now(),
      String(Number(existing.VersionId ?? '0') + 1),
    );
    database.tables.set(name, table);
    return table;
  }

  deleteTable(databaseName: string, tableName: string): void {
    const table = this.getTable(databaseName, tableName);
    this.catalogDatabase(databaseName).tables.delete(table.Name!);
  }

  // --- state ---------------------------------------------------------------------------------

  save(): GlueState {
    return { databases: [...this.databases.values()].map((d) => ({ database: d.database, tables: [...d.tables.values()] })) };
  }

  load(data: unknown): void {
    const state = data as GlueState;
    this.databases.clear();
    for (const entry of state.databases ?? []) {
      const database = reviveDates(entry.database);
      this.databases.set(database.Name!, { database, tables: new Map(entry.tables.map((t) => [t.Name!, reviveDates(t)])) });
    }
  }

  private catalogDatabase(name: string): CatalogDatabase {
    const database = this.databases.get(name.toLowerCase());
    if (!database) throw glueErrors.databaseNotFound(name);
    return database;
  }

  private toTable(databaseName: string, name: string, input: TableInput, createTime: Date, updateTime: Date, versionId: string): Table {
    return {
      ...input,
      Name: name,
      DatabaseName: databaseName,
      CreateTime: createTime,
      UpdateTime: updateTime,
      Retention: input.Retention ?? 0,
      ...(input.StorageDescriptor ? { StorageDescriptor: normalizeStorage(input.StorageDescriptor) } : {}),
      PartitionKeys: (input.PartitionKeys ?? []).map(normalizeColumn),
      Parameters: input.Parameters ?? {},
      CreatedBy: `arn:aws:iam::${this.accountId}:root`,
      IsRegisteredWithLakeFormation: false,
      CatalogId: this.accountId,
      VersionId: versionId,
    };
  }
}

function normalizeName(name: string | undefined, field: string): string {
  if (name === undefined || !NAME.test(name)) {
    throw glueErrors.invalidInput(
      `1 validation error detected: Value '${name ?? 'null'}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern`,
    );
  }
  return name.toLowerCase();
}

// Hive folds column names to lower case too; Athena's column resolution depends on it.
function normalizeColumn(column: Column): Column {
  return { ...column, Name: column.Name?.toLowerCase() };
}

function normalizeStorage(storage: StorageDescriptor): StorageDescriptor {
  return {
    Compressed: false,
    NumberOfBuckets: 0,
    StoredAsSubDirectories: false,
    ...storage,
    Columns: (storage.Columns ?? []).map(normalizeColumn),
  };
}

function byName<T extends { readonly Name?: string | undefined }>(a: T, b: T): number {
  return (a.Name ?? '') < (b.Name ?? '') ? -1 : 1;
}

/** Glue documents Expression as a regular expression; `*` alone is the common "all" idiom. */
function globRegex(expression: string): RegExp {
  const source = expression === '*' ? '.*' : expression;
  return new RegExp(`^(?:${source})$`);
}

const DATE_FIELDS = ['CreateTime', 'UpdateTime', 'LastAccessTime', 'LastAnalyzedTime'] as const;

function reviveDates<T extends object>(value: T): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const field of DATE_FIELDS) if (typeof copy[field] === 'string') copy[field] = new Date(copy[field]);
  return copy as T;
}
