// Evaluating a statement's Condition block against what is known of a request: true, false, or unknown (a key nobody can know offline).
import { PolicyConditions, conditionEntries } from './policy-document';

export type Truth = 'true' | 'false' | 'unknown';

/**
 * What is known of the request: condition key (any case) -> its value, or `null` when the request
 * is known not to carry the key. Keys not listed are unknown.
 */
export type RequestContext = ReadonlyMap<string, string | null>;

export function requestContext(entries: Record<string, string | null | undefined>): RequestContext {
  const context = new Map<string, string | null>();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) context.set(key.toLowerCase(), value);
  return context;
}

export interface ConditionOutcome {
  readonly truth: Truth;
  /** Entries that did not hold, as `operator key values`. */
  readonly failed: readonly string[];
  /** Entries on keys, or with operators, this evaluation cannot judge. */
  readonly unknown: readonly string[];
}

/**
 * Every entry must hold (AND across operators and keys); within one entry any value may match
 * (OR), negated operators hold when none does. `...IfExists` holds when the key is absent.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export function evaluateConditions(conditions: PolicyConditions, context: RequestContext): ConditionOutcome {
  const failed: string[] = [];
  const unknown: string[] = [];
  for (const { operator, key, values } of conditionEntries(conditions)) {
    const text = `${operator} ${key} ${values.join(', ')}`;
    const truth = evaluateEntry(operator, key, values, context);
    if (truth === 'false') failed.push(text);
    else if (truth === 'unknown') unknown.push(text);
  }
  return { truth: failed.length > 0 ? 'false' : unknown.length > 0 ? 'unknown' : 'true', failed, unknown };
}

function evaluateEntry(operator: string, key: string, values: readonly string[], context: RequestContext): Truth {
  const lowerKey = key.toLowerCase();
  if (!context.has(lowerKey)) return 'unknown';
  const value = context.get(lowerKey) ?? null;
  // The request carries one value per known key, so ForAnyValue / ForAllValues read as the plain operator.
  const base = operator.replace(/^For(Any|All)Values:/, '');
  if (base === 'Null') {
    const wantsAbsent = values.some((v) => v.toLowerCase() === 'true');
    return (value === null) === wantsAbsent ? 'true' : 'false';
  }
  const ifExists = base.endsWith('IfExists');
  const name = ifExists ? base.slice(0, -'IfExists'.length) : base;
  const compare = COMPARISONS[name];
  if (!compare) return 'unknown';
  if (value === null) return ifExists || compare.negated ? 'true' : 'false';
  const matched = values.some((v) => compare.matches(v, value));
  return matched !== compare.negated ? 'true' : 'false';
}

interface Comparison {
  readonly matches: (pattern: string, value: string) => boolean;
  readonly negated: boolean;
}

const equals = (p: string, v: string) => p === v;
const equalsIgnoringCase = (p: string, v: string) => p.toLowerCase() === v.toLowerCase();
// StringLike is case-sensitive, unlike action names.
const like = (p: string, v: string) =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(v);

const COMPARISONS: Readonly<Record<string, Comparison>> = {
  StringEquals: { matches: equals, negated: false },
  StringNotEquals: { matches: equals, negated: true },
  StringEqualsIgnoreCase: { matches: equalsIgnoringCase, negated: false },
  StringNotEqualsIgnoreCase: { matches: equalsIgnoringCase, negated: true },
  StringLike: { matches: like, negated: false },
  StringNotLike: { matches: like, negated: true },
  // ARN operators compare each ARN field; with the wildcards they behave as StringLike on the whole ARN.
  ArnEquals: { matches: like, negated: false },
  ArnLike: { matches: like, negated: false },
  ArnNotEquals: { matches: like, negated: true },
  ArnNotLike: { matches: like, negated: true },
};
