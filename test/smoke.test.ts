import { Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';

it('synthesizes a scope', () => {
  const out = Testing.synthScope((s) => new S3Bucket(s, 'B', { bucket: 'x' }));
  expect(out).toHaveResourceWithProperties(S3Bucket, { bucket: 'x' });
});
