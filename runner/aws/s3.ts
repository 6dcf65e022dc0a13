// The S3 calls the runner makes: bucket settings for preflight, finding the newest inventory,
// small JSON documents with conditional writes (state and lock), and streaming object reads.
import {
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { explainAwsError, isAwsError } from './errors';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix; '' or ending with '/'. */
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`Not an s3:// URL: ${url}`);
  return { bucket: match[1], prefix: match[2] };
}

export interface BucketEncryptionState {
  readonly algorithm: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

export async function bucketEncryption(s3: S3Client, bucket: string): Promise<BucketEncryptionState | undefined> {
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0];
    if (!rule?.ApplyServerSideEncryptionByDefault) return undefined;
    return {
      algorithm: rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm ?? '',
      kmsKeyId: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID,
      bucketKeyEnabled: rule.BucketKeyEnabled === true,
    };
  } catch (error) {
    if (isAwsError(error, 'ServerSideEncryptionConfigurationNotFoundError')) return undefined;
    throw explainAwsError(error, `Reading the default encryption of bucket ${bucket}`);
  }
}

export async function bucketVersioning(s3: S3Client, bucket: string): Promise<string> {
  try {
    const out = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return out.Status ?? 'Unversioned';
  } catch (error) {
    throw explainAwsError(error, `Reading the versioning of bucket ${bucket}`);
  }
}

export interface InventoryReport {
  /** The Hive partition of the report: YYYY-MM-DD-HH-MM. */
  readonly dt: string;
  readonly manifestKey: string;
  /** When S3 took the snapshot the report describes. */
  readonly createdAt: Date;
}

// S3 names each delivery's folder YYYY-MM-DDTHH-MMZ; the Hive partition of the same report is dt=YYYY-MM-DD-HH-MM.
const DELIVERY_FOLDER = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})Z\/$/;

/** The newest delivered report under an inventory configuration's location, if any. */
export async function newestInventory(s3: S3Client, location: S3Location): Promise<InventoryReport | undefined> {
  const folders: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: location.bucket, Prefix: location.prefix, Delimiter: '/' })) {
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix && DELIVERY_FOLDER.test(p.Prefix)) folders.push(p.Prefix);
    }
  } catch (error) {
    throw explainAwsError(error, `Listing inventory reports in s3://${location.bucket}/${location.prefix}`);
  }
  // Newest first; a folder without manifest.json is a delivery still being written.
  for (const folder of folders.sort().reverse()) {
    const manifestKey = `${folder}manifest.json`;
    try {
      await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: manifestKey }));
      const [, day, hour, minute] = DELIVERY_FOLDER.exec(folder)!;
      // The folder names when S3 took the snapshot; the manifest's LastModified is only when it was written.
      return { dt: `${day}-${hour}-${minute}`, manifestKey, createdAt: new Date(`${day}T${hour}:${minute}:00Z`) };
    } catch (error) {
      if (isAwsError(error, 'NotFound', 'NoSuchKey')) continue;
      throw explainAwsError(error, `Reading s3://${location.bucket}/${manifestKey}`);
    }
  }
  return undefined;
}

export interface StoredDocument<T> {
  readonly value: T;
  readonly eTag: string;
}

export async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<StoredDocument<T> | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await out.Body!.transformToString('utf8');
    return { value: JSON.parse(text) as T, eTag: out.ETag ?? '' };
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return undefined;
    throw explainAwsError(error, `Reading s3://${bucket}/${key}`);
  }
}

export type WriteCondition = { readonly ifNoneMatch: '*' } | { readonly ifMatch: string } | undefined;

/** Writes JSON; with a condition, a lost race returns undefined instead of overwriting. */
export async function writeJson(s3: S3Client, bucket: string, key: string, value: unknown, condition?: WriteCondition): Promise<string | undefined> {
  try {
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: 'application/json',
        ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: condition.ifNoneMatch } : {}),
        ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
      }),
    );
    return out.ETag ?? '';
  } catch (error) {
    if (condition && isAwsError(error, 'PreconditionFailed', 'ConditionalRequestConflict')) return undefined;
    throw explainAwsError(error, `Writing s3://${bucket}/${key}`);
  }
}

export async function objectStream(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body as Readable;
  } catch (error) {
    throw explainAwsError(error, `Reading s3://${bucket}/${key}`);
  }
}

export async function objectETag(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return out.ETag ?? '';
  } catch (error) {
    throw explainAwsError(error, `Reading the ETag of s3://${bucket}/${key}`);
  }
}

export async function deleteObject(s3: S3Client, bucket: string, key: string): Promise<void> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw explainAwsError(error, `Deleting s3://${bucket}/${key}`);
  }
}

export interface ObjectEncryptionState {
  /** AES256, aws:kms, aws:kms:dsse, or undefined for an unencrypted object. */
  readonly serverSideEncryption?: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

/** The encryption of one object version, which inventory reports without the KMS key id. */
export async function objectEncryption(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<ObjectEncryptionState> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId && versionId !== 'null' ? { VersionId: versionId } : {}) }));
    return { serverSideEncryption: out.ServerSideEncryption, kmsKeyId: out.SSEKMSKeyId, bucketKeyEnabled: out.BucketKeyEnabled === true };
  } catch (error) {
    throw explainAwsError(error, `Reading the encryption of s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ''}`);
  }
}
