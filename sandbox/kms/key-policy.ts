// Key policies: PutKeyPolicy's checks (JSON, 32 KB, a principal in every statement, the lockout safety check), and the decision
// whether a caller may use a key for an action, with the key policy first and IAM where it delegates.
import { ServiceError } from '../errors';
import { accessDeniedMessage, authorize, type Decision } from '../iam/authorize';
import { parsePolicy, PolicyParseError, type PolicyDocument } from '../iam/policy';
import type { Principal } from '../iam/principal';
import type { KmsKey } from './world';

/** KMS's documented maximum key policy size, in bytes. */
export const MAX_KEY_POLICY_BYTES = 32_768;

/** The only key policy name KMS has. */
export const KEY_POLICY_NAME = 'default';

/** How a key is used: directly, or by a service on the caller's behalf (S3 sets kms:ViaService and the encryption context). */
export interface KeyUse {
  readonly principal: Principal;
  readonly action: string;
  /** `s3.<region>.amazonaws.com` when S3 calls KMS for the caller. */
  readonly viaService?: string;
  /** The encryption context, e.g. `{ 'aws:s3:arn': 'arn:aws:s3:::bucket/key' }`. */
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

export type IdentityPoliciesOf = (principal: Principal) => readonly PolicyDocument[];

const parsedPolicies = new Map<string, PolicyDocument>();

function parsedKeyPolicy(text: string): PolicyDocument {
  let parsed = parsedPolicies.get(text);
  if (!parsed) {
    parsed = parsePolicy(text, { requirePrincipal: true });
    parsedPolicies.set(text, parsed);
  }
  return parsed;
}

/** Whether the key policy (and IAM, where it delegates to the account) lets the caller do `use.action` with the key. */
export function authorizeKeyUse(key: KmsKey, use: KeyUse, identityPolicies: IdentityPoliciesOf): Decision {
  return decide(parsedKeyPolicy(key.policy), key, use, identityPolicies);
}

function decide(policy: PolicyDocument, key: KmsKey, use: KeyUse, identityPolicies: IdentityPoliciesOf): Decision {
  const context: Record<string, string> = {
    'kms:CallerAccount': use.principal.accountId,
    'aws:PrincipalArn': use.principal.identityArn,
    'aws:PrincipalAccount': use.principal.accountId,
    ...(use.viaService !== undefined ? { 'kms:ViaService': use.viaService } : {}),
  };
  for (const [name, value] of Object.entries(use.encryptionContext ?? {})) context[`kms:EncryptionContext:${name}`] = value;
  return authorize(
    policy,
    { principal: use.principal, action: use.action, resource: key.arn, context },
    identityPolicies(use.principal),
    key.arn.split(':')[4]!,
  );
}

/** KMS's AccessDeniedException for a refused key use. */
export function keyAccessDenied(key: KmsKey, use: KeyUse, decision: Extract<Decision, { allowed: false }>): ServiceError {
  return new ServiceError(
    'AccessDeniedException',
    400,
    accessDeniedMessage(use.principal.arn, use.action, `resource: ${key.arn}`, decision.cause),
  );
}

/**
 * CreateKey's and PutKeyPolicy's checks, as KMS documents them: at most 32 KB, JSON, every
 * statement with a principal, and (unless bypassed) a policy that lets the caller put the policy again.
 * `key` is the key the policy is for (for CreateKey, the key about to be created).
 */
export function checkKeyPolicy(
  text: string,
  key: KmsKey,
  caller: Principal,
  identityPolicies: IdentityPoliciesOf,
  bypassLockoutSafetyCheck: boolean,
): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw new ServiceError(
      'ValidationException',
      400,
      `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${MAX_KEY_POLICY_BYTES}`,
    );
  }
  let policy: PolicyDocument;
  try {
    policy = parsePolicy(text, { requirePrincipal: true });
  } catch (error) {
    if (error instanceof PolicyParseError) throw new ServiceError('MalformedPolicyDocumentException', 400, error.message);
    throw error;
  }
  if (bypassLockoutSafetyCheck) return;
  if (!decide(policy, key, { principal: caller, action: 'kms:PutKeyPolicy' }, identityPolicies).allowed) {
    throw new ServiceError(
      'MalformedPolicyDocumentException',
      400,
      'The new key policy will not allow you to update the key policy in the future.',
    );
  }
}
