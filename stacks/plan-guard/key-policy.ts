// Reading a key policy change: the statements the stack writes (by sid), who they grant what, and what a new policy takes away.
import { KMS_BATCH_OPERATIONS_ACTIONS, KMS_S3_USE_ACTIONS } from '../constructs/actions';
import {
  PolicyDocument,
  PolicyHarm,
  Principal,
  Statement,
  allows,
  conditionsOn,
  coversAction,
  parsePolicyDocument,
  roleNameOf,
} from './policy-document';
import type { RoleInPlan } from './stack-in-plan';

/*
 * The sids of the key policy statements the stack writes (stacks/constructs/encryption-key.ts,
 * terraform-modules/s3-kms-migration/policies.tf). Tests hold these to the construct's statements.
 */
/** The account root administers the key, so IAM policies of the account keep working on it. */
export const ACCOUNT_ROOT_SID = 'AccountRootAdministersKey';
/** Lists `key.users` (`kms_key_users` in the module). */
export const KEY_USERS_SID = 'NamedUsersUseKeyThroughS3';
/** Grants the Batch Operations role what re-encrypting and copying in place need. */
export const BATCH_OPERATIONS_SID = 'BatchOperationsReencryptsThroughS3';

/** Per bucket with `readers`, followed by the bucket's name in letters and digits: its readers decrypt through S3. */
export const READERS_SID_PREFIX = 'ReadersDecryptThrough';
/** Per bucket with `cloudfrontDistributions`: CloudFront decrypts for the distributions of its AWS:SourceArn condition. */
export const CLOUDFRONT_SID_PREFIX = 'CloudFrontDecryptsThrough';
/** Per bucket with `logDelivery`: the log delivery service principals generate data keys for its objects. */
export const LOG_DELIVERY_SID_PREFIX = 'LogDeliveryEncryptsInto';
/** Per bucket with `replicationRoles`: the roles that replicate it decrypt through S3; without it, replication of SSE-KMS objects stops. */
export const REPLICATION_SID_PREFIX = 'ReplicationDecryptsThrough';

/** Resource types whose `policy` argument is the key policy. */
export const KEY_POLICY_TYPES: readonly string[] = ['aws_kms_key', 'aws_kms_key_policy'];

/** The action whose grant to the account root keeps the key manageable: KMS's own lockout safety check tests it. */
const KEY_POLICY_ADMIN_ACTION = 'kms:PutKeyPolicy';
/** Reading (Decrypt) and writing (GenerateDataKey) objects under the key: the grants a Deny must not cover. */
const DATA_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

export interface KeyPolicyContext {
  /** The key's account, whose root must keep administering the key; any account's root when unknown. */
  readonly account?: string;
  /** The IAM roles of the plan: a principal of the policy with one's ARN or name is the Batch Operations role. */
  readonly roles: readonly RoleInPlan[];
}

/** A bucket's reader, CloudFront distribution or replication role that a new key policy no longer grants. */
export interface RemovedReader {
  /** The principal ARN, or the distribution ARN. */
  readonly reader: string;
  /** The statement that granted it before, which names the bucket. */
  readonly statement: string;
}

export interface KeyPolicyComparison {
  /** Principals of the key users' statement before the change that are not in it after. */
  readonly removedKeyUsers: readonly string[];
  /** Readers and distributions of a bucket's statements before the change that are not granted after. */
  readonly removedReaders: readonly RemovedReader[];
  /** Everything else the new policy takes away. */
  readonly harms: readonly PolicyHarm[];
}

/** Compares the key policy before and after an update: who loses what. */
export function compareKeyPolicies(before: PolicyDocument, after: PolicyDocument, context: KeyPolicyContext): KeyPolicyComparison {
  const usersBefore = keyUsersIn(before);
  const usersAfter = keyUsersIn(after);
  const roles = batchOperationsRolesIn(before, context.roles);
  const isRoot = rootOf(context.account);
  const holders = new Set([...usersBefore, ...usersAfter, ...roles]);
  return {
    removedKeyUsers: usersBefore.filter((arn) => !usersAfter.includes(arn)),
    removedReaders: readersLost(before, after, usersAfter),
    harms: [
      ...rootLockout(after, isRoot, context.account),
      ...rolesLoseActions(before, after, roles),
      ...usersLoseActions(
        before,
        after,
        usersBefore.filter((arn) => usersAfter.includes(arn)),
      ),
      ...viaServiceChanged(before, after, [...usersBefore, ...roles]),
      ...denyAdded(before, after, (p) => isRoot(p) || (p.type === 'AWS' && holders.has(p.id))),
    ],
  };
}

/** AWS principals of the key users' statement of a key policy document. */
export function keyUsersIn(document: PolicyDocument): string[] {
  const users: string[] = [];
  for (const statement of document.statements) {
    if (statement.sid !== KEY_USERS_SID || statement.effect !== 'Allow') continue;
    for (const p of statement.principals) if (p.type === 'AWS' && !users.includes(p.id)) users.push(p.id);
  }
  return users;
}

/**
 * Who each bucket's grant statements let read, replicate or deliver logs, by sid: the AWS principals
 * of a readers' or a replication statement, the AWS:SourceArn distributions of a CloudFront
 * statement, the service principals of a log delivery statement.
 */
export function bucketReadersIn(document: PolicyDocument): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow' || statement.sid === undefined) continue;
    let named: string[];
    if (statement.sid.startsWith(READERS_SID_PREFIX) || statement.sid.startsWith(REPLICATION_SID_PREFIX)) {
      named = statement.principals.filter((p) => p.type === 'AWS').map((p) => p.id);
    } else if (statement.sid.startsWith(LOG_DELIVERY_SID_PREFIX)) {
      named = statement.principals.filter((p) => p.type === 'Service').map((p) => p.id);
    } else if (statement.sid.startsWith(CLOUDFRONT_SID_PREFIX)) {
      named = statement.conditions.filter((c) => c.key.toLowerCase() === 'aws:sourcearn').flatMap((c) => c.values);
    } else {
      continue;
    }
    const known = readers.get(statement.sid) ?? [];
    readers.set(statement.sid, [...known, ...named.filter((n) => !known.includes(n))]);
  }
  return readers;
}

/**
 * Readers a bucket's statement named before and not after: taken out, or their bucket's statement
 * gone. One that moved to the key users keeps reading, and is not counted.
 */
function readersLost(before: PolicyDocument, after: PolicyDocument, usersAfter: readonly string[]): RemovedReader[] {
  const kept = bucketReadersIn(after);
  const lost: RemovedReader[] = [];
  for (const [statement, readers] of bucketReadersIn(before)) {
    for (const reader of readers) {
      if (!(kept.get(statement) ?? []).includes(reader) && !usersAfter.includes(reader)) lost.push({ reader, statement });
    }
  }
  return lost;
}

/** AWS principals of the key users' statement of a key policy; undefined when it is not JSON. */
export function keyUsersOf(policy: string): string[] | undefined {
  const document = parsePolicyDocument(policy);
  return document && keyUsersIn(document);
}

/**
 * The Batch Operations role as the policy before the change names it: the principals of its
 * statement, and any role principal with the ARN or the name of a role in the plan (the statement
 * may have been renamed in the same change).
 */
function batchOperationsRolesIn(document: PolicyDocument, roles: readonly RoleInPlan[]): string[] {
  const found = new Set<string>();
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    for (const p of statement.principals) {
      if (p.type !== 'AWS') continue;
      const name = roleNameOf(p.id);
      const ofPlan = roles.some((r) => r.arn === p.id || (name !== undefined && r.name === name));
      if (statement.sid === BATCH_OPERATIONS_SID || ofPlan) found.add(p.id);
    }
  }
  return [...found];
}

function rootOf(account: string | undefined): (p: Principal) => boolean {
  const pattern = new RegExp(`^arn:aws[a-z-]*:iam::${account ?? '\\d{12}'}:root$`);
  return (p) => p.type === 'AWS' && pattern.test(p.id);
}

function rootLockout(after: PolicyDocument, isRoot: (p: Principal) => boolean, account: string | undefined): PolicyHarm[] {
  if (allows(after, isRoot, KEY_POLICY_ADMIN_ACTION)) return [];
  const root = `arn:aws:iam::${account ?? '<account>'}:root`;
  return [
    {
      reason:
        `the new key policy no longer lets the account root ${root} administer the key (no Allow of ${KEY_POLICY_ADMIN_ACTION}; statement ${ACCOUNT_ROOT_SID}): ` +
        'IAM policies of the account then grant nothing on the key, and once the principals the policy still names are gone nobody can change it again (only AWS Support can)',
      fix: `Keep the ${ACCOUNT_ROOT_SID} statement the stack writes (stacks/constructs/encryption-key.ts; policies.tf in the module).`,
    },
  ];
}

function rolesLoseActions(before: PolicyDocument, after: PolicyDocument, roles: readonly string[]): PolicyHarm[] {
  return roles.flatMap((arn) => {
    const had = grantedActions(before, arn, KMS_BATCH_OPERATIONS_ACTIONS);
    const lost = lostActions(before, after, arn, KMS_BATCH_OPERATIONS_ACTIONS);
    if (lost.length === 0) return [];
    const what =
      lost.length === had.length
        ? `removes the Batch Operations role ${arn} from the key policy`
        : `takes ${lost.join(', ')} away from the Batch Operations role ${arn}`;
    return [
      {
        reason: `the new key policy ${what} (statement ${BATCH_OPERATIONS_SID}): its S3 Batch Operations jobs fail with AccessDenied on every version they re-encrypt or copy`,
        fix:
          `Keep the role in the ${BATCH_OPERATIONS_SID} statement with ${KMS_BATCH_OPERATIONS_ACTIONS.join(', ')}, as the stack writes it from the role's ARN. ` +
          'If the role itself is being replaced, that is refused on its own: check that no job is unfinished first.',
      },
    ];
  });
}

function usersLoseActions(before: PolicyDocument, after: PolicyDocument, users: readonly string[]): PolicyHarm[] {
  const byLoss = new Map<string, string[]>();
  for (const arn of users) {
    const lost = lostActions(before, after, arn, KMS_S3_USE_ACTIONS);
    if (lost.length > 0) byLoss.set(lost.join(', '), [...(byLoss.get(lost.join(', ')) ?? []), arn]);
  }
  return [...byLoss].map(([lost, arns]) => ({
    reason:
      `the new key policy takes ${lost} away from key users ${arns.join(', ')} (statement ${KEY_USERS_SID}): ` +
      `${lost.includes('kms:Decrypt') ? 'they can no longer read any migrated object' : 'S3 can no longer use the key for them'}`,
    fix: `Keep ${KMS_S3_USE_ACTIONS.join(', ')} in the ${KEY_USERS_SID} statement, as the stack writes it; to take a user's access away, remove the user from key.users (kms_key_users in the module) and acknowledge it with --allow-key-user-removal.`,
  }));
}

/** Actions of `actions` the policy grants `arn`. */
function grantedActions(document: PolicyDocument, arn: string, actions: readonly string[]): string[] {
  return actions.filter((action) => allows(document, (p) => p.type === 'AWS' && p.id === arn, action));
}

/** Actions of `actions` the policy before grants `arn` and the policy after does not. */
function lostActions(before: PolicyDocument, after: PolicyDocument, arn: string, actions: readonly string[]): string[] {
  const kept = grantedActions(after, arn, actions);
  return grantedActions(before, arn, actions).filter((action) => !kept.includes(action));
}

/**
 * The key users and the role may use the key only through S3 (kms:ViaService): removed, they may
 * use it directly, outside every bucket policy; changed, S3 in the buckets' Region no longer matches.
 */
function viaServiceChanged(before: PolicyDocument, after: PolicyDocument, holders: readonly string[]): PolicyHarm[] {
  const changed = new Map<string, { statement: Statement; via: string; principals: string[] }>();
  for (const arn of holders) {
    const granting = (document: PolicyDocument) =>
      document.statements.filter(
        (s) =>
          s.effect === 'Allow' &&
          s.principals.some((p) => p.type === 'AWS' && p.id === arn) &&
          DATA_ACTIONS.some((a) => coversAction(s, a)),
      );
    const viaBefore = new Set(granting(before).map(viaServiceOf));
    if (viaBefore.size === 0 || viaBefore.has('')) continue;
    for (const statement of granting(after)) {
      const via = viaServiceOf(statement);
      if (viaBefore.has(via)) continue;
      const key = `${statement.canonical}\n${via}`;
      const entry = changed.get(key) ?? { statement, via, principals: [] };
      entry.principals.push(arn);
      changed.set(key, entry);
    }
  }
  return [...changed.values()].map(({ statement, via, principals }) => ({
    reason:
      `the new key policy ${via === '' ? 'drops the kms:ViaService condition' : `changes the kms:ViaService condition to ${via}`} ` +
      `of ${statement.sid ? `statement ${statement.sid}` : 'a statement'} granting ${principals.join(', ')}: ` +
      (via === ''
        ? 'they may then use the key directly, outside S3 and every bucket policy'
        : "S3 in the buckets' Region no longer matches it, so they can no longer read or write migrated objects"),
    fix: "Keep the condition the stack writes: StringEquals kms:ViaService s3.<the buckets' Region>.amazonaws.com.",
  }));
}

function viaServiceOf(statement: Statement): string {
  return conditionsOn(statement, 'kms:ViaService').join('; ');
}

/** A Deny overrides every Allow: one added over kms:Decrypt for the principals that need the key locks them out. */
function denyAdded(before: PolicyDocument, after: PolicyDocument, isHolder: (p: Principal) => boolean): PolicyHarm[] {
  const existing = new Set(before.statements.map((s) => s.canonical));
  return after.statements
    .filter((s) => s.effect === 'Deny' && !existing.has(s.canonical) && DATA_ACTIONS.some((a) => coversAction(s, a)))
    .filter((s) => s.anyone || s.notPrincipal || s.principals.some(isHolder))
    .map((s) => {
      const who = s.anyone
        ? 'everyone (Principal "*")'
        : s.notPrincipal
          ? 'everyone but its NotPrincipal'
          : s.principals
              .filter(isHolder)
              .map((p) => p.id)
              .join(', ');
      const denied = DATA_ACTIONS.filter((a) => coversAction(s, a)).join(', ');
      const what = `the new key policy adds a Deny of ${denied} to ${who}${s.sid ? ` (statement ${s.sid})` : ''}`;
      if (s.conditions.length > 0) {
        return {
          reason:
            `${what}, under conditions (${s.conditions.map((c) => `${c.operator} ${c.key}`).join(', ')}) the guard does not evaluate, ` +
            'so it cannot tell whether the account root, the key users and the Batch Operations role keep access to migrated objects',
          fix: 'Take the statement out of this change, or narrow its Principal to principals that are none of the account root, the key users and the Batch Operations role.',
        };
      }
      return {
        reason: `${what}: a Deny overrides every Allow, so they can no longer read (or write) any migrated object`,
        fix: 'Take the statement out, or narrow its Principal to principals that are none of the account root, the key users and the Batch Operations role.',
      };
    });
}
