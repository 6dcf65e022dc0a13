// The sandbox's IAM: roles with their trust policies and inline policies. Batch Operations checks
// that a job's role exists; STS checks a role's trust before AssumeRole; KMS asks for the identity
// policies of a caller when a key policy delegates to the account.
import { ServiceError } from '../errors';
import { parsePolicy, PolicyParseError, type PolicyDocument } from './policy';

export interface IamRole {
  readonly roleName: string;
  readonly arn: string;
  readonly path: string;
  /** The trust policy as JSON text, kept for later checks (who may assume the role). */
  readonly assumeRolePolicyDocument: string;
  readonly createDate: Date;
}

export interface CreateRoleInput {
  readonly roleName: string;
  /** @default '/' */
  readonly path?: string;
  /** @default a policy trusting batchoperations.s3.amazonaws.com */
  readonly assumeRolePolicyDocument?: string;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

const BATCH_OPERATIONS_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** One inline policy of a role, as PutRolePolicy stored it. */
export interface InlinePolicy {
  readonly policyName: string;
  readonly policyDocument: string;
  readonly parsed: PolicyDocument;
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export class IamWorld {
  private readonly roles = new Map<string, IamRole>();
  private readonly inlinePolicies = new Map<string, Map<string, InlinePolicy>>();

  constructor(private readonly accountId: string) {}

  createRole(input: CreateRoleInput): IamRole {
    if (!ROLE_NAME.test(input.roleName)) {
      throw new ServiceError('ValidationError', 400, `'roleName' must match [\\w+=,.@-]{1,64}. Received: ${input.roleName}`);
    }
    if (this.roles.has(input.roleName)) {
      throw new ServiceError('EntityAlreadyExists', 409, `Role with name ${input.roleName} already exists.`);
    }
    const path = input.path ?? '/';
    const role: IamRole = {
      roleName: input.roleName,
      arn: `arn:aws:iam::${this.accountId}:role${path}${input.roleName}`,
      path,
      assumeRolePolicyDocument: input.assumeRolePolicyDocument ?? BATCH_OPERATIONS_TRUST,
      createDate: new Date(),
    };
    this.roles.set(role.roleName, role);
    return role;
  }

  /** True when the ARN names a role of this account that exists (role names are unique per account, paths aside). */
  hasRole(arn: string): boolean {
    return this.roleByArn(arn) !== undefined;
  }

  /** The role an ARN names, or undefined. */
  roleByArn(arn: string): IamRole | undefined {
    const match = ROLE_ARN.exec(arn);
    if (!match || match[1] !== this.accountId) return undefined;
    const role = this.roles.get(match[2]!);
    return role?.arn === arn ? role : undefined;
  }

  getRole(roleName: string): IamRole {
    const role = this.roles.get(roleName);
    if (!role) throw new ServiceError('NoSuchEntity', 404, `The role with name ${roleName} cannot be found.`);
    return role;
  }

  listRoles(): IamRole[] {
    return [...this.roles.values()].sort((a, b) => (a.roleName < b.roleName ? -1 : 1));
  }

  deleteRole(roleName: string): void {
    this.getRole(roleName);
    if ((this.inlinePolicies.get(roleName)?.size ?? 0) > 0) {
      throw new ServiceError('DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    }
    this.roles.delete(roleName);
  }

  /** PutRolePolicy: adds or replaces an inline policy; the document must be a valid identity policy. */
  putRolePolicy(roleName: string, policyName: string, policyDocument: string): void {
    this.getRole(roleName);
    if (!POLICY_NAME.test(policyName))
      throw new ServiceError('ValidationError', 400, `'policyName' must match [\\w+=,.@-]{1,128}. Received: ${policyName}`);
    let parsed: PolicyDocument;
    try {
      parsed = parsePolicy(policyDocument, { requirePrincipal: false });
    } catch (error) {
      if (error instanceof PolicyParseError) throw new ServiceError('MalformedPolicyDocument', 400, error.message);
      throw error;
    }
    const policies = this.inlinePolicies.get(roleName) ?? new Map<string, InlinePolicy>();
    policies.set(policyName, { policyName, policyDocument, parsed });
    this.inlinePolicies.set(roleName, policies);
  }

  getRolePolicy(roleName: string, policyName: string): InlinePolicy {
    this.getRole(roleName);
    const policy = this.inlinePolicies.get(roleName)?.get(policyName);
    if (!policy) throw new ServiceError('NoSuchEntity', 404, `The role policy with name ${policyName} cannot be found.`);
    return policy;
  }

  listRolePolicies(roleName: string): string[] {
    this.getRole(roleName);
    return [...(this.inlinePolicies.get(roleName)?.keys() ?? [])].sort();
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    this.getRolePolicy(roleName, policyName);
    this.inlinePolicies.get(roleName)!.delete(policyName);
  }

  /** The identity policies of a user or role ARN: a role's inline policies; nothing for anyone else. */
  identityPolicies(identityArn: string): PolicyDocument[] {
    const role = this.roleByArn(identityArn);
    if (!role) return [];
    return [...(this.inlinePolicies.get(role.roleName)?.values() ?? [])].map((p) => p.parsed);
  }
}
