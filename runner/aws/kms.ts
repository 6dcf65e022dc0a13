// The migration key as KMS sees it: which key an alias names and whether it is enabled.
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { explainAwsError, isAwsError } from './errors';

export interface KeyState {
  readonly arn: string;
  readonly enabled: boolean;
  readonly keyState: string;
  /** When a key in PendingDeletion is deleted for good. */
  readonly deletionDate?: Date;
}

/** Describes a key by id, ARN, alias or alias ARN; undefined when it does not exist. */
export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyState | undefined> {
  try {
    const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    const meta = out.KeyMetadata!;
    return {
      arn: meta.Arn!,
      enabled: meta.Enabled === true,
      keyState: meta.KeyState ?? 'Unknown',
      ...(meta.DeletionDate ? { deletionDate: meta.DeletionDate } : {}),
    };
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return undefined;
    throw explainAwsError(error, `Describing KMS key ${keyId}`);
  }
}
