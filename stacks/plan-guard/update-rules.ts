// The rules for updates in place: which change of an attribute of which resource type harms the migration, and why.
import type { ChangeKind } from './change-kind';
import { Finding, finding } from './finding';
import { KEY_POLICY_TYPES, KEY_USERS_SID, removedKeyUsers } from './key-policy';
import type { ResourceChange } from './plan-json';

/** What an update rule may know beyond the change itself. */
export interface UpdateContext {
  /** Key users (principal ARNs) whose removal from the key policy is intended. */
  readonly allowedKeyUserRemovals: readonly string[];
}

type UpdateRule = (change: ResourceChange, context: UpdateContext) => Finding[];

/** The update rules by resource type; a type not listed here may be updated in place freely. */
const UPDATE_RULES: Readonly<Record<string, UpdateRule>> = Object.fromEntries(KEY_POLICY_TYPES.map((type) => [type, judgeKeyPolicy]));

/** Judges an update in place of a resource; no finding means the update is routine. */
export function judgeUpdate(change: ResourceChange, context: UpdateContext): Finding[] {
  return UPDATE_RULES[change.type]?.(change, context) ?? [];
}

/** An update of the key policy that takes a key user out of it: that user loses every migrated object. */
function judgeKeyPolicy(change: ResourceChange, context: UpdateContext): Finding[] {
  const kind: ChangeKind = 'update';
  const subject = "the key's policy";
  const comparison = removedKeyUsers(change);
  if ('cannotTell' in comparison) {
    return [
      finding(
        change,
        kind,
        'refused',
        subject,
        `The plan updates ${subject} and the guard cannot tell whether key users keep their access: ${comparison.cannotTell}`,
        'Find what leaves the policy unknown (`terraform show plan.out` marks it "known after apply"), apply that change on its own first, then plan again.',
      ),
    ];
  }
  const allowed = new Set(context.allowedKeyUserRemovals);
  const refused = comparison.removed.filter((arn) => !allowed.has(arn));
  const acknowledged = comparison.removed.filter((arn) => allowed.has(arn));
  const findings: Finding[] = [];
  if (refused.length > 0) {
    findings.push({
      ...finding(
        change,
        kind,
        'refused',
        subject,
        `The plan removes ${refused.join(', ')} from the key users (statement ${KEY_USERS_SID}): they lose access to every migrated object`,
        `If that is not intended, put them back in key.users (kms_key_users in the module). If it is, run the guard again with ${refused.map((arn) => `--allow-key-user-removal ${arn}`).join(' ')}.`,
      ),
      removedKeyUsers: refused,
    });
  }
  if (acknowledged.length > 0) {
    findings.push({
      ...finding(change, kind, 'allowed', subject, `The plan removes ${acknowledged.join(', ')} from the key users; allowed by --allow-key-user-removal`, 'Nothing to do.'),
      removedKeyUsers: acknowledged,
    });
  }
  return findings;
}
