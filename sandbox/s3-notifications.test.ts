// Event notification configuration through the SDK, and the event log every write fills.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UpdateObjectEncryptionCommand,
  UploadPartCommand,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox';
import { failureOf, useSandbox } from './support/clients';

const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:thumbnails';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:audit';
let counter = 0;

async function bucketWith(config: NotificationConfiguration, versioned = true): Promise<string> {
  const bucket = `notified-${++counter}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioned) await s3().send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: config }));
  return bucket;
}

const eventsOf = (bucket: string) => fixture.sandbox.world.events.events({ bucket }).map((e) => [e.eventName, e.destinationArn, e.key]);

describe('configuration', () => {
  it('answers an empty configuration for a bucket that has none', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'never-configured' }));
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket: 'never-configured' }));
    expect(got.LambdaFunctionConfigurations ?? []).toEqual([]);
    expect(got.EventBridgeConfiguration).toBeUndefined();
  });

  it('round-trips Lambda, SQS, key filters and EventBridge', async () => {
    const bucket = await bucketWith({
      LambdaFunctionConfigurations: [
        {
          Id: 'thumbs',
          LambdaFunctionArn: LAMBDA,
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'images/' },
                { Name: 'suffix', Value: '.jpg' },
              ],
            },
          },
        },
      ],
      QueueConfigurations: [{ Id: 'audit', QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] }],
      EventBridgeConfiguration: {},
    });
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(got.LambdaFunctionConfigurations).toEqual([
      {
        Id: 'thumbs',
        LambdaFunctionArn: LAMBDA,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'Prefix', Value: 'images/' },
              { Name: 'Suffix', Value: '.jpg' },
            ],
          },
        },
      },
    ]);
    expect(got.QueueConfigurations).toEqual([{ Id: 'audit', QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] }]);
    expect(got.EventBridgeConfiguration).toEqual({});
  });

  it('refuses an event name S3 does not know', async () => {
    const failure = await failureOf(
      bucketWith({ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:Rename' as 's3:ObjectCreated:Put'] }] }),
    );
    expect([failure.name, failure.status]).toEqual(['InvalidArgument', 400]);
  });

  it('refuses an ARN of the wrong service', async () => {
    const failure = await failureOf(bucketWith({ QueueConfigurations: [{ QueueArn: LAMBDA, Events: ['s3:ObjectCreated:Put'] }] }));
    expect([failure.name, failure.message]).toEqual(['InvalidArgument', 'The ARN is not well formed']);
  });

  it('refuses overlapping key filters for the same event type, even to different destinations', async () => {
    const failure = await failureOf(
      bucketWith({
        LambdaFunctionConfigurations: [
          {
            LambdaFunctionArn: LAMBDA,
            Events: ['s3:ObjectCreated:Put'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } },
          },
        ],
        QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectCreated:*'] }],
      }),
    );
    expect([failure.name, failure.message]).toEqual([
      'InvalidArgument',
      'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
    ]);
  });

  it('accepts the same event type with disjoint prefixes', async () => {
    await bucketWith({
      LambdaFunctionConfigurations: [
        {
          LambdaFunctionArn: LAMBDA,
          Events: ['s3:ObjectCreated:Put'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } },
        },
      ],
      QueueConfigurations: [
        { QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/' }] } } },
      ],
    });
  });
});

describe('event log', () => {
  it('records one event per matching destination, EventBridge included', async () => {
    const bucket = await bucketWith({
      LambdaFunctionConfigurations: [{ LambdaFunctionArn: LAMBDA, Events: ['s3:ObjectCreated:*'] }],
      EventBridgeConfiguration: {},
    });
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }));
    const events = fixture.sandbox.world.events.events({ bucket });
    expect(events.map((e) => [e.eventName, e.destinationKind, e.destinationArn, e.key, e.versionId])).toEqual([
      ['s3:ObjectCreated:Put', 'LambdaFunction', LAMBDA, 'a.txt', put.VersionId],
      ['s3:ObjectCreated:Put', 'EventBridge', 'arn:aws:events:us-east-1:123456789012:event-bus/default', 'a.txt', put.VersionId],
    ]);
  });

  it('fires Copy for CopyObject and CompleteMultipartUpload for a completed upload', async () => {
    const bucket = await bucketWith({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: LAMBDA, Events: ['s3:ObjectCreated:*'] }] });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'a' }));
    await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'src', CopySource: `${bucket}/src`, MetadataDirective: 'REPLACE' }));
    const upload = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
    const part = await s3().send(
      new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId: upload.UploadId, PartNumber: 1, Body: 'x' }),
    );
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect(eventsOf(bucket).map(([name, , key]) => [name, key])).toEqual([
      ['s3:ObjectCreated:Put', 'src'],
      ['s3:ObjectCreated:Copy', 'src'],
      ['s3:ObjectCreated:CompleteMultipartUpload', 'big'],
    ]);
  });

  it('honours key filters', async () => {
    const bucket = await bucketWith({
      LambdaFunctionConfigurations: [
        {
          LambdaFunctionArn: LAMBDA,
          Events: ['s3:ObjectCreated:Put'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'images/' },
                { Name: 'suffix', Value: '.jpg' },
              ],
            },
          },
        },
      ],
    });
    for (const key of ['images/a.jpg', 'images/a.png', 'docs/a.jpg'])
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    expect(eventsOf(bucket).map(([, , key]) => key)).toEqual(['images/a.jpg']);
  });

  it('fires DeleteMarkerCreated for a delete without a version id and Delete for a version delete', async () => {
    const bucket = await bucketWith({ QueueConfigurations: [{ QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*', 's3:ObjectTagging:*'] }] });
    const put = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    await s3().send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId }));
    expect(eventsOf(bucket).map(([name]) => name)).toEqual([
      's3:ObjectTagging:Put',
      's3:ObjectRemoved:DeleteMarkerCreated',
      's3:ObjectRemoved:Delete',
    ]);
  });

  it('fires nothing for UpdateObjectEncryption, which has no documented event type', async () => {
    const bucket = await bucketWith({ EventBridgeConfiguration: {} });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const key = await fixture.clients.kms.send(new CreateKeyCommand({}));
    await s3().send(
      new UpdateObjectEncryptionCommand({ Bucket: bucket, Key: 'k', ObjectEncryption: { SSEKMS: { KMSKeyArn: key.KeyMetadata!.Arn! } } }),
    );
    expect(eventsOf(bucket).map(([name]) => name)).toEqual(['s3:ObjectCreated:Put']);
  });

  it('fires Copy for a copy through the world, the call Batch Operations copy tasks make', () => {
    const world = fixture.sandbox.world;
    const bucket = 'notified-batch';
    world.s3.createBucket({ name: bucket });
    world.s3.putNotification(bucket, {
      destinations: [{ kind: 'LambdaFunction', id: 'l', arn: LAMBDA, events: ['s3:ObjectCreated:Copy'], filter: {} }],
      eventBridge: false,
    });
    world.s3.putObject({ bucket, key: 'k', body: { kind: 'bytes', data: Buffer.from('x') } });
    world.s3.copyObject({ source: { bucket, key: 'k' }, bucket, key: 'k', metadataDirective: 'REPLACE' });
    expect(eventsOf(bucket)).toEqual([['s3:ObjectCreated:Copy', LAMBDA, 'k']]);
  });

  it('keeps the configuration and the log across save and load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-events-'));
    try {
      const bucket = await bucketWith({
        LambdaFunctionConfigurations: [{ Id: 'kept', LambdaFunctionArn: LAMBDA, Events: ['s3:ObjectCreated:*'] }],
      });
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      await fixture.sandbox.save(dir);
      const reloaded = await startSandbox({ stateDir: dir });
      try {
        expect(reloaded.world.events.events({ bucket })).toEqual(fixture.sandbox.world.events.events({ bucket }));
        expect(reloaded.world.s3.bucket(bucket).notification.destinations.map((d) => d.id)).toEqual(['kept']);
      } finally {
        await reloaded.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
