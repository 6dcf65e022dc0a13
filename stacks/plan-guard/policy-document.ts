// Reading IAM policy documents (key policies, trust policies) as IAM evaluates them: statements, principals, actions, conditions.
import { accountRootArn, actionMatches, oneOrMany, policyStrings } from '../policy-grammar';
import { attribute } from './plan-values';

export { roleNameOf } from '../policy-grammar';

/** A principal as a policy names it: `{ "AWS": "arn:..." }` is type AWS, id arn:... */
export interface Principal {
  readonly type: string;
  readonly id: string;
}

export interface Condition {
  /** e.g. StringEquals, ArnLike. */
  readonly operator: string;
  /** e.g. kms:ViaService; IAM compares condition keys case-insensitively. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  /** `Principal: "*"` or `{ "AWS": "*" }`: whoever calls. */
  readonly anyone: boolean;
  readonly principals: readonly Principal[];
  /** The statement uses NotPrincipal: it applies to everyone but `principals`. */
  readonly notPrincipal: boolean;
  /** Action patterns, or with `notAction` the patterns the statement does not cover. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  readonly conditions: readonly Condition[];
  /** The statement as JSON with sorted keys: tells a statement that was there from an added one. */
  readonly canonical: string;
}

export interface PolicyDocument {
  readonly statements: readonly Statement[];
}

/** What a new policy does to the migration, and what to do about it. */
export interface PolicyHarm {
  readonly reason: string;
  readonly fix: string;
}

export const EMPTY_POLICY: PolicyDocument = { statements: [] };

/** A policy document from its JSON text; undefined when it is not JSON or not a policy. */
export function parsePolicyDocument(text: string): PolicyDocument | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  // IAM accepts one statement as an object as well as a list of them.
  const statements = oneOrMany(attribute(document, 'Statement'));
  return { statements: statements.map(parseStatement) };
}

function parseStatement(value: unknown): Statement {
  const notPrincipal = attribute(value, 'NotPrincipal') !== undefined;
  const principal = notPrincipal ? attribute(value, 'NotPrincipal') : attribute(value, 'Principal');
  const principals: Principal[] = [];
  let anyone = principal === '*';
  if (typeof principal === 'object' && principal !== null) {
    for (const [type, ids] of Object.entries(principal as Record<string, unknown>)) {
      for (const id of policyStrings(ids)) {
        if (type === 'AWS' && id === '*') anyone = true;
        else principals.push({ type, id: type === 'AWS' ? normaliseAwsPrincipal(id) : id });
      }
    }
  }
  const notAction = attribute(value, 'NotAction') !== undefined;
  const conditions: Condition[] = [];
  const condition = attribute(value, 'Condition');
  if (typeof condition === 'object' && condition !== null) {
    for (const [operator, entries] of Object.entries(condition as Record<string, unknown>)) {
      if (typeof entries !== 'object' || entries === null) continue;
      for (const [key, values] of Object.entries(entries as Record<string, unknown>))
        conditions.push({ operator, key, values: policyStrings(values) });
    }
  }
  const sid = attribute(value, 'Sid');
  return {
    ...(typeof sid === 'string' ? { sid } : {}),
    effect: String(attribute(value, 'Effect')),
    anyone: anyone && !notPrincipal,
    principals,
    notPrincipal,
    actions: policyStrings(notAction ? attribute(value, 'NotAction') : attribute(value, 'Action')),
    notAction,
    conditions,
    canonical: canonicalJson(value),
  };
}

/** A bare account id as a principal means that account's root, as IAM reads it. */
function normaliseAwsPrincipal(id: string): string {
  return accountRootArn(id) ?? id;
}

/** Whether the statement covers `action`, wildcards (`kms:*`, `kms:Re*`) and NotAction included. */
export function coversAction(statement: Statement, action: string): boolean {
  const named = statement.actions.some((pattern) => actionMatches(pattern, action));
  return statement.notAction ? !named : named;
}

/** Whether some Allow statement names a principal `isPrincipal` accepts and covers `action`. Conditions are not evaluated. */
export function allows(document: PolicyDocument, isPrincipal: (p: Principal) => boolean, action: string): boolean {
  return document.statements.some(
    (s) => s.effect === 'Allow' && !s.notPrincipal && s.principals.some(isPrincipal) && coversAction(s, action),
  );
}

/** The statement's conditions on `key` (IAM compares keys case-insensitively), as comparable text. */
export function conditionsOn(statement: Statement, key: string): string[] {
  return statement.conditions
    .filter((c) => c.key.toLowerCase() === key.toLowerCase())
    .map((c) => `${c.operator} ${c.key} ${[...c.values].sort().join(', ')}`)
    .sort();
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
