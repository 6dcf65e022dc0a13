// The Trino functions Athena has and SQLite lacks, registered on each query's database so the
// runner's SQL runs unchanged. Nothing else in the query text is translated.
import type { Database } from 'sql.js';
import { decodeInventoryKey, encodeInventoryKey } from '../inventory/key-encoding';

type SqlValue = number | string | Uint8Array | null;

export function registerTrinoFunctions(db: Database): void {
  db.create_function('url_decode', (value: SqlValue) => (value === null ? null : decodeInventoryKey(String(value))));
  db.create_function('url_encode', (value: SqlValue) => (value === null ? null : encodeInventoryKey(String(value))));
  db.create_function('regexp_like', (value: SqlValue, pattern: SqlValue) => (value === null || pattern === null ? null : new RegExp(String(pattern), 'u').test(String(value)) ? 1 : 0));
  // SQLite's own `x REGEXP y` operator calls regexp(y, x).
  db.create_function('regexp', (pattern: SqlValue, value: SqlValue) => (value === null || pattern === null ? null : new RegExp(String(pattern), 'u').test(String(value)) ? 1 : 0));
  db.create_function('from_iso8601_timestamp', (value: SqlValue) => (value === null ? null : trinoTimestamp(String(value))));
}

/** Trino renders `timestamp(3) with time zone` in UTC as `2024-01-01 00:00:00.000 UTC`; text in that form sorts by time. */
function trinoTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new Error(`Invalid format: "${iso}"`);
  return new Date(time).toISOString().replace('T', ' ').replace('Z', ' UTC');
}
