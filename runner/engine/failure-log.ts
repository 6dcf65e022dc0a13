// Every version a pass failed on, kept: the newest in the state document, the rest spilled to JSON
// objects beside it under the state prefix, so the state stays small and the next run retries
// exactly the versions that failed, however many.
import { z } from 'zod';
import { REPORTS_LAYOUT } from '../../stacks/outputs';
import { putJsonDocument, readJson } from '../aws/s3';
import type { RunContext } from '../context';
import { failureTotal } from '../core/pass-failures';
import type { DirectFailure, DirectPassRecord } from '../state';

/** Failures kept in the state document before they are spilled to an object of their own. */
export const FAILURES_PER_CHUNK = 5_000;

/**
 * Moves the state's failures to a new object once there are FAILURES_PER_CHUNK of them. The caller
 * saves the state right after: until then the failures are still in the saved state, so a kill in
 * between loses nothing (the object is then simply unused).
 */
export async function spillFailures(ctx: RunContext, record: DirectPassRecord, force = false): Promise<boolean> {
  if (record.failures.length === 0 || (!force && record.failures.length < FAILURES_PER_CHUNK)) return false;
  // Taken before the write: failures of versions still in flight land in the fresh list meanwhile.
  const chunk = record.failures;
  record.failures = [];
  const key = `${ctx.outputs.reports_prefix}${REPORTS_LAYOUT.state}failures/${record.bucket}/${record.pass}-${new Date().toISOString().replace(/[:.]/g, '-')}-${(record.failureChunks ?? []).length}.json`;
  try {
    await putJsonDocument(ctx.clients.s3, ctx.outputs.reports_bucket, key, chunk);
  } catch (error) {
    record.failures = [...chunk, ...record.failures];
    throw error;
  }
  const codes = (record.spilledFailureCodes ??= {});
  for (const f of chunk) codes[f.code] = (codes[f.code] ?? 0) + 1;
  record.failureChunks = [...(record.failureChunks ?? []), key];
  record.spilledFailures = (record.spilledFailures ?? 0) + chunk.length;
  return true;
}

/** The failures of a pass as they were when it finished: spilled chunks, then the state's own. */
export interface FailureList {
  readonly chunks: readonly string[];
  readonly spilled: number;
  readonly spilledCodes: Readonly<Record<string, number>>;
  readonly inState: readonly DirectFailure[];
  readonly total: number;
}

/** Takes a finished pass's failures out of its record for a retry; `restoreFailures` puts them back. */
export function takeFailures(record: DirectPassRecord): FailureList {
  const list = {
    chunks: record.failureChunks ?? [],
    spilled: record.spilledFailures ?? 0,
    spilledCodes: record.spilledFailureCodes ?? {},
    inState: record.failures,
    total: failureTotal(record),
  };
  record.failures = [];
  record.failureChunks = [];
  record.spilledFailures = 0;
  record.spilledFailureCodes = {};
  return list;
}

/**
 * A retry that did not finish: the whole list stays, to be retried again (what this retry already
 * did is found done then), and what this retry recorded is dropped, being part of that list.
 */
export function restoreFailures(record: DirectPassRecord, list: FailureList): void {
  record.failures = [...list.inState];
  record.failureChunks = [...list.chunks];
  record.spilledFailures = list.spilled;
  record.spilledFailureCodes = { ...list.spilledCodes };
}

const failureChunk = z.array(
  z.object({ key: z.string(), versionId: z.string(), action: z.string(), code: z.string(), message: z.string() }),
);

/** Every failure of a list, chunk by chunk: memory holds one chunk at a time. */
export async function* readFailures(ctx: RunContext, list: FailureList): AsyncGenerator<DirectFailure> {
  for (const key of list.chunks) {
    const chunk = await readJson(
      ctx.clients.s3,
      ctx.outputs.reports_bucket,
      key,
      failureChunk,
      'run the pass afresh (delete its record from the state) to find its failures again',
    );
    if (!chunk)
      throw new Error(
        `The failures recorded in s3://${ctx.outputs.reports_bucket}/${key} are gone: run the pass afresh (delete its record from the state) to find them again`,
      );
    yield* chunk.value;
  }
  yield* list.inState;
}
