// What S3 asks KMS on a caller's behalf: whether the caller may use the key that protects a version.
// S3 calls KMS with kms:ViaService = s3.<region>.amazonaws.com and the encryption context
// aws:s3:arn (the object ARN, or the bucket ARN under a Bucket Key), so key policies can test both.
import { ServiceError } from '../errors';
import { accessDeniedMessage } from '../iam/authorize';
import type { Identities } from '../iam/identities';
import type { Principal } from '../iam/principal';
import { authorizeKeyUse } from '../kms/key-policy';
import type { ObjectVersion } from './model';
import type { S3World } from './world';

export type KmsDataAction = 'kms:Decrypt' | 'kms:GenerateDataKey';

/** Throws S3's 403 AccessDenied unless the caller may use the version's KMS key for `action`. */
export interface S3Caller {
  readonly world: S3World;
  readonly region: string;
  readonly identities: Identities;
  readonly caller: Principal;
}

export function checkKeyUseThroughS3(call: S3Caller, version: ObjectVersion, action: KmsDataAction): void {
  const { world, identities, caller } = call;
  const arn = version.encryption.kmsKeyArn;
  if (arn === undefined) return;
  const key = world.kmsKey(arn);
  if (!key) return;
  const s3Arn =
    version.encryption.bucketKeyEnabled === true ? `arn:aws:s3:::${version.bucket}` : `arn:aws:s3:::${version.bucket}/${version.key}`;
  const decision = authorizeKeyUse(
    key,
    { principal: caller, action, viaService: `s3.${call.region}.amazonaws.com`, encryptionContext: { 'aws:s3:arn': s3Arn } },
    (p) => identities.identityPolicies(p),
  );
  if (decision.allowed) return;
  // KMS names no key on Decrypt: the ciphertext carries it.
  const resource = action === 'kms:Decrypt' ? 'the resource associated with this ciphertext' : `resource: ${key.arn}`;
  throw new ServiceError('AccessDenied', 403, accessDeniedMessage(caller.arn, action, resource, decision.cause));
}
