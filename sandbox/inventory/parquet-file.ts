// Writes one Parquet data file of an inventory report with DuckDB (COPY ... (FORMAT PARQUET)),
// columns typed as AWS documents them, and returns its bytes for the S3 world to store.
import { DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportField } from './report-fields';

/** One cell: text for string columns, the typed value otherwise; null where the report has none. */
export type ParquetCell = string | boolean | bigint | Date | null;

const DUCKDB_TYPES: Readonly<Record<ReportField['columnarType'], string>> = {
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMP',
};

export async function parquetFile(fields: readonly ReportField[], rows: readonly (readonly ParquetCell[])[]): Promise<Buffer> {
  // DuckDB writes files, not buffers: a private directory per file, removed whatever happens.
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-inventory-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE report (${fields.map((f) => `"${f.column}" ${DUCKDB_TYPES[f.columnarType]}`).join(', ')})`);
    const appender = await connection.createAppender('report');
    for (const row of rows) {
      row.forEach((cell, i) => {
        if (cell === null) appender.appendNull();
        else if (typeof cell === 'boolean') appender.appendBoolean(cell);
        else if (typeof cell === 'bigint') appender.appendBigInt(cell);
        else if (cell instanceof Date) appender.appendTimestamp(new DuckDBTimestampValue(BigInt(cell.getTime()) * 1000n));
        else if (fields[i]!.columnarType === 'string') appender.appendVarchar(cell);
        else throw new TypeError(`column ${fields[i]!.column} is ${fields[i]!.columnarType}; received text ${JSON.stringify(cell)}`);
      });
      appender.endRow();
    }
    appender.closeSync();
    const path = join(dir, 'report.parquet');
    await connection.run(`COPY report TO '${path.replace(/'/g, "''")}' (FORMAT PARQUET, COMPRESSION SNAPPY)`);
    return readFileSync(path);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}
