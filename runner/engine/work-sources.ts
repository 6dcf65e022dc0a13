// Where a pass's items come from: the newest inventory through Athena, a version listing, or the
// failures an earlier run recorded.
import { parse } from 'csv-parse';
import type { BucketOutput } from '../../stacks/outputs';
import { runQuery } from '../aws/athena';
import { listVersions } from '../aws/objects';
import { objectStream, parseS3Url } from '../aws/s3';
import type { VersionPosition } from '../core/checkpoint';
import { ACTIONABLE, type ActionableAction } from '../core/classify';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import { directWorkQuery } from '../core/plan-query';
import type { RunContext } from '../context';
import type { DirectFailure } from '../state';
import { inventoryClassifyOptions } from '../stack-outputs';
import type { WorkEnv, WorkItem } from './version-work';

/** Versions of one bucket with their action, from the newest inventory through Athena, in checkpoint order. */
export async function* inventoryItems(
  ctx: RunContext,
  bucket: BucketOutput,
  dt: string,
  actions: readonly (ActionableAction | 'compliant')[],
  skipRows: number,
): AsyncGenerator<WorkItem> {
  const { outputs, clients } = ctx;
  const query = await runQuery(
    clients.athena,
    directWorkQuery(outputs.glue_database, bucket.glue_table, dt, actions, inventoryClassifyOptions(bucket, dt)),
    {
      workgroup: outputs.athena_workgroup,
      database: outputs.glue_database,
    },
  );
  const result = parseS3Url(query.outputLocation);
  // Streamed row by row: memory does not grow with the number of versions.
  const rows = (await objectStream(clients.s3, result.bucket, result.prefix)).pipe(parse({ columns: true }));
  const urlEncoded = bucket.inventory_format === 'CSV';
  let index = 0;
  for await (const row of rows as AsyncIterable<{
    key: string;
    version_id: string;
    action: ActionableAction | 'compliant';
    storage_class: string;
    e_tag: string;
  }>) {
    if (index++ < skipRows) continue;
    // 'compliant' rows are asked for only when the plan's key check found SSE-KMS under another key:
    // inventory cannot tell which, so every SSE-KMS version is re-wrapped, as the batch engine does.
    const action = row.action === 'compliant' ? 'update-encryption' : row.action;
    // A plain copy is made on the inventory's word (its ETag and class), checked by S3 as it writes.
    const copyFacts = action === 'copy' && row.e_tag && row.storage_class ? { eTag: row.e_tag, storageClass: row.storage_class } : {};
    yield { key: decodeInventoryKey(row.key, urlEncoded), versionId: inventoryVersionId(row.version_id), action, ...copyFacts };
  }
}

/** Every version of one bucket from a listing, after a checkpoint's position: HeadObject classifies each. */
export async function* listingItems(
  ctx: RunContext,
  bucket: BucketOutput,
  after: VersionPosition | undefined,
  env: WorkEnv,
): AsyncGenerator<WorkItem> {
  for await (const v of listVersions(ctx.clients.s3, bucket.bucket, bucket.prefix_filter, after, env.hooks)) {
    yield { key: v.key, versionId: v.versionId, isLatest: v.isLatest, size: v.size, storageClass: v.storageClass };
  }
}

/** The versions an earlier run of this pass failed, with the action it had for each. */
export async function* failedItems(failures: AsyncIterable<DirectFailure>): AsyncGenerator<WorkItem> {
  for await (const f of failures) {
    const action = (ACTIONABLE as readonly string[]).includes(f.action) ? (f.action as ActionableAction) : undefined;
    yield { key: f.key, versionId: f.versionId, ...(action ? { action } : {}) };
  }
}
