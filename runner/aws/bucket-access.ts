// The policies that say who may read or write a bucket, and the key policy that says who may use the
// key: GetBucketPolicy, the bucket's access points (ListAccessPoints, GetAccessPointPolicy) and
// GetKeyPolicy. Read-only. A refusal is never read as "no policy": it is "cannot tell", with the
// permission the runner's role lacks.
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { GetAccessPointPolicyCommand, paginateListAccessPoints } from '@aws-sdk/client-s3-control';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from './clients';
import { awsErrorCode, isAwsError } from './errors';

/** A policy document that was read, one that does not exist, or why it could not be read. */
export type PolicyRead = { readonly policy: string } | { readonly none: true } | { readonly cannotTell: string };

function refusal(error: unknown, call: string, permission: string): PolicyRead {
  return { cannotTell: `${call} was refused (${awsErrorCode(error) ?? (error as Error).message}): give the runner's role ${permission}` };
}

/** The bucket policy, or none. */
export async function readBucketPolicy(clients: Pick<AwsClients, 's3'>, bucket: string): Promise<PolicyRead> {
  try {
    const out = await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return out.Policy ? { policy: out.Policy } : { none: true };
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucketPolicy')) return { none: true };
    return refusal(error, `GetBucketPolicy on ${bucket}`, 's3:GetBucketPolicy on the bucket');
  }
}

export interface AccessPointPolicy {
  readonly name: string;
  readonly arn: string;
  readonly read: PolicyRead;
}

/** Every access point of the bucket in the account, each with its policy; or why they cannot be listed. */
export async function readAccessPointPolicies(
  clients: Pick<AwsClients, 's3Control'>,
  account: string,
  bucket: string,
): Promise<AccessPointPolicy[] | { readonly cannotTell: string }> {
  const points: { name: string; arn: string }[] = [];
  try {
    for await (const page of paginateListAccessPoints({ client: clients.s3Control }, { AccountId: account, Bucket: bucket })) {
      for (const p of page.AccessPointList ?? []) if (p.Name) points.push({ name: p.Name, arn: p.AccessPointArn ?? p.Name });
    }
  } catch (error) {
    const read = refusal(error, `ListAccessPoints for ${bucket}`, 's3:ListAccessPoints');
    return { cannotTell: 'cannotTell' in read ? read.cannotTell : 'unknown' };
  }
  const policies: AccessPointPolicy[] = [];
  for (const point of points) {
    try {
      const out = await clients.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: account, Name: point.name }));
      policies.push({ ...point, read: out.Policy ? { policy: out.Policy } : { none: true } });
    } catch (error) {
      const none = isAwsError(error, 'NoSuchAccessPointPolicy');
      policies.push({
        ...point,
        read: none ? { none: true } : refusal(error, `GetAccessPointPolicy on ${point.name}`, 's3:GetAccessPointPolicy'),
      });
    }
  }
  return policies;
}

/** The key's policy (its only one, "default"). */
export async function readKeyPolicy(clients: Pick<AwsClients, 'kms'>, keyArn: string): Promise<PolicyRead> {
  try {
    const out = await clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
    return out.Policy ? { policy: out.Policy } : { cannotTell: `GetKeyPolicy on ${keyArn} answered without a policy` };
  } catch (error) {
    return refusal(error, `GetKeyPolicy on ${keyArn}`, 'kms:GetKeyPolicy on the key');
  }
}
