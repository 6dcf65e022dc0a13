// Whether each replication rule of a bucket keeps replicating once the bucket's objects are SSE-KMS under the migration key, and what to change where it would not.
import { keyVerdict, type KeyVerdict } from './key-grants';
import { classifyPrincipal } from './policy-document';

/**
 * The rules S3 applies to SSE-KMS source objects, from "Replicating encrypted objects"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html):
 * - S3 replicates SSE-KMS objects only when the rule opts in with
 *   `SourceSelectionCriteria/SseKmsEncryptedObjects` `Status: Enabled`; without it, those objects
 *   are skipped (silently: the source version's replication status stays empty);
 * - a rule that opts in must name the key for the replicas, `Destination/EncryptionConfiguration/ReplicaKmsKeyID`
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html);
 * - the replication role needs `kms:Decrypt` on the source object's key and `kms:Encrypt` on the
 *   replica key; the key policy of the source key must let the role use it.
 */
export const REPLICATION_KMS_DOC = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html';

/** One rule of a bucket's replication configuration, as the runner's AWS layer translates GetBucketReplication. */
export interface ReplicationRule {
  /** The rule's ID, or "rule <n>" when it has none. */
  readonly id: string;
  readonly enabled: boolean;
  /** Key prefix the rule's filter names (Filter/Prefix, Filter/And/Prefix, or the V1 rule Prefix); '' is every key. */
  readonly prefix: string;
  /** Object tags the filter also names: only tagged objects replicate, which the runner cannot count. */
  readonly tags: readonly string[];
  /** DeleteMarkerReplication Enabled: delete markers replicate as well. */
  readonly deleteMarkerReplication: boolean;
  /** SourceSelectionCriteria/SseKmsEncryptedObjects Status Enabled. */
  readonly sseKmsOptIn: boolean;
  /** Destination bucket ARN. */
  readonly destinationBucket: string;
  /** Destination/Account, set for cross-account replication. */
  readonly destinationAccount?: string;
  /** Destination/EncryptionConfiguration/ReplicaKmsKeyID. */
  readonly replicaKmsKeyId?: string;
}

export interface ReplicationConfiguration {
  /** The IAM role S3 assumes to replicate. */
  readonly role: string;
  readonly rules: readonly ReplicationRule[];
}

export interface ReplicationContext {
  readonly bucket: string;
  /** The migration's prefix; '' is the whole bucket. */
  readonly prefix: string;
  readonly account: string;
  readonly region: string;
}

/**
 * fine: the rule keeps replicating the migrated objects; refuse: it would stop (the fix says what
 * to change); cannot-tell: something it depends on could not be checked; not-covered: its filter
 * reaches no key the migration writes; disabled: it replicates nothing.
 */
export type RuleVerdict = 'fine' | 'refuse' | 'cannot-tell' | 'not-covered' | 'disabled';

export interface ReplicationRuleCheck {
  readonly rule: string;
  readonly destination: string;
  readonly verdict: RuleVerdict;
  readonly why: string;
  /** What to change, for refuse and cannot-tell. */
  readonly fix?: string;
  /** What the runner does not check and the reader should know. */
  readonly notes: readonly string[];
}

/** Whether a rule's key prefix and the migration's prefix share a key. */
export function prefixesOverlap(rulePrefix: string, migrationPrefix: string): boolean {
  return rulePrefix.startsWith(migrationPrefix) || migrationPrefix.startsWith(rulePrefix);
}

/**
 * The verdict of every rule of `config` for the migrated objects of `ctx.bucket`. `keyPolicyJson`
 * is the deployed policy of the migration key (undefined when it could not be read): the role must
 * be granted kms:Decrypt through S3 there, by the same evaluation that checks the bucket's readers.
 */
export function replicationChecks(
  config: ReplicationConfiguration,
  keyPolicyJson: string | undefined,
  ctx: ReplicationContext,
): ReplicationRuleCheck[] {
  return config.rules.map((rule) => checkRule(rule, config.role, keyPolicyJson, ctx));
}

function checkRule(rule: ReplicationRule, role: string, keyPolicyJson: string | undefined, ctx: ReplicationContext): ReplicationRuleCheck {
  const base = { rule: rule.id, destination: rule.destinationBucket };
  const notes: string[] = [];
  // AWS has no rule that replicates delete markers only: every enabled rule replicates the objects its
  // filter covers, and DeleteMarkerReplication adds delete markers. The migration writes none.
  if (rule.deleteMarkerReplication) notes.push('delete markers replicate too; the migration writes none');
  if (!rule.enabled) return { ...base, verdict: 'disabled', why: 'the rule is disabled: it replicates nothing', notes };
  if (!prefixesOverlap(rule.prefix, ctx.prefix)) {
    return {
      ...base,
      verdict: 'not-covered',
      why: `its filter (prefix "${rule.prefix}") covers no key under the migrated prefix "${ctx.prefix}"`,
      notes,
    };
  }
  if (rule.tags.length > 0) notes.push(`its filter also names tags (${rule.tags.join(', ')}): only objects with them replicate`);
  const rulePath = `rule ${rule.id} of the replication configuration of ${ctx.bucket}`;
  if (!rule.sseKmsOptIn) {
    return {
      ...base,
      verdict: 'refuse',
      why: `the rule does not opt in to SSE-KMS objects (SourceSelectionCriteria/SseKmsEncryptedObjects), so S3 stops replicating every object the migration puts under the key (${REPLICATION_KMS_DOC})`,
      fix: `in ${rulePath}, set SourceSelectionCriteria/SseKmsEncryptedObjects Status Enabled and Destination/EncryptionConfiguration/ReplicaKmsKeyID to the key for the replicas in ${rule.destinationBucket}, and let the role ${role} use both keys`,
      notes,
    };
  }
  if (!rule.replicaKmsKeyId) {
    return {
      ...base,
      verdict: 'refuse',
      why: `the rule opts in to SSE-KMS objects but names no replica key (Destination/EncryptionConfiguration/ReplicaKmsKeyID), which S3 needs to encrypt the replicas (${REPLICATION_KMS_DOC})`,
      fix: `in ${rulePath}, set Destination/EncryptionConfiguration/ReplicaKmsKeyID to a key of the destination's account, and let the role ${role} use it (kms:Encrypt)`,
      notes,
    };
  }
  // The replica key is the destination's: its policy is not the runner's to read (often another account).
  notes.push(`kms:Encrypt of ${role} on the replica key ${rule.replicaKmsKeyId} is not checked (the destination's key)`);
  const roleGrant = roleVerdict(role, keyPolicyJson, ctx);
  if (roleGrant.verdict === 'granted')
    return {
      ...base,
      verdict: 'fine',
      why: `opts in to SSE-KMS objects, names replica key ${rule.replicaKmsKeyId}, and ${roleGrant.why}`,
      notes,
    };
  const fix = `add ${role} to replicationRoles of bucket ${ctx.bucket} (kms:Decrypt through S3, this bucket's objects only) and deploy`;
  if (roleGrant.verdict === 'not-granted') {
    return {
      ...base,
      verdict: 'refuse',
      why: `the replication role cannot decrypt the migrated objects: ${roleGrant.why} (${REPLICATION_KMS_DOC})`,
      fix,
      notes,
    };
  }
  return {
    ...base,
    verdict: 'cannot-tell',
    why: `whether the replication role may decrypt the migrated objects cannot be told: ${roleGrant.why}`,
    fix,
    notes,
  };
}

/**
 * The role's kms:Decrypt through S3 on this bucket's objects, by the key-grant evaluation readers
 * get. "Granted by IAM, not checked" is not "granted": it is cannot-tell.
 */
function roleVerdict(role: string, keyPolicyJson: string | undefined, ctx: ReplicationContext): { verdict: KeyVerdict; why: string } {
  if (keyPolicyJson === undefined) return { verdict: 'cannot-tell', why: 'the key policy could not be read' };
  const principal = classifyPrincipal('AWS', role);
  const grant = {
    principal: role,
    kind: principal.kind,
    ...(principal.account !== undefined ? { account: principal.account } : {}),
    ...(principal.iamArn !== undefined ? { iamArn: principal.iamArn } : {}),
    access: ['read' as const],
    source: 'replication configuration',
  };
  return keyVerdict({ kind: 'reader', grant }, keyPolicyJson, { account: ctx.account, region: ctx.region, bucket: ctx.bucket });
}

/** Rules whose verdict stops a run: refuse and cannot-tell. */
export function blockingRuleChecks(checks: readonly ReplicationRuleCheck[]): ReplicationRuleCheck[] {
  return checks.filter((c) => c.verdict === 'refuse' || c.verdict === 'cannot-tell');
}

/** Rules that replicate what the migration writes: enabled, covering the prefix. */
export function replicatingRuleChecks(checks: readonly ReplicationRuleCheck[]): ReplicationRuleCheck[] {
  return checks.filter((c) => c.verdict !== 'disabled' && c.verdict !== 'not-covered');
}
