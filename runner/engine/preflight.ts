// Preflight: every check that must hold before the runner writes anything, all reported together.
import { describeKey } from '../aws/kms';
import { InventoryReport, bucketEncryption, bucketVersioning, newestInventory, parseS3Url } from '../aws/s3';
import { workgroupExists } from '../aws/athena';
import { PreflightError } from '../errors';
import { isMigrationKey } from '../core/migration-key';
import { inventoryAgeLimitHours } from '../core/inventory-age';
import { datedAfterNow } from '../core/inventory-evidence';
import { accountProblem, type RunContext } from '../context';
import type { BucketOutput } from '../../stacks/outputs';
import { inventoryEvidence, type InventoryEvidence } from './inventory-evidence';
import { discoverBucketAccess, type BucketAccess } from './bucket-access';
import { discoverDownstream, type DownstreamFound } from './downstream';

export interface PreflightOptions {
  /** Newest inventory may be at most this old. @default 48 h for daily, 8 days for weekly reports */
  readonly maxInventoryAgeHours?: number;
  readonly now?: Date;
  /**
   * False for the direct engine working from a version listing (LocalStack, moto, no inventory yet):
   * no inventory report and no Athena workgroup are needed then. @default true
   */
  readonly requireInventory?: boolean;
}

export interface PreflightResult {
  /** Newest inventory report per bucket. */
  readonly inventories: ReadonlyMap<string, InventoryReport>;
  /** Per bucket, who reads and writes it and whether the key lets them on: a run refuses while one would lose access. */
  readonly access: readonly BucketAccess[];
  /** Per bucket, its replication and notification configurations: assessed against the plan's counts. */
  readonly downstream: readonly DownstreamFound[];
  /** Per bucket, what its report was checked against: manifest, symlink, data files, Athena's rows. */
  readonly evidence: ReadonlyMap<string, InventoryEvidence>;
}

/** What to do about a report that cannot be planned from; a plan from it would call the bucket done. */
function cannotPlan(bucket: BucketOutput, report: InventoryReport, why: string): string {
  return (
    `bucket ${bucket.bucket}: cannot plan from inventory ${report.dt} (s3://${parseS3Url(bucket.inventory_location).bucket}/${report.manifestKey}): ${why}: ` +
    "wait for the next inventory delivery and run again; if it shows the same, check the bucket's inventory configuration (enabled, destination, format) and what else writes to its destination"
  );
}

export async function preflight(ctx: RunContext, options: PreflightOptions = {}): Promise<PreflightResult> {
  const { outputs, clients } = ctx;
  const problems: string[] = [];
  const now = options.now ?? new Date();

  const wrongAccount = await accountProblem(ctx);
  if (wrongAccount) problems.push(wrongAccount);

  const key = await describeKey(clients.kms, outputs.kms_key_alias);
  if (!key) {
    problems.push(`KMS alias ${outputs.kms_key_alias} does not exist: deploy the stack (npx cdktf deploy ${outputs.stack})`);
  } else {
    if (key.arn !== outputs.kms_key_arn) {
      problems.push(
        `alias ${outputs.kms_key_alias} names ${key.arn}, not the stack's key ${outputs.kms_key_arn}: point the alias back or redeploy`,
      );
    }
    if (!key.enabled && key.keyState !== 'PendingDeletion') {
      problems.push(
        `KMS key ${key.arn} is ${key.keyState}: enable it (aws kms enable-key) before migrating, or every object written under it is unreadable`,
      );
    }
  }
  // The stack's key, whatever the alias names now: Terraform plans a new key (and moves the alias to
  // it) when the old one is pending deletion, while every migrated version stays under the old one.
  const stackKey = key?.arn === outputs.kms_key_arn ? key : await describeKey(clients.kms, outputs.kms_key_arn);
  if (stackKey?.keyState === 'PendingDeletion') {
    problems.push(
      `KMS key ${stackKey.arn} is scheduled for deletion${stackKey.deletionDate ? ` on ${stackKey.deletionDate.toISOString()}` : ''}: every version migrated under it becomes unreadable for good then. ` +
        `Cancel it now: aws kms cancel-key-deletion --key-id ${stackKey.arn} && aws kms enable-key --key-id ${stackKey.arn}`,
    );
  }

  const inventories = new Map<string, InventoryReport>();
  for (const bucket of Object.values(outputs.buckets)) {
    const encryption = await bucketEncryption(clients.s3, bucket.bucket);
    if (
      !encryption ||
      encryption.algorithm !== 'aws:kms' ||
      !isMigrationKey(encryption.kmsKeyId, { arn: outputs.kms_key_arn, alias: outputs.kms_key_alias })
    ) {
      problems.push(
        `bucket ${bucket.bucket}: default encryption is ${encryption ? `${encryption.algorithm} ${encryption.kmsKeyId ?? ''}`.trim() : 'not set'}, ` +
          `not aws:kms with ${outputs.kms_key_arn}: deploy the stack so new writes land compliant`,
      );
    } else if (!encryption.bucketKeyEnabled) {
      problems.push(
        `bucket ${bucket.bucket}: Bucket Key is off in default encryption: deploy the stack (Bucket Keys cut KMS requests and cost)`,
      );
    }
    if (bucket.versioning) {
      const status = await bucketVersioning(clients.s3, bucket.bucket);
      if (status !== 'Enabled') {
        problems.push(
          `bucket ${bucket.bucket}: versioning is ${status}, the stack declares Enabled: deploy the stack before copying in place`,
        );
      }
    }
    if (options.requireInventory === false) continue;
    const report = await newestInventory(clients.s3, parseS3Url(bucket.inventory_location));
    const maxAgeHours = inventoryAgeLimitHours(bucket.inventory_frequency, options.maxInventoryAgeHours);
    if (!report) {
      problems.push(
        `bucket ${bucket.bucket}: no inventory report yet in ${bucket.inventory_location}: ` +
          'the first report can take up to 48 hours after the stack is deployed; run again later, or rehearse without one: ' +
          '`migrate plan --from-listing`, `migrate run --engine direct --from-listing`',
      );
    } else {
      const ageHours = (now.getTime() - report.createdAt.getTime()) / 3_600_000;
      const hidden = datedAfterNow(report, now);
      if (hidden) {
        problems.push(cannotPlan(bucket, report, `${hidden}: Athena would count no version and the plan would find nothing to do`));
      } else if (ageHours > maxAgeHours) {
        problems.push(
          `bucket ${bucket.bucket}: newest inventory (${report.dt}) is ${Math.round(ageHours)} hours old, over the ${maxAgeHours}-hour limit: ` +
            'check the inventory configuration is enabled, or pass --max-inventory-age-hours',
        );
      } else {
        inventories.set(bucket.bucket, report);
      }
    }
  }

  if (options.requireInventory !== false && !(await workgroupExists(clients.athena, outputs.athena_workgroup))) {
    problems.push(`Athena workgroup ${outputs.athena_workgroup} does not exist: deploy the stack`);
  }

  // The report must be the whole bucket before its counts say what is left: an empty symlink or a swapped data file reads as "nothing to do".
  const evidence = new Map<string, InventoryEvidence>();
  if (problems.length === 0) {
    for (const bucket of Object.values(outputs.buckets)) {
      const report = inventories.get(bucket.bucket);
      if (!report) continue;
      const found = await inventoryEvidence(ctx, bucket, report);
      if (found.problems.length > 0) problems.push(cannotPlan(bucket, report, found.problems.join('; ')));
      evidence.set(bucket.bucket, found);
    }
  }

  if (problems.length > 0) throw new PreflightError(problems);
  const access = await discoverBucketAccess(ctx, Object.values(outputs.buckets));
  const downstream = await discoverDownstream(ctx, Object.values(outputs.buckets));
  return { inventories, evidence, access, downstream };
}
