// Per-task failures with S3's own codes in the completion report (over 5 GB, archived, SSE-C,
// missing version, empty VersionId, KMS throttling), the report layout, and the rule that fails a
// job once 1,000 tasks ran and more than half failed.
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { JobDescriptor } from '@aws-sdk/client-s3-control';
import { useSandbox } from '../support/clients';
import { bytesBody, seededBody } from '../s3/body';
import { internEncryption } from '../s3/encryption';
import { parseCsv } from './manifest';
import { jobInput, prepareJobs, REPORT_BUCKET, runJob, uploadCsvManifest, type ManifestRow } from './job-fixtures';

const fixture = useSandbox();
const BUCKET = 'migrate-failures';
let roleArn: string;
let keyArn: string;
const versionOf: Record<string, string> = {};

const SIX_GB = 6 * 1024 * 1024 * 1024;
const NOT_SSE = internEncryption({ status: 'NOT-SSE', bucketKeyEnabled: false });

beforeAll(() => {
  ({ roleArn } = prepareJobs(fixture.sandbox));
  const { s3, kms } = fixture.sandbox.world;
  keyArn = kms.createKey({ description: 'migration target' }).arn;
  s3.createBucket({ name: BUCKET });
  s3.setVersioning(BUCKET, 'Enabled');
  const put = (key: string, extra: Partial<Parameters<typeof s3.putObject>[0]> = {}, unencrypted = false) => {
    const written = s3.putObject({ bucket: BUCKET, key, body: bytesBody(Buffer.from(key)), ...extra });
    if (unencrypted) s3.bucket(BUCKET).replace({ ...written, encryption: NOT_SSE });
    versionOf[key] = written.versionId;
  };
  put('ok.txt', {}, true);
  put('big.bin', { body: seededBody(7, SIX_GB) }, true);
  put('archived.bin', { storageClass: 'GLACIER' }, true);
  put('customer-key.bin', { encryption: { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMd5: 'bWQ1LW9mLWN1c3RvbWVyLWtleQ==' } });
  put('unencrypted.txt', {}, true);
  put('sse-s3.txt', { encryption: { serverSideEncryption: 'AES256' } });
});

interface ReportRow {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly taskStatus: string;
  readonly httpStatusCode: string;
  readonly errorCode: string;
  readonly resultMessage: string;
}

async function readText(bucket: string, key: string): Promise<string> {
  const out = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

/** The report's manifest.json and every row of every result file it lists. */
async function completionReport(job: JobDescriptor): Promise<{
  manifest: {
    Format: string;
    ReportSchema: string;
    Results: { TaskExecutionStatus: string; Bucket: string; Key: string; MD5Checksum: string }[];
  };
  rows: ReportRow[];
}> {
  const manifest = JSON.parse(await readText(REPORT_BUCKET, `reports/job-${job.JobId}/manifest.json`));
  const rows: ReportRow[] = [];
  for (const result of manifest.Results) {
    for (const [bucket, key, versionId, taskStatus, httpStatusCode, errorCode, resultMessage] of parseCsv(
      await readText(result.Bucket, result.Key),
    )) {
      rows.push({
        bucket: bucket!,
        key: key!,
        versionId: versionId!,
        taskStatus: taskStatus!,
        httpStatusCode: httpStatusCode!,
        errorCode: errorCode!,
        resultMessage: resultMessage!,
      });
    }
  }
  return { manifest, rows };
}

const row = (key: string, versionId = versionOf[key]): ManifestRow => ({
  bucket: BUCKET,
  key,
  ...(versionId !== undefined ? { versionId } : {}),
});
const copyInPlace = () => ({
  S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${BUCKET}`, SSEAwsKmsKeyId: keyArn, BucketKeyEnabled: true },
});

describe('per-task failures in the completion report', () => {
  it('records each copy failure with S3 error code, HTTP status and message, and the success', async () => {
    const rows = [
      row('ok.txt'),
      row('big.bin'),
      row('archived.bin'),
      row('customer-key.bin'),
      row('ok.txt', 'no-such-version-id'),
      row('unencrypted.txt', ''),
    ];
    const manifest = await uploadCsvManifest(fixture.clients, 'copy-failures.csv', rows);
    const job = await runJob(fixture.sandbox, fixture.clients, jobInput(roleArn, manifest, copyInPlace()));
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 6, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 5 });

    const report = await completionReport(job);
    expect(report.manifest.Format).toBe('Report_CSV_20180820');
    expect(report.manifest.ReportSchema).toBe('Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage');
    expect(report.manifest.Results.map((r) => r.TaskExecutionStatus).sort()).toEqual(['failed', 'succeeded']);
    for (const result of report.manifest.Results)
      expect(result.Key).toMatch(new RegExp(`^reports/job-${job.JobId}/results/[0-9a-f]{40}\\.csv$`));

    const byKey = (key: string, versionId: string) => report.rows.find((r) => r.key === key && r.versionId === versionId)!;
    expect(byKey('ok.txt', versionOf['ok.txt']!)).toMatchObject({
      taskStatus: 'succeeded',
      httpStatusCode: '200',
      errorCode: '',
      resultMessage: 'Successful',
    });
    expect(byKey('big.bin', versionOf['big.bin']!)).toMatchObject({
      taskStatus: 'failed',
      httpStatusCode: '400',
      errorCode: 'InvalidRequest',
    });
    expect(byKey('big.bin', versionOf['big.bin']!).resultMessage).toContain('5368709120');
    expect(byKey('archived.bin', versionOf['archived.bin']!)).toMatchObject({
      taskStatus: 'failed',
      httpStatusCode: '403',
      errorCode: 'InvalidObjectState',
    });
    expect(byKey('customer-key.bin', versionOf['customer-key.bin']!)).toMatchObject({
      taskStatus: 'failed',
      httpStatusCode: '400',
      errorCode: 'InvalidRequest',
    });
    expect(byKey('ok.txt', 'no-such-version-id')).toMatchObject({
      taskStatus: 'failed',
      httpStatusCode: '404',
      errorCode: 'NoSuchVersion',
    });
    expect(byKey('unencrypted.txt', '')).toMatchObject({ taskStatus: 'failed', resultMessage: 'Task failed due to missing VersionId' });
  });

  it('writes only failed tasks with FailedTasksOnly, including UpdateObjectEncryption refusing NOT-SSE and SSE-C sources', async () => {
    const manifest = await uploadCsvManifest(fixture.clients, 'update-failures.csv', [
      row('sse-s3.txt'),
      row('unencrypted.txt'),
      row('customer-key.bin'),
    ]);
    const input = jobInput(roleArn, manifest, {
      S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } },
    });
    const job = await runJob(fixture.sandbox, fixture.clients, { ...input, Report: { ...input.Report!, ReportScope: 'FailedTasksOnly' } });
    const report = await completionReport(job);
    expect(report.manifest.Results.map((r) => r.TaskExecutionStatus)).toEqual(['failed']);
    expect(report.rows.map((r) => r.key).sort()).toEqual(['customer-key.bin', 'unencrypted.txt']);
    expect(report.rows.find((r) => r.key === 'unencrypted.txt')).toMatchObject({ errorCode: 'InvalidRequest', httpStatusCode: '400' });
    expect(report.rows.find((r) => r.key === 'unencrypted.txt')!.resultMessage).toMatch(/unencrypted source objects/);
    expect(report.rows.find((r) => r.key === 'customer-key.bin')!.resultMessage).toMatch(/DSSE-KMS or SSE-C/);
  });

  it('fails KMS-using tasks with 503 SlowDown while fault injection throttles KMS', async () => {
    fixture.sandbox.faults.configure({ rules: [{ service: 'kms', throttleRate: 1 }] });
    try {
      const manifest = await uploadCsvManifest(fixture.clients, 'throttled.csv', [row('sse-s3.txt')]);
      const job = await runJob(
        fixture.sandbox,
        fixture.clients,
        jobInput(roleArn, manifest, { S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn } } } }),
      );
      const report = await completionReport(job);
      expect(report.rows).toEqual([
        expect.objectContaining({ key: 'sse-s3.txt', taskStatus: 'failed', httpStatusCode: '503', errorCode: 'SlowDown' }),
      ]);
    } finally {
      fixture.sandbox.faults.clear();
    }
  });

  it('encrypts completion reports with SSE-S3, as AWS always does', async () => {
    const manifest = await uploadCsvManifest(fixture.clients, 'report-encryption.csv', [row('ok.txt', 'missing')]);
    const job = await runJob(fixture.sandbox, fixture.clients, jobInput(roleArn, manifest, copyInPlace()));
    const head = await fixture.clients.s3.send(
      new HeadObjectCommand({ Bucket: REPORT_BUCKET, Key: `reports/job-${job.JobId}/manifest.json` }),
    );
    expect(head.ServerSideEncryption).toBe('AES256');
  });
});

describe('the failure threshold', () => {
  const BULK = 'migrate-threshold';

  beforeAll(() => {
    const s3 = fixture.sandbox.world.s3;
    s3.createBucket({ name: BULK });
    for (let i = 0; i < 1200; i++) {
      // Every sixth object is SSE-S3 and updates; the rest are unencrypted, which UpdateObjectEncryption refuses.
      const written = s3.putObject({
        bucket: BULK,
        key: `obj-${String(i).padStart(4, '0')}`,
        body: seededBody(i, 10),
        encryption: { serverSideEncryption: 'AES256' },
      });
      if (i % 6 !== 0) s3.bucket(BULK).replace({ ...written, encryption: NOT_SSE });
    }
  });

  const bulkRows = (): ManifestRow[] =>
    Array.from({ length: 1200 }, (_, i) => ({ bucket: BULK, key: `obj-${String(i).padStart(4, '0')}`, versionId: 'null' }));
  const update = () => ({ S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } } });

  it('fails a job once 1,000 tasks ran and more than half of them failed, and still writes its report', async () => {
    const manifest = await uploadCsvManifest(fixture.clients, 'mostly-failing.csv', bulkRows());
    const job = await runJob(fixture.sandbox, fixture.clients, jobInput(roleArn, manifest, update()));
    expect(job.Status).toBe('Failed');
    const ran = job.ProgressSummary!.NumberOfTasksSucceeded! + job.ProgressSummary!.NumberOfTasksFailed!;
    expect(ran).toBe(1000);
    expect(job.ProgressSummary!.NumberOfTasksFailed! * 2).toBeGreaterThan(ran);
    expect(job.FailureReasons).toEqual([expect.objectContaining({ FailureCode: 'TaskFailureThresholdExceeded' })]);
    expect(job.FailureReasons![0]!.FailureReason).toMatch(/50%/);
    expect((await completionReport(job)).rows).toHaveLength(1000);
  });

  it('completes a job of 1,200 tasks whose failures stay at exactly half', async () => {
    const all = bulkRows();
    const succeeding = [0, 1, 2].flatMap(() => all.filter((_, i) => i % 6 === 0));
    const failing = all.filter((_, i) => i % 6 >= 1 && i % 6 <= 3);
    // Interleaved success first: failures never exceed half at any point, and end at exactly half.
    const rows = failing.flatMap((f, i) => [succeeding[i]!, f]);
    const manifest = await uploadCsvManifest(fixture.clients, 'half-failing.csv', rows);
    const job = await runJob(fixture.sandbox, fixture.clients, jobInput(roleArn, manifest, update()));
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 1200, NumberOfTasksSucceeded: 600, NumberOfTasksFailed: 600 });
  });
});
