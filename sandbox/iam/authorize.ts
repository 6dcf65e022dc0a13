// One authorization decision where a resource policy (key policy, trust policy) and the caller's
// identity policies meet, as IAM evaluates it, and the AccessDenied message that names the cause.
import { evaluateIdentityPolicies, evaluateResourcePolicy, type PolicyDocument, type PolicyRequest } from './policy';

export type DenialCause = 'explicit-deny-resource' | 'explicit-deny-identity' | 'no-resource-policy' | 'no-identity-policy';

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly cause: DenialCause };

/**
 * An explicit Deny anywhere refuses. In the resource's own account, a resource policy naming the
 * caller allows on its own; one naming the account hands the decision to the caller's identity
 * policies. From another account, both the resource policy and the identity policies must allow.
 */
export function authorize(
  resourcePolicy: PolicyDocument,
  request: PolicyRequest,
  identityPolicies: readonly PolicyDocument[],
  resourceAccountId: string,
): Decision {
  const resource = evaluateResourcePolicy(resourcePolicy, request);
  if (resource.explicitDeny) return { allowed: false, cause: 'explicit-deny-resource' };
  const identity = evaluateIdentityPolicies(identityPolicies, request);
  if (identity === 'deny') return { allowed: false, cause: 'explicit-deny-identity' };
  const named = resource.allowsDirectly || resource.delegatesToAccount;
  if (!named) return { allowed: false, cause: 'no-resource-policy' };
  const sameAccount = request.principal.accountId === resourceAccountId;
  if (sameAccount && resource.allowsDirectly) return { allowed: true };
  return identity === 'allow' ? { allowed: true } : { allowed: false, cause: 'no-identity-policy' };
}

/** IAM's wording: `User: <arn> is not authorized to perform: <action> on <resource> because ...`. */
export function accessDeniedMessage(principalArn: string, action: string, resourcePhrase: string, cause: DenialCause): string {
  const because: Record<DenialCause, string> = {
    'explicit-deny-resource': 'with an explicit deny in a resource-based policy',
    'explicit-deny-identity': 'with an explicit deny in an identity-based policy',
    'no-resource-policy': `because no resource-based policy allows the ${action} action`,
    'no-identity-policy': `because no identity-based policy allows the ${action} action`,
  };
  return `User: ${principalArn} is not authorized to perform: ${action} on ${resourcePhrase} ${because[cause]}`;
}
