// The sandbox's IAM: a registry of roles, enough for S3 Batch Operations to check that the role a
// job names exists (a later "sandbox apply" creates it from the stack's aws_iam_role).
import { ServiceError } from '../errors';

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

export class IamWorld {
  private readonly roles = new Map<string, IamRole>();

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
    const match = ROLE_ARN.exec(arn);
    if (!match || match[1] !== this.accountId) return false;
    return this.roles.get(match[2]!)?.arn === arn;
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
    this.roles.delete(roleName);
  }
}
