// Before anything is written, the runner reads each bucket's replication rules and event destinations:
// plan names them with what the migration sets off, and run refuses (exit 20, nothing written) while a
// rule would stop replicating or a destination the config does not accept would receive events. Once
// the rule opts in with a replica key, the role is granted and the function accepted, the migration's
// new versions arrive at the destination under the replica key, and the function receives exactly
// the Copy events the plan predicted. All of it on the sandbox, which models replication and event
// notifications (sandbox/README.md).
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type ReplicationConfiguration,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import type { SeedBucketSpec } from '../../sandbox';
import { runCli, type CliResult } from './support/cli';
import { recordsOf } from './support/runner-output';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const ACCOUNT = '123456789012';
const BUCKET = 'demo-app-assets';
const DR_BUCKET = 'demo-app-assets-dr';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-replication`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:thumbnails`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:deletions`;
const SETUP_TIMEOUT_MS = 240_000;
const SPEC: SeedBucketSpec = { name: BUCKET, versions: 60, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } };

const lines = (r: CliResult) => recordsOf(r.stdout);

interface DownstreamLine {
  bucket: string;
  blocking: number;
  replication: {
    rules: { rule: string; verdict: string; fix?: string }[];
    replicated?: { versions: number; destinations: number; cost: { item: string }[] };
  };
  notifications: { reached: { arn: string; events?: Record<string, number>; total?: number; bound: string; accepted: boolean }[] };
}

const downstreamOf = (r: CliResult) => lines(r).find((l) => l.type === 'bucket-downstream') as unknown as DownstreamLine;

/** The copies a bucket plan line makes: what fires s3:ObjectCreated:Copy and replicates. */
function copiesOf(r: CliResult): number {
  const plan = lines(r).find((l) => l.type === 'bucket-plan') as unknown as { byAction: Record<string, { versions: number } | undefined> };
  return ['copy', 'copy-locked', 'needs-restore'].reduce((n, a) => n + (plan.byAction[a]?.versions ?? 0), 0);
}

/**
 * What the account holds besides the migrated bucket: the replication role, a versioned disaster-recovery bucket with its
 * own replica key (whose policy lets the replication role encrypt), the bucket's replication rule to
 * it, and its event notifications: a Lambda function on every created object, a queue on removals.
 */
async function configureDownstream(world: MigrationWorld, optIn: boolean): Promise<{ replicaKeyArn: string }> {
  const { s3, kms } = world.clients;
  // The role S3 assumes to replicate (IAM has no wire API in the sandbox: created in its world).
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  world.sandbox.world.iam.createRole({ roleName: ROLE.split('/').pop()!, assumeRolePolicyDocument: JSON.stringify(trust) });
  await s3.send(new CreateBucketCommand({ Bucket: DR_BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: DR_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountRoot', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'ReplicationEncrypts',
        Effect: 'Allow',
        Principal: { AWS: ROLE },
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: '*',
      },
    ],
  };
  const key = await kms.send(new CreateKeyCommand({ Description: 'replica key of the DR bucket', Policy: JSON.stringify(policy) }));
  const replicaKeyArn = key.KeyMetadata!.Arn!;
  const replication: ReplicationConfiguration = {
    Role: ROLE,
    Rules: [
      {
        ID: 'to-dr',
        Priority: 1,
        Status: 'Enabled',
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        ...(optIn ? { SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } } } : {}),
        Destination: {
          Bucket: `arn:aws:s3:::${DR_BUCKET}`,
          ...(optIn ? { EncryptionConfiguration: { ReplicaKmsKeyID: replicaKeyArn } } : {}),
        },
      },
    ],
  };
  await s3.send(new PutBucketReplicationCommand({ Bucket: BUCKET, ReplicationConfiguration: replication }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [{ Id: 'thumbnails', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }],
        QueueConfigurations: [{ Id: 'deletions', QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'] }],
      },
    }),
  );
  return { replicaKeyArn };
}

describe('a bucket whose replication rule lacks the SSE-KMS opt-in and whose Lambda function takes every created object', () => {
  let world: MigrationWorld;
  let plan: CliResult;
  let listingPlan: CliResult;
  let direct: CliResult;
  let batch: CliResult;
  let status: CliResult;
  let report: CliResult;
  let before: number;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    await configureDownstream(world, false);
    await world.deliverInventory();
    before = [...world.sandbox.world.s3.versions(BUCKET)].length;
    plan = await runCli(world, ['plan']);
    listingPlan = await runCli(world, ['plan', '--from-listing']);
    direct = await runCli(world, ['run', '--engine', 'direct']);
    batch = await runCli(world, ['run']);
    status = await runCli(world, ['status']);
    report = await runCli(world, ['report', '--format', 'json']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('is planned: the rule refused with what to change, the function named with as many Copy events as the plan copies, the removals queue left out', () => {
    expect(plan.code).toBe(0);
    const d = downstreamOf(plan);
    expect(d.replication.rules).toEqual([
      expect.objectContaining({
        rule: 'to-dr',
        verdict: 'refuse',
        fix: expect.stringContaining('SourceSelectionCriteria/SseKmsEncryptedObjects Status Enabled'),
      }),
    ]);
    const copies = copiesOf(plan);
    expect(copies).toBeGreaterThan(0);
    expect(d.notifications.reached).toEqual([
      expect.objectContaining({
        arn: FUNCTION,
        events: { 's3:ObjectCreated:Copy': copies },
        total: copies,
        bound: 'exact',
        accepted: false,
      }),
    ]);
    expect(d.replication.replicated).toMatchObject({ versions: copies, destinations: 1 });
    expect(d.replication.replicated!.cost.map((c) => c.item)).toEqual([
      expect.stringMatching(/^Replication PUT requests/),
      expect.stringMatching(/^Replica storage/),
      expect.stringMatching(/^Inter-Region transfer/),
    ]);
    expect(d.blocking).toBe(2);
  });

  it('is planned from a version listing too, counted from the listing', () => {
    expect(listingPlan.code).toBe(0);
    const d = downstreamOf(listingPlan);
    expect(d.replication.rules).toEqual([expect.objectContaining({ rule: 'to-dr', verdict: 'refuse' })]);
    expect(d.notifications.reached).toEqual([expect.objectContaining({ arn: FUNCTION, total: copiesOf(listingPlan), accepted: false })]);
  });

  it.each([
    ['direct', () => direct],
    ['batch', () => batch],
  ])('makes run (%s engine) refuse with exit 20, naming both, before anything is written', (_engine, result) => {
    expect(result().code).toBe(20);
    expect(result().stderr).toMatch(/Nothing was written: the migration's writes would set these off/);
    expect(result().stderr).toContain('replication rule to-dr');
    expect(result().stderr).toContain(FUNCTION);
    expect([...world.sandbox.world.s3.versions(BUCKET)].length).toBe(before);
  });

  it('fires no event and replicates nothing while refused', () => {
    expect(world.sandbox.world.events.events({ bucket: BUCKET })).toEqual([]);
    expect([...world.sandbox.world.s3.versions(DR_BUCKET)]).toEqual([]);
  });

  it('leaves the check in the state: status stands needs-human with what to do', () => {
    expect(status.code).toBe(20);
    const bucket = lines(status).find((l) => l.type === 'bucket-status' && l.bucket === BUCKET) as unknown as {
      stands: string;
      reasons: string[];
      downstream: Record<string, number>;
    };
    expect(bucket.stands).toBe('needs-human');
    expect(bucket.reasons.join('\n')).toMatch(
      /replication would stop or cannot be told for rule\(s\) to-dr to arn:aws:s3:::demo-app-assets-dr \(refuse\)/,
    );
    expect(bucket.reasons.join('\n')).toContain(`lambda ${FUNCTION}`);
    expect(bucket.downstream).toMatchObject({ replicationBlocking: 1, eventDestinations: 1, acceptedEvents: 0 });
  });

  it('lists them in the report', () => {
    const r = JSON.parse(
      report.stdout
        .split('\n')
        .filter((l) => !l.startsWith('{"type"'))
        .join('\n'),
    ) as { buckets: { bucket: string; downstream?: { replication: unknown[]; events: unknown[] } }[] };
    const b = r.buckets.find((x) => x.bucket === BUCKET)!;
    expect(b.downstream!.replication).toEqual([{ rule: 'to-dr', destination: `arn:aws:s3:::${DR_BUCKET}`, verdict: 'refuse' }]);
    expect(b.downstream!.events).toEqual([
      expect.objectContaining({ destination: FUNCTION, kind: 'lambda', bound: 'exact', accepted: false }),
    ]);
  });
});

describe.each(['direct', 'batch'] as const)(
  'the same bucket once the rule opts in with a replica key, its role is granted (replicationRoles) and the function accepted (acceptEvents), %s engine',
  (engine) => {
    let world: MigrationWorld;
    let plan: CliResult;
    let run: CliResult;
    let replicaKeyArn: string;

    beforeAll(async () => {
      world = await startMigrationWorld({
        buckets: [SPEC],
        bucketConfig: { [BUCKET]: { replicationRoles: [ROLE], acceptEvents: [FUNCTION] } },
      });
      ({ replicaKeyArn } = await configureDownstream(world, true));
      await world.deliverInventory();
      plan = await runCli(world, ['plan']);
      run = await runCli(world, engine === 'direct' ? ['run', '--engine', 'direct'] : ['run']);
      await world.sandbox.world.replication.drain();
    }, SETUP_TIMEOUT_MS);
    afterAll(() => world?.close());

    it('runs, saying the rule keeps replicating and the function is accepted', () => {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const d = downstreamOf(run);
      expect(d.replication.rules).toEqual([expect.objectContaining({ rule: 'to-dr', verdict: 'fine' })]);
      expect(d.notifications.reached).toEqual([expect.objectContaining({ arn: FUNCTION, accepted: true })]);
      expect(d.blocking).toBe(0);
    });

    it('sends the function exactly the Copy events the plan predicted, and the removals queue none', () => {
      const predicted = downstreamOf(plan).notifications.reached.find((r) => r.arn === FUNCTION)!.events!['s3:ObjectCreated:Copy']!;
      expect(predicted).toBe(copiesOf(plan));
      const fired = world.sandbox.world.events.events({ bucket: BUCKET, destinationArn: FUNCTION });
      expect(fired.filter((e) => e.eventName === 's3:ObjectCreated:Copy')).toHaveLength(predicted);
      expect(fired.filter((e) => e.eventName !== 's3:ObjectCreated:Copy')).toEqual([]);
      expect(world.sandbox.world.events.events({ bucket: BUCKET, destinationArn: QUEUE })).toEqual([]);
    });

    it("replicates the migration's new versions to the destination under the replica key, as many as the plan said", () => {
      const replicas = [...world.sandbox.world.s3.versions(DR_BUCKET)].map((v) => v.version);
      expect(replicas).toHaveLength(downstreamOf(plan).replication.replicated!.versions);
      for (const replica of replicas) {
        expect(replica.replicationStatus).toBe('REPLICA');
        expect(replica.encryption.status).toBe('SSE-KMS');
        expect(replica.encryption.kmsKeyArn).toBe(replicaKeyArn);
      }
      // Each replica is a new current version the migration wrote in the source bucket.
      const source = world.sandbox.world.s3.bucket(BUCKET);
      for (const replica of replicas) expect(source.latest(replica.key)!.versionId).toBe(replica.versionId);
    });
  },
);
