// Proves, on canary objects of the runner's own in the reports bucket, that the endpoint's
// UpdateObjectEncryption and copy in place do what AWS documents, before either touches a customer object.
import { randomBytes, randomUUID } from 'node:crypto';
import { REPORTS_LAYOUT } from '../../stacks/outputs';
import { copyInPlace, deleteVersion, headVersion, objectBytes, objectTags, putCanary, updateObjectEncryption, versionIdsOf, type VersionHead, type VersionRef } from '../aws/objects';
import { copyReadBackProblems, updateAnswerProblem, updateReadBackProblems, type VersionFacts } from '../core/write-evidence';
import { PreflightError } from '../errors';
import type { Output } from '../output';
import type { RunContext } from '../commands/context';

export const WRITE_KINDS = ['update-encryption', 'copy-in-place'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export interface ProbeResult {
  readonly kind: WriteKind;
  /** s3://bucket/key of the canary. */
  readonly canary: string;
  readonly passed: boolean;
  /** What the endpoint did instead of what AWS documents; empty when it passed. */
  readonly problems: readonly string[];
}

const CANARY_TAGS = { 'kms-migration': 'write-probe' };
const CANARY_METADATA = { 'kms-migration-probe': 'canary' };

function facts(head: VersionHead): VersionFacts {
  return { ...head, contentType: head.system.contentType };
}

function errorText(error: unknown): string {
  return (error as Error).message ?? String(error);
}

/** Same bytes, read back by version. */
async function bytesProblem(ctx: RunContext, ref: VersionRef, body: Buffer, what: string): Promise<string[]> {
  const read = await objectBytes(ctx.clients.s3, ref);
  return read.equals(body) ? [] : [`${what} holds ${read.length} bytes that differ from the ${body.length} written (it begins ${JSON.stringify(read.subarray(0, 40).toString('utf8'))})`];
}

/** A canary of random bytes, SSE-S3, with tags and metadata, and what HeadObject says of it; or why not. */
async function writeCanary(ctx: RunContext, key: string, storageClass: string, contentType: string): Promise<{ canary: VersionRef; body: Buffer; before: VersionHead } | string> {
  const body = randomBytes(4096);
  const canary = await putCanary(ctx.clients.s3, ctx.outputs.reports_bucket, key, { body, storageClass, contentType, metadata: CANARY_METADATA, tags: CANARY_TAGS });
  const before = await headVersion(ctx.clients.s3, canary.bucket, key, canary.versionId);
  return before ? { canary, body, before } : `the canary version ${canary.versionId} written a moment ago cannot be read back`;
}

async function probeUpdate(ctx: RunContext, key: string): Promise<string[]> {
  const { s3 } = ctx.clients;
  const bucket = ctx.outputs.reports_bucket;
  const written = await writeCanary(ctx, key, 'STANDARD', 'application/octet-stream');
  if (typeof written === 'string') return [written];
  const { canary, body, before } = written;
  let answeredVersionId: string | undefined;
  try {
    answeredVersionId = (await updateObjectEncryption(s3, canary, ctx.outputs.kms_key_arn)).answeredVersionId;
  } catch (error) {
    return [`UpdateObjectEncryption was refused: ${errorText(error)}`];
  }
  const problems: string[] = [];
  const answer = updateAnswerProblem(canary.versionId, answeredVersionId);
  if (answer) problems.push(answer);
  const versions = await versionIdsOf(s3, bucket, key);
  if (versions.length !== 1 || versions[0] !== canary.versionId) {
    problems.push(`the key now has ${versions.length} versions (${versions.join(', ')}) where AWS keeps exactly the one re-encrypted (${canary.versionId})`);
  }
  const after = await headVersion(s3, bucket, key, canary.versionId);
  problems.push(...updateReadBackProblems(facts(before), after && facts(after), ctx.outputs.kms_key_arn));
  if (after) problems.push(...(await bytesProblem(ctx, canary, body, `version ${canary.versionId}`)));
  const current = versions[0] && versions[0] !== canary.versionId ? await objectBytes(s3, { bucket, key, versionId: versions[0] }).catch(() => undefined) : undefined;
  if (current && /ObjectEncryption/.test(current.toString('utf8'))) problems.push(`the current version ${versions[0]} holds the request's XML as its content`);
  return problems;
}

async function probeCopy(ctx: RunContext, key: string): Promise<string[]> {
  const { s3 } = ctx.clients;
  const bucket = ctx.outputs.reports_bucket;
  const written = await writeCanary(ctx, key, 'STANDARD_IA', 'text/plain');
  if (typeof written === 'string') return [written];
  const { canary: source, body, before } = written;
  let newVersionId: string;
  try {
    newVersionId = await copyInPlace(s3, source, before.eTag, { kmsKeyArn: ctx.outputs.kms_key_arn, storageClass: before.storageClass, lock: {} });
  } catch (error) {
    return [`CopyObject in place was refused: ${errorText(error)}`];
  }
  const problems: string[] = [];
  const versions = await versionIdsOf(s3, bucket, key);
  if (versions.length !== 2 || !versions.includes(source.versionId) || !versions.includes(newVersionId)) {
    problems.push(`the key has versions ${versions.join(', ')}: AWS keeps the source ${source.versionId} and adds the copy ${newVersionId}`);
  }
  const copy = await headVersion(s3, bucket, key, newVersionId);
  const tags = { source: CANARY_TAGS, copy: copy ? await objectTags(s3, { bucket, key, versionId: newVersionId }) : {} };
  problems.push(...copyReadBackProblems(facts(before), copy && facts(copy), ctx.outputs.kms_key_arn, tags));
  if (copy) problems.push(...(await bytesProblem(ctx, { bucket, key, versionId: newVersionId }, body, `the copy ${newVersionId}`)));
  return problems;
}

/** Removes every version of a canary; one left behind expires with the Athena results. */
async function removeCanary(ctx: RunContext, key: string): Promise<void> {
  const bucket = ctx.outputs.reports_bucket;
  const versions = await versionIdsOf(ctx.clients.s3, bucket, key).catch(() => []);
  for (const versionId of versions) await deleteVersion(ctx.clients.s3, { bucket, key, versionId }).catch(() => undefined);
}

/** Runs the probes of the given kinds; each on a canary of its own, removed afterwards. */
export async function probeWrites(ctx: RunContext, kinds: readonly WriteKind[]): Promise<ProbeResult[]> {
  // Under the Athena results prefix: the stack expires it after days, should a removal fail.
  const folder = `${ctx.outputs.reports_prefix}${REPORTS_LAYOUT.athenaResults}write-probes/${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}/`;
  const results: ProbeResult[] = [];
  for (const kind of kinds) {
    const key = `${folder}${kind}`;
    try {
      const problems = kind === 'update-encryption' ? await probeUpdate(ctx, key) : await probeCopy(ctx, key);
      results.push({ kind, canary: `s3://${ctx.outputs.reports_bucket}/${key}`, passed: problems.length === 0, problems });
    } finally {
      await removeCanary(ctx, key);
    }
  }
  return results;
}

const proven = new WeakMap<RunContext, Set<WriteKind>>();

const ADVICE: Readonly<Record<WriteKind, string>> = {
  'update-encryption':
    'this endpoint does not implement UpdateObjectEncryption as AWS documents it (moto 5.2.1 stores the request as a new version). ' +
    'Use an endpoint that does, or run `migrate run --engine direct --update-by-copy` to copy SSE-S3 and other-key versions in place instead (a new version for each current one, its bytes billed twice until the noncurrent-version expiration; the run says how many up front)',
  'copy-in-place': 'this endpoint does not copy objects in place as AWS documents it; no version can be migrated safely through it',
};

/**
 * Refuses the endpoint, before any write to a migrated bucket, unless every kind of write about to be
 * used proves itself on a canary. Each kind is proven once per run.
 */
export async function proveWrites(ctx: RunContext, kinds: readonly WriteKind[], output: Output): Promise<void> {
  const done = proven.get(ctx) ?? new Set<WriteKind>();
  proven.set(ctx, done);
  const todo = kinds.filter((k) => !done.has(k));
  if (todo.length === 0) return;
  const results = await probeWrites(ctx, todo);
  for (const r of results) {
    output.emit('write-probe', { ...r }, () => `Write probe ${r.kind} on ${r.canary}: ${r.passed ? 'as AWS documents' : `FAILED: ${r.problems.join('; ')}`}`);
    if (r.passed) done.add(r.kind);
  }
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new PreflightError(failed.map((r) => `${r.kind} on the canary ${r.canary} answered success but ${r.problems.join('; ')}: ${ADVICE[r.kind]}`));
  }
}
