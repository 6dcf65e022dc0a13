// One S3 call about one object version: the SDK retries it, a throttle is reported to the caller so its
// concurrency can back off, and the version is named the same way in every request and message.
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

/** One object version, named the way the manifests name it ('null' for unversioned objects). */
export interface VersionRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

export function versionParam(versionId: string): { VersionId?: string } {
  return versionId === '' ? {} : { VersionId: versionId };
}

export function describe(ref: VersionRef): string {
  return `s3://${ref.bucket}/${ref.key} version ${ref.versionId}`;
}

/** The `x-amz-tagging` header of a write: url-encoded pairs, undefined when there are no tags. */
export function taggingHeader(tags: Record<string, string>): string | undefined {
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
