// The policy of an existing bucket: every statement already there is kept, and ours (TLS only, no
// upload encrypted other than with the migration key) are added under our own sids.
import { Construct } from 'constructs';
import { DataAwsS3BucketPolicy } from '@cdktf/provider-aws/lib/data-aws-s3-bucket-policy';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3_CLOUDFRONT_READ_ACTIONS } from './actions';
import { ANYONE, PolicyStatement, denyInsecureTransport, policyDocument, servicePrincipal } from './policy';

/**
 * Where the bucket's current policy comes from. aws_s3_bucket_policy replaces the whole policy, so
 * it must be known: `read` reads it at plan time (the data source fails where a bucket has none),
 * `none` says there is none, `{ document }` supplies it.
 */
export type ExistingPolicySource = 'read' | 'none' | { readonly document: object };

export interface EncryptionEnforcingPolicyProps {
  /** Name of an existing bucket. */
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  /** @default 'none' */
  readonly existingPolicy?: ExistingPolicySource;
  /**
   * Refuse uploads that ask for any encryption other than SSE-KMS with the migration key. Uploads
   * that ask for none still work: default encryption applies the key to them.
   * @default true
   */
  readonly denyUnencryptedUploads?: boolean;
  /**
   * CloudFront distributions (ARNs) whose Origin Access Control reads the bucket's objects.
   * @default []
   */
  readonly cloudfrontDistributions?: readonly string[];
}

export class EncryptionEnforcingPolicy extends Construct {
  readonly policy: S3BucketPolicy;
  /** Our statements, as data; merged over the existing ones by sid. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: EncryptionEnforcingPolicyProps) {
    super(scope, id);
    const existing = props.existingPolicy ?? 'none';
    const bucketArn = `arn:aws:s3:::${props.bucketName}`;
    this.statements = [
      denyInsecureTransport(bucketArn),
      ...((props.denyUnencryptedUploads ?? true) ? denyForeignEncryption(bucketArn, props.kmsKeyArn) : []),
      ...(props.cloudfrontDistributions?.length ? [cloudFrontReads(bucketArn, props.cloudfrontDistributions)] : []),
    ];
    // aws_iam_policy_document keeps every source statement and replaces those whose sid we reuse,
    // so the next plan (which reads back our statements too) yields the same document: no growth.
    const merged = policyDocument(this, 'Document', {
      statements: this.statements,
      sourcePolicyDocuments: parseExistingPolicy(this, props.bucketName, existing),
    });
    this.policy = new S3BucketPolicy(this, 'Policy', { bucket: props.bucketName, policy: merged.json });
  }
}

function parseExistingPolicy(scope: Construct, bucketName: string, existing: ExistingPolicySource): string[] | undefined {
  if (existing === 'none') return undefined;
  if (existing === 'read') {
    return [new DataAwsS3BucketPolicy(scope, 'Existing', { bucket: bucketName }).policy];
  }
  // A literal document: serialised as the policy text S3 would return, not built as a policy of ours.
  return [JSON.stringify(existing.document)];
}

/**
 * The bucket policy statement AWS documents for an Origin Access Control: the CloudFront service
 * principal may get objects, for the named distributions only (AWS:SourceArn),
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#oac-permission-to-access-s3
 * Reading only: an existing statement of the bucket's policy under another sid keeps whatever else it grants.
 */
function cloudFrontReads(bucketArn: string, distributions: readonly string[]): PolicyStatement {
  return {
    sid: 'CloudFrontDistributionsRead',
    effect: 'Allow',
    principals: [servicePrincipal('cloudfront.amazonaws.com')],
    actions: S3_CLOUDFRONT_READ_ACTIONS,
    resources: [`${bucketArn}/*`],
    conditions: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: distributions }],
  };
}

/**
 * Uploads naming encryption must name SSE-KMS with our key. Each statement tests that its header is
 * present (Null = false) before comparing, so requests without headers fall through to default
 * encryption instead of being refused (an ...IfExists operator would refuse them).
 */
function denyForeignEncryption(bucketArn: string, kmsKeyArn: string): PolicyStatement[] {
  const objects = [`${bucketArn}/*`];
  return [
    {
      sid: 'DenyEncryptionOtherThanKms',
      effect: 'Deny',
      principals: [ANYONE],
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: [
        { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
        { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
      ],
    },
    {
      sid: 'DenyKmsKeyOtherThanMigrationKey',
      effect: 'Deny',
      principals: [ANYONE],
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: [
        { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['false'] },
        { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: [kmsKeyArn] },
      ],
    },
    {
      // aws:kms without a key id means the AWS managed key aws/s3, not ours.
      sid: 'DenyKmsWithoutMigrationKeyId',
      effect: 'Deny',
      principals: [ANYONE],
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: [
        { test: 'StringEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
        { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['true'] },
      ],
    },
    {
      sid: 'DenyCustomerProvidedKeys',
      effect: 'Deny',
      principals: [ANYONE],
      actions: ['s3:PutObject'],
      resources: objects,
      conditions: [{ test: 'Null', variable: 's3:x-amz-server-side-encryption-customer-algorithm', values: ['false'] }],
    },
  ];
}
