// A bucket's replication configuration in typed form, the checks PutBucketReplication makes on it,
// and which rule (if any) takes a new version.
// PutBucketReplication: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
// Encrypted objects: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
import type { VersioningStatus } from './bucket-config';
import { s3Errors } from './errors';
import type { ObjectVersion } from './model';

export type RuleStatus = 'Enabled' | 'Disabled';

export interface ReplicationRuleFilter {
  readonly prefix?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ReplicationDestination {
  /** `arn:aws:s3:::bucket`, as configured. */
  readonly bucketArn: string;
  readonly account?: string;
  readonly storageClass?: string;
  /** `EncryptionConfiguration/ReplicaKmsKeyID`: key ARN or alias ARN S3 encrypts SSE-KMS replicas under. */
  readonly replicaKmsKeyId?: string;
  /** `Metrics/Status`: S3 publishes s3:Replication:OperationFailedReplication only with metrics on. */
  readonly metrics?: RuleStatus;
}

export interface ReplicationRule {
  readonly id: string;
  /** Absent only in the first (V1) schema, which has a rule-level Prefix and no Filter. */
  readonly priority?: number;
  readonly status: RuleStatus;
  /** V2 schema (`Filter`); absent for V1 rules. */
  readonly filter?: ReplicationRuleFilter;
  /** V1 schema's rule-level `Prefix`. */
  readonly prefix?: string;
  readonly deleteMarkerReplication?: RuleStatus;
  /** `SourceSelectionCriteria/SseKmsEncryptedObjects/Status`; absent when the element is. */
  readonly sseKmsEncryptedObjects?: RuleStatus;
  readonly destination: ReplicationDestination;
}

export interface ReplicationConfiguration {
  /** The IAM role S3 assumes to replicate. */
  readonly role: string;
  readonly rules: readonly ReplicationRule[];
}

export const MAX_REPLICATION_RULES = 1000;

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

/** The destination bucket's name, from its ARN. */
export function destinationBucketName(rule: ReplicationRule): string {
  return BUCKET_ARN.exec(rule.destination.bucketArn)![1]!;
}

/**
 * PutBucketReplication's checks, in the order S3 reports them: the source must be versioned;
 * every rule well formed (a V2 rule with Filter needs Priority and DeleteMarkerReplication; SSE-KMS
 * opt-in needs ReplicaKmsKeyID); every destination must exist and be versioned. Key validity is not
 * checked: the user guide says a PUT with an invalid key answers 200 and replication then fails.
 */
/** What the checks read of a bucket (its versioning); structural, so bucket.ts and this file need not import each other. */
interface VersionedBucket {
  readonly versioning: VersioningStatus;
}

export function validateReplicationConfiguration(
  config: ReplicationConfiguration,
  source: VersionedBucket,
  bucketNamed: (name: string) => VersionedBucket | undefined,
): void {
  if (source.versioning !== 'Enabled')
    throw s3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  if (config.rules.length > MAX_REPLICATION_RULES)
    throw s3Errors.invalidRequest(`Number of rules in the replication configuration exceeds the maximum of ${MAX_REPLICATION_RULES}.`);
  for (const rule of config.rules) {
    if (rule.id.length > 255) throw s3Errors.invalidArgument('Rule Id cannot be more than 255 characters', 'ID', rule.id);
    if (rule.filter !== undefined) {
      if (rule.priority === undefined)
        throw s3Errors.invalidRequest('Priority must be specified for this version of Cross Region Replication configuration schema.');
      if (rule.deleteMarkerReplication === undefined) {
        throw s3Errors.invalidRequest(
          'DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.',
        );
      }
    }
    if (rule.sseKmsEncryptedObjects !== undefined && rule.destination.replicaKmsKeyId === undefined) {
      throw s3Errors.invalidRequest('ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.');
    }
    if (!BUCKET_ARN.test(rule.destination.bucketArn))
      throw s3Errors.invalidArgument('Invalid bucket ARN.', 'Bucket', rule.destination.bucketArn);
  }
  for (const rule of config.rules) {
    const destination = bucketNamed(destinationBucketName(rule));
    if (!destination) throw s3Errors.invalidRequest('Destination bucket must exist.');
    if (destination.versioning !== 'Enabled') throw s3Errors.invalidRequest('Destination bucket must have versioning enabled.');
  }
}

/** Whether the version's key and tags pass the rule's filter (V1: its prefix). */
export function ruleSelects(rule: ReplicationRule, version: Pick<ObjectVersion, 'key' | 'tags'>): boolean {
  if (rule.filter === undefined) return version.key.startsWith(rule.prefix ?? '');
  const { prefix, tags } = rule.filter;
  return version.key.startsWith(prefix ?? '') && Object.entries(tags).every(([k, v]) => version.tags[k] === v);
}

/** SSE-KMS and DSSE-KMS versions replicate only under a rule that opts in (SseKmsEncryptedObjects Enabled). */
export function isKmsEncrypted(version: Pick<ObjectVersion, 'encryption'>): boolean {
  return version.encryption.status === 'SSE-KMS' || version.encryption.status === 'DSSE-KMS';
}

/**
 * The rule that replicates a new version, or undefined when none does: the enabled rule with the
 * highest Priority among those whose filter selects it. Replicas are never replicated again (no
 * replica modification sync here), and SSE-KMS/DSSE-KMS versions only under an opted-in rule;
 * "By default, Amazon S3 doesn't replicate objects that are stored at rest using server-side
 * encryption with KMS keys" (PutBucketReplication), so such a version is out of scope: no status.
 */
export function replicatingRule(config: ReplicationConfiguration | undefined, version: ObjectVersion): ReplicationRule | undefined {
  if (!config || version.replicationStatus === 'REPLICA') return undefined;
  const candidates = config.rules.filter((r) => r.status === 'Enabled' && ruleSelects(r, version));
  if (version.isDeleteMarker) {
    // V1 rules replicate delete markers; V2 rules only with DeleteMarkerReplication Enabled and no tag filter.
    return best(
      candidates.filter(
        (r) => r.filter === undefined || (r.deleteMarkerReplication === 'Enabled' && Object.keys(r.filter.tags).length === 0),
      ),
    );
  }
  const eligible = isKmsEncrypted(version) ? candidates.filter((r) => r.sseKmsEncryptedObjects === 'Enabled') : candidates;
  return best(eligible);
}

function best(rules: readonly ReplicationRule[]): ReplicationRule | undefined {
  return [...rules].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0];
}
