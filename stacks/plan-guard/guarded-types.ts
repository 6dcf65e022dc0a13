// The resource types the migration cannot lose: what destroying or replacing each does to it, and what to do instead.
import { bucketLabel, nameOf, ownBucketLabel, ownBucketRole } from './labels';
import type { ResourceChange } from './plan-json';
import type { Whereabouts } from './stack-in-plan';

/**
 * Job statuses in which S3 Batch Operations still acts as the role: every status but Complete,
 * Failed and Cancelled (a job writes its completion report as the role while Completing or Failing,
 * and a Paused one resumes as the role).
 */
export const UNFINISHED_JOB_STATUSES: readonly string[] = [
  'New',
  'Preparing',
  'Suspended',
  'Ready',
  'Active',
  'Pausing',
  'Paused',
  'Completing',
  'Failing',
  'Cancelling',
];

const RENAMED_OR_REMOVED =
  'If a construct id, resource name or module address changed, restore it or add a `moved` block ' +
  '(`npx tsx terraform-modules/tools/moved-blocks.ts` writes them for a move from CDKTF to the module); ' +
  'if a bucket or a module call was removed, restore it; a destroy plan (`cdktf destroy`, `terraform plan -destroy`) ' +
  'of a migrated stack is never routine: check the workspace.';

/** The key and alias carry prevent_destroy, so a plan that destroys them got past it somehow. */
const PAST_PREVENT_DESTROY =
  'The key and its alias carry prevent_destroy, which holds only while their block is in the configuration: ' +
  'a plan that destroys one means the block is gone (renamed or removed) or prevent_destroy was taken out.';

export interface GuardedType {
  readonly subject: (change: ResourceChange) => string;
  /** What destroying or replacing it would do to the migration. */
  readonly harm: (change: ResourceChange) => string;
  readonly fix: (change: ResourceChange, where: Whereabouts) => string;
  /** Allowed only when someone has checked that no Batch Operations job can still use it. */
  readonly whileJobsRun?: boolean;
}

export const GUARDED_TYPES: Readonly<Record<string, GuardedType>> = {
  aws_kms_key: {
    subject: () => "the migration's KMS key",
    harm: () =>
      'Every migrated object version can be decrypted only with this key: destroyed, they become unreadable for good ' +
      'once its deletion window ends; replaced, the stack moves to a new key the existing objects are not under',
    fix: () =>
      `Do not apply this plan. ${PAST_PREVENT_DESTROY} ${RENAMED_OR_REMOVED} A key is retired only on purpose: ` +
      'disable it first, watch the key alarm, keep the deletion window (README, "Retiring the key").',
  },
  aws_kms_alias: {
    subject: (c) => `the key's alias${nameOf(c, 'name')}`,
    harm: () =>
      'The runner and people find the key by this alias (output kms_key_alias): while it is missing or names another ' +
      "key, the runner's preflight refuses to run and anyone encrypting with the alias gets an error or another key",
    fix: () =>
      `Do not apply this plan. ${PAST_PREVENT_DESTROY} ${RENAMED_OR_REMOVED} ` +
      'For a new alias name, add the new alias beside the old one instead.',
  },
  aws_kms_key_policy: {
    subject: () => "the key's policy",
    harm: () => 'Without it the key access it grants is gone, and with it access to every migrated object',
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    subject: (c) => `default encryption of ${bucketLabel(c)}`,
    harm: () =>
      "Without it new uploads land under SSE-S3 instead of the key, and the runner's preflight fails; a replace leaves " +
      'that gap open between the destroy and the create',
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket_policy: {
    subject: (c) => `the policy of ${bucketLabel(c)}`,
    harm: () =>
      "Destroying it deletes the bucket's whole policy, the statements it had before the migration (merged into this one) " +
      'as well as the TLS-only and encryption denies; a replace leaves the bucket without a policy in between',
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket_versioning: {
    subject: (c) => `versioning of ${bucketLabel(c)}`,
    harm: () =>
      'Destroying it suspends versioning: an overwrite then replaces the object instead of keeping the previous version ' +
      "(a copy in place keeps nothing to fall back on; the runner's state keeps no history), and the runner's preflight fails",
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket_inventory: {
    subject: (c) => `the S3 Inventory configuration of ${bucketLabel(c)}`,
    harm: () =>
      'The runner plans from these reports and verify proves the migration with them: without it no report arrives and verify cannot pass',
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket: {
    subject: (c) => ownBucketLabel(c),
    harm: (c) => {
      const role = ownBucketRole(c);
      if (role === 'inventory')
        return "It holds every migrated bucket's inventory reports, which the runner plans from and verify proves with; a replacement is an empty bucket with another name";
      if (role === 'reports')
        return "It holds the manifests, the completion reports (the migration's audit trail) and the runner's state; a replacement is an empty bucket with another name";
      return 'The stack creates no other bucket (the migrated buckets exist already): this one may hold Terraform state or data the stack does not know of';
    },
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_iam_role: {
    subject: (c) => `the Batch Operations role${nameOf(c, 'name')}`,
    harm: () =>
      'S3 Batch Operations jobs act as this role until they finish: destroyed or replaced, every task still to run fails with ' +
      'AccessDenied, and the guard cannot see jobs',
    fix: (_, where) => jobsFinishedFix(where),
    whileJobsRun: true,
  },
  // The role's permissions: deleting them mid-job fails the job just as deleting the role does.
  aws_iam_role_policy: {
    subject: (c) => `the Batch Operations role's inline policy${nameOf(c, 'name')}`,
    harm: () =>
      'S3 Batch Operations jobs act with these permissions until they finish: destroyed or replaced, tasks run in between ' +
      'fail with AccessDenied, and the guard cannot see jobs',
    fix: (_, where) => jobsFinishedFix(where),
    whileJobsRun: true,
  },
};

function jobsFinishedFix(where: Whereabouts): string {
  return (
    `Check that no job is unfinished: \`aws s3control list-jobs --account-id ${where.account ?? '<account id>'} ` +
    `--region ${where.region ?? "<the stack's region>"} ` +
    `--job-statuses ${UNFINISHED_JOB_STATUSES.join(' ')}\` (\`npm run migrate -- status\` shows only the jobs the runner made). ` +
    'When it lists no job, run the guard again with --batch-jobs-finished.'
  );
}
