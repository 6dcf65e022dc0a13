// IAM policy documents (key, trust, identity and access point policies): parsed from JSON into
// statements, and evaluated against one request the way IAM's policy language defines it.
import type { Principal } from './principal';

export type Effect = 'Allow' | 'Deny';

/** `Principal` / `NotPrincipal` of a statement: `*`, or values per type (AWS, Service, CanonicalUser, Federated). */
export type PrincipalBlock = '*' | Readonly<Record<string, readonly string[]>>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: Effect;
  readonly principal?: PrincipalBlock;
  readonly notPrincipal?: PrincipalBlock;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** operator → condition key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

/** A policy that cannot be parsed, with what is wrong. Services map it to their own error code. */
export class PolicyParseError extends Error {}

/**
 * Parses a policy document. `requirePrincipal` is true for resource policies (key, trust, access
 * point), whose statements must each name who they apply to; identity policies must not.
 */
export function parsePolicy(text: string, options: { readonly requirePrincipal: boolean }): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new PolicyParseError(`The policy is not valid JSON: ${(cause as Error).message}`);
  }
  if (!isObject(raw)) throw new PolicyParseError('The policy must be a JSON object');
  const statements = raw.Statement;
  if (statements === undefined) throw new PolicyParseError('The policy has no Statement');
  const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
  if (list.length === 0) throw new PolicyParseError('The policy has no Statement');
  return { statements: list.map((s, i) => parseStatement(s, i, options.requirePrincipal)) };
}

function parseStatement(raw: unknown, index: number, requirePrincipal: boolean): PolicyStatement {
  const where = `Statement ${index + 1}`;
  if (!isObject(raw)) throw new PolicyParseError(`${where} must be an object`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny')
    throw new PolicyParseError(`${where}: Effect must be Allow or Deny. Received: ${JSON.stringify(effect)}`);
  const principal = raw.Principal === undefined ? undefined : parsePrincipalBlock(raw.Principal, `${where}: Principal`);
  const notPrincipal = raw.NotPrincipal === undefined ? undefined : parsePrincipalBlock(raw.NotPrincipal, `${where}: NotPrincipal`);
  if (requirePrincipal && principal === undefined && notPrincipal === undefined) throw new PolicyParseError(`${where} has no Principal`);
  if (!requirePrincipal && (principal !== undefined || notPrincipal !== undefined))
    throw new PolicyParseError(`${where}: an identity policy cannot name a Principal`);
  const actions = optionalStrings(raw.Action, `${where}: Action`);
  const notActions = optionalStrings(raw.NotAction, `${where}: NotAction`);
  if (actions === undefined && notActions === undefined) throw new PolicyParseError(`${where} has no Action`);
  const resources = optionalStrings(raw.Resource, `${where}: Resource`);
  const notResources = optionalStrings(raw.NotResource, `${where}: NotResource`);
  return {
    ...(typeof raw.Sid === 'string' ? { sid: raw.Sid } : {}),
    effect,
    ...(principal !== undefined ? { principal } : {}),
    ...(notPrincipal !== undefined ? { notPrincipal } : {}),
    ...(actions !== undefined ? { actions } : {}),
    ...(notActions !== undefined ? { notActions } : {}),
    ...(resources !== undefined ? { resources } : {}),
    ...(notResources !== undefined ? { notResources } : {}),
    conditions: parseConditions(raw.Condition, `${where}: Condition`),
  };
}

function parsePrincipalBlock(raw: unknown, where: string): PrincipalBlock {
  if (raw === '*') return '*';
  if (!isObject(raw)) throw new PolicyParseError(`${where} must be "*" or an object of principal types`);
  const block: Record<string, readonly string[]> = {};
  for (const [type, values] of Object.entries(raw)) block[type] = strings(values, `${where}.${type}`);
  return block;
}

function parseConditions(raw: unknown, where: string): Record<string, Record<string, readonly string[]>> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new PolicyParseError(`${where} must be an object`);
  const conditions: Record<string, Record<string, readonly string[]>> = {};
  for (const [operator, byKey] of Object.entries(raw)) {
    if (!isObject(byKey)) throw new PolicyParseError(`${where}.${operator} must be an object`);
    const keys: Record<string, readonly string[]> = {};
    for (const [key, values] of Object.entries(byKey)) keys[key] = strings(values, `${where}.${operator}.${key}`, true);
    conditions[operator] = keys;
  }
  return conditions;
}

function optionalStrings(raw: unknown, where: string): readonly string[] | undefined {
  return raw === undefined ? undefined : strings(raw, where);
}

function strings(raw: unknown, where: string, scalars = false): readonly string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.map((value) => {
    if (typeof value === 'string') return value;
    // Condition values may be written as JSON booleans and numbers (`"aws:SecureTransport": false`).
    if (scalars && (typeof value === 'boolean' || typeof value === 'number')) return String(value);
    throw new PolicyParseError(`${where} must be a string or a list of strings. Received: ${JSON.stringify(value)}`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- Evaluation

/** One request as a policy sees it. Condition keys are matched without regard to case. */
export interface PolicyRequest {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string>>;
}

/**
 * How a statement's principal names the caller: `direct` (the caller itself, its role, or `*`),
 * `account` (the caller's account: `123456789012` or `arn:aws:iam::123456789012:root`, which a key
 * policy means as "IAM policies of that account decide"), or not at all.
 */
export type PrincipalMatch = 'direct' | 'account' | 'none';

export function principalMatch(block: PrincipalBlock, principal: Principal): PrincipalMatch {
  if (block === '*') return 'direct';
  let match: PrincipalMatch = 'none';
  for (const value of block.AWS ?? []) {
    if (value === '*' || value === principal.arn || value === principal.identityArn) return 'direct';
    if (value === principal.accountId || value === `arn:aws:iam::${principal.accountId}:root`) {
      // The root user is the account itself: it needs no IAM policy.
      if (principal.isRoot) return 'direct';
      match = 'account';
    }
  }
  return match;
}

/** A statement applies when principal, action, resource and every condition match. */
function applies(statement: PolicyStatement, request: PolicyRequest, principalKind: PrincipalMatch | 'identity'): boolean {
  if (principalKind === 'none') return false;
  if (statement.actions && !statement.actions.some((p) => globMatches(p, request.action, true))) return false;
  if (statement.notActions?.some((p) => globMatches(p, request.action, true))) return false;
  if (statement.resources && !statement.resources.some((p) => globMatches(p, request.resource, false))) return false;
  if (statement.notResources?.some((p) => globMatches(p, request.resource, false))) return false;
  return conditionsHold(statement, request.context);
}

function statementPrincipal(statement: PolicyStatement, principal: Principal): PrincipalMatch {
  if (statement.principal !== undefined) return principalMatch(statement.principal, principal);
  if (statement.notPrincipal !== undefined) return principalMatch(statement.notPrincipal, principal) === 'none' ? 'direct' : 'none';
  return 'none';
}

/** What a resource policy (a key policy) says about one request. */
export interface ResourcePolicyVerdict {
  readonly explicitDeny: boolean;
  /** Allowed by a statement naming the caller (or `*`). */
  readonly allowsDirectly: boolean;
  /** Allowed by a statement naming the caller's account: identity policies decide. */
  readonly delegatesToAccount: boolean;
}

export function evaluateResourcePolicy(policy: PolicyDocument, request: PolicyRequest): ResourcePolicyVerdict {
  let explicitDeny = false;
  let allowsDirectly = false;
  let delegatesToAccount = false;
  for (const statement of policy.statements) {
    const kind = statementPrincipal(statement, request.principal);
    if (!applies(statement, request, kind)) continue;
    if (statement.effect === 'Deny') explicitDeny = true;
    else if (kind === 'direct') allowsDirectly = true;
    else delegatesToAccount = true;
  }
  return { explicitDeny, allowsDirectly, delegatesToAccount };
}

/** What the caller's identity policies say: `deny` (explicit), `allow`, or `none` (implicit deny). */
export function evaluateIdentityPolicies(policies: readonly PolicyDocument[], request: PolicyRequest): 'allow' | 'deny' | 'none' {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!applies(statement, request, 'identity')) continue;
      if (statement.effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}

// --- Conditions

const NEGATED = new Set(['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike']);

function conditionsHold(statement: PolicyStatement, context: Readonly<Record<string, string>>): boolean {
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [rawOperator, byKey] of Object.entries(statement.conditions)) {
    for (const [key, values] of Object.entries(byKey)) {
      const verdict = conditionHolds(rawOperator, lowerContext.get(key.toLowerCase()), values);
      // An operator the sandbox cannot evaluate never widens access: an Allow does not apply, a Deny does.
      if (verdict === undefined) return statement.effect === 'Deny';
      if (!verdict) return false;
    }
  }
  return true;
}

/** One condition; undefined for an operator the sandbox does not evaluate. */
function conditionHolds(operatorName: string, value: string | undefined, values: readonly string[]): boolean | undefined {
  let operator = operatorName.toLowerCase().replace(/^for(any|all)value:/, '');
  const ifExists = operator.endsWith('ifexists');
  if (ifExists) operator = operator.slice(0, -'ifexists'.length);
  if (operator === 'null') return values.some((v) => (v === 'true') === (value === undefined));
  if (value === undefined) return ifExists || NEGATED.has(operator) ? true : isKnown(operator) ? false : undefined;
  switch (operator) {
    case 'stringequals':
      return values.includes(value);
    case 'stringnotequals':
      return !values.includes(value);
    case 'stringequalsignorecase':
      return values.some((v) => v.toLowerCase() === value.toLowerCase());
    case 'stringnotequalsignorecase':
      return !values.some((v) => v.toLowerCase() === value.toLowerCase());
    case 'stringlike':
    case 'arnlike':
    case 'arnequals':
      return values.some((v) => globMatches(v, value, false));
    case 'stringnotlike':
    case 'arnnotlike':
    case 'arnnotequals':
      return !values.some((v) => globMatches(v, value, false));
    case 'bool':
      return values.some((v) => v.toLowerCase() === value.toLowerCase());
    default:
      return undefined;
  }
}

function isKnown(operator: string): boolean {
  return ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnlike', 'arnequals', 'bool'].includes(operator);
}

/** `*` any run of characters, `?` one character; the rest literal. Actions compare without case. */
export function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
