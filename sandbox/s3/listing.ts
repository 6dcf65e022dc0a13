// ListObjectsV2 and ListObjectVersions over a bucket's sorted keys: prefix, delimiter, markers and
// page limits as S3 applies them. Pure functions of the bucket; the HTTP layer only encodes.
import type { Bucket } from './bucket';
import { compareKeys, lowerBound, type KeyList } from './key-order';
import type { ObjectVersion } from './model';

export interface ListObjectsParams {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** @default 1000 */
  readonly maxKeys?: number;
  readonly startAfter?: string;
  readonly continuationToken?: string;
}

export interface ListObjectsPage {
  readonly objects: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken?: string;
}

export interface ListVersionsParams {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** @default 1000 */
  readonly maxKeys?: number;
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
}

export interface VersionEntry {
  readonly version: ObjectVersion;
  readonly isLatest: boolean;
}

export interface ListVersionsPage {
  readonly entries: readonly VersionEntry[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker?: string;
  readonly nextVersionIdMarker?: string;
}

interface Cursor {
  /** Resume strictly after this key. */
  readonly after?: string;
  /** And skip every key under this common prefix. */
  readonly skipPrefix?: string;
}

export function encodeContinuationToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64');
}

export function decodeContinuationToken(token: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Cursor;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The common prefix a key rolls up into, if any. */
function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

function startIndex(keys: KeyList, prefix: string, after: string | undefined): number {
  const fromPrefix = lowerBound(keys, prefix, true);
  if (after === undefined) return fromPrefix;
  return Math.max(fromPrefix, lowerBound(keys, after, false));
}

export function listObjects(bucket: Bucket, params: ListObjectsParams): ListObjectsPage {
  const prefix = params.prefix ?? '';
  const maxKeys = params.maxKeys ?? 1000;
  const cursor: Cursor = params.continuationToken !== undefined ? (decodeContinuationToken(params.continuationToken) ?? {}) : {};
  const after = [cursor.after, params.startAfter]
    .filter((k): k is string => k !== undefined)
    .sort(compareKeys)
    .pop();
  const keys = bucket.keys();
  const objects: ObjectVersion[] = [];
  const commonPrefixes: string[] = [];
  let last: Cursor | undefined;
  let skipPrefix = cursor.skipPrefix;
  for (let i = startIndex(keys, prefix, after); i < keys.length; i++) {
    const key = keys.at(i);
    if (!key.startsWith(prefix)) break;
    if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
    const latest = bucket.latest(key);
    if (!latest || latest.isDeleteMarker) continue;
    const cp = commonPrefixOf(key, prefix, params.delimiter);
    if (objects.length + commonPrefixes.length >= maxKeys) {
      return { objects, commonPrefixes, isTruncated: true, nextContinuationToken: encodeContinuationToken(last ?? {}) };
    }
    if (cp !== undefined) {
      commonPrefixes.push(cp);
      skipPrefix = cp;
      last = { after: key, skipPrefix: cp };
    } else {
      objects.push(latest);
      last = { after: key };
    }
  }
  return { objects, commonPrefixes, isTruncated: false };
}

export function listVersions(bucket: Bucket, params: ListVersionsParams): ListVersionsPage {
  const prefix = params.prefix ?? '';
  const maxKeys = params.maxKeys ?? 1000;
  const keys = bucket.keys();
  const entries: VersionEntry[] = [];
  const commonPrefixes: string[] = [];
  const full = (): boolean => entries.length + commonPrefixes.length >= maxKeys;
  let next: { key: string; versionId?: string } | undefined;
  let skipPrefix: string | undefined;
  const marker = params.keyMarker;
  if (
    marker !== undefined &&
    params.delimiter &&
    marker.endsWith(params.delimiter) &&
    marker.length > prefix.length &&
    marker.startsWith(prefix)
  ) {
    // A NextKeyMarker that is a common prefix: resume after everything rolled up under it.
    skipPrefix = marker;
  }
  let i = startIndex(keys, prefix, marker);
  // Resuming inside a key: the versions after versionIdMarker (newest first) come before the next key.
  if (marker !== undefined && params.versionIdMarker) {
    const versions = bucket.versionsOf(marker);
    const at = versions.findIndex((v) => v.versionId === params.versionIdMarker);
    for (let v = at - 1; at >= 0 && v >= 0; v--) {
      if (full()) return truncated(entries, commonPrefixes, next);
      entries.push({ version: versions[v]!, isLatest: false });
      next = { key: marker, versionId: versions[v]!.versionId };
    }
  }
  for (; i < keys.length; i++) {
    const key = keys.at(i);
    if (!key.startsWith(prefix)) break;
    if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
    const cp = commonPrefixOf(key, prefix, params.delimiter);
    if (cp !== undefined) {
      if (full()) return truncated(entries, commonPrefixes, next);
      commonPrefixes.push(cp);
      skipPrefix = cp;
      next = { key: cp };
      continue;
    }
    const versions = bucket.versionsOf(key);
    for (let v = versions.length - 1; v >= 0; v--) {
      if (full()) return truncated(entries, commonPrefixes, next);
      entries.push({ version: versions[v]!, isLatest: v === versions.length - 1 });
      next = { key, versionId: versions[v]!.versionId };
    }
  }
  return { entries, commonPrefixes, isTruncated: false };
}

function truncated(
  entries: VersionEntry[],
  commonPrefixes: string[],
  next: { key: string; versionId?: string } | undefined,
): ListVersionsPage {
  return {
    entries,
    commonPrefixes,
    isTruncated: true,
    ...(next ? { nextKeyMarker: next.key } : {}),
    ...(next?.versionId !== undefined ? { nextVersionIdMarker: next.versionId } : {}),
  };
}
