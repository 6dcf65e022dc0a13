// Reads back a deterministic sample of what a finished Batch Operations job wrote: a job that says
// Complete proves that its tasks were accepted, HeadObject on their versions proves what they did.
import { z } from 'zod';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { headVersion } from '../aws/objects';
import { CURRENT_VERSION } from '../aws/version-call';
import { objectStream, readJson } from '../aws/s3';
import { decodeInventoryKey, inventoryVersionId } from '../core/manifest';
import { isMigrationKey } from '../core/migration-key';
import type { RunContext } from '../context';
import type { JobRecord } from '../state';
import type { ReportRow } from '../core/completion-report';

/** Versions of each job read back. */
export const JOB_READ_BACK_SAMPLE = 20;

export interface JobReadBack {
  readonly checked: number;
  /** What a sampled version shows that the job's operation should not have left; empty when none. */
  readonly problems: readonly string[];
}

interface SampledVersion {
  readonly key: string;
  readonly versionId: string;
}

/** The first versions of the job's manifest: its first data file's first rows, the same on every run. */
/** The files an UNLOAD wrote, as the runner records them beside a job's manifest. */
const unloadManifest = z.object({ files: z.array(z.object({ key: z.string() })).optional() });

async function manifestSample(ctx: RunContext, record: JobRecord, size: number): Promise<SampledVersion[]> {
  const { s3 } = ctx.clients;
  const manifest = await readJson(
    s3,
    ctx.outputs.reports_bucket,
    record.manifestKey!,
    unloadManifest,
    `the manifest of job ${record.token} is not one the runner wrote; check the reports bucket, then run again`,
  );
  const sample: SampledVersion[] = [];
  for (const file of manifest?.value.files ?? []) {
    const rows = (await objectStream(s3, ctx.outputs.reports_bucket, file.key))
      .pipe(createGunzip())
      .pipe(parse({ relax_column_count: true }));
    for await (const fields of rows as AsyncIterable<string[]>) {
      sample.push({ key: decodeInventoryKey(fields[1] ?? '', true), versionId: inventoryVersionId(fields[2]) });
      if (sample.length >= size) {
        rows.destroy();
        return sample;
      }
    }
  }
  return sample;
}

function encryptionProblem(
  head: { encryptionStatus: string; kmsKeyId?: string; bucketKeyEnabled: boolean },
  keyArn: string,
): string | undefined {
  if (head.encryptionStatus !== 'SSE-KMS') return head.encryptionStatus;
  if (!isMigrationKey(head.kmsKeyId, keyArn)) return `SSE-KMS under ${head.kmsKeyId}`;
  return head.bucketKeyEnabled ? undefined : 'SSE-KMS without a Bucket Key';
}

/**
 * HEADs the sampled versions of a finished job. UpdateObjectEncryption: the version itself must now
 * be SSE-KMS under the key with a Bucket Key. Copy in place: the source version must still be there,
 * and the current version must be another one, under the key. Versions whose task failed are the
 * completion report's to explain and are not counted.
 */
export async function readBackJob(
  ctx: RunContext,
  record: JobRecord,
  failedTasks: () => AsyncIterable<ReportRow>,
  size = JOB_READ_BACK_SAMPLE,
): Promise<JobReadBack> {
  const { s3 } = ctx.clients;
  const keyArn = ctx.outputs.kms_key_arn;
  let sample = await manifestSample(ctx, record, size);
  if ((record.failed ?? 0) > 0 && sample.length > 0) {
    const sampled = new Set(sample.map((v) => `${v.key}\u0000${v.versionId}`));
    const failed = new Set<string>();
    for await (const row of failedTasks()) {
      const id = `${decodeInventoryKey(row.encodedKey, true)}\u0000${inventoryVersionId(row.versionId)}`;
      if (sampled.has(id)) failed.add(id);
    }
    sample = sample.filter((v) => !failed.has(`${v.key}\u0000${v.versionId}`));
  }
  const problems: string[] = [];
  // A read-back that examined nothing has not confirmed anything.
  if (sample.length === 0 && (record.succeeded ?? 0) > 0) {
    problems.push(
      `none of the ${record.succeeded} versions the job says it did could be read back (its manifest s3://${ctx.outputs.reports_bucket}/${record.manifestKey} gave no version outside its failed tasks)`,
    );
  }
  for (const v of sample) {
    const where = `s3://${record.bucket}/${v.key} version ${v.versionId}`;
    if (record.operation === 'S3UpdateObjectEncryption') {
      const head = await headVersion(s3, record.bucket, v.key, v.versionId);
      if (!head) problems.push(`${where} is gone`);
      else if (encryptionProblem(head, keyArn)) problems.push(`${where} is still ${encryptionProblem(head, keyArn)}`);
    } else {
      const source = await headVersion(s3, record.bucket, v.key, v.versionId);
      const current = await headVersion(s3, record.bucket, v.key, CURRENT_VERSION);
      if (!source) problems.push(`${where}, the source of the copy, is gone`);
      if (current && current.versionId === v.versionId) problems.push(`${where} is still the current version: no copy was written`);
      else if (current && encryptionProblem(current, keyArn))
        problems.push(
          `the current version ${current.versionId} of s3://${record.bucket}/${v.key} is ${encryptionProblem(current, keyArn)}`,
        );
    }
  }
  return { checked: sample.length, problems };
}
