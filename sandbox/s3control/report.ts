// The completion report as Batch Operations writes it: `<prefix>/job-<id>/results/<sha1>.csv`
// per task outcome plus `<prefix>/job-<id>/manifest.json` listing them, written into the S3 world.
import { createHash } from 'node:crypto';
import { bytesBody, DeflatedBodyWriter } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import type { S3World } from '../s3/world';
import { bucketNameOf } from './manifest';
import type { JobReport, TaskResult } from './model';

/** The schema line AWS puts in manifest.json (its rows put HTTPStatusCode before ErrorCode). */
export const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

type Outcome = 'succeeded' | 'failed';

export interface ReportFile {
  readonly key: string;
  /** Kept deflated: a report of ten million tasks is a gigabyte of CSV. */
  readonly body: ObjectBody & { kind: 'deflated' };
  readonly taskExecutionStatus: Outcome;
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

// Rows are joined, encoded and deflated this many at a time: a million-task report never exists
// as a million separate strings, nor as one uncompressed buffer.
const ROWS_PER_CHUNK = 10_000;

/** Results between two yields of a report being built: a tick's worth of rows at most. */
const ROWS_PER_STEP = 4096;

export function buildCompletionReport(
  jobId: string,
  report: JobReport,
  results: Iterable<TaskResult>,
  createdAt: Date,
): CompletionReport | undefined {
  const steps = completionReportSteps(jobId, report, results, createdAt);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Builds the report in steps: it yields every few thousand results, so a job with millions of
 * tasks writes its report over many ticks and the service answers requests meanwhile. One pass
 * over the results fills both result files.
 */
export function* completionReportSteps(
  jobId: string,
  report: JobReport,
  results: Iterable<TaskResult>,
  createdAt: Date,
): Generator<void, CompletionReport | undefined> {
  if (!report.Enabled || report.Bucket === undefined) return undefined;
  const bucket = bucketNameOf(report.Bucket) ?? report.Bucket;
  const root = `${report.Prefix ? `${report.Prefix.replace(/\/+$/, '')}/` : ''}job-${jobId}`;
  const outcomes: Outcome[] = report.ReportScope === 'FailedTasksOnly' ? ['failed'] : ['succeeded', 'failed'];
  const bodies = new Map(outcomes.map((o) => [o, { writer: new DeflatedBodyWriter(), lines: [] as string[] }]));
  let sinceYield = 0;
  for (const result of results) {
    const body = bodies.get(result.succeeded ? 'succeeded' : 'failed');
    if (body) {
      body.lines.push(`${reportRow(result)}\n`);
      if (body.lines.length === ROWS_PER_CHUNK) {
        body.writer.add(Buffer.from(body.lines.join(''), 'utf8'));
        body.lines = [];
      }
    }
    if (++sinceYield === ROWS_PER_STEP) {
      sinceYield = 0;
      yield;
    }
  }
  const files: ReportFile[] = [];
  for (const outcome of outcomes) {
    const { writer, lines } = bodies.get(outcome)!;
    writer.add(Buffer.from(lines.join(''), 'utf8'));
    const body = writer.finish();
    if (body.size === 0) continue;
    const name = createHash('sha1').update(`${jobId}:${outcome}`).digest('hex');
    files.push({ key: `${root}/results/${name}.csv`, body, taskExecutionStatus: outcome });
  }
  const manifest = JSON.stringify({
    Format: report.Format ?? 'Report_CSV_20180820',
    ReportCreationDate: createdAt.toISOString(),
    Results: files.map((f) => ({
      TaskExecutionStatus: f.taskExecutionStatus,
      Bucket: bucket,
      MD5Checksum: f.body.md5,
      Key: f.key,
    })),
    ReportSchema: REPORT_SCHEMA,
  });
  return { bucket, manifestKey: `${root}/manifest.json`, manifest, files };
}

/** Writes the report; AWS always encrypts completion reports with SSE-S3, whatever the bucket default. */
export function writeCompletionReport(s3: S3World, report: CompletionReport): void {
  const write = (key: string, body: ObjectBody, contentType: string): void => {
    s3.putObject({ bucket: report.bucket, key, body, contentType, encryption: { serverSideEncryption: 'AES256' } });
  };
  for (const file of report.files) write(file.key, file.body, 'text/csv');
  write(report.manifestKey, bytesBody(Buffer.from(report.manifest, 'utf8')), 'application/json');
}
