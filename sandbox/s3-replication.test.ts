// Replication configuration through the SDK, and asynchronous replication of new versions with the
// SSE-KMS opt-in, the replica key and the role's key grants, as the S3 user guide documents them.
import {
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  GetBucketReplicationCommand,
  HeadObjectCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UpdateObjectEncryptionCommand,
  type ReplicationRule,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox';
import { failureOf, useSandbox } from './support/clients';

const ACCOUNT = '123456789012';
const fixture = useSandbox();
const s3 = () => fixture.clients.s3;
let counter = 0;

async function bucket(name: string, versioning: 'Enabled' | 'none' = 'Enabled'): Promise<string> {
  await s3().send(new CreateBucketCommand({ Bucket: name }));
  if (versioning === 'Enabled')
    await s3().send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  return name;
}

/** A replication role with `statements` as its inline policy. */
function role(statements: Record<string, unknown>[] = []): string {
  const roleName = `replication-${++counter}`;
  const iam = fixture.sandbox.world.iam;
  const created = iam.createRole({
    roleName,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  if (statements.length > 0) iam.putRolePolicy(roleName, 'replication', JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  return created.arn;
}

function rule(destination: string, extra: Partial<ReplicationRule> = {}): ReplicationRule {
  // The destination's ARN always comes from `destination`; `extra.Destination` adds to it.
  return {
    ID: 'all',
    Priority: 1,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    DeleteMarkerReplication: { Status: 'Disabled' },
    ...extra,
    Destination: { ...extra.Destination, Bucket: `arn:aws:s3:::${destination}` },
  };
}

async function pair(roleArn: string, extra: Partial<ReplicationRule> = {}): Promise<{ source: string; destination: string }> {
  const n = ++counter;
  const source = await bucket(`repl-src-${n}`);
  const destination = await bucket(`repl-dst-${n}`);
  await s3().send(
    new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration: { Role: roleArn, Rules: [rule(destination, extra)] } }),
  );
  return { source, destination };
}

const status = async (b: string, key: string, versionId?: string) =>
  (await s3().send(new HeadObjectCommand({ Bucket: b, Key: key, ...(versionId ? { VersionId: versionId } : {}) }))).ReplicationStatus;

async function key(): Promise<string> {
  return (await fixture.clients.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
}

const KMS_GRANTS = (sourceKey: string, replicaKey: string) => [
  { Effect: 'Allow', Action: 'kms:Decrypt', Resource: sourceKey },
  { Effect: 'Allow', Action: 'kms:Encrypt', Resource: replicaKey },
];

describe('configuration', () => {
  it('answers ReplicationConfigurationNotFoundError before a configuration is put and after it is deleted', async () => {
    const { source } = await pair(role());
    await s3().send(new DeleteBucketReplicationCommand({ Bucket: source }));
    const failure = await failureOf(s3().send(new GetBucketReplicationCommand({ Bucket: source })));
    expect([failure.name, failure.status]).toEqual(['ReplicationConfigurationNotFoundError', 404]);
  });

  it('round-trips role, rule, SSE-KMS opt-in and replica key', async () => {
    const replicaKey = await key();
    const roleArn = role();
    const { source, destination } = await pair(roleArn, {
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { Bucket: '', EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey } },
    });
    const got = (await s3().send(new GetBucketReplicationCommand({ Bucket: source }))).ReplicationConfiguration!;
    expect(got.Role).toBe(roleArn);
    expect(got.Rules).toEqual([
      {
        ID: 'all',
        Priority: 1,
        Status: 'Enabled',
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        Destination: { Bucket: `arn:aws:s3:::${destination}`, EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey } },
      },
    ]);
  });

  it.each([
    ['an unversioned source', 'source-unversioned', "Versioning must be 'Enabled' on the bucket to apply a replication configuration"],
    ['an unversioned destination', 'destination-unversioned', 'Destination bucket must have versioning enabled.'],
    ['a missing destination', 'destination-missing', 'Destination bucket must exist.'],
    [
      'SSE-KMS opt-in without a replica key',
      'no-replica-key',
      'ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.',
    ],
    [
      'a Filter without DeleteMarkerReplication',
      'no-delete-marker',
      'DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.',
    ],
  ])('refuses %s with InvalidRequest', async (_, kind, message) => {
    const n = ++counter;
    const source = await bucket(`refused-src-${n}`, kind === 'source-unversioned' ? 'none' : 'Enabled');
    const destination =
      kind === 'destination-missing'
        ? 'no-such-destination'
        : await bucket(`refused-dst-${n}`, kind === 'destination-unversioned' ? 'none' : 'Enabled');
    const extra: Partial<ReplicationRule> =
      kind === 'no-replica-key'
        ? { SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } } }
        : kind === 'no-delete-marker'
          ? { DeleteMarkerReplication: undefined }
          : {};
    const failure = await failureOf(
      s3().send(
        new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration: { Role: role(), Rules: [rule(destination, extra)] } }),
      ),
    );
    expect([failure.name, failure.status, failure.message]).toEqual(['InvalidRequest', 400, message]);
  });
});

describe('replication', () => {
  // Paused, the queue drains only when a test says so: outcomes and PENDING are deterministic.
  beforeEach(() => fixture.sandbox.world.replication.pause());
  afterEach(() => fixture.sandbox.world.replication.resume());

  it('leaves a new version PENDING until the queue drains, then COMPLETED with a REPLICA of the same version id and metadata', async () => {
    const { source, destination } = await pair(role());
    const put = await s3().send(new PutObjectCommand({ Bucket: source, Key: 'report.csv', Body: 'a,b', Metadata: { owner: 'finance' } }));
    expect(await status(source, 'report.csv')).toBe('PENDING');
    await fixture.sandbox.world.replication.drain();
    expect(await status(source, 'report.csv')).toBe('COMPLETED');
    const replica = await s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'report.csv', VersionId: put.VersionId }));
    expect([replica.ReplicationStatus, replica.Metadata, replica.ServerSideEncryption]).toEqual([
      'REPLICA',
      { owner: 'finance' },
      'AES256',
    ]);
  });

  it('does not replicate versions written before the configuration', async () => {
    const n = ++counter;
    const source = await bucket(`early-src-${n}`);
    const destination = await bucket(`early-dst-${n}`);
    await s3().send(new PutObjectCommand({ Bucket: source, Key: 'old', Body: 'x' }));
    await s3().send(
      new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration: { Role: role(), Rules: [rule(destination)] } }),
    );
    await fixture.sandbox.world.replication.drain();
    expect(await status(source, 'old')).toBeUndefined();
    expect((await failureOf(s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'old' })))).status).toBe(404);
  });

  it('does not take SSE-KMS versions under a rule without the opt-in: no status, no replica', async () => {
    const { source, destination } = await pair(role());
    await s3().send(
      new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: await key() }),
    );
    await fixture.sandbox.world.replication.drain();
    expect(await status(source, 'k')).toBeUndefined();
    expect((await failureOf(s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'k' })))).status).toBe(404);
  });

  it('encrypts an opted-in SSE-KMS replica under the replica key when the role may decrypt and encrypt', async () => {
    const [sourceKey, replicaKey] = [await key(), await key()];
    const { source, destination } = await pair(role(KMS_GRANTS(sourceKey, replicaKey)), {
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { Bucket: '', EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey } },
    });
    await s3().send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: sourceKey }));
    await fixture.sandbox.world.replication.drain();
    expect(await status(source, 'k')).toBe('COMPLETED');
    const replica = await s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'k' }));
    expect([replica.ServerSideEncryption, replica.SSEKMSKeyId, replica.ReplicationStatus]).toEqual(['aws:kms', replicaKey, 'REPLICA']);
  });

  it.each([
    ['kms:Decrypt on the source key', (s: string, r: string) => KMS_GRANTS(s, r).slice(1), 'KmsDecryptNotPermitted'],
    ['kms:Encrypt on the replica key', (s: string, r: string) => KMS_GRANTS(s, r).slice(0, 1), 'KmsEncryptNotPermitted'],
  ])('fails a version when the role lacks %s', async (_, grants, reason) => {
    const [sourceKey, replicaKey] = [await key(), await key()];
    const { source, destination } = await pair(role(grants(sourceKey, replicaKey)), {
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { Bucket: '', EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey } },
    });
    await s3().send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: sourceKey }));
    const outcomes = await fixture.sandbox.world.replication.drain();
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([['FAILED', reason]]);
    expect(await status(source, 'k')).toBe('FAILED');
    expect((await failureOf(s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'k' })))).status).toBe(404);
  });

  it('fails every version when the role does not exist', async () => {
    const { source } = await pair(`arn:aws:iam::${ACCOUNT}:role/never-created`);
    await s3().send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x' }));
    const outcomes = await fixture.sandbox.world.replication.drain();
    expect(outcomes.map((o) => o.reason)).toEqual(['AssumeRoleNotPermitted']);
  });

  it('queues nothing for UpdateObjectEncryption, which does not replicate', async () => {
    const { source, destination } = await pair(role());
    const put = await s3().send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x' }));
    await fixture.sandbox.world.replication.drain();
    await s3().send(
      new UpdateObjectEncryptionCommand({ Bucket: source, Key: 'k', ObjectEncryption: { SSEKMS: { KMSKeyArn: await key() } } }),
    );
    expect(fixture.sandbox.world.replication.pendingCount).toBe(0);
    const replica = await s3().send(new HeadObjectCommand({ Bucket: destination, Key: 'k', VersionId: put.VersionId }));
    expect(replica.ServerSideEncryption).toBe('AES256');
  });

  it('keeps the configuration across save and load, and replicates versions saved PENDING', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-replication-'));
    const replication = fixture.sandbox.world.replication;
    try {
      const { source, destination } = await pair(role());
      await s3().send(new PutObjectCommand({ Bucket: source, Key: 'k', Body: 'x' }));
      await fixture.sandbox.save(dir);
      await replication.drain();
      // Roles are not saved with the state; the reloaded world needs its own.
      const reloaded = await startSandbox({ stateDir: dir });
      try {
        const roleName = fixture.sandbox.world.s3.bucket(source).replication!.role.split('/').pop()!;
        reloaded.world.iam.createRole({ roleName });
        expect(reloaded.world.s3.bucket(source).replication).toEqual(fixture.sandbox.world.s3.bucket(source).replication);
        expect(reloaded.world.s3.version({ bucket: source, key: 'k' }).replicationStatus).toBe('PENDING');
        await reloaded.world.replication.drain();
        expect(reloaded.world.s3.version({ bucket: destination, key: 'k' }).replicationStatus).toBe('REPLICA');
      } finally {
        await reloaded.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
