// Bucket lifecycle configuration: read it whole, write it whole (S3 replaces it on every put), delete it.
import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
  type TransitionDefaultMinimumObjectSize,
} from '@aws-sdk/client-s3';
import { explainAwsError, isAwsError } from './errors';

export type { LifecycleRule };

export interface LifecycleConfiguration {
  /** Rules exactly as S3 returned them; [] when the bucket has no configuration. */
  readonly rules: readonly LifecycleRule[];
  /** Part of the configuration besides the rules: a put must carry it back or it resets to the default. */
  readonly transitionDefaultMinimumObjectSize?: TransitionDefaultMinimumObjectSize;
  readonly exists: boolean;
}

export async function readLifecycle(s3: S3Client, bucket: string): Promise<LifecycleConfiguration> {
  try {
    const out = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return { rules: out.Rules ?? [], transitionDefaultMinimumObjectSize: out.TransitionDefaultMinimumObjectSize, exists: true };
  } catch (error) {
    if (isAwsError(error, 'NoSuchLifecycleConfiguration')) return { rules: [], exists: false };
    throw explainAwsError(error, `Reading the lifecycle configuration of bucket ${bucket}`);
  }
}

/** Replaces the bucket's whole lifecycle configuration with these rules. */
export async function writeLifecycle(
  s3: S3Client,
  bucket: string,
  rules: readonly LifecycleRule[],
  previous: LifecycleConfiguration,
): Promise<void> {
  try {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [...rules] },
        ...(previous.transitionDefaultMinimumObjectSize
          ? { TransitionDefaultMinimumObjectSize: previous.transitionDefaultMinimumObjectSize }
          : {}),
      }),
    );
  } catch (error) {
    throw explainAwsError(
      error,
      `Writing the lifecycle configuration of bucket ${bucket}`,
      'the runner needs s3:PutLifecycleConfiguration on the bucket',
    );
  }
}

/** Removes every rule: a configuration cannot be written with zero rules, so this is how the last rule goes. */
export async function deleteLifecycle(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
  } catch (error) {
    throw explainAwsError(
      error,
      `Deleting the lifecycle configuration of bucket ${bucket}`,
      'the runner needs s3:PutLifecycleConfiguration on the bucket',
    );
  }
}
