// What a write must have done, checked against what S3 reports afterwards, and which writes are read
// back. Pure: a 200 proves that a request was accepted, these rules decide whether it did the work.
import { createHash } from 'node:crypto';
import { isMigrationKey } from './migration-key';

/** What HeadObject says of a version, as far as the checks need it. */
export interface VersionFacts {
  readonly versionId: string;
  readonly size: number;
  readonly eTag: string;
  /** 'NOT-SSE', 'SSE-S3', 'SSE-KMS', 'DSSE-KMS' or 'SSE-C'. */
  readonly encryptionStatus: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled: boolean;
  readonly storageClass: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

/**
 * UpdateObjectEncryption writes no version. An answer naming a version other than the one asked for
 * means the endpoint wrote a new one (moto stores the request body as a new current version).
 */
export function updateAnswerProblem(askedVersionId: string, answeredVersionId: string | undefined): string | undefined {
  if (answeredVersionId === undefined || answeredVersionId === askedVersionId) return undefined;
  return `the answer names version ${answeredVersionId}, not the version ${askedVersionId} that was asked for: the endpoint wrote a new version instead of re-encrypting this one`;
}

function encryptionProblems(after: VersionFacts, keyArn: string): string[] {
  if (after.encryptionStatus !== 'SSE-KMS') return [`it is ${after.encryptionStatus}, not SSE-KMS`];
  const problems: string[] = [];
  if (!isMigrationKey(after.kmsKeyId, keyArn)) problems.push(`it is under KMS key ${after.kmsKeyId ?? '(none named)'}, not ${keyArn}`);
  if (!after.bucketKeyEnabled) problems.push('its Bucket Key is off');
  return problems;
}

/** An UpdateObjectEncryption read back: the same version, bytes and class, now under the key with a Bucket Key. */
export function updateReadBackProblems(before: VersionFacts, after: VersionFacts | undefined, keyArn: string): string[] {
  if (!after) return [`version ${before.versionId} is gone`];
  const problems: string[] = [];
  if (after.versionId !== before.versionId) problems.push(`HeadObject answered version ${after.versionId}, not ${before.versionId}`);
  if (after.size !== before.size) problems.push(`its size changed from ${before.size} to ${after.size} bytes`);
  // UpdateObjectEncryption keeps the ETag whatever the encryption: a changed one is changed content.
  if (after.eTag !== before.eTag) problems.push(`its ETag changed from ${before.eTag} to ${after.eTag}`);
  if (after.storageClass !== before.storageClass)
    problems.push(`its storage class changed from ${before.storageClass} to ${after.storageClass}`);
  return [...problems, ...encryptionProblems(after, keyArn)];
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {}).sort();
  const right = Object.entries(b ?? {}).sort();
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * A copy in place read back: a new version beside the source, with its size, class, metadata and
 * content type, under the key with a Bucket Key. (The ETag of an SSE-KMS copy is not the source's
 * MD5, so sizes and, where asked, tags stand in for it.)
 */
export function copyReadBackProblems(
  source: VersionFacts,
  copy: VersionFacts | undefined,
  keyArn: string,
  tags?: { readonly source: Record<string, string>; readonly copy: Record<string, string> },
): string[] {
  if (!copy) return ['the new version is not there'];
  const problems: string[] = [];
  if (copy.versionId === source.versionId) problems.push(`no new version was written (the current version is still ${source.versionId})`);
  if (copy.size !== source.size) problems.push(`the copy has ${copy.size} bytes, the source ${source.size}`);
  if (copy.storageClass !== source.storageClass) problems.push(`the copy is in ${copy.storageClass}, the source in ${source.storageClass}`);
  if (!sameRecord(copy.metadata, source.metadata))
    problems.push(
      `the copy's metadata ${JSON.stringify(copy.metadata ?? {})} differs from the source's ${JSON.stringify(source.metadata ?? {})}`,
    );
  if ((copy.contentType ?? '') !== (source.contentType ?? ''))
    problems.push(`the copy's content type is ${copy.contentType ?? '(none)'}, the source's ${source.contentType ?? '(none)'}`);
  if (tags && !sameRecord(tags.copy, tags.source))
    problems.push(`the copy's tags ${JSON.stringify(tags.copy)} differ from the source's ${JSON.stringify(tags.source)}`);
  return [...problems, ...encryptionProblems(copy, keyArn)];
}

export interface ReadBackSampleProps {
  /** The first writes of a pass are all read back. @default 5 */
  readonly first?: number;
  /** After those, one in this many, chosen by a hash of key and version id. @default 100 */
  readonly oneIn?: number;
}

/**
 * Which writes are read back: the first few of a pass (a broken endpoint is caught before it does
 * much), then a deterministic share, so a rerun reads back the same versions.
 */
export class ReadBackSample {
  private seen = 0;
  private readonly first: number;
  private readonly oneIn: number;

  constructor(props: ReadBackSampleProps = {}) {
    this.first = props.first ?? 5;
    this.oneIn = props.oneIn ?? 100;
  }

  includes(key: string, versionId: string): boolean {
    if (this.seen++ < this.first) return true;
    const digest = createHash('sha256').update(`${key}\u0000${versionId}`).digest();
    return digest.readUInt32BE(0) % this.oneIn === 0;
  }
}
