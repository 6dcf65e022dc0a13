// Fixture builders for plan guard tests: the JSON plan fixtures on disk, and single resource changes to vary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { ResourceChange, TerraformPlan, parsePlan } from '../../../stacks/plan-guard/plan-json';
import { KMS_ADMIN_ACTIONS } from '../../../stacks/constructs/actions';
import { KEY_USERS_SID } from '../../../stacks/plan-guard/key-policy';

export const FIXTURES = path.join(__dirname, 'fixtures');

export const ACCOUNT = '444455556666';
export const RUNNER = `arn:aws:iam::${ACCOUNT}:role/kms-migration-runner`;
export const APP_BACKEND = `arn:aws:iam::${ACCOUNT}:role/app-backend`;
export const ANALYTICS = `arn:aws:iam::${ACCOUNT}:role/analytics`;

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixture file, parsed as the guard parses it. */
export function fixture(name: string): TerraformPlan {
  return parsePlan(name, fs.readFileSync(fixturePath(name), 'utf8'));
}

/** A plan of the given changes, in the documented format. */
export function planOf(...changes: ResourceChange[]): TerraformPlan {
  return parsePlan('built.json', JSON.stringify({ format_version: '1.2', terraform_version: '1.10.5', resource_changes: changes, errored: false }));
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
      { Sid: 'AccountRootAdministersKey', Effect: 'Allow', Action: [...KMS_ADMIN_ACTIONS], Resource: '*', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } },
      { Sid: sid, Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Principal: { AWS: users.length === 1 ? users[0] : [...users] } },
    ],
  });
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
