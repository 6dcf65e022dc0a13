// Reading the key policy out of a key or key policy change: the statement that lists the key users, and who left it.
import type { ResourceChange } from './plan-json';
import { attribute } from './plan-values';

/**
 * The sid of the key policy statement that lists `key.users` (stacks/constructs/encryption-key.ts,
 * terraform-modules/s3-kms-migration/policies.tf). A test holds this to the construct's statement.
 */
export const KEY_USERS_SID = 'NamedUsersUseKeyThroughS3';

/** Resource types whose `policy` argument is the key policy. */
export const KEY_POLICY_TYPES: readonly string[] = ['aws_kms_key', 'aws_kms_key_policy'];

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
