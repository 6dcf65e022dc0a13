// Who the runner runs as: the account of the caller, checked against the stack outputs.
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { explainAwsError } from './errors';

export async function callerAccount(sts: STSClient): Promise<string> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return out.Account ?? '';
  } catch (error) {
    throw explainAwsError(error, 'Reading the caller identity (sts:GetCallerIdentity)', 'check that AWS credentials are configured for this shell or pipeline');
  }
}
