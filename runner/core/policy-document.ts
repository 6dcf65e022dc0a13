// Reading resource policies (bucket, access point and key policies) from their JSON text, as IAM reads them: statements, principals, actions, resources, conditions.
import { accountRootArn, actionMatches, oneOrMany, policyStrings } from '../../stacks/policy-grammar';

export { actionMatches, roleNameOf } from '../../stacks/policy-grammar';

/**
 * The kinds of principal a resource policy can name.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export type PrincipalKind =
  'account-root' | 'role' | 'assumed-role' | 'user' | 'anyone' | 'service' | 'cloudfront-oai' | 'canonical-user' | 'federated' | 'other';

/** One principal as a statement names it, with what IAM takes it to mean. */
export interface PolicyPrincipal {
  /** As written: an ARN, a bare account id, '*', a service principal, a canonical user id. */
  readonly principal: string;
  readonly kind: PrincipalKind;
  /** 12 digits, when the principal names an account. */
  readonly account?: string;
  /**
   * The IAM identity the principal stands for: the root ARN for a bare account id (IAM stores
   * `"123456789012"` as `arn:aws:iam::123456789012:root`), the role ARN for an assumed-role session.
   */
  readonly iamArn?: string;
}

/** Condition block, normalised: operator -> condition key -> values (always a list). */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface PolicyStatement {
  /** 0-based position in the document: names a statement that has no Sid. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Principal, or with `notPrincipal` the principals the statement does not apply to. */
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipal: boolean;
  /** Action patterns, or with `notAction` the actions the statement does not cover. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** Resource patterns, or with `notResource` the resources the statement does not cover. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  readonly conditions: PolicyConditions;
}

/**
 * A policy document from its JSON text. An empty text is no policy (no statements); anything that
 * is not a policy document is refused, since reading it as "grants nothing" would hide readers.
 */
export function parsePolicyDocument(text: string, what: string): PolicyStatement[] {
  if (text.trim() === '') return [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new Error(
      `${what} is not JSON, so nobody can tell whom it grants access. Read it back (aws s3api get-bucket-policy / aws kms get-key-policy) and check it.`,
      { cause },
    );
  }
  if (!isRecord(document) || (document.Statement !== undefined && !isRecord(document.Statement) && !Array.isArray(document.Statement))) {
    throw new Error(`${what} is not a policy document (no Statement list), so nobody can tell whom it grants access.`);
  }
  // IAM accepts one statement as an object as well as a list of them.
  return oneOrMany(document.Statement).map((s, index) => parseStatement(s, index, what));
}

function parseStatement(value: unknown, index: number, what: string): PolicyStatement {
  if (!isRecord(value)) throw new Error(`${what}: statement ${index + 1} is not an object.`);
  const effect = value.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new Error(`${what}: statement ${index + 1} has Effect ${JSON.stringify(effect)}; expected "Allow" or "Deny".`);
  }
  const notPrincipal = value.NotPrincipal !== undefined;
  const notAction = value.NotAction !== undefined;
  const notResource = value.NotResource !== undefined;
  return {
    index,
    ...(typeof value.Sid === 'string' && value.Sid !== '' ? { sid: value.Sid } : {}),
    effect,
    principals: parsePrincipals(notPrincipal ? value.NotPrincipal : value.Principal),
    notPrincipal,
    actions: policyStrings(notAction ? value.NotAction : value.Action),
    notAction,
    resources: policyStrings(notResource ? value.NotResource : value.Resource),
    notResource,
    conditions: parseConditions(value.Condition),
  };
}

/** How a statement is named in a report: its Sid, or its position. */
export function statementName(statement: PolicyStatement): string {
  return statement.sid ?? `#${statement.index + 1}`;
}

function parsePrincipals(value: unknown): PolicyPrincipal[] {
  if (value === undefined) return [];
  if (value === '*') return [{ principal: '*', kind: 'anyone' }];
  if (!isRecord(value)) return policyStrings(value).map((p) => ({ principal: p, kind: 'other' }));
  const principals: PolicyPrincipal[] = [];
  for (const [type, ids] of Object.entries(value)) {
    for (const id of policyStrings(ids)) principals.push(classifyPrincipal(type, id));
  }
  return principals;
}

const IAM_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(root|role\/.+|user\/.+)$/;
const STS_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):(assumed-role|federated-user)\/(.+)$/;
/**
 * S3 shows an origin access identity in a bucket policy as this ARN (and accepts its canonical user
 * id): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
const OAI_ARN = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity\s+\S+$/;

/** A principal of type `type` ("AWS", "Service", "CanonicalUser", "Federated") named `id`. */
export function classifyPrincipal(type: string, id: string): PolicyPrincipal {
  switch (type) {
    case 'Service':
      return { principal: id, kind: 'service' };
    case 'CanonicalUser':
      return { principal: id, kind: 'canonical-user' };
    case 'Federated':
      return { principal: id, kind: 'federated' };
    case 'AWS':
      return classifyAwsPrincipal(id);
    default:
      return { principal: id, kind: 'other' };
  }
}

function classifyAwsPrincipal(id: string): PolicyPrincipal {
  if (id === '*') return { principal: id, kind: 'anyone' };
  // A bare account id means that account: IAM rewrites it to the root ARN.
  const root = accountRootArn(id);
  if (root) return { principal: id, kind: 'account-root', account: id, iamArn: root };
  if (OAI_ARN.test(id)) return { principal: id, kind: 'cloudfront-oai' };
  const [, , account, resource] = IAM_ARN.exec(id) ?? [];
  if (account !== undefined && resource !== undefined) {
    const kind: PrincipalKind = resource === 'root' ? 'account-root' : resource.startsWith('role/') ? 'role' : 'user';
    return { principal: id, kind, account, iamArn: id };
  }
  const [, partition, stsAccount, type, rest] = STS_ARN.exec(id) ?? [];
  if (partition !== undefined && stsAccount !== undefined && rest !== undefined) {
    if (type === 'federated-user') return { principal: id, kind: 'federated', account: stsAccount };
    // A session is arn:aws:sts::<acct>:assumed-role/<role name>/<session>; the role's path is not in
    // it, so the role ARN rebuilt here has none (compare roles by account and name).
    const roleName = rest.split('/')[0]!;
    return { principal: id, kind: 'assumed-role', account: stsAccount, iamArn: `arn:${partition}:iam::${stsAccount}:role/${roleName}` };
  }
  return { principal: id, kind: 'other' };
}

// --- actions -----------------------------------------------------------------------------------

/** Whether the statement covers `action`: wildcards (`s3:Get*`, `*`), any case, NotAction included. */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  const named = statement.actions.some((pattern) => actionMatches(pattern, action));
  return statement.notAction ? !named : named;
}

// --- resources ---------------------------------------------------------------------------------

/**
 * A resource pattern as tokens: literal characters and the wildcards `*` (any run) and `?` (one
 * character). A policy variable (`${aws:username}`) can be anything, so it reads as `*`; the
 * escapes `${*}`, `${?}`, `${$}` are the literal characters.
 */
type Token = { readonly literal: string } | '*' | '?';

export function resourceTokens(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i);
      if (end > i) {
        const inner = pattern.slice(i + 2, end);
        tokens.push(inner === '*' || inner === '?' || inner === '$' ? { literal: inner } : '*');
        i = end;
        continue;
      }
    }
    tokens.push(c === '*' || c === '?' ? c : { literal: c });
  }
  return tokens;
}

/** Tokens of a literal text followed by "anything": the objects under a prefix. */
export function underPrefix(literal: string): Token[] {
  return [...[...literal].map((c) => ({ literal: c })), '*'];
}

/** Whether some resource matches both patterns (ARNs are case-sensitive). */
export function overlaps(a: readonly Token[], b: readonly Token[]): boolean {
  const memo = new Map<number, boolean>();
  const visit = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === '*') result = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (b[j] === '*') result = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else if (i < a.length && j < b.length) result = charsMeet(a[i]!, b[j]!) && visit(i + 1, j + 1);
    else result = false;
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

function charsMeet(a: Token, b: Token): boolean {
  return a === '?' || b === '?' || (typeof a === 'object' && typeof b === 'object' && a.literal === b.literal);
}

/**
 * Whether `pattern` matches every resource under `literal` (`literal` followed by anything): a Deny
 * on `arn:aws:s3:::bucket/*` covers the objects under `arn:aws:s3:::bucket/reports/`.
 */
export function coversPrefix(pattern: readonly Token[], literal: string): boolean {
  // Run the pattern over the literal; afterwards it must accept any continuation, which only a
  // remainder made of `*` alone does.
  let states = closure(new Set([0]), pattern);
  for (const c of literal) {
    const next = new Set<number>();
    for (const i of states) {
      const t = pattern[i];
      if (t === '*') next.add(i);
      else if (t !== undefined && (t === '?' || t.literal === c)) next.add(i + 1);
    }
    states = closure(next, pattern);
  }
  return [...states].some((i) => i < pattern.length && pattern.slice(i).every((t) => t === '*'));
}

function closure(states: Set<number>, pattern: readonly Token[]): Set<number> {
  const all = new Set(states);
  for (const i of [...all].sort((x, y) => x - y)) {
    for (let k = i; pattern[k] === '*'; k++) all.add(k + 1);
  }
  return all;
}

// --- conditions --------------------------------------------------------------------------------

function parseConditions(value: unknown): PolicyConditions {
  if (!isRecord(value)) return {};
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const [operator, entries] of Object.entries(value)) {
    if (!isRecord(entries)) continue;
    conditions[operator] = Object.fromEntries(Object.entries(entries).map(([key, values]) => [key, policyStrings(values)]));
  }
  return conditions;
}

export function hasConditions(statement: PolicyStatement): boolean {
  return Object.values(statement.conditions).some((entries) => Object.keys(entries).length > 0);
}

/** The statement's condition entries, flattened: one per operator and key. */
export function conditionEntries(conditions: PolicyConditions): { operator: string; key: string; values: readonly string[] }[] {
  return Object.entries(conditions).flatMap(([operator, entries]) =>
    Object.entries(entries).map(([key, values]) => ({ operator, key, values })),
  );
}

/** Values the conditions give `key` (IAM compares condition keys case-insensitively), any operator. */
export function conditionValues(conditions: PolicyConditions, key: string): string[] {
  return conditionEntries(conditions)
    .filter((c) => c.key.toLowerCase() === key.toLowerCase())
    .flatMap((c) => c.values);
}

/** Conditions as one line a person reads: `StringEquals aws:PrincipalOrgID o-abc`. */
export function describeConditions(conditions: PolicyConditions): string {
  return conditionEntries(conditions)
    .map((c) => `${c.operator} ${c.key} ${c.values.join(', ')}`)
    .join('; ');
}

// --- helpers -----------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
