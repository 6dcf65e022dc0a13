// The plan guard's rules: which planned changes the migration cannot survive, and why. Pure, no I/O.
import type { ResourceChange, TerraformPlan } from './plan-json';

/** What a resource change does, from Terraform's `change.actions`. */
export type ChangeKind = 'no-op' | 'create' | 'read' | 'update' | 'replace' | 'destroy' | 'forget' | 'unrecognised';

export const CHANGE_KINDS: readonly ChangeKind[] = ['no-op', 'create', 'read', 'update', 'replace', 'destroy', 'forget', 'unrecognised'];

/**
 * The sid of the key policy statement that lists `key.users` (stacks/constructs/encryption-key.ts,
 * terraform-modules/s3-kms-migration/policies.tf). A test holds this to the construct's statement.
 */
export const KEY_USERS_SID = 'NamedUsersUseKeyThroughS3';

/**
 * Job statuses in which S3 Batch Operations still acts as the role: every status but Complete,
 * Failed and Cancelled (a job writes its completion report as the role while Completing or Failing,
 * and a Paused one resumes as the role).
 */
export const UNFINISHED_JOB_STATUSES: readonly string[] = [
  'New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Pausing', 'Paused', 'Completing', 'Failing', 'Cancelling',
];

export interface GuardOptions {
  /**
   * Someone checked that no Batch Operations job of the stack is unfinished: the role may be
   * destroyed or replaced.
   * @default false
   */
  readonly batchJobsFinished?: boolean;
  /**
   * Key users (principal ARNs) whose removal from the key policy is intended.
   * @default []
   */
  readonly allowedKeyUserRemovals?: readonly string[];
}

/** One change the guard refused, or let through on an explicit flag or with a notice. */
export interface Finding {
  readonly verdict: 'refused' | 'allowed';
  readonly address: string;
  readonly resourceType: string;
  readonly change: ChangeKind;
  readonly actions: readonly string[];
  /** Terraform's `action_reason`, when it gave one. */
  readonly actionReason?: string;
  /** What the resource is to the migration, e.g. "the migration's KMS key". */
  readonly subject: string;
  /** What the change would do, and why that matters (or why it is let through). */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;
  /** Key users the change takes out of the key policy. */
  readonly removedKeyUsers?: readonly string[];
}

export interface GuardReport {
  /** Resource changes read from the plan, data source reads included. */
  readonly examined: number;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly findings: readonly Finding[];
  readonly refused: number;
}

/** Terraform's action lists, as the JSON plan format documents them. */
export function changeKind(actions: readonly string[]): ChangeKind {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'forget':
      return key;
    case 'delete':
      return 'destroy';
    case 'delete,create':
    case 'create,delete':
    case 'create,forget':
      // create,forget: a new object is created and the old one is left in AWS, unmanaged: still a different object.
      return 'replace';
  }
  // Terraform asks consumers to treat any list holding "delete" as a deletion, for combinations to come.
  return actions.includes('delete') ? 'destroy' : 'unrecognised';
}

/** How the change reads to a reviewer, e.g. "replace (destroy, then create)". */
export function describeActions(actions: readonly string[]): string {
  switch (actions.join(',')) {
    case 'delete,create':
      return 'replace (destroy, then create)';
    case 'create,delete':
      return 'replace (create, then destroy)';
    case 'create,forget':
      return 'replace (create a new one; the old one is forgotten, left in AWS unmanaged)';
    case 'delete':
      return 'destroy';
    default:
      return actions.join(', ');
  }
}

/** Why Terraform planned a replace or destroy, in words a reviewer can act on. */
export function explainActionReason(reason: string | undefined, replacePaths?: readonly (readonly (string | number)[])[]): string | undefined {
  switch (reason) {
    case undefined:
      return undefined;
    case 'replace_because_cannot_update': {
      const paths = (replacePaths ?? []).map((p) => p.join('.')).filter((p) => p.length > 0);
      return `an argument that cannot change in place changed${paths.length > 0 ? `: ${paths.join(', ')}` : ''}`;
    }
    case 'replace_because_tainted':
      return 'it is tainted (an earlier apply failed on it, or someone ran `terraform taint`)';
    case 'replace_by_request':
      return 'the plan was made with -replace for it';
    case 'replace_by_triggers':
      return 'a replace_triggered_by reference changed';
    case 'delete_because_no_resource_config':
      return 'its resource is no longer in the configuration (a bucket taken out of the config, or a construct id or resource renamed without a moved block)';
    case 'delete_because_no_module':
      return 'the module call that declared it is gone';
    case 'delete_because_wrong_repetition':
    case 'delete_because_count_index':
    case 'delete_because_each_key':
      return 'its count index or for_each key is no longer declared';
    case 'delete_because_no_move_target':
      return 'a moved block points it at an address that does not exist';
    default:
      return reason;
  }
}

// --- What each guarded resource type is to the migration ----------------------------------------

const RENAMED_OR_REMOVED =
  'If a construct id, resource name or module address changed, restore it or add a `moved` block ' +
  '(`npx tsx terraform-modules/tools/moved-blocks.ts` writes them for a move from CDKTF to the module); ' +
  'if a bucket or a module call was removed, restore it; a destroy plan (`cdktf destroy`, `terraform plan -destroy`) ' +
  'of a migrated stack is never routine: check the workspace.';

/** The key and alias carry prevent_destroy, so a plan that destroys them got past it somehow. */
const PAST_PREVENT_DESTROY =
  'The key and its alias carry prevent_destroy, which holds only while their block is in the configuration: ' +
  'a plan that destroys one means the block is gone (renamed or removed) or prevent_destroy was taken out.';

interface GuardedType {
  readonly subject: (change: ResourceChange) => string;
  /** What destroying or replacing it would do to the migration. */
  readonly harm: (change: ResourceChange) => string;
  readonly fix: (change: ResourceChange, where: Whereabouts) => string;
  /** Allowed only when someone has checked that no Batch Operations job can still use it. */
  readonly whileJobsRun?: boolean;
}

const GUARDED_TYPES: Readonly<Record<string, GuardedType>> = {
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
      'Without it new uploads land under SSE-S3 instead of the key, and the runner\'s preflight fails; a replace leaves ' +
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
    harm: () => 'The runner plans from these reports and verify proves the migration with them: without it no report arrives and verify cannot pass',
    fix: () => `Do not apply this plan. ${RENAMED_OR_REMOVED}`,
  },
  aws_s3_bucket: {
    subject: (c) => ownBucketLabel(c),
    harm: (c) => {
      const role = ownBucketRole(c);
      if (role === 'inventory') return "It holds every migrated bucket's inventory reports, which the runner plans from and verify proves with; a replacement is an empty bucket with another name";
      if (role === 'reports') return "It holds the manifests, the completion reports (the migration's audit trail) and the runner's state; a replacement is an empty bucket with another name";
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

/** Resource types whose `policy` argument is the key policy. */
const KEY_POLICY_TYPES: readonly string[] = ['aws_kms_key', 'aws_kms_key_policy'];

/** Account and Region of the stack, read from the key's ARN (or the role's, for the account) in the plan. */
export interface Whereabouts {
  readonly account?: string;
  readonly region?: string;
}

export function whereabouts(plan: TerraformPlan): Whereabouts {
  let account: string | undefined;
  for (const change of plan.resource_changes) {
    if (change.mode !== 'managed') continue;
    const arn = stringAttribute(change, 'arn')?.split(':');
    if (change.type === 'aws_kms_key' && arn?.length === 6) return { region: arn[3], account: arn[4] };
    if (change.type === 'aws_iam_role' && arn && arn.length >= 6) account ??= arn[4];
  }
  return { account };
}

function jobsFinishedFix(where: Whereabouts): string {
  return (
    `Check that no job is unfinished: \`aws s3control list-jobs --account-id ${where.account ?? '<account id>'} ` +
    `--region ${where.region ?? "<the stack's region>"} ` +
    `--job-statuses ${UNFINISHED_JOB_STATUSES.join(' ')}\` (\`npm run migrate -- status\` shows only the jobs the runner made). ` +
    'When it lists no job, run the guard again with --batch-jobs-finished.'
  );
}

// --- The guard --------------------------------------------------------------------------------

/** Judges every resource change of a plan; a refusal names the address, the reason and the fix. */
export function guardPlan(plan: TerraformPlan, options: GuardOptions = {}): GuardReport {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const findings: Finding[] = [];
  const where = whereabouts(plan);
  for (const change of plan.resource_changes) {
    const kind = changeKind(change.change.actions);
    counts[kind]++;
    // Data sources share type names with resources (data.aws_s3_bucket_policy reads an existing policy).
    if (change.mode !== 'managed') continue;
    findings.push(...judge(change, kind, options, where));
  }
  return { examined: plan.resource_changes.length, counts, findings, refused: findings.filter((f) => f.verdict === 'refused').length };
}

function judge(change: ResourceChange, kind: ChangeKind, options: GuardOptions, where: Whereabouts): Finding[] {
  const guarded = GUARDED_TYPES[change.type];
  const findings: Finding[] = [];
  if (guarded && (kind === 'destroy' || kind === 'replace' || kind === 'unrecognised')) {
    findings.push(judgeRemoval(change, kind, guarded, options, where));
  } else if (guarded && kind === 'forget') {
    findings.push(
      finding(change, kind, 'allowed', guarded.subject(change), 'Terraform stops managing it; the object itself stays in AWS, unchanged', 'Nothing to do if a `removed` block says this on purpose.'),
    );
  }
  if (kind === 'update' && KEY_POLICY_TYPES.includes(change.type)) {
    findings.push(...judgeKeyPolicy(change, kind, options));
  }
  return findings;
}

function judgeRemoval(change: ResourceChange, kind: ChangeKind, guarded: GuardedType, options: GuardOptions, where: Whereabouts): Finding {
  const subject = guarded.subject(change);
  const deposed = change.deposed ? ` (deposed object ${change.deposed}, left by an interrupted replace)` : '';
  if (kind === 'unrecognised') {
    return finding(
      change,
      kind,
      'refused',
      subject,
      `Actions ${JSON.stringify(change.change.actions)} are not in the JSON plan format this guard knows, so it cannot tell whether they destroy ${subject}`,
      'Review the plan by hand (`terraform show plan.out`) and update the guard for this Terraform version.',
    );
  }
  const why = explainActionReason(change.action_reason, change.change.replace_paths);
  const what = `The plan would ${describeActions(change.change.actions)} ${subject}${deposed}${why ? ` because ${why}` : ''}`;
  if (guarded.whileJobsRun && options.batchJobsFinished) {
    return finding(change, kind, 'allowed', subject, `${what}; allowed by --batch-jobs-finished`, 'Run no migration until the apply has finished.');
  }
  return finding(change, kind, 'refused', subject, `${what}. ${guarded.harm(change)}`, guarded.fix(change, where));
}

/** An update of the key policy that takes a key user out of it: that user loses every migrated object. */
function judgeKeyPolicy(change: ResourceChange, kind: ChangeKind, options: GuardOptions): Finding[] {
  const subject = "the key's policy";
  const comparison = removedKeyUsers(change);
  if ('cannotTell' in comparison) {
    return [
      finding(
        change,
        kind,
        'refused',
        subject,
        `The plan updates ${subject} and the guard cannot tell whether key users keep their access: ${comparison.cannotTell}`,
        'Find what leaves the policy unknown (`terraform show plan.out` marks it "known after apply"), apply that change on its own first, then plan again.',
      ),
    ];
  }
  const allowed = new Set(options.allowedKeyUserRemovals ?? []);
  const refused = comparison.removed.filter((arn) => !allowed.has(arn));
  const acknowledged = comparison.removed.filter((arn) => allowed.has(arn));
  const findings: Finding[] = [];
  if (refused.length > 0) {
    findings.push({
      ...finding(
        change,
        kind,
        'refused',
        subject,
        `The plan removes ${refused.join(', ')} from the key users (statement ${KEY_USERS_SID}): they lose access to every migrated object`,
        `If that is not intended, put them back in key.users (kms_key_users in the module). If it is, run the guard again with ${refused.map((arn) => `--allow-key-user-removal ${arn}`).join(' ')}.`,
      ),
      removedKeyUsers: refused,
    });
  }
  if (acknowledged.length > 0) {
    findings.push({
      ...finding(change, kind, 'allowed', subject, `The plan removes ${acknowledged.join(', ')} from the key users; allowed by --allow-key-user-removal`, 'Nothing to do.'),
      removedKeyUsers: acknowledged,
    });
  }
  return findings;
}

/** Key users in the policy before the change that are missing after it, or why that cannot be told. */
export function removedKeyUsers(change: ResourceChange): { removed: string[] } | { cannotTell: string } {
  const before = attribute(change.change.before, 'policy');
  if (typeof before !== 'string' || before === '') return { removed: [] };
  const usersBefore = keyUsersOf(before);
  if (usersBefore === undefined) return { cannotTell: 'the key policy in the state is not JSON' };
  if (usersBefore.length === 0) return { removed: [] };
  if (attribute(change.change.after_unknown, 'policy') === true) {
    return { cannotTell: 'the new key policy will be known only during apply' };
  }
  const after = attribute(change.change.after, 'policy');
  if (typeof after !== 'string') return { cannotTell: 'the plan gives no new key policy' };
  const usersAfter = keyUsersOf(after);
  if (usersAfter === undefined) return { cannotTell: 'the new key policy is not JSON' };
  return { removed: usersBefore.filter((arn) => !usersAfter.includes(arn)) };
}

/** AWS principals of the key-users statement of a key policy document; undefined when not JSON. */
export function keyUsersOf(policy: string): string[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const statements = attribute(document, 'Statement');
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const users: string[] = [];
  for (const statement of list) {
    if (attribute(statement, 'Sid') !== KEY_USERS_SID || attribute(statement, 'Effect') !== 'Allow') continue;
    // IAM writes one principal as a string and several as a list.
    const aws = attribute(attribute(statement, 'Principal'), 'AWS');
    for (const arn of Array.isArray(aws) ? aws : [aws]) {
      if (typeof arn === 'string' && !users.includes(arn)) users.push(arn);
    }
  }
  return users;
}

// --- Labels --------------------------------------------------------------------------------------

/**
 * The stack's own buckets, recognised by the prefixes resourceNames() in stacks/migration-stack.ts
 * gives them (`kmsmig-<stack>-inv-`, `kmsmig-<stack>-reports-`); a test holds the two together.
 */
const OWN_BUCKET_PREFIX = { inventory: /^kmsmig-[a-z0-9-]+-inv-$/, reports: /^kmsmig-[a-z0-9-]+-reports-$/ } as const;
/** Terraform appends a unique id to a bucket_prefix: an 18-digit UTC timestamp and an 8-hex-digit counter. */
const GENERATED_SUFFIX = /\d{18}[0-9a-f]{8}$/;

export function ownBucketRole(change: ResourceChange): 'inventory' | 'reports' | undefined {
  const prefix = stringAttribute(change, 'bucket_prefix') ?? stringAttribute(change, 'bucket')?.replace(GENERATED_SUFFIX, '');
  if (prefix === undefined) return undefined;
  if (OWN_BUCKET_PREFIX.reports.test(prefix)) return 'reports';
  if (OWN_BUCKET_PREFIX.inventory.test(prefix)) return 'inventory';
  return undefined;
}

function ownBucketLabel(change: ResourceChange): string {
  const name = stringAttribute(change, 'bucket');
  const role = ownBucketRole(change);
  const label = role === 'inventory' ? 'the inventory bucket' : role === 'reports' ? 'the reports bucket' : 'a bucket';
  return name ? `${label} ${name}` : label;
}

/** A bucket's sub-resource names its bucket by `bucket`; the stack's own ones are recognised by name. */
function bucketLabel(change: ResourceChange): string {
  const name = stringAttribute(change, 'bucket');
  if (name === undefined) return 'a bucket';
  const prefix = name.replace(GENERATED_SUFFIX, '');
  if (OWN_BUCKET_PREFIX.reports.test(prefix)) return `the reports bucket ${name}`;
  if (OWN_BUCKET_PREFIX.inventory.test(prefix)) return `the inventory bucket ${name}`;
  return `bucket ${name}`;
}

function nameOf(change: ResourceChange, key: string): string {
  const name = stringAttribute(change, key);
  return name ? ` ${name}` : '';
}

/** An attribute of the object as it is now, or as planned when it does not exist yet. */
function stringAttribute(change: ResourceChange, key: string): string | undefined {
  for (const value of [change.change.before, change.change.after]) {
    const found = attribute(value, key);
    if (typeof found === 'string' && found !== '') return found;
  }
  return undefined;
}

function attribute(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function finding(
  change: ResourceChange,
  kind: ChangeKind,
  verdict: Finding['verdict'],
  subject: string,
  reason: string,
  fix: string,
): Finding {
  return {
    verdict,
    address: change.deposed ? `${change.address} (deposed ${change.deposed})` : change.address,
    resourceType: change.type,
    change: kind,
    actions: change.change.actions,
    ...(change.action_reason ? { actionReason: change.action_reason } : {}),
    subject,
    reason,
    fix,
  };
}
