// Which principal a request's credentials stand for: temporary credentials that AssumeRole issued
// map to their role session; any other access key is the sandbox's default identity, which holds
// an administrator IAM policy (so the sandbox works with any dummy credentials, as before).
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../errors';
import { authorize, accessDeniedMessage } from './authorize';
import { parsePolicy, PolicyParseError, type PolicyDocument } from './policy';
import { principalFromIamArn, sessionPrincipal, type Principal } from './principal';
import type { IamWorld } from './world';

/** The IAM user the default credentials stand for unless the sandbox is told otherwise. */
export function defaultPrincipalArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:user/sandbox`;
}

/** AWS's AdministratorAccess managed policy: the default identity's only identity policy. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = { statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], conditions: {} }] };

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

interface Session {
  readonly principal: Principal;
  readonly expiration: Date;
}

/** AssumeRole's documented DurationSeconds range (the role's maximum defaults to one hour). */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 3600;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export class Identities {
  readonly defaultPrincipal: Principal;
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly iam: IamWorld,
    private readonly accountId: string,
    private readonly now: () => Date,
    defaultArn: string = defaultPrincipalArn(accountId),
  ) {
    this.defaultPrincipal = principalFromIamArn(defaultArn);
    if (this.defaultPrincipal.accountId !== accountId) {
      throw new RangeError(`'defaultPrincipalArn' must be in the sandbox's account ${accountId}. Received: ${defaultArn}`);
    }
  }

  /** The principal behind an access key id; an unknown or absent key is the default identity. */
  principalFor(accessKeyId: string | undefined): Principal {
    if (accessKeyId === undefined) return this.defaultPrincipal;
    const session = this.sessions.get(accessKeyId);
    if (!session) {
      // Keys of the form STS issues must have been issued here: a forgotten session is no admin.
      if (accessKeyId.startsWith('ASIA'))
        throw new ServiceError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
      return this.defaultPrincipal;
    }
    if (session.expiration.getTime() <= this.now().getTime())
      throw new ServiceError('ExpiredToken', 400, 'The provided token has expired.');
    return session.principal;
  }

  /** What IAM allows a principal: AdministratorAccess for the default identity and the root user, else its role's inline policies. */
  identityPolicies(principal: Principal): readonly PolicyDocument[] {
    if (principal.isRoot || principal.identityArn === this.defaultPrincipal.identityArn) return [ADMINISTRATOR_ACCESS];
    return this.iam.identityPolicies(principal.identityArn);
  }

  /**
   * STS AssumeRole: the role must exist in this account and its trust policy must let the caller
   * assume it (a trust naming the account root also needs the caller's IAM policy to allow
   * sts:AssumeRole on the role, as in AWS).
   */
  assumeRole(
    caller: Principal,
    input: { readonly roleArn: string; readonly roleSessionName: string; readonly durationSeconds?: number },
  ): { credentials: TemporaryCredentials; principal: Principal } {
    if (!SESSION_NAME.test(input.roleSessionName)) {
      throw new ServiceError(
        'ValidationError',
        400,
        `1 validation error detected: Value '${input.roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const duration = input.durationSeconds ?? MAX_DURATION_SECONDS;
    if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
      throw new ServiceError(
        'ValidationError',
        400,
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role. DurationSeconds must be between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}. Received: ${duration}`,
      );
    }
    const role = this.iam.roleByArn(input.roleArn);
    const denied = new ServiceError(
      'AccessDenied',
      403,
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`,
    );
    if (!role) throw denied;
    let trust: PolicyDocument;
    try {
      trust = parsePolicy(role.assumeRolePolicyDocument, { requirePrincipal: true });
    } catch (error) {
      if (error instanceof PolicyParseError) throw denied;
      throw error;
    }
    const request = {
      principal: caller,
      action: 'sts:AssumeRole',
      resource: role.arn,
      context: { 'aws:PrincipalArn': caller.identityArn, 'aws:PrincipalAccount': caller.accountId },
    };
    const decision = authorize(trust, request, this.identityPolicies(caller), this.accountId);
    if (!decision.allowed)
      throw new ServiceError(
        'AccessDenied',
        403,
        accessDeniedMessage(caller.arn, 'sts:AssumeRole', `resource: ${role.arn}`, decision.cause),
      );
    const principal = sessionPrincipal(role.arn, role.roleName, input.roleSessionName, this.accountId);
    const credentials: TemporaryCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(64).toString('base64'),
      expiration: new Date(this.now().getTime() + duration * 1000),
    };
    this.sessions.set(credentials.accessKeyId, { principal, expiration: credentials.expiration });
    return { credentials, principal };
  }
}
