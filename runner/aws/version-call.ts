// One S3 call about one object version: the SDK retries it, a throttle is reported to the caller so its
// concurrency can back off, and the version is named the same way in every request and message.
import { NULL_VERSION_ID } from '../core/version-id';
import { explainAwsError, isThrottlingError } from './errors';

export interface CallHooks {
  /** Called on every throttled call (503 SlowDown, ThrottlingException): failed, or answered after the SDK retried. */
  readonly onThrottle?: () => void;
}

/** One call: the SDK retries it (the one retry layer); a call that needed retries is a throttle signal too. */
export async function call<T>(doing: string, hooks: CallHooks | undefined, send: () => Promise<T>): Promise<T> {
  try {
    const out = await send();
    if (((out as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1) > 1) hooks?.onThrottle?.();
    return out;
  } catch (error) {
    if (isThrottlingError(error)) hooks?.onThrottle?.();
    throw explainAwsError(error, doing);
  }
}

/**
 * Which version of a key a request is about: a version id, or CURRENT_VERSION. A version id is the
 * string S3 gave the version; 'null' is the id of a version written while versioning was off or
 * suspended, and is named like any other (S3 accepts versionId=null on every object request).
 */
export type VersionSelector = string | typeof CURRENT_VERSION;

/** Whichever version is the key's current one when the request arrives: a request that names no version. */
export const CURRENT_VERSION: unique symbol = Symbol('current version');

/** One object version, by its id. */
export interface VersionRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

/** One object version, or the key's current one: what a read or a copy source may name. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: VersionSelector;
}

/**
 * The version id an answer names. S3 sends no version id for an object of a bucket that was never
 * versioned: such an object is its key's null version.
 */
export function versionIdFromAnswer(versionId: string | undefined): string {
  return versionId ?? NULL_VERSION_ID;
}

/** The `VersionId` of a request: none for the current version, otherwise the id, 'null' included. */
export function versionParam(version: VersionSelector): { VersionId?: string } {
  return version === CURRENT_VERSION ? {} : { VersionId: version };
}

/**
 * A version known to be the key's current one, as a request addresses it: by its id, but the null
 * version by naming none. That is the same object, and no emulator has to understand versionId=null
 * on a copy source; the caller must know the version is current (an unversioned bucket's only one).
 */
export function currentVersionRef(bucket: string, key: string, versionId: string): ObjectRef {
  return { bucket, key, versionId: versionId === NULL_VERSION_ID ? CURRENT_VERSION : versionId };
}

export function describeVersion(version: VersionSelector): string {
  return version === CURRENT_VERSION ? 'current version' : `version ${version}`;
}

export function describe(ref: ObjectRef): string {
  return `s3://${ref.bucket}/${ref.key} ${describeVersion(ref.versionId)}`;
}

/** The `x-amz-tagging` header of a write: url-encoded pairs, undefined when there are no tags. */
export function taggingHeader(tags: Record<string, string>): string | undefined {
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
