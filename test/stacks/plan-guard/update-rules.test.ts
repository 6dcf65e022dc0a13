// The plan guard on updates in place: the ones that do what a destroy would are refused, naming the attribute; routine ones pass.
import type { Finding } from '../../../stacks/plan-guard/finding';
import { ACCOUNT_ROOT_SID, BATCH_OPERATIONS_SID, KEY_USERS_SID } from '../../../stacks/plan-guard/key-policy';
import { GuardReport, guardPlan } from '../../../stacks/plan-guard/rules';
import {
  ACCOUNT,
  BATCH_ROLE,
  BATCH_ROLE_NAME,
  DISTRIBUTION,
  KEY_ARN,
  KEY_ID,
  PARTNER,
  REPORTING,
  RUNNER,
  StatementJson,
  batchRoleUnchanged,
  bucketReaderStatements,
  editStatement,
  fixture,
  keyInState,
  keyPolicyChange,
  keyPolicyUpdate,
  planOf,
  policyJson,
  stackKeyStatements,
  updateOf,
} from './builders';

function refused(report: GuardReport): Finding[] {
  return report.findings.filter((f) => f.verdict === 'refused');
}

/** The one refusal of a plan. */
function onlyRefusal(report: GuardReport): Finding {
  const [only, ...others] = refused(report);
  expect(others).toEqual([]);
  if (!only) throw new Error('Expected one refusal, found none');
  return only;
}

const OTHER_ACCOUNT = '999988887777';
const BUCKET = 'acme-prod-uploads';

describe('updates in place refused, on JSON plan fixtures', () => {
  it('refuses disabling the key, naming is_enabled', () => {
    const finding = onlyRefusal(guardPlan(fixture('update-key-disabled.json')));
    expect(finding).toMatchObject({ address: 'aws_kms_key.MigrationKey_2857B45E', change: 'update', attribute: 'is_enabled' });
    expect(finding.reason).toContain("`is_enabled` of the migration's KMS key from true to false");
  });

  it('refuses default encryption back to SSE-S3, naming sse_algorithm', () => {
    const finding = onlyRefusal(guardPlan(fixture('update-encryption-sse-s3.json')));
    expect(finding.attribute).toBe('rule[].apply_server_side_encryption_by_default[].sse_algorithm');
    expect(finding.reason).toContain('from aws:kms to AES256');
    expect(finding.reason).toContain('SSE-S3');
  });

  it('refuses suspending versioning, naming its status', () => {
    const finding = onlyRefusal(guardPlan(fixture('update-versioning-suspended.json')));
    expect(finding.attribute).toBe('versioning_configuration[].status');
    expect(finding.reason).toContain('from Enabled to Suspended');
  });

  it('refuses disabling the inventory, naming enabled', () => {
    const finding = onlyRefusal(guardPlan(fixture('update-inventory-disabled.json')));
    expect(finding).toMatchObject({ resourceType: 'aws_s3_bucket_inventory', attribute: 'enabled' });
    expect(finding.reason).toContain('verify cannot prove the migration');
  });

  it("refuses opening the role's trust to anyone and dropping its confused-deputy conditions", () => {
    const findings = refused(guardPlan(fixture('update-role-trust-opened.json')));
    expect(findings.map((f) => f.attribute)).toEqual(['assume_role_policy', 'assume_role_policy']);
    expect(findings[0]?.reason).toContain('lets anyone (Principal "*") assume the role');
    expect(findings[1]?.reason).toContain(`StringEquals aws:SourceAccount ${ACCOUNT}`);
  });

  it('refuses pointing the alias at a new key while the key is pending deletion, and says how to cancel the deletion', () => {
    const report = guardPlan(fixture('key-pending-deletion.json'));
    const alias = refused(report).find((f) => f.resourceType === 'aws_kms_alias');
    expect(alias?.attribute).toBe('target_key_id');
    expect(alias?.reason).toContain('the key the data is under may be pending deletion');
    expect(alias?.fix).toContain(`\`aws kms describe-key --key-id ${KEY_ID}\` shows KeyState PendingDeletion`);
    expect(alias?.fix).toContain(`\`aws kms cancel-key-deletion --key-id ${KEY_ID}\` then \`aws kms enable-key --key-id ${KEY_ID}\``);
  });

  it('refuses default encryption moving to the new key of a plan where the key is pending deletion', () => {
    const encryption = refused(guardPlan(fixture('key-pending-deletion.json'))).find(
      (f) => f.resourceType === 'aws_s3_bucket_server_side_encryption_configuration',
    );
    expect(encryption?.attribute).toBe('rule[].apply_server_side_encryption_by_default[].kms_master_key_id');
    expect(encryption?.reason).toContain('cannot tell');
    expect(encryption?.fix).toContain(`aws kms cancel-key-deletion --key-id ${KEY_ARN}`);
  });

  it('passes routine updates: tags, description, rotation turned on, a reader added to the key policy, inventory schedule and a field added', () => {
    const report = guardPlan(fixture('update-harmless.json'));
    expect(report.counts.update).toBe(4);
    expect(report.findings).toEqual([]);
  });
});

describe('key policy updates', () => {
  it('refuses a key policy without the account root', () => {
    const update = keyPolicyUpdate(editStatement(stackKeyStatements(), ACCOUNT_ROOT_SID, () => undefined));
    const finding = onlyRefusal(guardPlan(planOf(update)));
    expect(finding.attribute).toBe('policy');
    expect(finding.reason).toContain(`account root arn:aws:iam::${ACCOUNT}:root`);
    expect(finding.reason).toContain('kms:PutKeyPolicy');
  });

  it('refuses a key policy without the account root through an aws_kms_key_policy resource', () => {
    const update = keyPolicyUpdate(
      editStatement(stackKeyStatements(), ACCOUNT_ROOT_SID, () => undefined),
      'aws_kms_key_policy',
    );
    expect(onlyRefusal(guardPlan(planOf(update))).reason).toContain('kms:PutKeyPolicy');
  });

  it('passes a root statement that names the account by id and grants kms:*', () => {
    const rootById = editStatement(stackKeyStatements(), ACCOUNT_ROOT_SID, (s) => ({ ...s, Action: 'kms:*', Principal: { AWS: ACCOUNT } }));
    expect(guardPlan(planOf(keyPolicyUpdate(rootById))).findings).toEqual([]);
  });

  it('refuses bypass_policy_lockout_safety_check set to true', () => {
    const update = updateOf(
      'aws_kms_key',
      { ...keyInState(), bypass_policy_lockout_safety_check: false },
      { bypass_policy_lockout_safety_check: true },
    );
    const finding = onlyRefusal(guardPlan(planOf(update)));
    expect(finding.attribute).toBe('bypass_policy_lockout_safety_check');
    expect(finding.reason).toContain('from false to true');
  });

  it('refuses removing the Batch Operations role from the key policy', () => {
    const update = keyPolicyUpdate(editStatement(stackKeyStatements(), BATCH_OPERATIONS_SID, () => undefined));
    const finding = onlyRefusal(guardPlan(planOf(update, batchRoleUnchanged())));
    expect(finding.reason).toContain(`removes the Batch Operations role ${BATCH_ROLE} from the key policy`);
    expect(finding.reason).toContain('AccessDenied');
  });

  it('refuses taking kms:Decrypt away from the Batch Operations role', () => {
    const statements = editStatement(stackKeyStatements(), BATCH_OPERATIONS_SID, (s) => ({
      ...s,
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
    }));
    const finding = onlyRefusal(guardPlan(planOf(keyPolicyUpdate(statements), batchRoleUnchanged())));
    expect(finding.reason).toContain(`takes kms:Decrypt away from the Batch Operations role ${BATCH_ROLE}`);
  });

  it("recognises the Batch Operations role under another sid by the name of the plan's role", () => {
    const renamed = editStatement(stackKeyStatements(), BATCH_OPERATIONS_SID, (s) => ({ ...s, Sid: 'JobsReencrypt' }));
    const before = { ...keyInState(), policy: policyJson(renamed) };
    const update = updateOf('aws_kms_key', before, { policy: policyJson(editStatement(renamed, 'JobsReencrypt', () => undefined)) });
    expect(guardPlan(planOf(update)).findings).toEqual([]);
    expect(onlyRefusal(guardPlan(planOf(update, batchRoleUnchanged()))).reason).toContain(`Batch Operations role ${BATCH_ROLE}`);
  });

  it('refuses an added Deny of every action to everyone', () => {
    const update = keyPolicyUpdate([
      ...stackKeyStatements(),
      { Sid: 'DenyAll', Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' },
    ]);
    const finding = onlyRefusal(guardPlan(planOf(update)));
    expect(finding.reason).toContain('adds a Deny of kms:Decrypt, kms:GenerateDataKey to everyone (Principal "*") (statement DenyAll)');
  });

  it('refuses an added Deny of kms:* to a key user', () => {
    const update = keyPolicyUpdate([
      ...stackKeyStatements(),
      { Effect: 'Deny', Action: 'kms:*', Resource: '*', Principal: { AWS: RUNNER } },
    ]);
    expect(onlyRefusal(guardPlan(planOf(update))).reason).toContain(`adds a Deny of kms:Decrypt, kms:GenerateDataKey to ${RUNNER}`);
  });

  it('refuses an added conditional Deny of kms:Decrypt to everyone: it cannot tell whom the condition spares', () => {
    const deny: StatementJson = {
      Sid: 'DenyOutsideS3',
      Effect: 'Deny',
      Action: 'kms:Decrypt',
      Resource: '*',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    };
    const finding = onlyRefusal(guardPlan(planOf(keyPolicyUpdate([...stackKeyStatements(), deny]))));
    expect(finding.reason).toContain('cannot tell');
    expect(finding.reason).toContain('StringNotEquals kms:ViaService');
  });

  it('passes an added Deny that names only a principal of another account', () => {
    const deny = {
      Sid: 'DenyContractor',
      Effect: 'Deny',
      Action: 'kms:*',
      Resource: '*',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/contractor` },
    };
    expect(guardPlan(planOf(keyPolicyUpdate([...stackKeyStatements(), deny]))).findings).toEqual([]);
  });

  it("refuses taking kms:Decrypt out of the key users' statement", () => {
    const statements = editStatement(stackKeyStatements(), KEY_USERS_SID, (s) => ({
      ...s,
      Action: ['kms:DescribeKey', 'kms:GenerateDataKey'],
    }));
    const finding = onlyRefusal(guardPlan(planOf(keyPolicyUpdate(statements))));
    expect(finding.reason).toContain(`takes kms:Decrypt away from key users ${RUNNER}`);
    expect(finding.reason).toContain('can no longer read any migrated object');
  });

  it("refuses dropping the key users' kms:ViaService condition", () => {
    const statements = editStatement(stackKeyStatements(), KEY_USERS_SID, (s) => ({
      ...s,
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
    }));
    const finding = onlyRefusal(guardPlan(planOf(keyPolicyUpdate(statements))));
    expect(finding.reason).toContain(`drops the kms:ViaService condition of statement ${KEY_USERS_SID}`);
  });

  it("refuses changing the key users' kms:ViaService to another Region", () => {
    const viaUsEast = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT } };
    const statements = editStatement(stackKeyStatements(), KEY_USERS_SID, (s) => ({ ...s, Condition: viaUsEast }));
    expect(onlyRefusal(guardPlan(planOf(keyPolicyUpdate(statements)))).reason).toContain(
      'changes the kms:ViaService condition to StringEquals kms:ViaService s3.us-east-1.amazonaws.com',
    );
  });

  it('passes a statement added for a new reader through S3', () => {
    const reader = {
      ...stackKeyStatements()[1],
      Sid: 'ReportingReadsThroughS3',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reporting` },
    };
    expect(guardPlan(planOf(keyPolicyUpdate([...stackKeyStatements(), reader]), batchRoleUnchanged())).findings).toEqual([]);
  });
});

describe("a bucket's readers and distributions in the key policy", () => {
  const REPLICATION_ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
  const before = [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING, PARTNER], [DISTRIBUTION])];
  const guard = (after: StatementJson[], options: { allowedReaderRemovals?: string[] } = {}) =>
    guardPlan(planOf(keyPolicyChange(before, after), batchRoleUnchanged()), options);

  it('refuses taking a reader out of its bucket statement, naming it, the statement and the flag', () => {
    const after = [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING], [DISTRIBUTION])];
    const finding = onlyRefusal(guard(after));
    expect(finding.removedReaders).toEqual([PARTNER]);
    expect(finding.reason).toContain(`${PARTNER} (statement ReadersDecryptThroughAcmeProdUploads)`);
    expect(finding.fix).toContain(`--allow-reader-removal ${PARTNER}`);
  });

  it('refuses dropping a CloudFront distribution', () => {
    const after = [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING, PARTNER])];
    expect(onlyRefusal(guard(after)).removedReaders).toEqual([DISTRIBUTION]);
  });

  it('refuses dropping a log delivery service, whose logs would stop arriving', () => {
    const withLogs = [
      ...before,
      ...bucketReaderStatements('AcmeProdLogs', [], [], [], ['logging.s3.amazonaws.com', 'delivery.logs.amazonaws.com']),
    ];
    const after = [...before, ...bucketReaderStatements('AcmeProdLogs', [], [], [], ['delivery.logs.amazonaws.com'])];
    const finding = onlyRefusal(guardPlan(planOf(keyPolicyChange(withLogs, after), batchRoleUnchanged())));
    expect(finding.removedReaders).toEqual(['logging.s3.amazonaws.com']);
    expect(finding.reason).toContain('logging.s3.amazonaws.com (statement LogDeliveryEncryptsIntoAcmeProdLogs)');
    expect(finding.fix).toContain('logDelivery');
  });

  it("refuses a plan that drops a bucket's statements, readers and distribution together", () => {
    expect(onlyRefusal(guard(stackKeyStatements())).removedReaders).toEqual([REPORTING, PARTNER, DISTRIBUTION]);
  });

  it('lets through a removal acknowledged with --allow-reader-removal, and says so', () => {
    const after = [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING], [DISTRIBUTION])];
    const report = guard(after, { allowedReaderRemovals: [PARTNER] });
    expect(refused(report)).toEqual([]);
    expect(report.findings).toMatchObject([{ verdict: 'allowed', removedReaders: [PARTNER] }]);
  });

  it('passes a reader moved to the key users, who keep reading every bucket', () => {
    const after = [
      ...stackKeyStatements([RUNNER, `arn:aws:iam::${ACCOUNT}:role/app-backend`, REPORTING]),
      ...bucketReaderStatements('AcmeProdUploads', [PARTNER], [DISTRIBUTION]),
    ];
    expect(guard(after).findings).toEqual([]);
  });

  it("refuses dropping a bucket's replication role, which would stop replicating its objects", () => {
    const withRole = [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING], [], [REPLICATION_ROLE])];
    const finding = onlyRefusal(
      guardPlan(
        planOf(
          keyPolicyChange(withRole, [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING])]),
          batchRoleUnchanged(),
        ),
      ),
    );
    expect(finding.removedReaders).toEqual([REPLICATION_ROLE]);
    expect(finding.reason).toContain(`${REPLICATION_ROLE} (statement ReplicationDecryptsThroughAcmeProdUploads)`);
    expect(finding.fix).toContain('replicationRoles');
  });

  it('passes a reader added', () => {
    const after = [
      ...stackKeyStatements(),
      ...bucketReaderStatements('AcmeProdUploads', [REPORTING, PARTNER, `arn:aws:iam::${ACCOUNT}:role/bi`], [DISTRIBUTION]),
    ];
    expect(guard(after).findings).toEqual([]);
  });
});

describe('alias, default encryption, versioning, inventory and role updates', () => {
  const alias = { name: 'alias/s3-migration-prod', target_key_id: KEY_ID, target_key_arn: KEY_ARN };
  const encryption = {
    bucket: BUCKET,
    rule: [
      { apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }], bucket_key_enabled: true },
    ],
  };
  const inventory = {
    bucket: BUCKET,
    name: 'kms-migration',
    enabled: true,
    included_object_versions: 'All',
    optional_fields: ['Size', 'EncryptionStatus', 'BucketKeyStatus'],
  };
  const role = {
    arn: BATCH_ROLE,
    name: BATCH_ROLE_NAME,
    assume_role_policy: policyJson([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'batchoperations.s3.amazonaws.com' } },
    ]),
  };

  it('refuses re-targeting the alias to a key of another account', () => {
    const foreignKey = `arn:aws:kms:eu-west-1:${OTHER_ACCOUNT}:key/abcd`;
    const update = updateOf('aws_kms_alias', alias, { target_key_id: foreignKey });
    const finding = onlyRefusal(guardPlan(planOf(update, updateOf('aws_kms_key', keyInState(), { tags: { a: 'b' } }))));
    expect(finding.attribute).toBe('target_key_id');
    expect(finding.reason).toContain(`to ${foreignKey}, a key of another account (${OTHER_ACCOUNT})`);
  });

  it('passes an alias that names the same key by its ARN instead of its id', () => {
    expect(guardPlan(planOf(updateOf('aws_kms_alias', alias, { target_key_id: KEY_ARN }))).findings).toEqual([]);
  });

  it('refuses moving default encryption to another key', () => {
    const otherKey = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0000-other`;
    const rule = [
      { ...encryption.rule[0], apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: otherKey }] },
    ];
    const finding = onlyRefusal(guardPlan(planOf(updateOf('aws_s3_bucket_server_side_encryption_configuration', encryption, { rule }))));
    expect(finding.attribute).toBe('rule[].apply_server_side_encryption_by_default[].kms_master_key_id');
    expect(finding.reason).toContain(`encrypted under ${otherKey} instead of the migration key ${KEY_ARN}`);
  });

  it('refuses turning S3 Bucket Keys off', () => {
    const rule = [{ ...encryption.rule[0], bucket_key_enabled: false }];
    const finding = onlyRefusal(guardPlan(planOf(updateOf('aws_s3_bucket_server_side_encryption_configuration', encryption, { rule }))));
    expect(finding.attribute).toBe('rule[].bucket_key_enabled');
    expect(finding.reason).toContain('without an S3 Bucket Key');
  });

  it('refuses versioning status Disabled', () => {
    const versioning = { bucket: BUCKET, versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }] };
    const update = updateOf('aws_s3_bucket_versioning', versioning, { versioning_configuration: [{ status: 'Disabled', mfa_delete: '' }] });
    expect(onlyRefusal(guardPlan(planOf(update))).reason).toContain(
      '`versioning_configuration[].status` of versioning of bucket acme-prod-uploads from Enabled to Disabled',
    );
  });

  it('refuses an inventory of current versions only', () => {
    const finding = onlyRefusal(guardPlan(planOf(updateOf('aws_s3_bucket_inventory', inventory, { included_object_versions: 'Current' }))));
    expect(finding.attribute).toBe('included_object_versions');
    expect(finding.reason).toContain('noncurrent');
  });

  it('refuses removing an optional field the runner reads from the inventory', () => {
    const update = updateOf('aws_s3_bucket_inventory', inventory, { optional_fields: ['Size', 'BucketKeyStatus'] });
    const finding = onlyRefusal(guardPlan(planOf(update)));
    expect(finding.attribute).toBe('optional_fields');
    expect(finding.reason).toContain('the reports lose EncryptionStatus');
  });

  it('refuses a trust policy that lets an AWS principal assume the Batch Operations role', () => {
    const stranger = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
    const trust = policyJson([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'batchoperations.s3.amazonaws.com', AWS: stranger } },
    ]);
    const finding = onlyRefusal(guardPlan(planOf(updateOf('aws_iam_role', role, { assume_role_policy: trust }))));
    expect(finding.reason).toContain(`lets AWS ${stranger} assume the role`);
  });

  it("passes a role that does not trust Batch Operations: it is not the stack's", () => {
    const ec2 = {
      ...role,
      assume_role_policy: policyJson([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }]),
    };
    const update = updateOf('aws_iam_role', ec2, {
      assume_role_policy: policyJson([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' }]),
    });
    expect(guardPlan(planOf(update)).findings).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ['aws_kms_key', 'is_enabled', keyInState(), { is_enabled: null }, { is_enabled: true }],
    ['aws_kms_alias', 'target_key_id', alias, { target_key_id: null }, { target_key_id: true }],
    [
      'aws_s3_bucket_server_side_encryption_configuration',
      'rule[].apply_server_side_encryption_by_default[].sse_algorithm',
      encryption,
      { rule: [] },
      { rule: true },
    ],
    [
      'aws_s3_bucket_versioning',
      'versioning_configuration[].status',
      { versioning_configuration: [{ status: 'Enabled' }] },
      { versioning_configuration: [{}] },
      { versioning_configuration: [{ status: true }] },
    ],
    ['aws_s3_bucket_inventory', 'enabled', inventory, { enabled: null }, { enabled: true }],
    ['aws_iam_role', 'assume_role_policy', role, { assume_role_policy: null }, { assume_role_policy: true }],
  ])('refuses %s when %s is known only during apply', (type, attribute, before, changes, afterUnknown) => {
    const finding = onlyRefusal(guardPlan(planOf(updateOf(type, before, changes, afterUnknown))));
    expect(finding.attribute).toBe(attribute);
    expect(finding.reason).toContain('cannot tell');
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['aws_kms_key', keyInState(), { description: 'KMS key (prod)', tags: { owner: 'platform' }, tags_all: { owner: 'platform' } }],
    ['aws_kms_key', { ...keyInState(), enable_key_rotation: false }, { enable_key_rotation: true }],
    ['aws_kms_key', { ...keyInState(), is_enabled: false }, { is_enabled: true }],
    [
      'aws_s3_bucket_server_side_encryption_configuration',
      { ...encryption, rule: [{ ...encryption.rule[0], bucket_key_enabled: false }] },
      { rule: encryption.rule },
    ],
    [
      'aws_s3_bucket_inventory',
      { ...inventory, schedule: [{ frequency: 'Daily' }] },
      { schedule: [{ frequency: 'Weekly' }], optional_fields: [...inventory.optional_fields, 'ETag'] },
    ],
    ['aws_iam_role', role, { description: 'Batch Operations', max_session_duration: 7200 }],
  ])('passes routine update %# (%s)', (type, before, changes) => {
    expect(guardPlan(planOf(updateOf(type, before, changes))).findings).toEqual([]);
  });
});
