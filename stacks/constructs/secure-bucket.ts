// A bucket the stack creates for its own use: KMS-encrypted, public access blocked, owner-enforced,
// TLS-only, with expiry of old artifacts. The inventory and reports buckets are both built on it.
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { PolicyStatement, denyInsecureTransport, policyDocument } from './policy';

export interface ExpiryRule {
  /** Rule id, e.g. ExpireAthenaResults. */
  readonly id: string;
  /** Key prefix the rule applies to; '' for the whole bucket. */
  readonly prefix: string;
  readonly days: number;
}

export interface SecureBucketProps {
  /** Terraform generates a unique name starting with this. */
  readonly bucketPrefix: string;
  readonly kmsKeyArn: string;
  /**
   * Statements added to the TLS-only policy.
   * @default []
   */
  readonly extraStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /** Current objects under each prefix expire after the given days. */
  readonly expiry: readonly ExpiryRule[];
  /**
   * Keep old versions of overwritten objects (for the runner's state file); they expire after 30 days.
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Destroy the bucket even when it holds objects; for demo and dev stacks only.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    if (!/^[a-z0-9][a-z0-9-]{0,36}$/.test(props.bucketPrefix)) {
      throw new Error(`'bucketPrefix' must be 1-37 lower-case letters, digits and hyphens. Received: ${props.bucketPrefix}`);
    }
    for (const rule of props.expiry) {
      if (!Number.isInteger(rule.days) || rule.days < 1) {
        throw new Error(`Expiry rule '${rule.id}' days must be a whole number of at least 1. Received: ${rule.days}`);
      }
    }

    this.bucket = new S3Bucket(this, 'Bucket', {
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
    });
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'OwnershipControls', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    if (props.versioned) {
      new S3BucketVersioningA(this, 'Versioning', {
        bucket: this.bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
    }

    this.policyStatements = [denyInsecureTransport(this.bucket.arn), ...(props.extraStatements?.(this.bucket.arn) ?? [])];
    const policy = policyDocument(this, 'PolicyDocument', { statements: this.policyStatements });
    new S3BucketPolicy(this, 'Policy', { bucket: this.bucket.id, policy: policy.json });

    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.id,
      rule: parseLifecycleRules(props),
    });
  }

  get name(): string {
    return this.bucket.bucket;
  }

  get arn(): string {
    return this.bucket.arn;
  }
}

function parseLifecycleRules(props: SecureBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = props.expiry.map((rule) => ({
    id: rule.id,
    status: 'Enabled',
    filter: [{ prefix: rule.prefix }],
    expiration: [{ days: rule.days }],
  }));
  rules.push({
    id: 'AbortIncompleteUploads',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
  });
  if (props.versioned) {
    rules.push({
      id: 'ExpireOldVersions',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
    });
  }
  return rules;
}
