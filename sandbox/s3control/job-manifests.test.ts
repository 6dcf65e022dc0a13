// Jobs fed by an S3 Inventory report (S3InventoryReport_CSV_20161130) and by the manifest
// generator's encryption filter, restore jobs, and DescribeJob echoing the request's shapes.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { produceInventory } from '../inventory/producer';
import { bytesBody } from '../s3/body';
import { configureInventory, INVENTORY_BUCKET, INVENTORY_CONFIG_ID, REPORT_AT, SEED, SOURCE_BUCKET } from '../support/inventory-fixture';
import { useSandbox } from '../support/clients';
import { ACCOUNT_ID, jobInput, prepareJobs, runJob, uploadCsvManifest } from './job-fixtures';

const fixture = useSandbox({ seed: SEED });
let roleArn: string;
let keyArn: string;

beforeAll(async () => {
  ({ roleArn } = prepareJobs(fixture.sandbox));
  keyArn = fixture.sandbox.world.kms.createKey({ description: 'migration target' }).arn;
  await configureInventory(fixture.clients);
});

describe('an inventory-format manifest', () => {
  it('runs one task per inventory row and updates every SSE-S3 and SSE-KMS version it lists', async () => {
    const s3 = fixture.sandbox.world.s3;
    const produced = await produceInventory(fixture.sandbox.world, {
      bucket: SOURCE_BUCKET,
      configId: INVENTORY_CONFIG_ID,
      at: REPORT_AT,
      maxRowsPerFile: 500,
    });
    const updatable = [...s3.versions(SOURCE_BUCKET)].filter(
      ({ version }) => !version.isDeleteMarker && (version.encryption.status === 'SSE-S3' || version.encryption.status === 'SSE-KMS'),
    );
    const head = await fixture.clients.s3.send(new HeadObjectCommand({ Bucket: INVENTORY_BUCKET, Key: produced.manifestKey }));
    const job = await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(
        roleArn,
        {
          Spec: { Format: 'S3InventoryReport_CSV_20161130' },
          Location: { ObjectArn: `arn:aws:s3:::${INVENTORY_BUCKET}/${produced.manifestKey}`, ETag: head.ETag! },
        },
        { S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } } },
      ),
    );
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: produced.rows, NumberOfTasksSucceeded: updatable.length });
    for (const { version } of updatable) {
      const now = s3.version({ bucket: SOURCE_BUCKET, key: version.key, versionId: version.versionId });
      expect(now.encryption).toMatchObject({ status: 'SSE-KMS', kmsKeyArn: keyArn, bucketKeyEnabled: true });
    }
  });
});

describe('the manifest generator', () => {
  it('acts only on current versions matching MatchAnyObjectEncryption, and DescribeJob echoes the generator', async () => {
    const s3 = fixture.sandbox.world.s3;
    const bucket = 'generator-source';
    s3.createBucket({ name: bucket });
    s3.putObject({ bucket, key: 'sse-s3', body: bytesBody(Buffer.from('a')), encryption: { serverSideEncryption: 'AES256' } });
    s3.putObject({
      bucket,
      key: 'already-compliant',
      body: bytesBody(Buffer.from('b')),
      encryption: { serverSideEncryption: 'aws:kms', kmsKeyId: keyArn, bucketKeyEnabled: true },
    });
    const input = jobInput(roleArn, undefined, {
      S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } },
    });
    const generator = {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${bucket}`,
        EnableManifestOutput: false,
        Filter: {
          MatchAnyObjectEncryption: [{ SSES3: {} }, { SSEKMS: { KmsKeyArn: keyArn, BucketKeyEnabled: false } }],
          MatchAnyStorageClass: ['STANDARD' as const],
        },
      },
    };
    const job = await runJob(fixture.sandbox, fixture.clients, { ...input, ManifestGenerator: generator });
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({ TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 1 });
    expect(s3.version({ bucket, key: 'sse-s3' }).encryption).toMatchObject({ status: 'SSE-KMS', kmsKeyArn: keyArn });
    expect(job.ManifestGenerator).toEqual(generator);
  });
});

describe('restore jobs and the wire shapes', () => {
  it('restores archived versions so a following copy job succeeds on them', async () => {
    const s3 = fixture.sandbox.world.s3;
    const bucket = 'restore-source';
    s3.createBucket({ name: bucket });
    const archived = s3.putObject({ bucket, key: 'cold/object.bin', body: bytesBody(Buffer.from('cold')), storageClass: 'GLACIER' });
    const rows = [{ bucket, key: archived.key, versionId: archived.versionId }];
    const restore = await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, await uploadCsvManifest(fixture.clients, 'restore.csv', rows), {
        S3InitiateRestoreObject: { ExpirationInDays: 2, GlacierJobTier: 'BULK' },
      }),
    );
    expect(restore.ProgressSummary).toMatchObject({ NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 });
    const headed = await fixture.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: archived.key }));
    expect(headed.Restore).toMatch(/ongoing-request="false"/);
    const copy = await runJob(
      fixture.sandbox,
      fixture.clients,
      jobInput(roleArn, await uploadCsvManifest(fixture.clients, 'after-restore.csv', rows), {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${bucket}`,
          SSEAwsKmsKeyId: keyArn,
          BucketKeyEnabled: true,
          StorageClass: 'GLACIER',
        },
      }),
    );
    expect(copy.ProgressSummary).toMatchObject({ NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 });
  });

  it('echoes Operation, Manifest and Report in DescribeJob as CreateJob sent them', async () => {
    const manifest = await uploadCsvManifest(fixture.clients, 'echo.csv', [{ bucket: SOURCE_BUCKET, key: 'x', versionId: 'null' }]);
    const operation = {
      S3PutObjectCopy: {
        TargetResource: `arn:aws:s3:::${SOURCE_BUCKET}`,
        SSEAwsKmsKeyId: keyArn,
        BucketKeyEnabled: true,
        StorageClass: 'STANDARD_IA' as const,
        MetadataDirective: 'REPLACE' as const,
        NewObjectMetadata: { ContentType: 'text/csv', UserMetadata: { owner: 'data team', 'cost-centre': '42' } },
        NewObjectTagging: [{ Key: 'migrated', Value: 'true' }],
        ObjectLockLegalHoldStatus: 'OFF' as const,
      },
    };
    const input = { ...jobInput(roleArn, manifest, operation), ConfirmationRequired: true, Description: 'copy in place & <check> echo' };
    const { JobId } = await fixture.clients.s3Control.send(new CreateJobCommand(input));
    await fixture.sandbox.batchOperations.waitForStatus(JobId!, 'Suspended', { timeoutMs: 5000 });
    const { Job } = await fixture.clients.s3Control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId }));
    expect(Job!.Operation).toEqual(operation);
    expect(Job!.Manifest).toEqual(manifest);
    expect(Job!.Report).toEqual(input.Report);
    expect(Job!.Description).toBe(input.Description);
    expect(Job!.JobArn).toBe(`arn:aws:s3:us-east-1:${ACCOUNT_ID}:job/${JobId}`);
    expect(Job!.SuspendedCause).toBe('AwaitingConfirmation');
    expect(Job!.CreationTime).toBeInstanceOf(Date);
  });
});
