// Who the runner runs as: the caller's account and ARN, checked against the stack outputs and recorded in the state.
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { explainAwsError } from './errors';

export interface CallerIdentity {
  readonly account: string;
  /** The caller's ARN (an assumed role's session ARN, for a role); '' when STS names none. */
  readonly arn: string;
}

export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (error) {
    throw explainAwsError(
      error,
      'Reading the caller identity (sts:GetCallerIdentity)',
      'check that AWS credentials are configured for this shell or pipeline',
    );
  }
}

export async function callerAccount(sts: STSClient): Promise<string> {
  return (await callerIdentity(sts)).account;
}
