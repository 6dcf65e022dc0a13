// Test support: the inventory's versions classified twice, by the plan's SQL in Athena and by
// classifyVersion in TypeScript, so a test can hold the two rules to each other row by row.
import { queryRows, runQuery } from '../../../runner/aws/athena';
import { actionSqlExpression, classifyVersion, type Action, type ClassifyOptions } from '../../../runner/core/classify';
import { z } from 'zod';
import type { MigrationWorld } from './migration-world';

/** One inventory row as Athena returns it: every column as text. */
const inventoryRow = z.object({
  key: z.string(),
  version_id: z.string(),
  is_latest: z.string(),
  is_delete_marker: z.string(),
  encryption_status: z.string(),
  bucket_key_status: z.string(),
  storage_class: z.string(),
  size: z.string(),
  object_lock_mode: z.string(),
  object_lock_legal_hold_status: z.string(),
  retain_until: z.string(),
  action: z.string(),
});
export type InventoryRow = z.infer<typeof inventoryRow>;

/**
 * Every version of one inventory partition with the fields classification reads, the retention date
 * as text (`retain_until`) and the SQL rule's answer (`action`).
 */
export async function classifiedInAthena(
  world: MigrationWorld,
  { table, dt, options }: { readonly table: string; readonly dt: string; readonly options?: ClassifyOptions },
): Promise<InventoryRow[]> {
  const { outputs } = world.context();
  const sql = `SELECT key, version_id, is_latest, is_delete_marker, encryption_status, bucket_key_status, storage_class, size, object_lock_mode, object_lock_legal_hold_status,
      CAST(object_lock_retain_until_date AS VARCHAR) AS retain_until, ${actionSqlExpression(options)} AS action
      FROM "${outputs.glue_database}"."${table}" WHERE dt = '${dt}'`;
  const query = await runQuery(world.clients.athena, sql, {
    workgroup: outputs.athena_workgroup,
    database: outputs.glue_database,
    pollMs: 20,
  });
  return queryRows(world.clients.athena, query.queryExecutionId, inventoryRow);
}

/** The TypeScript rule's answer for a row of `classifiedInAthena`. */
export function classifiedInTypeScript(row: InventoryRow, options?: ClassifyOptions): Action {
  // Booleans come back from Athena as text, spelled true or 1.
  const truthy = (v: string) => v === 'true' || v === '1';
  // The retention date comes back as epoch milliseconds or as an ISO timestamp, by inventory format.
  const retainUntil = row.retain_until ? new Date(/^\d+$/.test(row.retain_until) ? Number(row.retain_until) : row.retain_until) : undefined;
  return classifyVersion(
    {
      isDeleteMarker: truthy(row.is_delete_marker),
      isLatest: truthy(row.is_latest),
      encryptionStatus: row.encryption_status,
      bucketKeyStatus: row.bucket_key_status,
      storageClass: row.storage_class,
      size: Number(row.size || 0),
      objectLockMode: row.object_lock_mode,
      legalHoldStatus: row.object_lock_legal_hold_status,
      ...(retainUntil ? { retainUntil } : {}),
    },
    options,
  );
}
