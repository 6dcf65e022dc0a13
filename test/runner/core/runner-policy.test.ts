// The runner's IAM policy as data: every call the runner sends is granted, and each grant is scoped to the stack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACTIONS_WITHOUT_RESOURCE_TYPE, RUNNER_API_ACTIONS, runnerPolicy, type PolicyStatement } from '../../../runner/core/runner-policy';
import type { BucketOutput } from '../../../stacks/outputs';
import { stackOutputs } from '../builders';

const AWS_DIR = path.join(__dirname, '..', '..', '..', 'runner', 'aws');

/** Every SDK operation runner/aws/ sends: `new XCommand(` and `paginateX(`. */
function operationsSent(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of fs.readdirSync(AWS_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(AWS_DIR, file), 'utf8');
    for (const m of text.matchAll(/new\s+(\w+)Command\s*\(|\bpaginate(\w+)\s*\(/g)) found.set(m[1] ?? m[2]!, file);
  }
  return found;
}

function bucket(name: string, overrides: Partial<BucketOutput> = {}): BucketOutput {
  return {
    ...stackOutputs().buckets['acme-data']!,
    bucket: name,
    inventory_location: `s3://kmsmig-prod-inv-20261123/inventory/${name}/kms-migration/`,
    ...overrides,
  };
}

/** A stack using every feature that adds a grant: a prefix, ACLs, Object Lock. */
const FULL = stackOutputs({
  buckets: {
    'acme-data': bucket('acme-data'),
    'acme-logs': bucket('acme-logs', { prefix_filter: 'app/', uses_acls: true }),
    'acme-vault': bucket('acme-vault', { object_lock: true }),
  },
});

function statementsWith(action: string, statements: readonly PolicyStatement[]): PolicyStatement[] {
  return statements.filter((s) => s.Action.includes(action));
}

function resourcesOf(s: PolicyStatement): readonly string[] {
  return typeof s.Resource === 'string' ? [s.Resource] : s.Resource;
}

describe('runnerPolicy', () => {
  const policy = runnerPolicy(FULL);
  const granted = new Set(policy.Statement.flatMap((s) => s.Action));

  it('finds the calls it checks (the scan is not empty)', () => {
    const sent = operationsSent();
    expect(sent.size).toBeGreaterThan(30);
    for (const op of ['CreateJob', 'UpdateObjectEncryption', 'ListObjectsV2', 'ListJobs', 'GetQueryResults'])
      expect(sent.has(op)).toBe(true);
  });

  it.each([...operationsSent()])('maps %s (runner/aws/%s) to IAM actions the policy grants', (operation) => {
    const actions = RUNNER_API_ACTIONS[operation];
    expect(actions).toBeDefined();
    for (const action of actions ?? []) expect(granted).toContain(action);
  });

  it('grants nothing beyond what a call needs', () => {
    const needed = new Set([
      ...Object.values(RUNNER_API_ACTIONS).flat(),
      's3:ListBucketMultipartUploads',
      's3:ListMultipartUploadParts',
      's3:GetBucketLocation',
      's3:PutObjectTagging',
      's3:PutObjectAcl',
      's3:PutObjectVersionAcl',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:GetObjectRetention',
      's3:GetObjectLegalHold',
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    expect([...granted].filter((a) => !needed.has(a))).toEqual([]);
  });

  it('gives every statement its own sid', () => {
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('uses "Resource": "*" only for actions without a resource type', () => {
    const wildcard = policy.Statement.filter((s) => resourcesOf(s).includes('*'));
    expect(wildcard.flatMap((s) => s.Action).sort()).toEqual([...ACTIONS_WITHOUT_RESOURCE_TYPE].sort());
    expect(policy.Statement.flatMap(resourcesOf).filter((r) => r !== '*' && /^arn:aws:s3:::\*|:\*$/.test(r))).toEqual([]);
  });

  it('limits iam:PassRole to the Batch Operations role, passed to Batch Operations only', () => {
    const [passRole, ...others] = statementsWith('iam:PassRole', policy.Statement);
    expect(others).toEqual([]);
    expect(passRole).toEqual({
      Sid: 'PassBatchOperationsRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: FULL.batch_operations_role_arn,
      Condition: { StringEquals: { 'iam:PassedToService': 'batchoperations.s3.amazonaws.com' } },
    });
  });

  it('scopes object writes to the migrated buckets and prefixes, and the stack prefix of the reports bucket', () => {
    const resources = statementsWith('s3:PutObject', policy.Statement).flatMap(resourcesOf).sort();
    expect(resources).toEqual(
      [
        'arn:aws:s3:::acme-data/*',
        'arn:aws:s3:::acme-logs/app/*',
        'arn:aws:s3:::acme-vault/*',
        'arn:aws:s3:::kmsmig-prod-reports-20261123/prod/*',
      ].sort(),
    );
  });

  it('deletes objects only under the stack prefix of the reports bucket, never in a migrated bucket', () => {
    const resources = [
      ...statementsWith('s3:DeleteObject', policy.Statement),
      ...statementsWith('s3:DeleteObjectVersion', policy.Statement),
    ].flatMap(resourcesOf);
    expect(new Set(resources)).toEqual(new Set(['arn:aws:s3:::kmsmig-prod-reports-20261123/prod/*']));
  });

  it('grants ACL and Object Lock actions only on the buckets that use them', () => {
    expect(statementsWith('s3:PutObjectAcl', policy.Statement).flatMap(resourcesOf)).toEqual(['arn:aws:s3:::acme-logs/app/*']);
    expect(statementsWith('s3:PutObjectRetention', policy.Statement).flatMap(resourcesOf)).toEqual(['arn:aws:s3:::acme-vault/*']);
    const plain = runnerPolicy(stackOutputs());
    expect(plain.Statement.filter((s) => s.Sid === 'CarryObjectAcls' || s.Sid === 'CarryObjectLocks')).toEqual([]);
  });

  it('uses the key only through S3 of the stack Region, as the key policy grants key users', () => {
    const [use] = statementsWith('kms:GenerateDataKey', policy.Statement);
    expect(use).toMatchObject({
      Resource: FULL.kms_key_arn,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
    expect(use!.Action).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey']);
  });

  it('names the stack workgroup, Glue database and job ARNs of its account and Region', () => {
    expect(statementsWith('athena:StartQueryExecution', policy.Statement).flatMap(resourcesOf)).toEqual([
      'arn:aws:athena:eu-west-1:123456789012:workgroup/kms-migration-prod',
    ]);
    expect(statementsWith('glue:GetTable', policy.Statement).flatMap(resourcesOf)).toEqual([
      'arn:aws:glue:eu-west-1:123456789012:catalog',
      'arn:aws:glue:eu-west-1:123456789012:database/kms_migration_prod',
      'arn:aws:glue:eu-west-1:123456789012:table/kms_migration_prod/*',
    ]);
    expect(statementsWith('s3:DescribeJob', policy.Statement).flatMap(resourcesOf)).toEqual(['arn:aws:s3:eu-west-1:123456789012:job/*']);
  });

  it('lists the reports and inventory buckets only under their prefixes', () => {
    expect(policy.Statement.find((s) => s.Sid === 'ListStackPrefix')?.Condition).toEqual({ StringLike: { 's3:prefix': ['prod/*'] } });
    expect(policy.Statement.find((s) => s.Sid === 'ListInventoryReports')?.Condition).toEqual({
      StringLike: { 's3:prefix': ['inventory/*'] },
    });
  });

  it('keeps the stack partition in every ARN', () => {
    const china = runnerPolicy(
      stackOutputs({
        region: 'cn-north-1',
        kms_key_arn: 'arn:aws-cn:kms:cn-north-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      }),
    );
    const arns = china.Statement.flatMap(resourcesOf).filter((r) => r !== '*' && !r.startsWith('arn:aws:iam::'));
    expect(arns.filter((r) => !r.startsWith('arn:aws-cn:'))).toEqual([]);
  });
});
