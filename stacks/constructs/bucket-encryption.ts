// Default encryption of an existing bucket: SSE-KMS with the migration key and S3 Bucket Keys, so
// every new write lands compliant while the runner converts what is already there.
import { Construct } from 'constructs';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';

export interface BucketEncryptionProps {
  /** Name of an existing bucket. */
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  /**
   * S3 Bucket Keys cut KMS requests (and their cost and throttling) by orders of magnitude.
   * @default true
   */
  readonly bucketKeyEnabled?: boolean;
}

export class BucketEncryption extends Construct {
  readonly configuration: S3BucketServerSideEncryptionConfigurationA;

  constructor(scope: Construct, id: string, props: BucketEncryptionProps) {
    super(scope, id);
    this.configuration = new S3BucketServerSideEncryptionConfigurationA(this, 'Configuration', {
      bucket: props.bucketName,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: props.bucketKeyEnabled ?? true,
        },
      ],
    });
  }
}
