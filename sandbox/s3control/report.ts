// The completion report as Batch Operations writes it: `<prefix>/job-<id>/results/<sha1>.csv`
// per task outcome plus `<prefix>/job-<id>/manifest.json` listing them, written into the S3 world.
import { createHash } from 'node:crypto';
import { bytesBody } from '../s3/body';
import type { S3World } from '../s3/world';
import { bucketNameOf } from './manifest';
import type { JobReport, TaskResult } from './model';

/** The schema line AWS puts in manifest.json (its rows put HTTPStatusCode before ErrorCode). */
export const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

export interface ReportFile {
  readonly key: string;
  readonly body: Buffer;
  readonly taskExecutionStatus: 'succeeded' | 'failed';
}

export interface CompletionReport {
  readonly bucket: string;
  readonly manifestKey: string;
  readonly manifest: string;
  readonly files: readonly ReportFile[];
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One report row, in the column order AWS's result files use. */
export function reportRow(result: TaskResult): string {
  const { task } = result;
  return `${csvField(task.bucket)},${csvField(task.manifestKey)},${csvField(task.versionId ?? '')},${result.succeeded ? 'succeeded' : 'failed'},${result.httpStatusCode},${csvField(result.errorCode ?? '')},${csvField(result.resultMessage)}`;
}

// Rows are joined and encoded this many at a time: a million-task report never exists as a
// million separate strings at once.
const ROWS_PER_CHUNK = 10_000;

/** The rows of the results of one outcome, as the CSV bytes of a result file. */
function resultFileBody(results: Iterable<TaskResult>, succeeded: boolean): Buffer {
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  for (const result of results) {
    if (result.succeeded !== succeeded) continue;
    lines.push(`${reportRow(result)}\n`);
    if (lines.length === ROWS_PER_CHUNK) {
      chunks.push(Buffer.from(lines.join(''), 'utf8'));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join(''), 'utf8'));
  return Buffer.concat(chunks);
}

export function buildCompletionReport(
  jobId: string,
  report: JobReport,
  results: Iterable<TaskResult>,
  createdAt: Date,
): CompletionReport | undefined {
  if (!report.Enabled || report.Bucket === undefined) return undefined;
  const bucket = bucketNameOf(report.Bucket) ?? report.Bucket;
  const root = `${report.Prefix ? `${report.Prefix.replace(/\/+$/, '')}/` : ''}job-${jobId}`;
  const outcomes: ('succeeded' | 'failed')[] = report.ReportScope === 'FailedTasksOnly' ? ['failed'] : ['succeeded', 'failed'];
  const files: ReportFile[] = [];
  for (const outcome of outcomes) {
    const body = resultFileBody(results, outcome === 'succeeded');
    if (body.length === 0) continue;
    const name = createHash('sha1').update(`${jobId}:${outcome}`).digest('hex');
    files.push({ key: `${root}/results/${name}.csv`, body, taskExecutionStatus: outcome });
  }
  const manifest = JSON.stringify({
    Format: report.Format ?? 'Report_CSV_20180820',
    ReportCreationDate: createdAt.toISOString(),
    Results: files.map((f) => ({
      TaskExecutionStatus: f.taskExecutionStatus,
      Bucket: bucket,
      MD5Checksum: createHash('md5').update(f.body).digest('hex'),
      Key: f.key,
    })),
    ReportSchema: REPORT_SCHEMA,
  });
  return { bucket, manifestKey: `${root}/manifest.json`, manifest, files };
}

/** Writes the report; AWS always encrypts completion reports with SSE-S3, whatever the bucket default. */
export function writeCompletionReport(s3: S3World, report: CompletionReport): void {
  const write = (key: string, body: Buffer, contentType: string): void => {
    s3.putObject({ bucket: report.bucket, key, body: bytesBody(body), contentType, encryption: { serverSideEncryption: 'AES256' } });
  };
  for (const file of report.files) write(file.key, file.body, 'text/csv');
  write(report.manifestKey, Buffer.from(report.manifest, 'utf8'), 'application/json');
}
