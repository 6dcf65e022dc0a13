// How IAM reads the parts of a policy document that every reader of one needs: values given as one
// or as a list, action patterns, a bare account id, a role's name. Shared by the plan guard, which
// reads planned policies, and the runner, which reads deployed ones, so the two cannot disagree.

/** IAM accepts one value where a list is expected (one statement, one action, one principal). */
export function oneOrMany(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A policy element's values as text; anything that is not a string is kept as its JSON, never dropped. */
export function policyStrings(value: unknown): string[] {
  return oneOrMany(value).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** IAM compares action names case-insensitively; `*` and `?` are wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

const ACCOUNT_ID = /^\d{12}$/;

/** A bare account id as a principal means that account's root: IAM stores it as the root ARN. Undefined for anything else. */
export function accountRootArn(principal: string): string | undefined {
  return ACCOUNT_ID.test(principal) ? `arn:aws:iam::${principal}:root` : undefined;
}

/** `arn:aws:iam::111122223333:role/path/name` -> `name`: a role's name is the last part of its path. */
export function roleNameOf(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}
