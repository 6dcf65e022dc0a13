// What the plan tells about the stack as a whole: its account and Region, read from the key's ARN (or the role's).
import type { TerraformPlan } from './plan-json';
import { stringAttribute } from './plan-values';

/** Account and Region of the stack, read from the key's ARN (or the role's, for the account) in the plan. */
export interface Whereabouts {
  readonly account?: string;
  readonly region?: string;
}

export function whereabouts(plan: TerraformPlan): Whereabouts {
  let account: string | undefined;
  for (const change of plan.resource_changes) {
    if (change.mode !== 'managed') continue;
    const arn = stringAttribute(change, 'arn')?.split(':');
    if (change.type === 'aws_kms_key' && arn?.length === 6) return { region: arn[3], account: arn[4] };
    if (change.type === 'aws_iam_role' && arn && arn.length >= 6) account ??= arn[4];
  }
  return { account };
}
