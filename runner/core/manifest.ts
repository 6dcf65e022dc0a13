// Batch Operations manifests: S3BatchOperations_CSV_20180820 rows (Bucket,Key,VersionId, no header),
// keys URL-encoded, a version id on every row; and the inverse for keys read from inventory.

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

/** Unversioned objects in an all-versions inventory have no version id; Batch Operations wants `null`. */
export function manifestVersionId(versionId: string | null | undefined): string {
  return versionId === undefined || versionId === null || versionId === '' ? 'null' : versionId;
}

export function manifestRow(bucket: string, key: string, versionId: string | null | undefined): string {
  if (bucket.includes(',')) throw new Error(`Bucket name cannot contain ',': ${bucket}`);
  return `${bucket},${encodeManifestKey(key)},${manifestVersionId(versionId)}\n`;
}

/** Parses one manifest row back; for reading manifests and completion reports. */
export function parseManifestRow(line: string): { bucket: string; key: string; versionId: string } {
  const parts = line.replace(/\r?\n$/, '').split(',');
  if (parts.length !== 3) throw new Error(`Manifest row must have Bucket,Key,VersionId: ${JSON.stringify(line)}`);
  return { bucket: parts[0], key: decodeURIComponent(parts[1]), versionId: parts[2] };
}
