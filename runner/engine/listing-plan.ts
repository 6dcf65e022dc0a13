// `migrate plan --from-listing`: the plan from ListObjectVersions and HeadObject, for rehearsals with
// no inventory yet (moto, LocalStack, the first 48 hours after a deploy). Reads only; priced for the
// direct engine, which is what works from a listing. ListObjectVersions says nothing of Object Lock;
// the HeadObject each version gets for its encryption anyway carries the lock headers (mode,
// retain-until date, legal hold), so locks cost no request of their own.
import { listVersions } from '../aws/objects';
import type { BucketOutput } from '../../stacks/outputs';
import type { RunContext } from '../context';
import { migrationPlan, type MigrationPlan } from './plan';
import { bucketPlan, type BucketPlan, type PlanRow } from '../core/plan';
import { LOCKED_ACTIONS } from '../core/plan-query';
import type { Output } from '../output';
import { classifyListed, type WorkItem } from './version-work';

/** HeadObject calls in flight. */
const HEADS_IN_FLIGHT = 16;

async function listingBucketPlan(ctx: RunContext, bucket: BucketOutput, output: Output): Promise<BucketPlan> {
  const env = { s3: ctx.clients.s3, bucket, kmsKeyArn: ctx.outputs.kms_key_arn, hooks: {} };
  const rows = new Map<
    string,
    { action: string; storageClass: string; versions: number; bytes: number; retainUntil: string[]; legalHolds: number }
  >();
  let listed = 0;
  const classify = async (items: WorkItem[]) => {
    for (const result of await Promise.all(items.map((item) => classifyListed(env, item)))) {
      if (!result) continue;
      const id = `${result.action}\u0000${result.storageClass}`;
      const row = rows.get(id) ?? {
        action: result.action,
        storageClass: result.storageClass,
        versions: 0,
        bytes: 0,
        retainUntil: [],
        legalHolds: 0,
      };
      row.versions += 1;
      row.bytes += result.size;
      if ((LOCKED_ACTIONS as readonly string[]).includes(result.action) && result.head) {
        const until = result.head.lock.retainUntil?.toISOString();
        // Only the earliest and the latest are kept: the row stays small however many versions it counts.
        if (until) row.retainUntil = [...row.retainUntil, until].sort().filter((_, i, all) => i === 0 || i === all.length - 1);
        if (result.head.lock.legalHold === 'ON') row.legalHolds += 1;
      }
      rows.set(id, row);
    }
    listed += items.length;
    output.progress(`Classifying ${bucket.bucket} from its listing: ${listed.toLocaleString('en-US')} versions`);
  };
  let batch: WorkItem[] = [];
  for await (const v of listVersions(ctx.clients.s3, bucket.bucket, bucket.prefix_filter)) {
    batch.push({ key: v.key, versionId: v.versionId, isLatest: v.isLatest, size: v.size, storageClass: v.storageClass });
    if (batch.length >= HEADS_IN_FLIGHT) {
      await classify(batch);
      batch = [];
    }
  }
  await classify(batch);
  const planRows: PlanRow[] = [...rows.values()].map((r) => ({
    action: r.action,
    storage_class: r.storageClass,
    versions: String(r.versions),
    bytes: String(r.bytes),
    retain_until_min: r.retainUntil[0] ?? '',
    retain_until_max: r.retainUntil[r.retainUntil.length - 1] ?? '',
    legal_holds: String(r.legalHolds),
  }));
  return bucketPlan(bucket.bucket, 'listing', planRows, { usesAcls: bucket.uses_acls });
}

export async function planFromListing(ctx: RunContext, output: Output): Promise<MigrationPlan> {
  const buckets: BucketPlan[] = [];
  for (const bucket of Object.values(ctx.outputs.buckets)) buckets.push(await listingBucketPlan(ctx, bucket, output));
  return migrationPlan(ctx.outputs.stack, buckets, ctx.outputs.noncurrent_days, 'direct');
}
