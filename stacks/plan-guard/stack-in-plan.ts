// What the plan tells about the stack as a whole: its account and Region, its Batch Operations role, and keys it creates.
import { changeKind } from './change-kind';
import type { TerraformPlan } from './plan-json';
import { attribute, stringAttribute } from './plan-values';

/** Account and Region of the stack, read from the key's ARN (or the role's, for the account) in the plan. */
export interface Whereabouts {
  readonly account?: string;
  readonly region?: string;
}

/** An IAM role of the plan: the stack declares one, the role S3 Batch Operations assumes. */
export interface RoleInPlan {
  readonly address: string;
  readonly arn?: string;
  readonly name?: string;
}

export interface StackInPlan extends Whereabouts {
  readonly roles: readonly RoleInPlan[];
  /**
   * Addresses of KMS keys the plan creates. The AWS provider reads a key pending deletion as gone,
   * so a key scheduled for deletion out of band shows up as a new key to create.
   */
  readonly createdKeys: readonly string[];
  /**
   * Ids and ARNs of KMS keys the plan destroys or replaces: refused for that, so what points at
   * them (the alias, default encryption) needs no refusal of its own.
   */
  readonly removedKeys: readonly string[];
}

export function stackInPlan(plan: TerraformPlan): StackInPlan {
  const roles: RoleInPlan[] = [];
  const createdKeys: string[] = [];
  const removedKeys: string[] = [];
  for (const change of plan.resource_changes) {
    if (change.mode !== 'managed') continue;
    if (change.type === 'aws_iam_role') {
      roles.push({ address: change.address, arn: stringAttribute(change, 'arn'), name: stringAttribute(change, 'name') });
    }
    if (change.type !== 'aws_kms_key') continue;
    const kind = changeKind(change.change.actions);
    if (kind === 'create') createdKeys.push(change.address);
    if (kind === 'destroy' || kind === 'replace' || kind === 'unrecognised') {
      for (const key of ['key_id', 'arn']) {
        const value = attribute(change.change.before, key);
        if (typeof value === 'string' && value !== '') removedKeys.push(value);
      }
    }
  }
  return { ...whereabouts(plan), roles, createdKeys, removedKeys };
}

function whereabouts(plan: TerraformPlan): Whereabouts {
  let account: string | undefined;
  for (const change of plan.resource_changes) {
    if (change.mode !== 'managed') continue;
    const arn = stringAttribute(change, 'arn')?.split(':');
    if (change.type === 'aws_kms_key' && arn?.length === 6) return { region: arn[3], account: arn[4] };
    if (change.type === 'aws_iam_role' && arn && arn.length >= 6) account ??= arn[4];
  }
  return { account };
}
