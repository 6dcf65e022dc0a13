// What a migration kept, checked object by object on a sample: tags, metadata, storage class, and
// that the result is SSE-KMS under the stack's key with a Bucket Key. Snapshot before, compare after.
import { GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectFacts {
  readonly key: string;
  readonly tags: string;
  readonly metadata: string;
  readonly storageClass: string;
  readonly sse?: string;
  readonly kmsKeyId?: string;
  readonly bucketKey: boolean;
}

/** Kept / had, per property; `had` counts the sampled objects where the property says something. */
export interface Preservation {
  readonly sampled: number;
  readonly tags: { readonly kept: number; readonly had: number };
  readonly metadata: { readonly kept: number; readonly had: number };
  readonly storageClass: { readonly kept: number; readonly had: number };
  readonly onTargetKey: number;
  readonly bucketKey: number;
}

function canonical(record: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

async function facts(s3: S3Client, bucket: string, key: string): Promise<ObjectFacts> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return {
    key,
    tags: canonical(Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))),
    metadata: canonical(head.Metadata ?? {}),
    storageClass: head.StorageClass ?? 'STANDARD',
    ...(head.ServerSideEncryption ? { sse: head.ServerSideEncryption } : {}),
    ...(head.SSEKMSKeyId ? { kmsKeyId: head.SSEKMSKeyId } : {}),
    bucketKey: head.BucketKeyEnabled === true,
  };
}

/** Every `step`-th key of the first pages of the bucket, at most `size` of them, and their facts. */
export async function snapshotSample(s3: S3Client, bucket: string, size: number, step: number): Promise<ObjectFacts[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0, seen = 0; page < 1000 && keys.length < size; page++) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of listed.Contents ?? []) if (seen++ % step === 0 && keys.length < size) keys.push(object.Key!);
    token = listed.NextContinuationToken;
    if (!token) break;
  }
  const sample: ObjectFacts[] = [];
  for (const key of keys) sample.push(await facts(s3, bucket, key));
  return sample;
}

export async function checkSample(s3: S3Client, bucket: string, before: readonly ObjectFacts[], kmsKeyArn: string): Promise<Preservation> {
  const after: ObjectFacts[] = [];
  for (const object of before) after.push(await facts(s3, bucket, object.key));
  return comparePreservation(before, after, kmsKeyArn);
}

/** Pure comparison of two snapshots of the same keys, in the same order. */
export function comparePreservation(before: readonly ObjectFacts[], after: readonly ObjectFacts[], kmsKeyArn: string): Preservation {
  const tally = (had: (b: ObjectFacts) => boolean, kept: (b: ObjectFacts, a: ObjectFacts) => boolean) => {
    const relevant = before.map((b, i) => [b, after[i]!] as const).filter(([b]) => had(b));
    return { kept: relevant.filter(([b, a]) => kept(b, a)).length, had: relevant.length };
  };
  return {
    sampled: before.length,
    tags: tally(
      (b) => b.tags !== '[]',
      (b, a) => a.tags === b.tags,
    ),
    metadata: tally(
      (b) => b.metadata !== '[]',
      (b, a) => a.metadata === b.metadata,
    ),
    storageClass: tally(
      (b) => b.storageClass !== 'STANDARD',
      (b, a) => a.storageClass === b.storageClass,
    ),
    onTargetKey: after.filter((a) => a.sse === 'aws:kms' && a.kmsKeyId === kmsKeyArn).length,
    bucketKey: after.filter((a) => a.bucketKey).length,
  };
}
