// Table tests of the replication verdict per rule form: whether a rule keeps replicating once the bucket's objects are SSE-KMS under the migration key.
import { KMS_ADMIN_ACTIONS, KMS_S3_READ_ACTIONS } from '../../../stacks/constructs/actions';
import { REPLICATION_SID_PREFIX } from '../../../stacks/constructs/encryption-key';
import { ACCOUNT_ROOT_SID } from '../../../stacks/plan-guard/key-policy';
import {
  blockingRuleChecks,
  prefixesOverlap,
  replicatingRuleChecks,
  replicationChecks,
  type ReplicationRule,
} from '../../../runner/core/replication';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const BUCKET = 'media-prod';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
const REPLICA_KEY = 'arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9';
const ctx = { bucket: BUCKET, prefix: '', account: ACCOUNT, region: REGION };

function document(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The key policy the stack writes with `roles` in the bucket's replicationRoles. */
function keyPolicy(roles: readonly string[], bucket = BUCKET): string {
  return document(
    {
      Sid: ACCOUNT_ROOT_SID,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: [...KMS_ADMIN_ACTIONS],
      Resource: '*',
    },
    ...(roles.length > 0
      ? [
          {
            Sid: `${REPLICATION_SID_PREFIX}MediaProd`,
            Effect: 'Allow',
            Principal: { AWS: roles },
            Action: [...KMS_S3_READ_ACTIONS],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
            },
          },
        ]
      : []),
  );
}

/** KMS's default key policy: the account root may do anything, so IAM policies decide. */
const DEFAULT_KEY_POLICY = document({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
});

function rule(over: Partial<ReplicationRule> = {}): ReplicationRule {
  return {
    id: 'to-dr',
    enabled: true,
    prefix: '',
    tags: [],
    deleteMarkerReplication: false,
    sseKmsOptIn: true,
    destinationBucket: 'arn:aws:s3:::media-dr',
    replicaKmsKeyId: REPLICA_KEY,
    ...over,
  };
}

/** The verdict of one rule; `policy` undefined: the key policy could not be read. */
function verdictOf(r: ReplicationRule, policy: string | undefined, context = ctx) {
  return replicationChecks({ role: ROLE, rules: [r] }, policy, context)[0]!;
}

describe('replicationChecks: one verdict per rule form', () => {
  it.each<[string, ReplicationRule, string | undefined, string]>([
    ['a rule that opts in, names a replica key, and whose role the key policy grants', rule(), keyPolicy([ROLE]), 'fine'],
    ['a rule without the SSE-KMS opt-in', rule({ sseKmsOptIn: false, replicaKmsKeyId: undefined }), keyPolicy([ROLE]), 'refuse'],
    ['a rule that opts in without a replica key', rule({ replicaKmsKeyId: undefined }), keyPolicy([ROLE]), 'refuse'],
    ['a rule whose role the key policy does not grant', rule(), keyPolicy([]), 'refuse'],
    ["a rule whose role is granted for another bucket's objects only", rule(), keyPolicy([ROLE], 'media-other'), 'refuse'],
    ['a rule whose role only IAM may grant (root delegation): never fine', rule(), DEFAULT_KEY_POLICY, 'cannot-tell'],
    ['a rule checked when the key policy could not be read', rule(), undefined, 'cannot-tell'],
    ['a disabled rule, even without the opt-in', rule({ enabled: false, sseKmsOptIn: false }), keyPolicy([]), 'disabled'],
  ])('%s', (_name, r, policy, verdict) => {
    expect(verdictOf(r, policy).verdict).toBe(verdict);
  });

  it('says exactly what to change on a rule without the SSE-KMS opt-in', () => {
    const check = verdictOf(rule({ sseKmsOptIn: false, replicaKmsKeyId: undefined }), keyPolicy([ROLE]));
    expect(check.why).toContain('SourceSelectionCriteria/SseKmsEncryptedObjects');
    expect(check.why).toContain('https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html');
    expect(check.fix).toBe(
      `in rule to-dr of the replication configuration of ${BUCKET}, set SourceSelectionCriteria/SseKmsEncryptedObjects Status Enabled and ` +
        `Destination/EncryptionConfiguration/ReplicaKmsKeyID to the key for the replicas in arn:aws:s3:::media-dr, and let the role ${ROLE} use both keys`,
    );
  });

  it('names the replica key field on a rule that opts in without one', () => {
    expect(verdictOf(rule({ replicaKmsKeyId: undefined }), keyPolicy([ROLE])).fix).toContain(
      'Destination/EncryptionConfiguration/ReplicaKmsKeyID',
    );
  });

  it('names the config line that grants the role', () => {
    expect(verdictOf(rule(), keyPolicy([])).fix).toBe(
      `add ${ROLE} to replicationRoles of bucket ${BUCKET} (kms:Decrypt through S3, this bucket's objects only) and deploy`,
    );
  });

  it("says the destination's replica key is not checked, even when the rule is fine", () => {
    expect(verdictOf(rule(), keyPolicy([ROLE])).notes).toContain(
      `kms:Encrypt of ${ROLE} on the replica key ${REPLICA_KEY} is not checked (the destination's key)`,
    );
  });

  it.each<[string, string, string, string]>([
    ['a rule prefix under the migrated prefix', 'photos/raw/', 'photos/', 'refuse'],
    ['a migrated prefix under the rule prefix', 'photos/', 'photos/raw/', 'refuse'],
    ['a rule prefix beside the migrated prefix', 'logs/', 'photos/', 'not-covered'],
    ['a rule for every key', '', 'photos/', 'refuse'],
  ])('judges %s by its prefix', (_name, rulePrefix, migrationPrefix, verdict) => {
    expect(
      verdictOf(rule({ prefix: rulePrefix, sseKmsOptIn: false }), keyPolicy([ROLE]), { ...ctx, prefix: migrationPrefix }).verdict,
    ).toBe(verdict);
  });

  it('judges a rule that filters by tags as covering, and says only tagged objects replicate', () => {
    const check = verdictOf(rule({ tags: ['replicate=yes'] }), keyPolicy([ROLE]));
    expect(check.verdict).toBe('fine');
    expect(check.notes.join('\n')).toContain('replicate=yes');
  });

  it('judges a rule that also replicates delete markers by its objects: AWS has no delete-marker-only rule, and the migration writes no delete marker', () => {
    const refused = verdictOf(rule({ deleteMarkerReplication: true, sseKmsOptIn: false }), keyPolicy([ROLE]));
    expect(refused.verdict).toBe('refuse');
    expect(refused.notes).toContain('delete markers replicate too; the migration writes none');
    expect(verdictOf(rule({ deleteMarkerReplication: true }), keyPolicy([ROLE])).verdict).toBe('fine');
  });

  it('judges each destination of a configuration with several rules on its own', () => {
    const checks = replicationChecks(
      {
        role: ROLE,
        rules: [
          rule({ id: 'to-dr' }),
          rule({ id: 'to-analytics', destinationBucket: 'arn:aws:s3:::analytics', sseKmsOptIn: false, replicaKmsKeyId: undefined }),
          rule({ id: 'old', enabled: false }),
          rule({ id: 'logs-only', prefix: 'logs/' }),
        ],
      },
      keyPolicy([ROLE]),
      { ...ctx, prefix: 'media/' },
    );
    expect(checks.map((c) => [c.rule, c.destination, c.verdict])).toEqual([
      ['to-dr', 'arn:aws:s3:::media-dr', 'fine'],
      ['to-analytics', 'arn:aws:s3:::analytics', 'refuse'],
      ['old', 'arn:aws:s3:::media-dr', 'disabled'],
      ['logs-only', 'arn:aws:s3:::media-dr', 'not-covered'],
    ]);
    expect(blockingRuleChecks(checks).map((c) => c.rule)).toEqual(['to-analytics']);
    expect(replicatingRuleChecks(checks).map((c) => c.rule)).toEqual(['to-dr', 'to-analytics']);
  });
});

describe('prefixesOverlap', () => {
  it.each([
    ['', '', true],
    ['', 'a/', true],
    ['a/', '', true],
    ['a/b', 'a/', true],
    ['a/', 'b/', false],
    ['ab', 'a/', false],
  ])('"%s" and "%s": %s', (a, b, overlap) => {
    expect(prefixesOverlap(a, b)).toBe(overlap);
  });
});
