// The plan guard's rules: which changes of a Terraform plan it refuses, lets through, and why.
import { defined } from '../../support/defined';
import { ChangeKind, changeKind } from '../../../stacks/plan-guard/change-kind';
import type { Finding } from '../../../stacks/plan-guard/finding';
import { UNFINISHED_JOB_STATUSES } from '../../../stacks/plan-guard/guarded-types';
import {
  ACCOUNT_ROOT_SID,
  BATCH_OPERATIONS_SID,
  CLOUDFRONT_SID_PREFIX,
  LOG_DELIVERY_SID_PREFIX,
  KEY_USERS_SID,
  READERS_SID_PREFIX,
  REPLICATION_SID_PREFIX,
  bucketReadersIn,
  keyUsersOf,
} from '../../../stacks/plan-guard/key-policy';
import { parsePolicyDocument } from '../../../stacks/plan-guard/policy-document';
import { ownBucketRole } from '../../../stacks/plan-guard/labels';
import { GuardReport, guardPlan } from '../../../stacks/plan-guard/rules';
import { BATCH_OPERATIONS_SERVICE, CONFUSED_DEPUTY_KEYS } from '../../../stacks/plan-guard/trust-policy';
import { resourceNames } from '../../../stacks/migration-stack';
import { ACCOUNT as STACK_ACCOUNT, config, policyStatements, statement, synthesize } from '../builders';
import { ACCOUNT, ANALYTICS, APP_BACKEND, RUNNER, fixture, keyPolicy, planOf, resourceChange } from './builders';

function refused(report: GuardReport): Finding[] {
  return report.findings.filter((f) => f.verdict === 'refused');
}

function refusedAddresses(report: GuardReport): string[] {
  return refused(report).map((f) => f.address);
}

describe('changeKind', () => {
  it.each<[string[], ChangeKind]>([
    [['no-op'], 'no-op'],
    [['create'], 'create'],
    [['read'], 'read'],
    [['update'], 'update'],
    [['delete'], 'destroy'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['create', 'forget'], 'replace'],
    [['forget'], 'forget'],
    [['delete', 'forget'], 'destroy'],
    [['transmogrify'], 'unrecognised'],
  ])('reads %j as %s', (actions, kind) => {
    expect(changeKind(actions)).toBe(kind);
  });
});

describe('plan guard on JSON plan fixtures', () => {
  it('passes a plan where every resource is a no-op and counts every resource it examined', () => {
    const report = guardPlan(fixture('noop.json'));
    expect(report.refused).toBe(0);
    expect(report.examined).toBe(12);
    expect(report.counts['no-op']).toBe(12);
  });

  it('passes a first deploy that only creates resources and reads a data source', () => {
    const report = guardPlan(fixture('create.json'));
    expect(report.findings).toEqual([]);
    expect(report.counts).toMatchObject({ create: 12, read: 1 });
  });

  it('passes updates in place of the key, its policy gaining a user, a bucket policy and the role', () => {
    const report = guardPlan(fixture('update-in-place.json'));
    expect(report.counts.update).toBe(3);
    expect(report.findings).toEqual([]);
  });

  it('refuses replacing the key destroy-first, naming the argument that forces it', () => {
    const report = guardPlan(fixture('replace-key-delete-create.json'));
    expect(refusedAddresses(report)).toEqual(['aws_kms_key.MigrationKey_2857B45E']);
    expect(refused(report)[0]?.reason).toContain('replace (destroy, then create)');
    expect(refused(report)[0]?.reason).toContain('customer_master_key_spec');
  });

  it("refuses replacing the HCL module's alias create-first", () => {
    const report = guardPlan(fixture('replace-alias-create-delete.json'));
    expect(refusedAddresses(report)).toEqual(['module.kms_migration.aws_kms_alias.this']);
    expect(refused(report)[0]?.reason).toContain('replace (create, then destroy)');
  });

  it('refuses destroying every guarded resource of a destroy plan, and only those', () => {
    const report = guardPlan(fixture('destroy-all.json'));
    expect(refusedAddresses(report).sort()).toEqual(
      [
        'aws_kms_key.MigrationKey_2857B45E',
        'aws_kms_alias.MigrationKey_Alias_040A89F4',
        'aws_iam_role.BatchOperationsRole_BBD83F5C',
        'aws_iam_role_policy.BatchOperationsRole_Permissions_CF29B58D',
        'aws_s3_bucket.InventoryBucket_85DE5DD6',
        'aws_s3_bucket.ReportsBucket_1013F020',
        'aws_s3_bucket_server_side_encryption_configuration.Bucket-acme-prod-uploads_Encryption_Configuration_717133F6',
        'aws_s3_bucket_policy.Bucket-acme-prod-uploads_Policy_4A8C0503',
        'aws_s3_bucket_versioning.Bucket-acme-prod-uploads_Versioning_BD43C34C',
        'aws_s3_bucket_inventory.Bucket-acme-prod-uploads_Inventory_B6496DF9',
      ].sort(),
    );
  });

  it('says a destroy comes from a for_each key no longer declared', () => {
    const encryption = defined(refused(guardPlan(fixture('destroy-module-bucket.json')))[0], 'encryption');
    expect(encryption.actionReason).toBe('delete_because_each_key');
    expect(encryption.reason).toContain('for_each key is no longer declared');
  });

  it("refuses destroying a migrated bucket's encryption, policy, versioning and inventory in the HCL module", () => {
    const report = guardPlan(fixture('destroy-module-bucket.json'));
    expect(refusedAddresses(report)).toEqual([
      'module.kms_migration.aws_s3_bucket_server_side_encryption_configuration.migrated["acme-prod-legacy-web"]',
      'module.kms_migration.aws_s3_bucket_policy.migrated["acme-prod-legacy-web"]',
      'module.kms_migration.aws_s3_bucket_versioning.migrated["acme-prod-legacy-web"]',
      'module.kms_migration.aws_s3_bucket_inventory.this["acme-prod-legacy-web"]',
    ]);
    expect(refused(report).every((f) => f.subject.includes('bucket acme-prod-legacy-web'))).toBe(true);
  });

  it('refuses a key policy update that removes a key user, naming the removed ARN', () => {
    const finding = defined(refused(guardPlan(fixture('key-policy-user-removed.json')))[0], 'finding');
    expect(finding.address).toBe('aws_kms_key.MigrationKey_2857B45E');
    expect(finding.removedKeyUsers).toEqual([APP_BACKEND]);
    expect(finding.fix).toContain(`--allow-key-user-removal ${APP_BACKEND}`);
  });

  it('lets a key user removal through when it is acknowledged by ARN', () => {
    const report = guardPlan(fixture('key-policy-user-removed.json'), { allowedKeyUserRemovals: [APP_BACKEND] });
    expect(report.refused).toBe(0);
    expect(report.findings).toMatchObject([{ verdict: 'allowed', removedKeyUsers: [APP_BACKEND] }]);
  });

  it('refuses replacing the Batch Operations role and its policy unless told jobs are finished', () => {
    const report = guardPlan(fixture('replace-role.json'));
    expect(refusedAddresses(report)).toEqual(['module.kms_migration.aws_iam_role.this', 'module.kms_migration.aws_iam_role_policy.this']);
  });

  it('says how to check for unfinished jobs, with the account and Region of the plan', () => {
    const role = defined(refused(guardPlan(fixture('replace-role.json')))[0], 'role');
    expect(role.fix).toContain(
      `aws s3control list-jobs --account-id 444455556666 --region eu-west-1 --job-statuses ${UNFINISHED_JOB_STATUSES.join(' ')}`,
    );
    expect(role.fix).toContain('--batch-jobs-finished');
  });

  it('lets the role be replaced once someone says the jobs are finished', () => {
    const report = guardPlan(fixture('replace-role.json'), { batchJobsFinished: true });
    expect(report.refused).toBe(0);
    expect(report.findings.map((f) => f.verdict)).toEqual(['allowed', 'allowed']);
  });
});

describe('plan guard rules', () => {
  const key = { arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`, policy: keyPolicy([RUNNER]) };
  const guarded: [string, Record<string, unknown>][] = [
    ['aws_kms_key', key],
    ['aws_kms_alias', { name: 'alias/s3-migration-prod' }],
    ['aws_kms_key_policy', { key_id: 'k', policy: keyPolicy([RUNNER]) }],
    ['aws_s3_bucket_server_side_encryption_configuration', { bucket: 'acme-data' }],
    ['aws_s3_bucket_policy', { bucket: 'acme-data', policy: '{}' }],
    ['aws_s3_bucket_versioning', { bucket: 'acme-data' }],
    ['aws_s3_bucket_inventory', { bucket: 'acme-data', name: 'kms-migration' }],
    ['aws_s3_bucket', { bucket: 'kmsmig-prod-reports-20260301120000123400000002', bucket_prefix: 'kmsmig-prod-reports-' }],
    ['aws_iam_role', { name: 'kms-migration-prod-batch-operations' }],
  ];

  it.each(guarded)('refuses destroying %s', (type, before) => {
    const report = guardPlan(planOf(resourceChange(type, ['delete'], { before })));
    expect(refusedAddresses(report)).toEqual([`${type}.this`]);
  });

  it.each(guarded)('allows updating %s in place', (type, before) => {
    const report = guardPlan(planOf(resourceChange(type, ['update'], { before, after: { ...before, tags: { team: 'platform' } } })));
    expect(report.findings).toEqual([]);
  });

  it('says a destroy comes from a renamed or removed resource block', () => {
    const destroy = resourceChange(
      'aws_s3_bucket_policy',
      ['delete'],
      { before: { bucket: 'acme-data' } },
      { action_reason: 'delete_because_no_resource_config' },
    );
    expect(refused(guardPlan(planOf(destroy)))[0]?.reason).toContain('renamed without a moved block');
  });

  it('allows destroying a resource the migration does not depend on', () => {
    const report = guardPlan(planOf(resourceChange('aws_glue_catalog_table', ['delete'])));
    expect(report.refused).toBe(0);
  });

  it('ignores a data source read whose type is also a guarded resource type', () => {
    const read = resourceChange(
      'aws_s3_bucket_policy',
      ['read'],
      { before: null, after: { bucket: 'acme-data' } },
      { mode: 'data', address: 'data.aws_s3_bucket_policy.existing' },
    );
    expect(guardPlan(planOf(read)).findings).toEqual([]);
  });

  it('lets a forgotten key go with a notice, not a refusal', () => {
    const report = guardPlan(planOf(resourceChange('aws_kms_key', ['forget'], { before: key, after: null })));
    expect(report.findings).toMatchObject([{ verdict: 'allowed', change: 'forget' }]);
  });

  it('refuses an action list it does not know on a guarded resource', () => {
    const report = guardPlan(planOf(resourceChange('aws_kms_key', ['transmogrify'], { before: key })));
    expect(refused(report)).toMatchObject([{ change: 'unrecognised' }]);
  });

  it('refuses destroying a deposed key object and says it is deposed', () => {
    const report = guardPlan(planOf(resourceChange('aws_kms_key', ['delete'], { before: key }, { deposed: '00000001' })));
    expect(refusedAddresses(report)).toEqual(['aws_kms_key.this (deposed 00000001)']);
  });

  it('refuses a key policy update when the new policy is known only after apply', () => {
    const update = resourceChange('aws_kms_key', ['update'], { before: key, after: { arn: key.arn }, afterUnknown: { policy: true } });
    const finding = defined(refused(guardPlan(planOf(update)))[0], 'finding');
    expect(finding.reason).toContain('cannot tell');
  });

  it('refuses removing a key user through an aws_kms_key_policy resource', () => {
    const before = { key_id: 'k', policy: keyPolicy([RUNNER, ANALYTICS]) };
    const update = resourceChange('aws_kms_key_policy', ['update'], { before, after: { ...before, policy: keyPolicy([RUNNER]) } });
    expect(refused(guardPlan(planOf(update)))).toMatchObject([{ removedKeyUsers: [ANALYTICS] }]);
  });

  it('counts every key user as removed when the users statement loses its sid', () => {
    const update = resourceChange('aws_kms_key', ['update'], { before: key, after: { ...key, policy: keyPolicy([RUNNER], 'KeyUsers') } });
    expect(refused(guardPlan(planOf(update)))).toMatchObject([{ removedKeyUsers: [RUNNER] }]);
  });

  it('does not flag a key policy that lists the same users in another order', () => {
    const before = { ...key, policy: keyPolicy([RUNNER, ANALYTICS]) };
    const update = resourceChange('aws_kms_key', ['update'], { before, after: { ...before, policy: keyPolicy([ANALYTICS, RUNNER]) } });
    expect(guardPlan(planOf(update)).findings).toEqual([]);
  });
});

describe('key policy, trust policy and own buckets are read as the stack writes them', () => {
  it('reads key users from the statement the stack writes key.users into', () => {
    const { stack } = synthesize(config());
    const users = policyStatements(stack, 'MigrationKey/Policy').find((s) =>
      s.principals?.some((p) => p.identifiers.includes(`arn:aws:iam::${STACK_ACCOUNT}:role/runner`)),
    );
    expect(users?.sid).toBe(KEY_USERS_SID);
  });

  it("reads a bucket's readers and distributions from the statements the stack writes them into", () => {
    const reader = `arn:aws:iam::${STACK_ACCOUNT}:role/reporting`;
    const distribution = `arn:aws:cloudfront::${STACK_ACCOUNT}:distribution/E2QWRUHAPOMQZL`;
    const replicationRole = `arn:aws:iam::${STACK_ACCOUNT}:role/s3-replication`;
    const { stack } = synthesize(
      config({
        buckets: [
          {
            name: 'data-bucket',
            readers: [reader],
            cloudfrontDistributions: [distribution],
            logDelivery: ['s3-server-access-logs'],
            replicationRoles: [replicationRole],
          },
        ],
      }),
    );
    const rendered = policyStatements(stack, 'MigrationKey/Policy').map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Action: s.actions,
      Resource: s.resources,
      Principal: Object.fromEntries((s.principals ?? []).map((p) => [p.type, p.identifiers])),
      Condition: Object.fromEntries((s.condition ?? []).map((c) => [c.test, { [c.variable]: c.values }])),
    }));
    const readers = bucketReadersIn(parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: rendered }))!);
    expect(Object.fromEntries(readers)).toEqual({
      [`${READERS_SID_PREFIX}DataBucket`]: [reader],
      [`${CLOUDFRONT_SID_PREFIX}DataBucket`]: [distribution],
      [`${LOG_DELIVERY_SID_PREFIX}DataBucket`]: ['logging.s3.amazonaws.com'],
      [`${REPLICATION_SID_PREFIX}DataBucket`]: [replicationRole],
    });
  });

  it('reads the account root and the Batch Operations role from the statements the stack writes them into', () => {
    const { stack } = synthesize(config());
    const keyPolicy = policyStatements(stack, 'MigrationKey/Policy');
    expect(statement(keyPolicy, ACCOUNT_ROOT_SID).principals).toEqual([
      { type: 'AWS', identifiers: [`arn:aws:iam::${STACK_ACCOUNT}:root`] },
    ]);
    expect(statement(keyPolicy, ACCOUNT_ROOT_SID).actions).toContain('kms:PutKeyPolicy');
    expect(statement(keyPolicy, BATCH_OPERATIONS_SID).principals?.[0]?.identifiers).toEqual([
      expect.stringMatching(/:role\/.*batch-operations$/),
    ]);
  });

  it('trusts the service the stack lets assume the Batch Operations role', () => {
    const { stack } = synthesize(config());
    const trust = defined(policyStatements(stack, 'BatchOperationsRole/TrustPolicy')[0], 'trust');
    expect(trust.principals).toEqual([{ type: 'Service', identifiers: [BATCH_OPERATIONS_SERVICE] }]);
  });

  it("guards every condition of the stack's trust policy against being dropped", () => {
    const { stack } = synthesize(config());
    const trust = defined(policyStatements(stack, 'BatchOperationsRole/TrustPolicy')[0], 'trust');
    const variables = trust.condition?.map((c) => c.variable) ?? [];
    expect(variables.length).toBeGreaterThan(0);
    expect(CONFUSED_DEPUTY_KEYS).toEqual(expect.arrayContaining(variables));
  });

  it('reads one key user written as a string and several written as a list', () => {
    expect(keyUsersOf(keyPolicy([RUNNER]))).toEqual([RUNNER]);
    expect(keyUsersOf(keyPolicy([RUNNER, ANALYTICS]))).toEqual([RUNNER, ANALYTICS]);
  });

  it.each([
    ['inventory', resourceNames('prod').inventoryBucketPrefix],
    ['reports', resourceNames('prod').reportsBucketPrefix],
    ['inventory', resourceNames('team-a-reports').inventoryBucketPrefix],
  ])('recognises the %s bucket by the prefix the stack gives it (%s)', (role, prefix) => {
    const bucket = resourceChange('aws_s3_bucket', ['delete'], { before: { bucket: `${prefix}2026030112000012340000001a` } });
    expect(ownBucketRole(bucket)).toBe(role);
  });

  it("does not take a bucket of another name for one of the stack's own", () => {
    expect(ownBucketRole(resourceChange('aws_s3_bucket', ['delete'], { before: { bucket: 'acme-terraform-state' } }))).toBeUndefined();
  });
});
