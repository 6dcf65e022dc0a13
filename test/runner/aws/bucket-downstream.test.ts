// The replication and notification reads: a configuration becomes the core's rules and destinations; a refusal is "cannot tell", never "none".
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readNotifications, readReplication, sampleReplicaStatus } from '../../../runner/aws/bucket-downstream';
import { clientsFor } from '../../../rehearsal/clients';
import { startSandbox, type Sandbox } from '../../../sandbox';
import type { AwsClients } from '../../../runner/aws/clients';

/**
 * A narrow stand-in for the two S3 calls, as `send` answers them: the S3 wire format is the SDK's
 * to parse, and this tests only what the adapter makes of the parsed answer. Other calls fail.
 */
function stubbedS3(answer: { replication?: unknown; notifications?: unknown; error?: { name: string } }): Pick<AwsClients, 's3'> {
  const send = (command: unknown) => {
    if (answer.error) return Promise.reject(Object.assign(new Error(answer.error.name), answer.error));
    if (command instanceof GetBucketReplicationCommand) return Promise.resolve(answer.replication);
    if (command instanceof GetBucketNotificationConfigurationCommand) return Promise.resolve(answer.notifications);
    return Promise.reject(new Error('not stubbed'));
  };
  return { s3: { send } as unknown as S3Client };
}

describe('readReplication', () => {
  it('turns every rule form into the core rule: V2 filter prefix, And with tags, V1 rule prefix, opt-in, replica key', async () => {
    const read = await readReplication(
      stubbedS3({
        replication: {
          ReplicationConfiguration: {
            Role: 'arn:aws:iam::111122223333:role/s3-replication',
            Rules: [
              {
                ID: 'to-dr',
                Status: 'Enabled',
                Filter: { Prefix: 'photos/' },
                DeleteMarkerReplication: { Status: 'Enabled' },
                SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
                Destination: {
                  Bucket: 'arn:aws:s3:::media-dr',
                  Account: '444455556666',
                  EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:444455556666:key/k' },
                },
              },
              {
                Status: 'Disabled',
                Filter: { And: { Prefix: 'raw/', Tags: [{ Key: 'replicate', Value: 'yes' }] } },
                Destination: { Bucket: 'arn:aws:s3:::analytics' },
              },
              { ID: 'v1', Status: 'Enabled', Prefix: 'logs/', Destination: { Bucket: 'arn:aws:s3:::logs' } },
            ],
          },
        },
      }),
      'media-prod',
    );
    expect(read).toEqual({
      value: {
        role: 'arn:aws:iam::111122223333:role/s3-replication',
        rules: [
          {
            id: 'to-dr',
            enabled: true,
            prefix: 'photos/',
            tags: [],
            deleteMarkerReplication: true,
            sseKmsOptIn: true,
            destinationBucket: 'arn:aws:s3:::media-dr',
            destinationAccount: '444455556666',
            replicaKmsKeyId: 'arn:aws:kms:eu-west-1:444455556666:key/k',
          },
          {
            id: 'rule 2',
            enabled: false,
            prefix: 'raw/',
            tags: ['replicate=yes'],
            deleteMarkerReplication: false,
            sseKmsOptIn: false,
            destinationBucket: 'arn:aws:s3:::analytics',
          },
          {
            id: 'v1',
            enabled: true,
            prefix: 'logs/',
            tags: [],
            deleteMarkerReplication: false,
            sseKmsOptIn: false,
            destinationBucket: 'arn:aws:s3:::logs',
          },
        ],
      },
    });
  });

  it('reads ReplicationConfigurationNotFoundError as no configuration', async () => {
    expect(await readReplication(stubbedS3({ error: { name: 'ReplicationConfigurationNotFoundError' } }), 'b')).toEqual({ none: true });
  });

  it('reads AccessDenied as cannot tell, naming the permission the runner lacks', async () => {
    expect(await readReplication(stubbedS3({ error: { name: 'AccessDenied' } }), 'b')).toEqual({
      cannotTell:
        "GetBucketReplication on b was refused (AccessDenied): give the runner's role s3:GetReplicationConfiguration on the bucket",
    });
  });
});

describe('readNotifications', () => {
  it('turns topic, queue, function and EventBridge configurations into destinations with their events and key filters', async () => {
    const read = await readNotifications(
      stubbedS3({
        notifications: {
          TopicConfigurations: [
            { Id: 'uploads', TopicArn: 'arn:aws:sns:us-east-1:111122223333:uploads', Events: ['s3:ObjectCreated:Put'] },
          ],
          QueueConfigurations: [
            {
              QueueArn: 'arn:aws:sqs:us-east-1:111122223333:ingest',
              Events: ['s3:ObjectCreated:*'],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: 'Prefix', Value: 'in/' },
                    { Name: 'suffix', Value: '.csv' },
                  ],
                },
              },
            },
          ],
          LambdaFunctionConfigurations: [
            { LambdaFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:thumbnails', Events: ['s3:ObjectCreated:Copy'] },
          ],
          EventBridgeConfiguration: {},
        },
      }),
      'b',
    );
    expect(read).toEqual({
      value: [
        {
          kind: 'topic',
          arn: 'arn:aws:sns:us-east-1:111122223333:uploads',
          id: 'uploads',
          events: ['s3:ObjectCreated:Put'],
          prefix: '',
          suffix: '',
        },
        { kind: 'queue', arn: 'arn:aws:sqs:us-east-1:111122223333:ingest', events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.csv' },
        {
          kind: 'lambda',
          arn: 'arn:aws:lambda:us-east-1:111122223333:function:thumbnails',
          events: ['s3:ObjectCreated:Copy'],
          prefix: '',
          suffix: '',
        },
        { kind: 'eventbridge', arn: 'eventbridge', events: ['*'], prefix: '', suffix: '' },
      ],
    });
  });

  it('reads an empty configuration as none', async () => {
    expect(await readNotifications(stubbedS3({ notifications: {} }), 'b')).toEqual({ none: true });
  });

  it('reads AccessDenied as cannot tell, naming the permission the runner lacks', async () => {
    expect(await readNotifications(stubbedS3({ error: { name: 'AccessDenied' } }), 'b')).toEqual({
      cannotTell:
        "GetBucketNotificationConfiguration on b was refused (AccessDenied): give the runner's role s3:GetBucketNotification on the bucket",
    });
  });
});

describe('an endpoint that does not implement the calls (NotImplemented, as some emulators answer)', () => {
  it('reads NotImplemented as cannot tell, marked unsupported, never as none', async () => {
    const unimplemented = stubbedS3({ error: { name: 'NotImplemented' } });
    expect(await readReplication(unimplemented, 'media-prod')).toEqual({
      cannotTell: expect.stringContaining('does not implement it (NotImplemented)'),
      unsupported: true,
    });
    expect(await readNotifications(unimplemented, 'media-prod')).toEqual({
      cannotTell: expect.stringContaining('does not implement it (NotImplemented)'),
      unsupported: true,
    });
  });
});

// The sandbox models both configurations: what the adapter reads from its wire answers.
describe('against the sandbox', () => {
  let sandbox: Sandbox;
  let clients: AwsClients;
  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: {
        seed: 7,
        buckets: [
          { name: 'media-prod', versions: 6, versioning: 'Enabled' },
          { name: 'media-dr', versions: 1, versioning: 'Enabled' },
          { name: 'media-plain', versions: 2, versioning: 'Enabled' },
        ],
      },
    });
    clients = clientsFor(sandbox.endpoint);
    await clients.s3.send(
      new PutBucketReplicationCommand({
        Bucket: 'media-prod',
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::123456789012:role/s3-replication',
          Rules: [
            {
              ID: 'to-dr',
              Priority: 1,
              Status: 'Enabled',
              Filter: { Prefix: 'photos/' },
              DeleteMarkerReplication: { Status: 'Disabled' },
              Destination: { Bucket: 'arn:aws:s3:::media-dr' },
            },
          ],
        },
      }),
    );
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'media-prod',
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'ingest',
              QueueArn: 'arn:aws:sqs:us-east-1:123456789012:ingest',
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'photos/' }] } },
            },
          ],
        },
      }),
    );
  });
  afterAll(async () => {
    clients?.destroy();
    await sandbox?.stop();
  });

  it('reads the replication rule and the queue as configured', async () => {
    expect(await readReplication(clients, 'media-prod')).toEqual({
      value: {
        role: 'arn:aws:iam::123456789012:role/s3-replication',
        rules: [
          expect.objectContaining({
            id: 'to-dr',
            enabled: true,
            prefix: 'photos/',
            sseKmsOptIn: false,
            destinationBucket: 'arn:aws:s3:::media-dr',
          }),
        ],
      },
    });
    expect(await readNotifications(clients, 'media-prod')).toEqual({
      value: [
        expect.objectContaining({
          kind: 'queue',
          arn: 'arn:aws:sqs:us-east-1:123456789012:ingest',
          events: ['s3:ObjectCreated:*'],
          prefix: 'photos/',
          suffix: '',
        }),
      ],
    });
  });

  it('reads a bucket without either configuration as none', async () => {
    expect(await readReplication(clients, 'media-plain')).toEqual({ none: true });
    expect(await readNotifications(clients, 'media-plain')).toEqual({ none: true });
  });

  it('samples versions for the replication status S3 sets on replicas: none in a bucket nothing replicates into', async () => {
    expect(await sampleReplicaStatus(clients, 'media-prod', '', 4)).toEqual({ sampled: 4, replicas: 0 });
  });
});
