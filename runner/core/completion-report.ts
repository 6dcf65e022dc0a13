// Rows of a Batch Operations completion report (Report_CSV_20180820), and which failures are worth
import { isRetryableFailure } from './retryable';
// retrying. AWS's examples put HTTPStatusCode before ErrorCode while its schema line lists them the
// other way round, so the two are told apart by shape, not position.

export interface ReportRow {
  readonly bucket: string;
  /** As the manifest wrote it: percent-encoded. */
  readonly encodedKey: string;
  readonly versionId: string;
  readonly taskStatus: string;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly message: string;
}

export function parseReportRow(fields: readonly string[]): ReportRow {
  const [bucket, encodedKey, versionId, taskStatus, a = '', b = '', ...rest] = fields;
  if (bucket === undefined || encodedKey === undefined || versionId === undefined || taskStatus === undefined)
    throw new Error(`Completion report row has ${fields.length} fields, expected at least 4: ${JSON.stringify(fields)}`);
  const numeric = (v: string) => /^\d{3}$/.test(v);
  const httpField = numeric(a) ? a : numeric(b) ? b : '';
  const codeField = [a, b].find((v) => v !== '' && !numeric(v));
  return {
    bucket,
    encodedKey,
    versionId,
    taskStatus,
    ...(httpField ? { httpStatus: Number(httpField) } : {}),
    ...(codeField ? { errorCode: codeField } : {}),
    message: rest.join(','),
  };
}

/** A failed task worth resubmitting: the same rule as for the runner's own calls (core/retryable.ts). */
export function isRetryableTask(row: ReportRow): boolean {
  return row.taskStatus === 'failed' && isRetryableFailure(row.errorCode, row.httpStatus);
}

/** A task that failed because its version (or key) does not exist: deleted since the manifest was written, if HeadObject agrees. */
export function isMissingVersionTask(row: ReportRow): boolean {
  return row.taskStatus === 'failed' && (row.errorCode === 'NoSuchVersion' || row.errorCode === 'NoSuchKey' || row.httpStatus === 404);
}

/** retry-failed resubmits the same work at most this many times. */
export const MAX_RETRY_ATTEMPTS = 3;
