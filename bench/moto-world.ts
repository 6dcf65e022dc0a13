// The bench's world on moto: the same kind of world the sandbox's direct bench seeds (5:3 SSE-S3 to
// unencrypted current objects, STANDARD and STANDARD_IA, half with tags, half with user metadata,
// several content types, some hard keys), plus noncurrent SSE-S3 versions under a quarter of the
// keys, written through the S3 API into a fresh moto. Deterministic: every row gets the same world.
import { HeadObjectCommand, PutObjectCommand, type S3Client, type StorageClass } from '@aws-sdk/client-s3';

export const MOTO_BENCH_STACK = 'benchmoto';
export const MOTO_BENCH_BUCKET = 'bench-data';

export interface MotoWorldObject {
  readonly key: string;
  readonly size: number;
  readonly encryption: 'SSE-S3' | 'NOT-SSE';
  readonly storageClass: StorageClass;
  readonly contentType: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  /** An older SSE-S3 version is written under the key first (it becomes noncurrent). */
  readonly noncurrentSseS3: boolean;
}

const CONTENT_TYPES = ['text/csv', 'application/json', 'application/octet-stream'] as const;
const NONE: Readonly<Record<string, string>> = {};
const TAG_SETS = [
  { team: 'payments' },
  { team: 'analytics', retention: '7y' },
  { classification: 'confidential', owner: 'platform' },
] as const;

function keyOf(i: number): string {
  // One key in twenty is one naive code breaks on (space, plus, non-ASCII).
  if (i % 20 === 7) return `with space/report ${i} + plus.csv`;
  if (i % 20 === 17) return `unicode/ünïcødé-${i}.bin`;
  return `data/${i % 16}/object-${String(i).padStart(6, '0')}.bin`;
}

/** The world's current objects, one per key; a pure function of `count`. */
export function motoWorldObjects(count: number): MotoWorldObject[] {
  return Array.from({ length: count }, (_, i) => {
    // Knuth's multiplicative hash: independent-looking choices without a random generator.
    const h = Math.imul(i + 1, 2654435761) >>> 0;
    return {
      key: keyOf(i),
      size: 64 + ((h >>> 9) % 4033),
      encryption: h % 8 < 5 ? 'SSE-S3' : 'NOT-SSE',
      storageClass: (h >>> 3) % 4 === 3 ? 'STANDARD_IA' : 'STANDARD',
      contentType: CONTENT_TYPES[(h >>> 7) % CONTENT_TYPES.length]!,
      tags: (h >>> 5) % 2 === 0 ? TAG_SETS[(h >>> 13) % TAG_SETS.length]! : NONE,
      metadata: (h >>> 6) % 2 === 0 ? { origin: `etl-${i % 7}`, 'source-system': 'ledger' } : NONE,
      noncurrentSseS3: (h >>> 11) % 4 === 0,
    };
  });
}

export interface SeededMotoWorld {
  readonly currentObjects: number;
  /** The noncurrent SSE-S3 versions written, by key, to count after each side ran. */
  readonly noncurrent: readonly { readonly key: string; readonly versionId: string }[];
}

/** Writes the world into `bucket` with `parallel` PutObjects in flight. */
export async function seedMotoWorld(
  s3: S3Client,
  bucket: string,
  objects: readonly MotoWorldObject[],
  parallel = 8,
): Promise<SeededMotoWorld> {
  const noncurrent: { key: string; versionId: string }[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < objects.length; i = next++) {
      const o = objects[i]!;
      if (o.noncurrentSseS3) {
        const old = await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: o.key,
            Body: Buffer.alloc(o.size, `older ${o.key}\n`),
            ServerSideEncryption: 'AES256',
            ContentType: o.contentType,
            StorageClass: o.storageClass,
          }),
        );
        noncurrent.push({ key: o.key, versionId: old.VersionId! });
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: o.key,
          Body: Buffer.alloc(o.size, `${o.key}\n`),
          ContentType: o.contentType,
          StorageClass: o.storageClass,
          Metadata: { ...o.metadata },
          ...(Object.keys(o.tags).length > 0 ? { Tagging: new URLSearchParams(o.tags).toString() } : {}),
          ...(o.encryption === 'SSE-S3' ? { ServerSideEncryption: 'AES256' as const } : {}),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { currentObjects: objects.length, noncurrent };
}

/** How many of the seeded noncurrent versions are still SSE-S3 (read back one by one). */
export async function noncurrentStillSseS3(
  s3: S3Client,
  bucket: string,
  versions: SeededMotoWorld['noncurrent'],
): Promise<{ stillSseS3: number; onKey: number; gone: number }> {
  let stillSseS3 = 0;
  let onKey = 0;
  let gone = 0;
  for (const v of versions) {
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }))
      .catch((error: { name?: string }) => {
        if (error.name === 'NotFound' || error.name === 'NoSuchVersion' || error.name === 'NoSuchKey') return undefined;
        throw error;
      });
    if (!head) gone++;
    else if (head.ServerSideEncryption === 'AES256') stillSseS3++;
    else if (head.ServerSideEncryption === 'aws:kms') onKey++;
  }
  return { stillSseS3, onKey, gone };
}
