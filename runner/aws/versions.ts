// Object versions one by one: paginated ListObjectVersions and HeadObject with bounded concurrency,
// for buckets small enough to verify without a fresh inventory.
import { HeadObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { explainAwsError, isAwsError } from './errors';

export interface ListedVersion {
  readonly key: string;
  /** 'null' for a version written while versioning was off. */
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly size: number;
  readonly lastModified?: Date;
}

/** Every object version under a prefix, delete markers left out (they carry no data to encrypt). */
export async function* listVersions(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<ListedVersion> {
  // The SDK has no paginator for ListObjectVersions: it pages by key and version-id markers.
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    let page;
    try {
      page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000 }));
    } catch (error) {
      throw explainAwsError(error, `Listing the object versions of bucket ${bucket}`);
    }
    for (const v of page.Versions ?? []) {
      yield { key: v.Key ?? '', versionId: v.VersionId ?? 'null', isLatest: v.IsLatest === true, size: v.Size ?? 0, ...(v.LastModified ? { lastModified: v.LastModified } : {}) };
    }
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** Encryption and Object Lock of one version, as HeadObject reports them. */
export interface VersionHead {
  /** x-amz-server-side-encryption: AES256, aws:kms, aws:kms:dsse; undefined when not encrypted. */
  readonly algorithm?: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
  /** SSE-C: S3 refuses HEAD without the customer key, which is itself the answer. */
  readonly customerKey: boolean;
  readonly objectLockMode?: string;
  readonly retainUntil?: Date;
  readonly legalHold: boolean;
}

export async function headVersion(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<VersionHead> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    return {
      algorithm: out.ServerSideEncryption,
      kmsKeyId: out.SSEKMSKeyId,
      bucketKeyEnabled: out.BucketKeyEnabled === true,
      customerKey: out.SSECustomerAlgorithm !== undefined,
      objectLockMode: out.ObjectLockMode,
      retainUntil: out.ObjectLockRetainUntilDate,
      legalHold: out.ObjectLockLegalHoldStatus === 'ON',
    };
  } catch (error) {
    // HEAD of an SSE-C version without its key is a 400; that is how S3 says "customer key".
    if (isAwsError(error, 'BadRequest', 'InvalidRequest') || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 400) {
      return { customerKey: true, bucketKeyEnabled: false, legalHold: false };
    }
    throw explainAwsError(error, `HeadObject s3://${bucket}/${key} version ${versionId ?? '(current)'}`);
  }
}

/** Runs `work` over `items` with at most `concurrency` calls in flight, results in input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
