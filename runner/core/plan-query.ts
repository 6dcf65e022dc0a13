// The Athena SQL the runner sends: the project's own, executed for real by Athena (and the sandbox).
import { z } from 'zod';
import { GLUE_NAME } from '../../stacks/outputs';
import { actionSqlExpression, type ClassifyOptions } from './classify';

/**
 * Quotes an identifier for Athena (Trino). The outputs parser already refused any other name
 * (exit 3); this guards callers that pass names from elsewhere.
 */
export function identifier(name: string): string {
  if (!GLUE_NAME.test(name))
    throw new Error(`Unexpected Glue name ${JSON.stringify(name)}: expected lower-case letters, digits and underscores`);
  return `"${name}"`;
}

const PARTITION = /^(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})$/;

/** The inventory partition `dt` as an SQL literal; refuses anything but YYYY-MM-DD-HH-MM. */
export function partition(dt: string): string {
  if (!PARTITION.test(dt)) throw new Error(`Inventory partition must be YYYY-MM-DD-HH-MM. Received: ${dt}`);
  return `'${dt}'`;
}

/** When the snapshot of the report in partition `dt` (YYYY-MM-DD-HH-MM, UTC) was taken, as an ISO time. */
export function partitionTime(dt: string): string {
  const match = PARTITION.exec(dt);
  if (!match) throw new Error(`Inventory partition must be YYYY-MM-DD-HH-MM. Received: ${dt}`);
  return `${match[1]}T${match[2]}:${match[3]}:00.000Z`;
}

/** The actions whose versions are under Object Lock: the plan names their retain-until dates and legal holds. */
export const LOCKED_ACTIONS = ['copy-locked', 'noncurrent-locked', 'locked-archived', 'compliant-locked'] as const;

/**
 * Versions and bytes per action and storage class in one inventory partition; for locked versions
 * also the earliest and latest retain-until date (in the column's own type: ISO 8601 text in CSV
 * inventories, whose fixed format orders as time does, epoch milliseconds in Parquet and ORC) and how
 * many are under a legal hold.
 */
export function planQuery(database: string, table: string, dt: string, classify: ClassifyOptions = {}): string {
  const locked = `action IN (${LOCKED_ACTIONS.map((a) => `'${a}'`).join(', ')})`;
  // An empty CSV field is no date: NULL, which MIN and MAX skip.
  const until =
    (classify.inventoryFormat ?? 'CSV') === 'CSV' ? "NULLIF(object_lock_retain_until_date, '')" : 'object_lock_retain_until_date';
  return [
    'SELECT action, storage_class, COUNT(*) AS versions, SUM(CAST(size AS BIGINT)) AS bytes,',
    `  MIN(CASE WHEN ${locked} THEN retain_until END) AS retain_until_min,`,
    `  MAX(CASE WHEN ${locked} THEN retain_until END) AS retain_until_max,`,
    `  SUM(CASE WHEN ${locked} AND legal_hold = 'ON' THEN 1 ELSE 0 END) AS legal_holds`,
    'FROM (',
    `  SELECT ${actionSqlExpression(classify).replace(/\n/g, '\n  ')} AS action,`,
    // A delete marker has no size: CSV reports leave it empty, and Trino refuses CAST('' AS BIGINT).
    '    storage_class, CASE WHEN is_delete_marker THEN NULL ELSE size END AS size,',
    `    ${until} AS retain_until, COALESCE(object_lock_legal_hold_status, '') AS legal_hold`,
    `  FROM ${identifier(database)}.${identifier(table)}`,
    `  WHERE dt = ${partition(dt)}`,
    ') classified',
    'GROUP BY action, storage_class',
    'ORDER BY action, storage_class',
  ].join('\n');
}

function manifestConditions(
  dt: string,
  actions: string | readonly string[],
  storageClass: string | undefined,
  classify: ClassifyOptions,
): string {
  const list = typeof actions === 'string' ? [actions] : actions;
  for (const action of list) if (!/^[a-z-]+$/.test(action)) throw new Error(`Unexpected action ${JSON.stringify(action)}`);
  const conditions = [`dt = ${partition(dt)}`, `(${actionSqlExpression(classify)}) IN (${list.map((a) => `'${a}'`).join(', ')})`];
  if (storageClass !== undefined) {
    if (!/^[A-Z_]+$/.test(storageClass)) throw new Error(`Unexpected storage class ${JSON.stringify(storageClass)}`);
    conditions.push(`storage_class = '${storageClass}'`);
  }
  return conditions.join('\n  AND ');
}

/** A cell of a query's result: Athena hands every value over as text, and NULL as ''. */
export const cell = z.string();

/** A row of planQuery: the versions and bytes of one action in one storage class. */
export interface PlanRow {
  readonly action: string;
  readonly storage_class: string;
  readonly versions: string;
  readonly bytes: string;
  /** Earliest retain-until date of the row's locked versions: ISO 8601 or epoch milliseconds; '' when none. */
  readonly retain_until_min?: string;
  readonly retain_until_max?: string;
  /** How many of the row's locked versions are under a legal hold. */
  readonly legal_holds?: string;
}

/** planQuery selects every column; rows counted elsewhere (a listing, a direct pass) may leave out the lock ones. */
export const planRow: z.ZodType<PlanRow> = z.object({
  action: cell,
  storage_class: cell,
  versions: cell,
  bytes: cell,
  retain_until_min: cell,
  retain_until_max: cell,
  legal_holds: cell,
});

/** A row of manifestQuery. */
export const manifestRow = z.object({ bucket: cell, key: cell, version_id: cell });

/** The versions of some actions (and a storage class) to put in a manifest, or to sample. */
export function manifestQuery(
  database: string,
  table: string,
  dt: string,
  actions: string | readonly string[],
  storageClass?: string,
  limit?: number,
  classify: ClassifyOptions = {},
): string {
  const conditions = manifestConditions(dt, actions, storageClass, classify);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new Error(`Sample size must be a positive whole number. Received: ${limit}`);
  return [
    'SELECT bucket, key, version_id',
    `FROM ${identifier(database)}.${identifier(table)}`,
    `WHERE ${conditions}`,
    // A sample must be the same on every run of the same inventory, so that plans are too.
    ...(limit !== undefined ? ['ORDER BY key, version_id', `LIMIT ${limit}`] : []),
  ].join('\n');
}

/**
 * The versions the runner itself works on (direct engine, copies outside Batch Operations), with
 * their action, in one deterministic order: a checkpoint counts rows of this order.
 */
export function directWorkQuery(
  database: string,
  table: string,
  dt: string,
  actions: readonly string[],
  classify: ClassifyOptions = {},
): string {
  if (actions.length === 0 || actions.some((a) => !/^[a-z-]+$/.test(a))) throw new Error(`Unexpected actions ${JSON.stringify(actions)}`);
  return [
    'SELECT key, version_id, action, storage_class, size, e_tag',
    'FROM (',
    `  SELECT key, version_id, storage_class, size, e_tag, ${actionSqlExpression(classify).replace(/\n/g, '\n  ')} AS action`,
    `  FROM ${identifier(database)}.${identifier(table)}`,
    `  WHERE dt = ${partition(dt)}`,
    ') classified',
    `WHERE action IN (${actions.map((a) => `'${a}'`).join(', ')})`,
    'ORDER BY key, version_id',
  ].join('\n');
}

export interface UnloadTarget {
  readonly bucket: string;
  /** A folder: ends with '/'. */
  readonly prefix: string;
}

/**
 * Has Athena write the versions of some actions (and a storage class) as the data files of an
 * inventory-format Batch Operations manifest (Bucket, Key, VersionId; gzip CSV, no header), so no
 * key passes through the runner. Keys must be URL-encoded as in a CSV inventory: CSV inventories
 * already store them so, Parquet and ORC do not. The null version keeps an empty version id, as in
 * an inventory (Batch Operations reads it as `null`); coalesce, because an empty CSV field may read
 * as NULL, which UNLOAD would write as `\N`.
 */
export function manifestUnloadQuery(
  database: string,
  table: string,
  dt: string,
  actions: string | readonly string[],
  storageClass: string | undefined,
  keysUrlEncoded: boolean,
  target: UnloadTarget,
  classify: ClassifyOptions = {},
): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(target.bucket)) throw new Error(`Unexpected bucket name ${JSON.stringify(target.bucket)}`);
  if (!target.prefix.endsWith('/')) throw new Error(`The UNLOAD target must be a folder ending in '/'. Received: ${target.prefix}`);
  return [
    'UNLOAD (',
    `  SELECT bucket, ${keysUrlEncoded ? 'key' : 'url_encode(key)'}, coalesce(version_id, '')`,
    `  FROM ${identifier(database)}.${identifier(table)}`,
    `  WHERE ${manifestConditions(dt, actions, storageClass, classify).replace(/\n/g, '\n  ')}`,
    ')',
    `TO 's3://${target.bucket}/${target.prefix.replace(/'/g, "''")}'`,
    "WITH (format = 'TEXTFILE', field_delimiter = ',', compression = 'GZIP')",
  ].join('\n');
}
