// Test support: finds seeded objects through the SDK (seeded keys are generated, so tests list them).
import { HeadObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface SeededVersion {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

/** Every (non-delete-marker) version in a bucket, via ListObjectVersions. */
export async function listAllVersions(s3: S3Client, bucket: string): Promise<SeededVersion[]> {
  const found: SeededVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, ...(keyMarker ? { KeyMarker: keyMarker, VersionIdMarker: versionIdMarker } : {}) }),
    );
    for (const v of page.Versions ?? []) found.push({ key: v.Key!, versionId: v.VersionId!, size: v.Size! });
    if (!page.IsTruncated) return found;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** The first version whose HeadObject answer satisfies a predicate. */
export async function findVersion(
  s3: S3Client,
  bucket: string,
  predicate: (head: Awaited<ReturnType<S3Client['send']>> & Record<string, unknown>) => boolean,
): Promise<SeededVersion> {
  for (const version of await listAllVersions(s3, bucket)) {
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: version.key, VersionId: version.versionId }))
      .catch(() => undefined);
    if (head && predicate(head as never)) return version;
  }
  throw new Error(`no seeded version in ${bucket} matches`);
}
