// The Athena SQL of verify and of the expiration's dry run: the project's own, executed for real by Athena (and the sandbox).
import { z } from 'zod';
import { cell, identifier, partition, partitionTime } from './plan-query';
import { lockedSqlCondition, retainUntilAfterSql } from './classify';

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const COMPLIANT = "encryption_status = 'SSE-KMS' AND bucket_key_status = 'ENABLED'";

export type InventoryFormat = 'CSV' | 'Parquet' | 'ORC';

/** "Object Lock retention still holds at `now`": the classification's own definition (classify.ts). */
export function retentionHoldsSql(column: string, format: InventoryFormat, now: string): string {
  const at = Date.parse(now);
  if (Number.isNaN(at)) throw new Error(`'now' must be an ISO-8601 time. Received: ${now}`);
  return retainUntilAfterSql(column, format, new Date(at));
}

/** A row of complianceCountQuery. */
export const complianceCountRow = z.object({
  is_latest: cell,
  encryption_status: cell,
  bucket_key_status: cell,
  object_lock: cell,
  versions: cell,
});

/**
 * Versions per currency, encryption status, Bucket Key status and Object Lock (delete markers
 * excluded). Locks are judged at the report's snapshot, by the classification's own rule.
 */
export function complianceCountQuery(database: string, table: string, dt: string, format: InventoryFormat = 'CSV'): string {
  const locked = lockedSqlCondition({ now: new Date(partitionTime(dt)), inventoryFormat: format });
  return [
    'SELECT is_latest, encryption_status, bucket_key_status, object_lock, COUNT(*) AS versions',
    'FROM (',
    `  SELECT is_latest, encryption_status, bucket_key_status, CASE WHEN ${locked} THEN 'locked' ELSE '' END AS object_lock`,
    `  FROM ${identifier(database)}.${identifier(table)}`,
    `  WHERE dt = ${partition(dt)} AND NOT is_delete_marker`,
    ') versions',
    'GROUP BY is_latest, encryption_status, bucket_key_status, object_lock',
  ].join('\n');
}

/** A row of partitionFilesQuery. */
export const partitionFileRow = z.object({ file: cell, versions: cell });

/**
 * Rows per data file Athena read for one partition ("$path" is Athena's hidden file column): the
 * evidence that the partition it counted is exactly the report S3 delivered, no file missing.
 */
export function partitionFilesQuery(database: string, table: string, dt: string): string {
  return [
    'SELECT "$path" AS file, COUNT(*) AS versions',
    `FROM ${identifier(database)}.${identifier(table)}`,
    `WHERE dt = ${partition(dt)}`,
    'GROUP BY "$path"',
  ].join('\n');
}

function statusList(statuses: readonly string[]): string {
  for (const status of statuses) if (!/^[A-Z-]+$/.test(status)) throw new Error(`Unexpected encryption status ${JSON.stringify(status)}`);
  return statuses.map((x) => `'${x}'`).join(', ');
}

/** A row of nonCompliantSampleQuery. */
export const nonCompliantRow = z.object({ key: cell, version_id: cell, encryption_status: cell, bucket_key_status: cell });

/**
 * Up to `limit` non-compliant versions, current or noncurrent, leaving out the encryption statuses
 * given (accepted exceptions, sampled apart); with `only`, just those statuses.
 */
export function nonCompliantSampleQuery(
  database: string,
  table: string,
  dt: string,
  current: boolean,
  limit: number,
  statuses: { readonly except?: readonly string[]; readonly only?: readonly string[] } = {},
): string {
  const filter = [
    ...(statuses.except?.length ? [` AND encryption_status NOT IN (${statusList(statuses.except)})`] : []),
    ...(statuses.only?.length ? [` AND encryption_status IN (${statusList(statuses.only)})`] : []),
  ].join('');
  return [
    'SELECT key, version_id, encryption_status, bucket_key_status',
    `FROM ${identifier(database)}.${identifier(table)}`,
    `WHERE dt = ${partition(dt)} AND NOT is_delete_marker AND ${current ? '' : 'NOT '}is_latest AND NOT (${COMPLIANT})${filter}`,
    'ORDER BY key, version_id',
    `LIMIT ${Math.floor(limit)}`,
  ].join('\n');
}

/** A row of keyCheckSampleQuery, and of newVersionsQuery with a limit. */
export const versionRow = z.object({ key: cell, version_id: cell });

/** A random sample of current versions the inventory calls compliant, for HeadObject to check the key. */
export function keyCheckSampleQuery(database: string, table: string, dt: string, limit: number): string {
  return [
    'SELECT key, version_id',
    `FROM ${identifier(database)}.${identifier(table)}`,
    `WHERE dt = ${partition(dt)} AND NOT is_delete_marker AND is_latest AND ${COMPLIANT}`,
    'ORDER BY random()',
    `LIMIT ${Math.floor(limit)}`,
  ].join('\n');
}

export interface ExpirationImpactProps {
  readonly database: string;
  readonly table: string;
  /** The inventory to measure (the newest). */
  readonly dt: string;
  /** The inventories the copy jobs were planned from: a version current and copied there was made noncurrent by the migration. */
  readonly copyPlanDates: readonly string[];
  /** Noncurrent versions the rule keeps per key whatever their age. */
  readonly newerNoncurrentVersions: number;
  /** The rule's prefix; '' for the whole bucket. */
  readonly prefix: string;
  /** ISO time: retention until after this still holds the version. */
  readonly now: string;
  /** The report's format: CSV reports URL-encode keys and hold dates as text. */
  readonly format: InventoryFormat;
}

/** The one row of expirationImpactQuery; sums over no version are NULL, so ''. */
export const expirationImpactRow = z.object({
  versions: cell,
  bytes: cell,
  superseded_versions: cell,
  superseded_bytes: cell,
  beyond_versions: cell,
  beyond_bytes: cell,
  beyond_non_compliant_versions: cell,
  non_compliant_versions: cell,
  locked_versions: cell,
  locked_bytes: cell,
});

/**
 * What the expiration rule will remove: noncurrent versions (delete markers aside) under the prefix
 * beyond the newest `newerNoncurrentVersions` of each key, split into those the migration made
 * noncurrent and the rest, with the non-compliant and the Object Lock-held ones counted apart.
 * Retain-until dates are compared as ISO-8601 text, which orders like time (CSV reports).
 */
export function expirationImpactQuery(p: ExpirationImpactProps): string {
  const table = `${identifier(p.database)}.${identifier(p.table)}`;
  const key = p.format === 'CSV' ? 'url_decode(n.key)' : 'n.key';
  // A join, not a correlated EXISTS: engines hash it instead of scanning the table once per row.
  const copied =
    p.copyPlanDates.length === 0
      ? ''
      : `  LEFT JOIN (SELECT DISTINCT key, version_id FROM ${table} WHERE dt IN (${p.copyPlanDates.map(partition).join(', ')}) AND is_latest AND NOT is_delete_marker ` +
        "AND encryption_status = 'NOT-SSE') c ON c.key = n.key AND c.version_id = n.version_id";
  const superseded = p.copyPlanDates.length === 0 ? '0' : 'CASE WHEN c.key IS NULL THEN 0 ELSE 1 END';
  const conditions = [`n.dt = ${partition(p.dt)}`, 'NOT n.is_latest', 'NOT n.is_delete_marker'];
  if (p.prefix) conditions.push(`substr(${key}, 1, ${p.prefix.length}) = ${literal(p.prefix)}`);
  return [
    'SELECT COUNT(*) AS versions, SUM(size) AS bytes,',
    '  SUM(superseded) AS superseded_versions, SUM(superseded * size) AS superseded_bytes,',
    '  SUM(1 - superseded) AS beyond_versions, SUM((1 - superseded) * size) AS beyond_bytes,',
    '  SUM((1 - superseded) * non_compliant) AS beyond_non_compliant_versions,',
    '  SUM(non_compliant) AS non_compliant_versions, SUM(locked) AS locked_versions, SUM(locked * size) AS locked_bytes',
    'FROM (',
    `  SELECT CAST(n.size AS BIGINT) AS size, ${superseded} AS superseded,`,
    `    CASE WHEN n.${COMPLIANT.replace(' AND ', ' AND n.')} THEN 0 ELSE 1 END AS non_compliant,`,
    `    CASE WHEN n.object_lock_legal_hold_status = 'ON' OR ${retentionHoldsSql('n.object_lock_retain_until_date', p.format, p.now)} THEN 1 ELSE 0 END AS locked,`,
    '    row_number() OVER (PARTITION BY n.key ORDER BY n.last_modified_date DESC) AS noncurrent_rank',
    `  FROM ${table} n`,
    ...(copied ? [copied] : []),
    `  WHERE ${conditions.join(' AND ')}`,
    ') noncurrent',
    `WHERE noncurrent_rank > ${Math.floor(p.newerNoncurrentVersions)}`,
  ].join('\n');
}

/** A row of expirationLockedSampleQuery. */
export const lockedVersionRow = z.object({
  key: cell,
  version_id: cell,
  object_lock_mode: cell,
  object_lock_retain_until_date: cell,
  object_lock_legal_hold_status: cell,
});

/** Up to `limit` noncurrent versions held by Object Lock (legal hold or retention): lifecycle cannot remove them. */
export function expirationLockedSampleQuery(
  database: string,
  table: string,
  dt: string,
  now: string,
  limit: number,
  format: InventoryFormat,
): string {
  return [
    'SELECT key, version_id, object_lock_mode, object_lock_retain_until_date, object_lock_legal_hold_status',
    `FROM ${identifier(database)}.${identifier(table)}`,
    `WHERE dt = ${partition(dt)} AND NOT is_latest AND NOT is_delete_marker`,
    `  AND (object_lock_legal_hold_status = 'ON' OR ${retentionHoldsSql('object_lock_retain_until_date', format, now)})`,
    'ORDER BY key, version_id',
    `LIMIT ${Math.floor(limit)}`,
  ].join('\n');
}

export interface NewVersionsProps {
  readonly database: string;
  readonly table: string;
  /** The inventory to count in (the newest). */
  readonly dt: string;
  /** The inventories the migration was planned from: the keys it migrated are those not compliant there. */
  readonly planDates: readonly string[];
  /** ISO time the migration started. */
  readonly since: string;
  /**
   * ISO time from which versions count on the keys a Batch Operations copy job copied (unencrypted
   * current versions in a plan's inventory): the snapshot of the inventory its manifest came from. A
   * copy job copies the inventory's version whatever was written after the snapshot, so a write in
   * between lies under the copy. @default since
   */
  readonly copiedSince?: string;
  /** CSV reports type last_modified_date as a string; Parquet and ORC as a timestamp. */
  readonly format: 'CSV' | 'Parquet' | 'ORC';
  /** Without: the count; with: up to this many examples. */
  readonly limit?: number;
}

/** The one row of newVersionsQuery without a limit. */
export const newVersionsCountRow = z.object({ created: cell });

/**
 * Versions written since the migration started on the keys it migrated (keys with a current version
 * not compliant in a plan's inventory). Each copy in place accounts for one; UpdateObjectEncryption
 * for none.
 */
export function newVersionsQuery(p: NewVersionsProps): string {
  if (p.planDates.length === 0) throw new Error('newVersionsQuery needs the inventories the migration was planned from');
  const table = `${identifier(p.database)}.${identifier(p.table)}`;
  const lastModified = p.format === 'CSV' ? 'from_iso8601_timestamp(n.last_modified_date)' : 'n.last_modified_date';
  const since = `from_iso8601_timestamp(${literal(p.since)})`;
  const from =
    p.copiedSince === undefined ? since : `CASE WHEN m.copied THEN from_iso8601_timestamp(${literal(p.copiedSince)}) ELSE ${since} END`;
  const body = [
    `FROM ${table} n`,
    `  JOIN (SELECT key, bool_or(encryption_status = 'NOT-SSE') AS copied FROM ${table} WHERE dt IN (${p.planDates.map(partition).join(', ')}) AND is_latest AND NOT is_delete_marker AND NOT (${COMPLIANT}) GROUP BY key) m ON m.key = n.key`,
    `WHERE n.dt = ${partition(p.dt)} AND NOT n.is_delete_marker AND ${lastModified} >= ${from}`,
  ];
  return p.limit === undefined
    ? ['SELECT COUNT(*) AS created', ...body].join('\n')
    : ['SELECT n.key, n.version_id', ...body, 'ORDER BY n.key, n.version_id', `LIMIT ${Math.floor(p.limit)}`].join('\n');
}
