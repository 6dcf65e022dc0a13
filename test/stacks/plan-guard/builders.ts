// Fixture builders for plan guard tests: the JSON plan fixtures on disk, and single resource changes to vary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { ResourceChange, TerraformPlan, parsePlan } from '../../../stacks/plan-guard/plan-json';
import { KMS_ADMIN_ACTIONS, KMS_BATCH_OPERATIONS_ACTIONS, KMS_S3_USE_ACTIONS } from '../../../stacks/constructs/actions';
import {
  ACCOUNT_ROOT_SID,
  BATCH_OPERATIONS_SID,
  CLOUDFRONT_SID_PREFIX,
  LOG_DELIVERY_SID_PREFIX,
  KEY_USERS_SID,
  READERS_SID_PREFIX,
  REPLICATION_SID_PREFIX,
} from '../../../stacks/plan-guard/key-policy';

export const FIXTURES = path.join(__dirname, 'fixtures');

export const ACCOUNT = '444455556666';
export const RUNNER = `arn:aws:iam::${ACCOUNT}:role/kms-migration-runner`;
export const APP_BACKEND = `arn:aws:iam::${ACCOUNT}:role/app-backend`;
export const ANALYTICS = `arn:aws:iam::${ACCOUNT}:role/analytics`;
export const BATCH_ROLE_NAME = 'kms-migration-prod-batch-operations';
export const BATCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/${BATCH_ROLE_NAME}`;
export const REPORTING = `arn:aws:iam::${ACCOUNT}:role/reporting`;
export const PARTNER = 'arn:aws:iam::210987654321:role/partner-ingest';
export const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`;
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixture file, parsed as the guard parses it. */
export function fixture(name: string): TerraformPlan {
  return parsePlan(name, fs.readFileSync(fixturePath(name), 'utf8'));
}

/** A plan of the given changes, in the documented format. */
export function planOf(...changes: ResourceChange[]): TerraformPlan {
  return parsePlan(
    'built.json',
    JSON.stringify({ format_version: '1.2', terraform_version: '1.10.5', resource_changes: changes, errored: false }),
  );
}

/** One managed resource change; `before`/`after` default to what the actions imply. */
export function resourceChange(
  type: string,
  actions: string[],
  values: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; afterUnknown?: Record<string, unknown> } = {},
  extra: Partial<ResourceChange> = {},
): ResourceChange {
  const name = extra.name ?? 'this';
  const object = values.before ?? values.after ?? { id: 'x' };
  const before = values.before !== undefined ? values.before : actions.includes('create') && actions.length === 1 ? null : object;
  const after = values.after !== undefined ? values.after : actions.includes('delete') && actions.length === 1 ? null : object;
  return {
    address: `${type}.${name}`,
    mode: 'managed',
    type,
    name,
    ...extra,
    change: { actions, before, after, after_unknown: values.afterUnknown ?? {} },
  };
}

/** A key policy JSON string as IAM renders it: one principal as a string, several as a list. */
export function keyPolicy(users: readonly string[], sid = KEY_USERS_SID): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Action: [...KMS_ADMIN_ACTIONS],
        Resource: '*',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      },
      {
        Sid: sid,
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Principal: { AWS: users.length === 1 ? users[0] : [...users] },
      },
    ],
  });
}

/** A policy statement as IAM renders it in a policy document. */
export type StatementJson = Record<string, unknown>;

export function policyJson(statements: readonly StatementJson[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The key policy statements the stack writes (root, key users, Batch Operations role), to vary one at a time. */
export function stackKeyStatements(users: readonly string[] = [RUNNER, APP_BACKEND]): StatementJson[] {
  const viaS3 = { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT } };
  return [
    {
      Sid: ACCOUNT_ROOT_SID,
      Effect: 'Allow',
      Action: [...KMS_ADMIN_ACTIONS],
      Resource: '*',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    },
    {
      Sid: KEY_USERS_SID,
      Effect: 'Allow',
      Action: [...KMS_S3_USE_ACTIONS],
      Resource: '*',
      Principal: { AWS: [...users] },
      Condition: viaS3,
    },
    {
      Sid: BATCH_OPERATIONS_SID,
      Effect: 'Allow',
      Action: [...KMS_BATCH_OPERATIONS_ACTIONS],
      Resource: '*',
      Principal: { AWS: BATCH_ROLE },
      Condition: viaS3,
    },
  ];
}

/** The statements the stack writes for one bucket's readers, distributions, log delivery and replication roles, as IAM renders them. */
export function bucketReaderStatements(
  bucketId: string,
  readers: readonly string[],
  distributions: readonly string[] = [],
  replicationRoles: readonly string[] = [],
  logDelivery: readonly string[] = [],
): StatementJson[] {
  const context = { StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] } };
  return [
    ...(readers.length === 0
      ? []
      : [
          {
            Sid: `${READERS_SID_PREFIX}${bucketId}`,
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Principal: { AWS: readers.length === 1 ? readers[0] : [...readers] },
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, ...context },
          },
        ]),
    ...(distributions.length === 0
      ? []
      : [
          {
            Sid: `${CLOUDFRONT_SID_PREFIX}${bucketId}`,
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: { 'AWS:SourceArn': distributions.length === 1 ? distributions[0] : [...distributions] },
              ...context,
            },
          },
        ]),
    ...(logDelivery.length === 0
      ? []
      : [
          {
            Sid: `${LOG_DELIVERY_SID_PREFIX}${bucketId}`,
            Effect: 'Allow',
            Action: 'kms:GenerateDataKey',
            Resource: '*',
            Principal: { Service: logDelivery.length === 1 ? logDelivery[0] : [...logDelivery] },
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ...context },
          },
        ]),
    ...(replicationRoles.length === 0
      ? []
      : [
          {
            Sid: `${REPLICATION_SID_PREFIX}${bucketId}`,
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Principal: { AWS: replicationRoles.length === 1 ? replicationRoles[0] : [...replicationRoles] },
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, ...context },
          },
        ]),
  ];
}

/** An update of the key whose policy goes from `before` to `after`, both as IAM renders them. */
export function keyPolicyChange(before: readonly StatementJson[], after: readonly StatementJson[]): ResourceChange {
  return updateOf('aws_kms_key', { ...keyInState(), policy: policyJson(before) }, { policy: policyJson(after) });
}

/** `statements` with the one of `sid` changed by `edit` (or dropped, when it returns undefined). */
export function editStatement(
  statements: readonly StatementJson[],
  sid: string,
  edit: (s: StatementJson) => StatementJson | undefined,
): StatementJson[] {
  return statements.flatMap((s) => (s.Sid === sid ? [edit(s)].filter((e): e is StatementJson => e !== undefined) : [s]));
}

/** An update in place of `type`: `before` as in the state, `after` as `before` with `changes`. */
export function updateOf(
  type: string,
  before: Record<string, unknown>,
  changes: Record<string, unknown>,
  afterUnknown: Record<string, unknown> = {},
): ResourceChange {
  return resourceChange(type, ['update'], { before, after: { ...before, ...changes }, afterUnknown });
}

/** The key as the state holds it: enabled, with the policy the stack writes. */
export function keyInState(): Record<string, unknown> {
  return {
    arn: KEY_ARN,
    key_id: KEY_ID,
    id: KEY_ID,
    is_enabled: true,
    enable_key_rotation: true,
    description: 'KMS key',
    policy: policyJson(stackKeyStatements()),
    tags: {},
  };
}

/** An update of the key whose policy goes from the one the stack writes to `after`. */
export function keyPolicyUpdate(after: readonly StatementJson[], type = 'aws_kms_key'): ResourceChange {
  const before = type === 'aws_kms_key' ? keyInState() : { key_id: KEY_ARN, policy: policyJson(stackKeyStatements()) };
  return updateOf(type, before, { policy: policyJson(after) });
}

/** The Batch Operations role, unchanged: the plan lists it, and the guard finds the role by its ARN and name. */
export function batchRoleUnchanged(): ResourceChange {
  return resourceChange('aws_iam_role', ['no-op'], { before: { arn: BATCH_ROLE, name: BATCH_ROLE_NAME } });
}

/** A stream that keeps what is written to it, posing as a terminal or a pipe. */
export function captureStream(isTTY: boolean): Writable & { isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}
