// Proves, on canary objects of the runner's own in the reports bucket, that the endpoint's
// UpdateObjectEncryption and copy in place do what AWS documents, before either touches a customer object.
import { randomBytes, randomUUID } from 'node:crypto';
import { REPORTS_LAYOUT } from '../../stacks/outputs';
import {
  deleteVersion,
  headVersion,
  objectBytes,
  objectTags,
  putCanary,
  updateObjectEncryption,
  versionIdsOf,
  type VersionHead,
} from '../aws/objects';
import { conditionalCopyInPlace, copyInPlace } from '../aws/object-copies';
import { CURRENT_VERSION, type ObjectRef, type VersionRef } from '../aws/version-call';
import { copyReadBackProblems, updateAnswerProblem, updateReadBackProblems, type VersionFacts } from '../core/write-evidence';
import { PreflightError } from '../errors';
import type { Output } from '../output';
import type { RunContext } from '../context';

export const WRITE_KINDS = ['update-encryption', 'copy-in-place'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export interface ProbeResult {
  readonly kind: WriteKind;
  /** s3://bucket/key of the canary. */
  readonly canary: string;
  readonly passed: boolean;
  /** What the endpoint did instead of what AWS documents; empty when it passed. */
  readonly problems: readonly string[];
  /**
   * copy-in-place only: whether the endpoint refuses a copy whose conditions fail (If-Match on the
   * current version, x-amz-copy-source-if-match), and what it did instead when it does not.
   */
  readonly conditions?: { readonly honoured: boolean; readonly problems: readonly string[] };
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
  return read.equals(body)
    ? []
    : [
        `${what} holds ${read.length} bytes that differ from the ${body.length} written (it begins ${JSON.stringify(read.subarray(0, 40).toString('utf8'))})`,
      ];
}

/** A canary of random bytes, SSE-S3, with tags and metadata, and what HeadObject says of it; or why not. */
async function writeCanary(
  ctx: RunContext,
  key: string,
  storageClass: string,
  contentType: string,
): Promise<{ canary: VersionRef; body: Buffer; before: VersionHead } | string> {
  const body = randomBytes(4096);
  const canary = await putCanary(ctx.clients.s3, ctx.outputs.reports_bucket, key, {
    body,
    storageClass,
    contentType,
    metadata: CANARY_METADATA,
    tags: CANARY_TAGS,
  });
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
    problems.push(
      `the key now has ${versions.length} versions (${versions.join(', ')}) where AWS keeps exactly the one re-encrypted (${canary.versionId})`,
    );
  }
  const after = await headVersion(s3, bucket, key, canary.versionId);
  problems.push(...updateReadBackProblems(facts(before), after && facts(after), ctx.outputs.kms_key_arn));
  if (after) problems.push(...(await bytesProblem(ctx, canary, body, `version ${canary.versionId}`)));
  const current =
    versions[0] && versions[0] !== canary.versionId
      ? await objectBytes(s3, { bucket, key, versionId: versions[0] }).catch(() => undefined)
      : undefined;
  if (current && /ObjectEncryption/.test(current.toString('utf8')))
    problems.push(`the current version ${versions[0]} holds the request's XML as its content`);
  return problems;
}

async function probeCopy(ctx: RunContext, key: string): Promise<{ problems: string[]; conditions: string[] }> {
  const { s3 } = ctx.clients;
  const bucket = ctx.outputs.reports_bucket;
  const written = await writeCanary(ctx, key, 'STANDARD_IA', 'text/plain');
  if (typeof written === 'string') return { problems: [written], conditions: [written] };
  const { canary: source, body, before } = written;
  let newVersionId: string;
  try {
    ({ newVersionId } = await copyInPlace(s3, source, before.eTag, {
      kmsKeyArn: ctx.outputs.kms_key_arn,
      storageClass: before.storageClass,
      lock: {},
    }));
  } catch (error) {
    const refused = `CopyObject in place was refused: ${errorText(error)}`;
    return { problems: [refused], conditions: [refused] };
  }
  const problems: string[] = [];
  const versions = await versionIdsOf(s3, bucket, key);
  if (versions.length !== 2 || !versions.includes(source.versionId) || !versions.includes(newVersionId)) {
    problems.push(
      `the key has versions ${versions.join(', ')}: AWS keeps the source ${source.versionId} and adds the copy ${newVersionId}`,
    );
  }
  const copy = await headVersion(s3, bucket, key, newVersionId);
  const tags = { source: CANARY_TAGS, copy: copy ? await objectTags(s3, { bucket, key, versionId: newVersionId }) : {} };
  problems.push(...copyReadBackProblems(facts(before), copy && facts(copy), ctx.outputs.kms_key_arn, tags));
  if (copy) problems.push(...(await bytesProblem(ctx, { bucket, key, versionId: newVersionId }, body, `the copy ${newVersionId}`)));
  return {
    problems,
    conditions:
      problems.length === 0 && copy ? await probeCopyConditions(ctx, key, before, copy) : ['the copy itself did not prove itself'],
  };
}

/**
 * The direct engine copies without reading the current version first only where the endpoint
 * refuses, as AWS documents, the two copies a rerun or a changed key would make: one naming the
 * source's ETag as the current one's (the current version is now the SSE-KMS copy, whose ETag is
 * not its source's MD5), and one whose source no longer has the ETag named. Each must be answered
 * 412 and write nothing. Endpoints that ignore the headers (moto 5.2.1) write both.
 */
async function probeCopyConditions(ctx: RunContext, key: string, source: VersionHead, copy: VersionHead): Promise<string[]> {
  const { s3 } = ctx.clients;
  const bucket = ctx.outputs.reports_bucket;
  const current: ObjectRef = { bucket, key, versionId: CURRENT_VERSION };
  const settings = { kmsKeyArn: ctx.outputs.kms_key_arn, storageClass: source.storageClass, lock: {} };
  const problems: string[] = [];
  if (copy.eTag === source.eTag)
    problems.push(
      `the SSE-KMS copy has its source's ETag ${source.eTag}, so an ETag cannot tell a migrated version from an unmigrated one`,
    );
  const attempts: [string, { sourceETag: string; currentETag: string }][] = [
    [`If-Match ${source.eTag} while the current version is the copy (${copy.eTag})`, { sourceETag: copy.eTag, currentETag: source.eTag }],
    [
      `x-amz-copy-source-if-match naming an ETag the source does not have`,
      { sourceETag: '"00000000000000000000000000000000"', currentETag: copy.eTag },
    ],
  ];
  for (const [what, conditions] of attempts) {
    try {
      const answer = await conditionalCopyInPlace(s3, current, conditions, settings);
      if (answer.kind !== 'changed')
        problems.push(
          `a copy with ${what} was ${answer.kind === 'copied' ? `written as version ${answer.newVersionId}` : 'answered 404'} where AWS answers 412 PreconditionFailed and writes nothing`,
        );
    } catch (error) {
      problems.push(`a copy with ${what} failed with ${errorText(error)} where AWS answers 412 PreconditionFailed`);
    }
  }
  const versions = await versionIdsOf(s3, bucket, key);
  if (versions.length !== 2) problems.push(`the key has ${versions.length} versions after the refused copies, where it had 2`);
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
      const canary = `s3://${ctx.outputs.reports_bucket}/${key}`;
      if (kind === 'update-encryption') {
        const problems = await probeUpdate(ctx, key);
        results.push({ kind, canary, passed: problems.length === 0, problems });
      } else {
        const { problems, conditions } = await probeCopy(ctx, key);
        results.push({
          kind,
          canary,
          passed: problems.length === 0,
          problems,
          conditions: { honoured: conditions.length === 0, problems: conditions },
        });
      }
    } finally {
      await removeCanary(ctx, key);
    }
  }
  return results;
}

const proven = new WeakMap<RunContext, Set<WriteKind>>();
const conditionsProven = new WeakSet<RunContext>();

/**
 * True once this run's copy probe has shown that the endpoint refuses copies whose conditions fail:
 * copies may then rely on If-Match instead of reading the current version with HeadObject first.
 */
export function copyConditionsProven(ctx: RunContext): boolean {
  return conditionsProven.has(ctx);
}

const ADVICE: Readonly<Record<WriteKind, string>> = {
  'update-encryption':
    'this endpoint does not implement UpdateObjectEncryption as AWS documents it (moto 5.2.1 stores the request as a new version). ' +
    'Use an endpoint that does, or run `migrate run --engine direct --update-by-copy` to copy SSE-S3 and other-key versions in place instead (a new version for each current one, its bytes billed twice until the noncurrent-version expiration; the run says how many up front)',
  'copy-in-place': 'this endpoint does not copy objects in place as AWS documents it; no version can be migrated safely through it',
};

function conditionsText(conditions: NonNullable<ProbeResult['conditions']>): string {
  return conditions.honoured
    ? '; copy conditions (If-Match, x-amz-copy-source-if-match) honoured: each copy is one conditional request'
    : `; copy conditions NOT honoured (${conditions.problems.join('; ')}): each copy reads the current version with HeadObject first instead (one more request per copy)`;
}

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
    output.emit(
      'write-probe',
      { ...r },
      () =>
        `Write probe ${r.kind} on ${r.canary}: ${r.passed ? 'as AWS documents' : `FAILED: ${r.problems.join('; ')}`}${r.passed && r.conditions ? conditionsText(r.conditions) : ''}`,
    );
    if (r.passed) done.add(r.kind);
    if (r.passed && r.conditions?.honoured) conditionsProven.add(ctx);
  }
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new PreflightError(
      failed.map((r) => `${r.kind} on the canary ${r.canary} answered success but ${r.problems.join('; ')}: ${ADVICE[r.kind]}`),
    );
  }
}
