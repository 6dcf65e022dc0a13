// Test support: what a migrated version must show, stated once. Each check leads with the key, so a
// failure names the version that broke it.
import type { ObjectVersion } from '../../../sandbox';

/** SSE-KMS under `keyArn`, with an S3 Bucket Key: what verify counts as compliant. */
export function expectUnderKey(key: string, version: ObjectVersion, keyArn: string): void {
  const { status, kmsKeyArn, bucketKeyEnabled } = version.encryption;
  expect([key, status, kmsKeyArn, bucketKeyEnabled]).toEqual([key, 'SSE-KMS', keyArn, true]);
}

/** What a copy in place must carry over from the version it replaced. */
export function expectCarriedOver(key: string, now: ObjectVersion, was: ObjectVersion): void {
  expect([key, now.tags, now.metadata, now.contentType, now.storageClass, now.size]).toEqual([
    key,
    was.tags,
    was.metadata,
    was.contentType,
    was.storageClass,
    was.size,
  ]);
}
