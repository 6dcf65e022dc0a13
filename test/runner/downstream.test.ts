// Before anything is written, the runner reads each bucket's replication rules and event destinations:
// plan names them with what the migration sets off, and run refuses (exit 20, nothing written) while a
// rule would stop replicating or a destination the config does not accept would receive events.
//
// STUBBED: GetBucketReplication and GetBucketNotificationConfiguration only. The sandbox does not
// implement them yet (it answers NotImplemented), so `stubDownstreamCalls` answers those two calls,
// per bucket, as S3 would parse into the SDK's output; every other call goes to the sandbox. Once the
// sandbox models both, put the configurations there instead and drop the stub.
import { GetBucketNotificationConfigurationCommand, GetBucketReplicationCommand, S3Client } from '@aws-sdk/client-s3';
import type { SeedBucketSpec } from '../../sandbox/seed';
import { runCli, type CliResult } from './support/cli';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const ROLE = 'arn:aws:iam::123456789012:role/s3-replication';
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:thumbnails';
const SETUP_TIMEOUT_MS = 240_000;
const SPEC: SeedBucketSpec = { name: BUCKET, versions: 60, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } };

interface DownstreamStub {
  readonly replication?: unknown;
  readonly notifications?: unknown;
}

/** Answers the two S3 calls the sandbox lacks, for `BUCKET`; hands every other call to the sandbox. */
function stubDownstreamCalls(stub: DownstreamStub): jest.SpyInstance {
  // Taken unbound on purpose: it is called back with the client it was called on.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const realSend = S3Client.prototype.send;
  return jest.spyOn(S3Client.prototype, 'send').mockImplementation(function (this: S3Client, command: unknown, ...rest: unknown[]) {
    const bucket = (command as { input?: { Bucket?: string } }).input?.Bucket;
    if (bucket === BUCKET && command instanceof GetBucketReplicationCommand) {
      return stub.replication ? Promise.resolve({ ReplicationConfiguration: stub.replication, $metadata: {} }) : Promise.reject(Object.assign(new Error('none'), { name: 'ReplicationConfigurationNotFoundError' }));
    }
    if (bucket === BUCKET && command instanceof GetBucketNotificationConfigurationCommand) return Promise.resolve({ ...(stub.notifications ?? {}), $metadata: {} });
    return (realSend as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
  } as never);
}

function replicationRule(optIn: boolean): unknown {
  return {
    Role: ROLE,
    Rules: [
      {
        ID: 'to-dr',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        ...(optIn ? { SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } } } : {}),
        Destination: { Bucket: 'arn:aws:s3:::demo-app-assets-dr', ...(optIn ? { EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9' } } : {}) },
      },
    ],
  };
}

const NOTIFICATIONS = {
  LambdaFunctionConfigurations: [{ Id: 'thumbnails', LambdaFunctionArn: FUNCTION, Events: ['s3:ObjectCreated:*'] }],
  QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:123456789012:uploads', Events: ['s3:ObjectCreated:Put'] }],
};

const lines = (r: CliResult) => r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

interface DownstreamLine {
  bucket: string;
  blocking: number;
  replication: { rules: { rule: string; verdict: string; fix?: string }[]; replicated?: { versions: number; destinations: number; cost: { item: string }[] } };
  notifications: { reached: { arn: string; events?: Record<string, number>; total?: number; bound: string; accepted: boolean }[] };
}

const downstreamOf = (r: CliResult) => lines(r).find((l) => l.type === 'bucket-downstream') as unknown as DownstreamLine;

/** The copies a bucket plan line makes: what fires s3:ObjectCreated:Copy and replicates. */
function copiesOf(r: CliResult): number {
  const plan = lines(r).find((l) => l.type === 'bucket-plan') as unknown as { byAction: Record<string, { versions: number } | undefined> };
  return ['copy', 'copy-locked', 'needs-restore'].reduce((n, a) => n + (plan.byAction[a]?.versions ?? 0), 0);
}

describe('a bucket whose replication rule lacks the SSE-KMS opt-in and whose Lambda function takes every created object (stubbed configurations)', () => {
  let world: MigrationWorld;
  let plan: CliResult;
  let listingPlan: CliResult;
  let direct: CliResult;
  let batch: CliResult;
  let status: CliResult;
  let report: CliResult;
  let before: number;
  let stub: jest.SpyInstance;

  beforeAll(async () => {
    stub = stubDownstreamCalls({ replication: replicationRule(false), notifications: NOTIFICATIONS });
    world = await startMigrationWorld({ buckets: [SPEC] });
    await world.deliverInventory();
    before = [...world.sandbox.world.s3.versions(BUCKET)].length;
    plan = await runCli(world, ['plan']);
    listingPlan = await runCli(world, ['plan', '--from-listing']);
    direct = await runCli(world, ['run', '--engine', 'direct']);
    batch = await runCli(world, ['run']);
    status = await runCli(world, ['status']);
    report = await runCli(world, ['report', '--format', 'json']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => {
    stub?.mockRestore();
    return world?.close();
  });

  it('is planned: the rule refused with what to change, the function named with as many Copy events as the plan copies, the Put-only queue left out', () => {
    expect(plan.code).toBe(0);
    const d = downstreamOf(plan);
    expect(d.replication.rules).toEqual([expect.objectContaining({ rule: 'to-dr', verdict: 'refuse', fix: expect.stringContaining('SourceSelectionCriteria/SseKmsEncryptedObjects Status Enabled') })]);
    const copies = copiesOf(plan);
    expect(copies).toBeGreaterThan(0);
    expect(d.notifications.reached).toEqual([expect.objectContaining({ arn: FUNCTION, events: { 's3:ObjectCreated:Copy': copies }, total: copies, bound: 'exact', accepted: false })]);
    expect(d.replication.replicated).toMatchObject({ versions: copies, destinations: 1 });
    expect(d.replication.replicated!.cost.map((c) => c.item)).toEqual([expect.stringMatching(/^Replication PUT requests/), expect.stringMatching(/^Replica storage/), expect.stringMatching(/^Inter-Region transfer/)]);
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
  ])('makes run (%s engine) refuse with exit 20, naming both, before anything is written', async (_engine, result) => {
    expect(result().code).toBe(20);
    expect(result().stderr).toMatch(/Nothing was written: the migration's writes would set these off/);
    expect(result().stderr).toContain('replication rule to-dr');
    expect(result().stderr).toContain(FUNCTION);
    expect([...world.sandbox.world.s3.versions(BUCKET)].length).toBe(before);
  });

  it('leaves the check in the state: status stands needs-human with what to do', () => {
    expect(status.code).toBe(20);
    const bucket = lines(status).find((l) => l.type === 'bucket-status' && l.bucket === BUCKET) as unknown as { stands: string; reasons: string[]; downstream: Record<string, number> };
    expect(bucket.stands).toBe('needs-human');
    expect(bucket.reasons.join('\n')).toMatch(/replication would stop or cannot be told for rule\(s\) to-dr to arn:aws:s3:::demo-app-assets-dr \(refuse\)/);
    expect(bucket.reasons.join('\n')).toContain(`lambda ${FUNCTION}`);
    expect(bucket.downstream).toMatchObject({ replicationBlocking: 1, eventDestinations: 1, acceptedEvents: 0 });
  });

  it('lists them in the report', () => {
    const r = JSON.parse(report.stdout.split('\n').filter((l) => !l.startsWith('{"type"')).join('\n')) as { buckets: { bucket: string; downstream?: { replication: unknown[]; events: unknown[] } }[] };
    const b = r.buckets.find((x) => x.bucket === BUCKET)!;
    expect(b.downstream!.replication).toEqual([{ rule: 'to-dr', destination: 'arn:aws:s3:::demo-app-assets-dr', verdict: 'refuse' }]);
    expect(b.downstream!.events).toEqual([expect.objectContaining({ destination: FUNCTION, kind: 'lambda', bound: 'exact', accepted: false })]);
  });
});

describe('the same bucket once the rule opts in with a replica key, its role is granted (replicationRoles) and the function accepted (acceptEvents), stubbed configurations', () => {
  let world: MigrationWorld;
  let run: CliResult;
  let stub: jest.SpyInstance;

  beforeAll(async () => {
    stub = stubDownstreamCalls({ replication: replicationRule(true), notifications: NOTIFICATIONS });
    world = await startMigrationWorld({ buckets: [SPEC], bucketConfig: { [BUCKET]: { replicationRoles: [ROLE], acceptEvents: [FUNCTION] } } });
    await world.deliverInventory();
    run = await runCli(world, ['run', '--engine', 'direct']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => {
    stub?.mockRestore();
    return world?.close();
  });

  it('runs, saying the rule keeps replicating and the function is accepted', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const d = downstreamOf(run);
    expect(d.replication.rules).toEqual([expect.objectContaining({ rule: 'to-dr', verdict: 'fine' })]);
    expect(d.notifications.reached).toEqual([expect.objectContaining({ arn: FUNCTION, accepted: true })]);
    expect(d.blocking).toBe(0);
  });
});
