// The S3 calls the runner makes: bucket settings for preflight, finding the newest inventory,
// small JSON documents with conditional writes (state and lock), streaming object reads, and the
// listing of a folder of files (manifest data files Athena wrote).
import {
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { AwsError } from '../errors';
import { explainAwsError, isAwsError } from './errors';
import { headVersion } from './objects';
import { readWhole } from './retry';
import { CURRENT_VERSION } from './version-call';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix; '' or ending with '/'. */
  readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const [, bucket, prefix = ''] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url) ?? [];
  if (!bucket) throw new Error(`Not an s3:// URL: ${url}`);
  return { bucket, prefix };
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
    if (!(await headVersion(s3, location.bucket, manifestKey, CURRENT_VERSION))) continue;
    const [, day, hour, minute] = DELIVERY_FOLDER.exec(folder)!;
    // The folder names when S3 took the snapshot; the manifest's LastModified is only when it was written.
    return { dt: `${day}-${hour}-${minute}`, manifestKey, createdAt: new Date(`${day}T${hour}:${minute}:00Z`) };
  }
  return undefined;
}

export interface StoredDocument<T> {
  readonly value: T;
  readonly eTag: string;
}

/** An object's text and ETag, or undefined when there is none. */
export async function readDocument(s3: S3Client, bucket: string, key: string): Promise<StoredDocument<string> | undefined> {
  try {
    return await readWhole(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { value: await out.Body!.transformToString('utf8'), eTag: out.ETag ?? '' };
    });
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return undefined;
    throw explainAwsError(error, `Reading s3://${bucket}/${key}`);
  }
}

/**
 * A JSON document, parsed with `schema`: what S3 holds was written by another process (another
 * runner, Batch Operations), so one of another shape fails here naming the field; `fix` says what
 * to do about it.
 */
export async function readJson<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  schema: z.ZodType<T>,
  fix: string,
): Promise<StoredDocument<T> | undefined> {
  let stored: { text: string; eTag: string };
  try {
    stored = await readWhole(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { text: await out.Body!.transformToString('utf8'), eTag: out.ETag ?? '' };
    });
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return undefined;
    throw explainAwsError(error, `Reading s3://${bucket}/${key}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(stored.text);
  } catch (error) {
    throw new AwsError(`s3://${bucket}/${key} is not JSON (${String(error)}): ${fix}`, 'UnexpectedDocument', { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new AwsError(`s3://${bucket}/${key} is not the document expected (${issues.join('; ')}): ${fix}`, 'UnexpectedDocument');
  }
  return { value: parsed.data, eTag: stored.eTag };
}

export type WriteCondition = { readonly ifNoneMatch: '*' } | { readonly ifMatch: string } | undefined;

/** Writes JSON; with a condition, a lost race returns undefined instead of overwriting. */
export async function writeJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  condition?: WriteCondition,
): Promise<string | undefined> {
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

/**
 * Deletes an object; with `ifMatch`, only while its current version still has that ETag (S3's
 * conditional delete): false when it changed or is gone, so nobody else's object is deleted.
 */
export async function deleteObject(
  s3: S3Client,
  bucket: string,
  key: string,
  condition: { readonly ifMatch?: string } = {},
): Promise<boolean> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(condition.ifMatch ? { IfMatch: condition.ifMatch } : {}) }));
    return true;
  } catch (error) {
    if (condition.ifMatch && isAwsError(error, 'PreconditionFailed', 'NoSuchKey', 'ConditionalRequestConflict')) return false;
    throw explainAwsError(error, `Deleting s3://${bucket}/${key}`);
  }
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
}

/**
 * Every object under a prefix, with size and ETag; one ListObjectsV2 call per 1,000 objects, each
 * retried on throttling (a paginator cannot retry one page).
 */
export async function listObjectsUnder(s3: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) objects.push({ key: object.Key!, size: object.Size ?? 0, eTag: object.ETag ?? '' });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    throw explainAwsError(error, `Listing s3://${bucket}/${prefix}`);
  }
  return objects;
}

/** A small text object (a data manifest listing files), whole. */
export async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    return await readWhole(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body!.transformToString('utf8');
    });
  } catch (error) {
    throw explainAwsError(error, `Reading s3://${bucket}/${key}`);
  }
}

/** The files one UNLOAD wrote (from its data manifest), with the size and ETag a listing gives. */
export async function unloadedFiles(s3: S3Client, dataManifestLocation: string | undefined, target: S3Location): Promise<ListedObject[]> {
  if (!dataManifestLocation)
    throw new AwsError(
      `Athena named no data manifest for the UNLOAD into s3://${target.bucket}/${target.prefix}; rerun to write the manifest again`,
      'MissingDataManifest',
    );
  const location = parseS3Url(dataManifestLocation);
  const written = (await readText(s3, location.bucket, location.prefix)).split('\n').filter((line) => line !== '');
  const listed = new Map(
    (await listObjectsUnder(s3, target.bucket, target.prefix)).map((object) => [`s3://${target.bucket}/${object.key}`, object]),
  );
  return written.map((url) => {
    const object = listed.get(url);
    if (!object) throw new AwsError(`${url}, written by Athena for this manifest, is gone; rerun to write the manifest again`, 'NoSuchKey');
    return object;
  });
}

/** An object's size and the MD5 of its content. */
export interface ObjectDigest {
  readonly size: number;
  /** Lower-case hex. */
  readonly md5: string;
}

/** Streams an object through MD5; read again whole when the stream is cut, the hash starting over. */
function streamDigest(s3: S3Client, bucket: string, key: string): Promise<ObjectDigest> {
  return readWhole(async () => {
    const hash = createHash('md5');
    let bytes = 0;
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    for await (const chunk of out.Body as Readable) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { size: out.ContentLength ?? bytes, md5: hash.digest('hex') };
  });
}

/**
 * The MD5 of an object's content, streamed: under SSE-KMS an ETag is not the MD5 of the content,
 * so an inventory-format manifest cannot take its files' checksums from their ETags.
 */
export async function objectMd5(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    return (await streamDigest(s3, bucket, key)).md5;
  } catch (error) {
    throw explainAwsError(error, `Reading s3://${bucket}/${key} for its checksum`);
  }
}

/**
 * An object's size (its ContentLength) and content MD5, streamed, to hold against a checksum written
 * beside it (an inventory report's manifest); undefined when there is no such object.
 */
export async function objectDigest(s3: S3Client, bucket: string, key: string): Promise<ObjectDigest | undefined> {
  try {
    return await streamDigest(s3, bucket, key);
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return undefined;
    throw explainAwsError(error, `Reading s3://${bucket}/${key} for its checksum`);
  }
}

/** Deletes every object under a prefix (a folder of leftover files). */
export async function deleteObjectsUnder(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  for (const object of await listObjectsUnder(s3, bucket, prefix)) {
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
    } catch (error) {
      throw explainAwsError(error, `Deleting s3://${bucket}/${object.key}`);
    }
  }
}

/** Writes a JSON document that a job will read; returns its ETag. */
export async function putJsonDocument(s3: S3Client, bucket: string, key: string, value: unknown): Promise<string> {
  try {
    const out = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${JSON.stringify(value, null, 2)}\n`, ContentType: 'application/json' }),
    );
    return out.ETag ?? '';
  } catch (error) {
    throw explainAwsError(error, `Writing s3://${bucket}/${key}`);
  }
}
