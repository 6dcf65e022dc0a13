// Batch Operations manifests: S3BatchOperations_CSV_20180820 rows (Bucket,Key,VersionId, no header),
// keys URL-encoded, a version id on every row; and the inverse for keys read from inventory.
import { NULL_VERSION_ID } from './version-id';

/**
 * Percent-encodes a key for a manifest. encodeURIComponent leaves no ',' '+' or space, so a
 * form-style decoder and a strict one read the same key back.
 */
export function encodeManifestKey(key: string): string {
  return encodeURIComponent(key);
}

/**
 * Keys in CSV inventory reports are URL-encoded form-style (space as '+', a literal '+' as %2B);
 * Parquet and ORC reports carry them as they are.
 */
export function decodeInventoryKey(raw: string, urlEncoded: boolean): string {
  return urlEncoded ? decodeURIComponent(raw.replace(/\+/g, ' ')) : raw;
}

/**
 * The version id an inventory column names, and the one a manifest row must name. S3 Inventory
 * leaves VersionId empty for a null version (written while versioning was off or suspended; every
 * object of a bucket never versioned), Athena may read that as NULL, and the manifests and completion
 * reports made from an inventory carry it on; S3 names that version `null`, and so does the runner.
 */
export function inventoryVersionId(versionId: string | null | undefined): string {
  return versionId === undefined || versionId === null || versionId === '' ? NULL_VERSION_ID : versionId;
}

export function manifestRow(bucket: string, key: string, versionId: string | null | undefined): string {
  if (bucket.includes(',')) throw new Error(`Bucket name cannot contain ',': ${bucket}`);
  return `${bucket},${encodeManifestKey(key)},${inventoryVersionId(versionId)}\n`;
}

/** Parses one manifest row back; for reading manifests and completion reports. */
export function parseManifestRow(line: string): { bucket: string; key: string; versionId: string } {
  const [bucket, key, versionId, ...extra] = line.replace(/\r?\n$/, '').split(',');
  if (bucket === undefined || key === undefined || versionId === undefined || extra.length > 0)
    throw new Error(`Manifest row must have Bucket,Key,VersionId: ${JSON.stringify(line)}`);
  return { bucket, key: decodeURIComponent(key), versionId };
}

/** One data file of an inventory-format manifest; MD5checksum is the hex MD5 of the file. */
export interface InventoryManifestFile {
  readonly key: string;
  readonly size: number;
  readonly MD5checksum: string;
}

/** The manifest.json of an S3 Inventory report (`S3InventoryReport_CSV_20161130`). */
export interface InventoryManifestDocument {
  readonly sourceBucket: string;
  /** The ARN of the bucket holding the data files. */
  readonly destinationBucket: string;
  readonly version: '2016-11-30';
  /** Milliseconds since the epoch, as a string. */
  readonly creationTimestamp: string;
  readonly fileFormat: 'CSV';
  readonly fileSchema: 'Bucket, Key, VersionId';
  readonly files: readonly InventoryManifestFile[];
}

/**
 * An inventory-format manifest over data files of Bucket, Key, VersionId rows, for Batch
 * Operations to read instead of a CSV manifest. Each file's MD5 is computed from its content by the
 * caller: ETags are not MD5s under SSE-KMS or for multipart uploads.
 */
export function inventoryManifest(
  sourceBucket: string,
  dataBucket: string,
  createdAt: Date,
  files: readonly { readonly key: string; readonly size: number; readonly md5: string }[],
): InventoryManifestDocument {
  return {
    sourceBucket,
    destinationBucket: `arn:aws:s3:::${dataBucket}`,
    version: '2016-11-30',
    creationTimestamp: String(createdAt.getTime()),
    fileFormat: 'CSV',
    fileSchema: 'Bucket, Key, VersionId',
    files: files.map((file) => {
      if (!/^[0-9a-f]{32}$/.test(file.md5))
        throw new Error(`Manifest data file s3://${dataBucket}/${file.key}: '${file.md5}' is not a hex MD5`);
      return { key: file.key, size: file.size, MD5checksum: file.md5 };
    }),
  };
}
