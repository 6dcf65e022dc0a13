// The rules for updates in place: which change of which attribute of which resource type harms the migration, and why.
import { INVENTORY_OPTIONAL_FIELDS } from '../inventory-schema';
import { Finding, finding } from './finding';
import { GUARDED_TYPES } from './guarded-types';
import { KEY_USERS_SID, RemovedReader, compareKeyPolicies } from './key-policy';
import type { ResourceChange } from './plan-json';
import { AttributeChange, attributeChange, stringAttribute } from './plan-values';
import { EMPTY_POLICY, PolicyDocument, PolicyHarm, parsePolicyDocument } from './policy-document';
import type { StackInPlan } from './stack-in-plan';
import { compareTrustPolicies, trustsBatchOperations } from './trust-policy';

/** What an update rule may know beyond the change itself. */
export interface UpdateContext {
  /** Key users (principal ARNs) whose removal from the key policy is intended. */
  readonly allowedKeyUserRemovals: readonly string[];
  /** Readers and CloudFront distributions (ARNs) whose removal from a bucket's key policy statement is intended. */
  readonly allowedReaderRemovals: readonly string[];
  readonly stack: StackInPlan;
}

type UpdateRule = (change: ResourceChange, context: UpdateContext) => Finding[];

/**
 * The update rules by resource type; a type not listed here may be updated in place freely. Each
 * judges only attributes the update changes: a harm already in the state is not this plan's doing.
 */
const UPDATE_RULES: Readonly<Record<string, UpdateRule>> = {
  aws_kms_key: (change, context) => [...judgeKeyEnabled(change), ...judgeLockoutCheckBypass(change), ...judgeKeyPolicy(change, context)],
  aws_kms_key_policy: (change, context) => [...judgeLockoutCheckBypass(change), ...judgeKeyPolicy(change, context)],
  aws_kms_alias: (change, context) => judgeAliasTarget(change, context.stack),
  aws_s3_bucket_server_side_encryption_configuration: (change, context) => judgeDefaultEncryption(change, context.stack),
  aws_s3_bucket_versioning: (change) => judgeVersioning(change),
  aws_s3_bucket_inventory: (change) => judgeInventory(change),
  aws_iam_role: (change) => judgeTrustPolicy(change),
};

/** Judges an update in place of a resource; no finding means the update is routine. */
export function judgeUpdate(change: ResourceChange, context: UpdateContext): Finding[] {
  return UPDATE_RULES[change.type]?.(change, context) ?? [];
}

const UNKNOWN_FIX =
  'Find what leaves it unknown (`terraform show plan.out` marks it "known after apply"), apply that change on its own first, then plan again.';

// --- aws_kms_key, aws_kms_key_policy -------------------------------------------------------------

function judgeKeyEnabled(change: ResourceChange): Finding[] {
  const enabled = attributeChange(change, 'is_enabled');
  if (!enabled.changed) return [];
  if (enabled.unknown) return [cannotTell(change, enabled)];
  if (!enabled.before.includes(true) || !enabled.after.includes(false)) return [];
  return [
    refusal(
      change,
      enabled,
      'a disabled key decrypts nothing, so S3 can no longer read any migrated object version nor encrypt an upload under the key, until someone enables it again',
      'If that is not intended, set is_enabled back to true (the stack leaves it so). A key is retired deliberately, out of band and watched by the key alarm (README, "Retiring the key"), not by an apply.',
    ),
  ];
}

function judgeLockoutCheckBypass(change: ResourceChange): Finding[] {
  const bypass = attributeChange(change, 'bypass_policy_lockout_safety_check');
  if (bypass.unknown) return [cannotTell(change, bypass)];
  if (!bypass.after.includes(true)) return [];
  // Set before and the policy unchanged: this apply puts no policy past the check.
  if (bypass.before.includes(true) && !attributeChange(change, 'policy').changed) return [];
  return [
    refusal(
      change,
      bypass,
      'KMS skips its check that the new key policy still lets the caller manage the key: a mistaken policy then locks everyone out of the key for good (only AWS Support can restore access)',
      'Remove bypass_policy_lockout_safety_check (the stack never sets it). A policy KMS refuses without it is a policy that would lock the account out of the key.',
    ),
  ];
}

/** An update of the key policy: key users removed (unless acknowledged), and every other access it takes away. */
function judgeKeyPolicy(change: ResourceChange, context: UpdateContext): Finding[] {
  const policy = attributeChange(change, 'policy');
  if (!policy.changed) return [];
  if (policy.unknown) {
    return [
      refusal(
        change,
        policy,
        'the guard cannot tell whether key users keep their access: the new key policy will be known only during apply',
        UNKNOWN_FIX,
      ),
    ];
  }
  const before = readPolicy(policy.before[0]);
  const after = readPolicy(policy.after[0]);
  if (before === undefined || after === undefined) {
    const which = before === undefined ? 'the key policy in the state' : 'the new key policy';
    return [
      refusal(
        change,
        policy,
        `the guard cannot tell whether key users keep their access: ${which} is not JSON`,
        'Review the policy by hand (`terraform show plan.out`).',
      ),
    ];
  }
  const comparison = compareKeyPolicies(before, after, { account: keyAccount(change, context.stack), roles: context.stack.roles });
  const allowed = new Set(context.allowedKeyUserRemovals);
  const refused = comparison.removedKeyUsers.filter((arn) => !allowed.has(arn));
  const acknowledged = comparison.removedKeyUsers.filter((arn) => allowed.has(arn));
  const findings: Finding[] = [];
  if (refused.length > 0) {
    findings.push({
      ...refusal(
        change,
        policy,
        `the plan removes ${refused.join(', ')} from the key users (statement ${KEY_USERS_SID}): they lose access to every migrated object`,
        `If that is not intended, put them back in key.users (kms_key_users in the module). If it is, run the guard again with ${refused.map((arn) => `--allow-key-user-removal ${arn}`).join(' ')}.`,
      ),
      removedKeyUsers: refused,
    });
  }
  if (acknowledged.length > 0) {
    findings.push({
      ...finding(
        change,
        'update',
        'allowed',
        subjectOf(change),
        `The plan removes ${acknowledged.join(', ')} from the key users; allowed by --allow-key-user-removal`,
        'Nothing to do.',
      ),
      attribute: policy.attribute,
      removedKeyUsers: acknowledged,
    });
  }
  findings.push(...judgeReaderRemovals(change, policy, comparison.removedReaders, context.allowedReaderRemovals));
  return [...findings, ...comparison.harms.map((harm) => refusal(change, policy, harm.reason, harm.fix))];
}

/** Readers, distributions and replication roles a bucket's statement no longer grants: refused unless acknowledged by ARN. */
function judgeReaderRemovals(
  change: ResourceChange,
  policy: AttributeChange,
  removed: readonly RemovedReader[],
  allowedRemovals: readonly string[],
): Finding[] {
  const allowed = new Set(allowedRemovals);
  const describe = (readers: readonly RemovedReader[]) => readers.map((r) => `${r.reader} (statement ${r.statement})`).join(', ');
  const refused = removed.filter((r) => !allowed.has(r.reader));
  const acknowledged = removed.filter((r) => allowed.has(r.reader));
  const findings: Finding[] = [];
  if (refused.length > 0) {
    const flags = [...new Set(refused.map((r) => r.reader))].map((arn) => `--allow-reader-removal ${arn}`).join(' ');
    findings.push({
      ...refusal(
        change,
        policy,
        `the plan takes ${describe(refused)} out of the key policy: they can no longer read that bucket's objects (or deliver logs into it) under the key (a replication role stops replicating them)`,
        `If that is not intended, put them back in the bucket's readers, cloudfrontDistributions, logDelivery or replicationRoles (readers, cloudfront_distributions, log_delivery or replication_roles in the module). If it is, list them in the bucket's acceptLosingAccess and run the guard again with ${flags}.`,
      ),
      removedReaders: refused.map((r) => r.reader),
    });
  }
  if (acknowledged.length > 0) {
    findings.push({
      ...finding(
        change,
        'update',
        'allowed',
        subjectOf(change),
        `The plan takes ${describe(acknowledged)} out of the key policy; allowed by --allow-reader-removal`,
        'Nothing to do.',
      ),
      attribute: policy.attribute,
      removedReaders: acknowledged.map((r) => r.reader),
    });
  }
  return findings;
}

/** A policy attribute's JSON: an empty one is an empty policy, one that is not JSON is undefined. */
function readPolicy(value: unknown): PolicyDocument | undefined {
  if (value === undefined || value === null || value === '') return EMPTY_POLICY;
  return typeof value === 'string' ? parsePolicyDocument(value) : undefined;
}

/** The key's account, from its ARN (an aws_kms_key_policy may name the key by ARN), else the stack's. */
function keyAccount(change: ResourceChange, stack: StackInPlan): string | undefined {
  const arn = stringAttribute(change, 'arn') ?? stringAttribute(change, 'key_id');
  return (arn?.startsWith('arn:') ? arn.split(':')[4] : undefined) ?? stack.account;
}

// --- aws_kms_alias -------------------------------------------------------------------------------

/**
 * An alias re-targeted: the runner and applications find the key by it. The AWS provider reads a
 * key pending deletion as gone, so a key scheduled for deletion out of band shows up in the plan
 * as a new key to create and this update of the alias to it.
 */
function judgeAliasTarget(change: ResourceChange, stack: StackInPlan): Finding[] {
  const target = attributeChange(change, 'target_key_id');
  if (!target.changed) return [];
  const old = typeof target.before[0] === 'string' ? target.before[0] : undefined;
  const now = typeof target.after[0] === 'string' ? target.after[0] : undefined;
  if (!target.unknown && old !== undefined && now !== undefined && sameKey(old, now)) return [];
  // The key itself is destroyed or replaced: its own refusal says why, and this follows from it.
  if (old !== undefined && stack.removedKeys.includes(old)) return [];
  const created = stack.createdKeys.length > 0 ? ` (the plan creates a new key: ${stack.createdKeys.join(', ')})` : '';
  const foreign =
    now?.startsWith('arn:') && stack.account !== undefined && now.split(':')[4] !== stack.account
      ? `, a key of another account (${now.split(':')[4]})`
      : '';
  const to = target.unknown ? `a key known only during apply${created}, so the guard cannot tell which` : `${now ?? 'no key'}${foreign}`;
  return [
    refusal(
      change,
      target,
      `it would point from ${old ?? 'the key'} to ${to}: the runner and every application that encrypts with the alias would use a key the migrated objects are not under, ` +
        'and the key the data is under may be pending deletion',
      `Do not apply this plan. ${pendingDeletionFix(old ?? '<the key the alias names now>')} ` +
        'If the alias is meant to name another key, that is retiring this key (README, "Retiring the key").',
    ),
  ];
}

function pendingDeletionFix(keyId: string): string {
  return (
    `The key the data is under may be pending deletion: \`aws kms describe-key --key-id ${keyId}\` shows KeyState PendingDeletion; ` +
    `cancel with \`aws kms cancel-key-deletion --key-id ${keyId}\` then \`aws kms enable-key --key-id ${keyId}\` ` +
    '(a cancelled key comes back disabled), and plan again: the provider then reads the key back and plans no new one.'
  );
}

/** A key named by id and by ARN is the same key; two ARNs are the same only when equal. */
function sameKey(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.startsWith('arn:') === b.startsWith('arn:')) return false;
  const id = (key: string) => (key.startsWith('arn:') ? key.split(':key/')[1] : key);
  return id(a) === id(b);
}

// --- aws_s3_bucket_server_side_encryption_configuration -------------------------------------------

function judgeDefaultEncryption(change: ResourceChange, stack: StackInPlan): Finding[] {
  const algorithm = attributeChange(change, 'rule[].apply_server_side_encryption_by_default[].sse_algorithm');
  if (algorithm.unknown) return [cannotTell(change, algorithm)];
  if (algorithm.changed && algorithm.before.includes('aws:kms') && !allEqual(algorithm.after, 'aws:kms')) {
    // The key id no longer matters once the algorithm is not SSE-KMS.
    return [
      refusal(
        change,
        algorithm,
        `new uploads land under ${algorithm.after.includes('AES256') ? 'SSE-S3' : 'another encryption'} instead of the key, ` +
          "the runner's preflight fails, and every such upload is one more version to migrate",
        'Keep sse_algorithm aws:kms with the migration key, as stacks/constructs/bucket-encryption.ts writes it.',
      ),
    ];
  }
  return [...judgeDefaultKey(change, stack), ...judgeBucketKey(change)];
}

function judgeDefaultKey(change: ResourceChange, stack: StackInPlan): Finding[] {
  const key = attributeChange(change, 'rule[].apply_server_side_encryption_by_default[].kms_master_key_id');
  if (!key.changed) return [];
  const old = key.before.find((k): k is string => typeof k === 'string' && k !== '');
  // Unset before (the AWS managed key), or the key itself is destroyed or replaced and refused for that.
  if (old === undefined || stack.removedKeys.includes(old)) return [];
  if (key.unknown) {
    // A key reference unknown until apply is a new key: applying it first would only move the bucket to it.
    const created = stack.createdKeys.length > 0 ? ` (the plan creates a new key: ${stack.createdKeys.join(', ')})` : '';
    return [
      refusal(
        change,
        key,
        `new uploads would be encrypted under a key known only during apply${created} instead of the migration key ${old}: the guard cannot tell which`,
        `Do not apply this plan. ${pendingDeletionFix(old)}`,
      ),
    ];
  }
  const moved = key.after.filter((k) => typeof k !== 'string' || k === '' || !sameKey(old, k));
  if (moved.length === 0 && key.after.length > 0) return [];
  const to = moved.find((k): k is string => typeof k === 'string' && k !== '') ?? 'the AWS managed key aws/s3';
  return [
    refusal(
      change,
      key,
      `new uploads would be encrypted under ${to} instead of the migration key ${old}: the runner counts them as versions still to migrate, and whoever lacks that key cannot read them`,
      'Keep kms_master_key_id at the migration key, as the stack writes it. If the plan also creates a new KMS key, the key may be pending deletion: see the refusal of the alias.',
    ),
  ];
}

function judgeBucketKey(change: ResourceChange): Finding[] {
  return judgeKeptValue(
    change,
    'rule[].bucket_key_enabled',
    true,
    'new uploads are encrypted without an S3 Bucket Key: each calls KMS (cost, throttling), and the runner classifies them as needing re-encryption (bucket_key_status not ENABLED), so verify cannot pass',
    'Keep bucket_key_enabled true, as the stack writes it.',
  );
}

// --- aws_s3_bucket_versioning --------------------------------------------------------------------

function judgeVersioning(change: ResourceChange): Finding[] {
  return judgeKeptValue(
    change,
    'versioning_configuration[].status',
    'Enabled',
    'with versioning suspended an overwrite replaces the object instead of keeping the previous version, so a copy in place keeps nothing to fall back on; ' +
      "and the runner's preflight fails",
    'Keep versioning Enabled, as stacks/constructs/bucket-versioning.ts writes it.',
  );
}

// --- aws_s3_bucket_inventory ---------------------------------------------------------------------

const INVENTORY_FIX =
  'Keep the inventory configuration as stacks/constructs/bucket-inventory.ts writes it: enabled, every version, ' +
  'every optional field of stacks/inventory-schema.ts. The schedule, format and destination may change.';

function judgeInventory(change: ResourceChange): Finding[] {
  const findings: Finding[] = [];
  const enabled = attributeChange(change, 'enabled');
  if (enabled.unknown) findings.push(cannotTell(change, enabled));
  else if (enabled.changed && enabled.before.includes(true) && enabled.after.includes(false)) {
    findings.push(
      refusal(
        change,
        enabled,
        'no report arrives while it is disabled, so the runner plans from stale reports and verify cannot prove the migration',
        INVENTORY_FIX,
      ),
    );
  }
  findings.push(
    ...judgeKeptValue(
      change,
      'included_object_versions',
      'All',
      'the reports list current versions only: the runner never sees the noncurrent ones, which stay under their old encryption, and verify would pass without them',
      INVENTORY_FIX,
    ),
  );
  const fields = attributeChange(change, 'optional_fields');
  if (fields.unknown) findings.push(cannotTell(change, fields));
  else if (fields.changed) {
    const after = new Set(listItems(fields.after));
    const removed = listItems(fields.before).filter(
      (f): f is string => typeof f === 'string' && INVENTORY_OPTIONAL_FIELDS.includes(f) && !after.has(f),
    );
    if (removed.length > 0) {
      findings.push(
        refusal(
          change,
          fields,
          `the reports lose ${removed.join(', ')}: the runner classifies versions by the inventory fields and the Glue table reads them in report order (stacks/inventory-schema.ts)`,
          INVENTORY_FIX,
        ),
      );
    }
  }
  return findings;
}

// --- aws_iam_role (the Batch Operations role) -----------------------------------------------------

/** The trust of the Batch Operations role; a role that did not trust Batch Operations is not the stack's. */
function judgeTrustPolicy(change: ResourceChange): Finding[] {
  const trust = attributeChange(change, 'assume_role_policy');
  if (!trust.changed) return [];
  const before = readPolicy(trust.before[0]);
  if (before !== undefined && !trustsBatchOperations(before)) return [];
  if (trust.unknown) return [cannotTell(change, trust)];
  const after = readPolicy(trust.after[0]);
  if (before === undefined || after === undefined) {
    const which = before === undefined ? 'the trust policy in the state' : 'the new trust policy';
    return [
      refusal(
        change,
        trust,
        `the guard cannot tell who may assume the role: ${which} is not JSON`,
        'Review the policy by hand (`terraform show plan.out`).',
      ),
    ];
  }
  return compareTrustPolicies(before, after).map((harm: PolicyHarm) => refusal(change, trust, harm.reason, harm.fix));
}

// --- Findings ------------------------------------------------------------------------------------

function subjectOf(change: ResourceChange): string {
  return GUARDED_TYPES[change.type]?.subject(change) ?? change.address;
}

/** A refused update, naming the attribute and its change: "The plan changes `is_enabled` of ... from true to false: ...". */
/**
 * A setting the stack keeps at one value: a change away from `kept` is refused with its harm and
 * fix, and a planned value not known until apply is "cannot tell", never a pass.
 */
function judgeKeptValue(change: ResourceChange, path: string, kept: unknown, harm: string, fix: string): Finding[] {
  const attribute = attributeChange(change, path);
  if (!attribute.changed) return [];
  if (attribute.unknown) return [cannotTell(change, attribute)];
  if (!attribute.before.includes(kept) || allEqual(attribute.after, kept)) return [];
  return [refusal(change, attribute, harm, fix)];
}

function refusal(change: ResourceChange, attribute: AttributeChange, harm: string, fix: string): Finding {
  // Policies are long JSON: the harm says what changes in them.
  const values =
    attribute.attribute.endsWith('policy') || attribute.unknown
      ? ''
      : ` from ${formatValues(attribute.before)} to ${formatValues(attribute.after)}`;
  return {
    ...finding(
      change,
      'update',
      'refused',
      subjectOf(change),
      `The plan changes \`${attribute.attribute}\` of ${subjectOf(change)}${values}: ${harm}`,
      fix,
    ),
    attribute: attribute.attribute,
  };
}

function cannotTell(change: ResourceChange, attribute: AttributeChange): Finding {
  return refusal(
    change,
    attribute,
    'the guard cannot tell whether that is safe: the new value will be known only during apply',
    UNKNOWN_FIX,
  );
}

function formatValues(values: readonly unknown[]): string {
  if (values.length === 0) return '(none)';
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** The items of a list attribute (optional_fields), whose one value at the path is the list. */
function listItems(values: readonly unknown[]): unknown[] {
  return values.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

function allEqual(values: readonly unknown[], expected: unknown): boolean {
  return values.length > 0 && values.every((v) => v === expected);
}
