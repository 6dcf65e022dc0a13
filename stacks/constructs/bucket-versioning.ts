// Versioning of an existing bucket: a copy in place must leave the unencrypted original behind as a
// noncurrent version (removed later by lifecycle), never overwrite it.
import { Construct } from 'constructs';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

export interface BucketVersioningProps {
  /** Name of an existing bucket. */
  readonly bucketName: string;
}

export class BucketVersioning extends Construct {
  readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: BucketVersioningProps) {
    super(scope, id);
    this.versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket: props.bucketName,
      versioningConfiguration: { status: 'Enabled' },
    });
  }
}
