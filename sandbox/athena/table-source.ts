// Where a Glue table's rows come from in S3, as Athena reads them: partitions (projected on a
// date key), Hive symlink manifests (SymlinkTextInputFormat) and the data files they name, decoded
// per the table's SerDe and typed per its columns.
import type { Table } from '@aws-sdk/client-glue';
import { copyFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { bodyBytes } from '../s3/body';
import type { S3World } from '../s3/world';
import { OPEN_CSV_DEFAULTS, parseCsv, type CsvDialect } from './csv';
import { AthenaSandboxLimitation } from './errors';
import { dateProjection, isProjected } from './projection';

export type SqlCell = string | null;

export interface TableColumn {
  readonly name: string;
  /** The Glue (Hive) type: string, boolean, bigint, int, double, timestamp, ... */
  readonly type: string;
}

export interface DataFile {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Partition key values of the partition this file belongs to. */
  readonly partition: Readonly<Record<string, string>>;
}

export interface TableSource {
  readonly columns: readonly TableColumn[];
  readonly partitionKeys: readonly TableColumn[];
  readonly files: readonly DataFile[];
}

const SYMLINK_INPUT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';
const OPEN_CSV = 'org.apache.hadoop.hive.serde2.OpenCSVSerde';
const LAZY_SIMPLE = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';

/** Every data file a full scan of the table reads, found without reading any data yet. */
export function tableSource(table: Table, s3: S3World, now: Date): TableSource {
  const storage = table.StorageDescriptor;
  if (!storage?.Location) throw new AthenaSandboxLimitation(`table ${table.DatabaseName}.${table.Name} has no storage location`);
  checkSerde(table);
  const columns = (storage.Columns ?? []).map((c) => ({ name: c.Name!, type: (c.Type ?? 'string').toLowerCase() }));
  const partitionKeys = (table.PartitionKeys ?? []).map((c) => ({ name: c.Name!, type: (c.Type ?? 'string').toLowerCase() }));
  const location = parseS3Url(storage.Location.endsWith('/') ? storage.Location : `${storage.Location}/`);
  const symlinked = storage.InputFormat === SYMLINK_INPUT;
  const files: DataFile[] = [];
  for (const dir of partitionDirectories(table, partitionKeys, location, s3, now)) {
    for (const object of objectsUnder(s3, location.bucket, dir.prefix)) {
      if (!symlinked) {
        files.push({ ...object, partition: dir.values });
        continue;
      }
      for (const url of readText(s3, object.bucket, object.key)
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')) {
        const target = parseS3Url(url);
        const size = s3.version({ bucket: target.bucket, key: target.key }).size;
        files.push({ bucket: target.bucket, key: target.key, size, partition: dir.values });
      }
    }
  }
  return { columns, partitionKeys, files };
}

/**
 * The fields of one data file as text, partition values appended: NULL where Hive reads NULL (a
 * missing field, or an empty field of a non-string column). The engine casts the text to the
 * column's type, so a value Hive cannot read as that type fails the load instead of passing as text.
 */
export function* fileRows(table: Table, source: TableSource, file: DataFile, s3: S3World): Generator<SqlCell[]> {
  const text = fileText(file, s3);
  const dialect = csvDialect(table);
  for (const fields of parseCsv(text, dialect)) {
    const row: SqlCell[] = source.columns.map((column, i) => textCell(fields[i], column.type));
    for (const key of source.partitionKeys) row.push(file.partition[key.name] ?? null);
    yield row;
  }
}

/** A text data file's content, gunzipped when its name says gzip. */
export function fileText(file: DataFile, s3: S3World): string {
  const raw = fileBytes(file, s3);
  return (file.key.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** The DuckDB column type for a Hive type, so the engine types columns as Athena does. */
export function duckdbType(hiveType: string): string {
  if (isStringType(hiveType)) return 'VARCHAR';
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(hiveType);
  if (decimal) return `DECIMAL(${decimal[1]}, ${decimal[2]})`;
  const types: Readonly<Record<string, string>> = {
    boolean: 'BOOLEAN',
    bigint: 'BIGINT',
    int: 'INTEGER',
    integer: 'INTEGER',
    smallint: 'SMALLINT',
    tinyint: 'TINYINT',
    double: 'DOUBLE',
    float: 'FLOAT',
    real: 'FLOAT',
    timestamp: 'TIMESTAMP',
    date: 'DATE',
  };
  const type = types[hiveType];
  if (type === undefined) throw new AthenaSandboxLimitation(`column type '${hiveType}' is not supported by the sandbox`);
  return type;
}

function isStringType(hiveType: string): boolean {
  return hiveType === 'string' || hiveType.startsWith('varchar') || hiveType.startsWith('char');
}

function textCell(field: string | undefined, hiveType: string): SqlCell {
  if (field === undefined) return null;
  if (isStringType(hiveType)) return field;
  return field === '' ? null : field;
}

interface PartitionDirectory {
  readonly prefix: string;
  readonly values: Readonly<Record<string, string>>;
}

function* partitionDirectories(
  table: Table,
  partitionKeys: readonly TableColumn[],
  location: S3Location,
  s3: S3World,
  now: Date,
): Generator<PartitionDirectory> {
  if (partitionKeys.length === 0) {
    yield { prefix: location.key, values: {} };
    return;
  }
  if (partitionKeys.length > 1)
    throw new AthenaSandboxLimitation(
      `tables with ${partitionKeys.length} partition keys are not supported by the sandbox (one date-projected key only)`,
    );
  const key = partitionKeys[0]!.name;
  const projection = dateProjection(table.Parameters ?? {}, key, now);
  // Without projection Athena reads the partitions registered in Glue; the sandbox has no
  // partition API, so such a table has none, as on AWS before MSCK REPAIR or ADD PARTITION.
  if (!projection) return;
  const template = table.Parameters?.['storage.location.template'];
  if (template !== undefined) throw new AthenaSandboxLimitation('storage.location.template is not supported by the sandbox');
  const seen = new Set<string>();
  for (const object of objectsUnder(s3, location.bucket, `${location.key}${key}=`)) {
    const rest = object.key.slice(location.key.length + key.length + 1);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const value = rest.slice(0, slash);
    if (seen.has(value)) continue;
    seen.add(value);
    if (isProjected(projection, value)) yield { prefix: `${location.key}${key}=${value}/`, values: { [key]: value } };
  }
}

const PARQUET = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
const ORC = 'org.apache.hadoop.hive.ql.io.orc.OrcSerde';

/** How the table's data files are encoded, from its SerDe. */
export function dataFormat(table: Table): 'csv' | 'parquet' {
  return table.StorageDescriptor?.SerdeInfo?.SerializationLibrary === PARQUET ? 'parquet' : 'csv';
}

function checkSerde(table: Table): void {
  const library = table.StorageDescriptor?.SerdeInfo?.SerializationLibrary;
  if (library === ORC) {
    // No maintained ORC writer exists for Node, so the sandbox cannot produce ORC reports to read;
    // ORC tables are refused rather than answered from nothing. Their queries are Parquet's.
    throw new AthenaSandboxLimitation(
      `ORC table ${table.DatabaseName}.${table.Name}: the sandbox does not read or write ORC (no maintained ORC writer for Node); use Parquet, whose columns and queries are the same`,
    );
  }
  if (library !== OPEN_CSV && library !== LAZY_SIMPLE && library !== PARQUET) {
    throw new AthenaSandboxLimitation(
      `SerDe '${library ?? '(none)'}' of ${table.DatabaseName}.${table.Name}: only CSV (OpenCSVSerde, LazySimpleSerDe) and Parquet (ParquetHiveSerDe) data are supported by the sandbox`,
    );
  }
}

/** The bytes of one data file, as stored. */
export function fileBytes(file: DataFile, s3: S3World): Buffer {
  return bodyBytes(s3.version({ bucket: file.bucket, key: file.key }).body);
}

/** Writes one data file, as stored, to a local file; stored bytes go out without a copy in memory. */
export function writeDataFile(file: DataFile, s3: S3World, path: string): void {
  const body = s3.version({ bucket: file.bucket, key: file.key }).body;
  if (body.kind === 'file') copyFileSync(body.path, path);
  else writeFileSync(path, body.kind === 'bytes' ? body.data : bodyBytes(body));
}

export function csvDialect(table: Table): CsvDialect {
  const serde = table.StorageDescriptor?.SerdeInfo;
  const p = serde?.Parameters ?? {};
  if (serde?.SerializationLibrary === LAZY_SIMPLE)
    return { separator: p['field.delim'] ?? '\u0001', quote: '\u0000', escape: p['escape.delim'] ?? '\u0000' };
  return {
    separator: p.separatorChar ?? OPEN_CSV_DEFAULTS.separator,
    quote: p.quoteChar ?? OPEN_CSV_DEFAULTS.quote,
    escape: p.escapeChar ?? OPEN_CSV_DEFAULTS.escape,
  };
}

interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new AthenaSandboxLimitation(`'${url}' is not an s3:// URL`);
  return { bucket: match[1]!, key: match[2]! };
}

function* objectsUnder(s3: S3World, bucket: string, prefix: string): Generator<{ bucket: string; key: string; size: number }> {
  let continuationToken: string | undefined;
  do {
    const page = s3.listObjects(bucket, { prefix, maxKeys: 1000, ...(continuationToken ? { continuationToken } : {}) });
    for (const object of page.objects) yield { bucket, key: object.key, size: object.size };
    continuationToken = page.nextContinuationToken;
  } while (continuationToken);
}

function readText(s3: S3World, bucket: string, key: string): string {
  return bodyBytes(s3.version({ bucket, key }).body).toString('utf8');
}
