// Before anything is written, the runner finds who reads and writes each bucket (bucket policy,
// access point policies) and checks each against the deployed key policy: plan names them, and run
// refuses, writing nothing, while one would lose access once the objects are under the key.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createSandboxClients, type SeedBucketSpec } from '../../sandbox';
import { runCli, type CliResult } from './support/cli';
import { recordsOf } from './support/runner-output';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const READER = 'arn:aws:iam::123456789012:role/reporting-reader';
const OAI = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL';
const SETUP_TIMEOUT_MS = 240_000;

const SPEC: SeedBucketSpec = { name: BUCKET, versions: 60, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } };

/** The bucket's policy before the stack merged its own statements into it: who reads it today. */
function existingPolicy(principal: string | string[] | { Service: string }, action = 's3:GetObject') {
  return {
    existingPolicy: {
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadersRead',
            Effect: 'Allow',
            Principal: typeof principal === 'object' && 'Service' in principal ? principal : { AWS: principal },
            Action: action,
            Resource: `arn:aws:s3:::${BUCKET}/*`,
          },
        ],
      },
    },
  };
}

const lines = (r: CliResult) => recordsOf(r.stdout);

interface AccessLine {
  bucket: string;
  blocking: number;
  checks: { finding: { kind: string; grant: { principal: string } }; verdict: string; why: string; accepted: boolean; fix?: string }[];
}

async function versionCount(world: MigrationWorld): Promise<number> {
  return [...world.sandbox.world.s3.versions(BUCKET)].length;
}

describe.each([
  [
    'a role the key does not grant',
    READER,
    's3:GetObject',
    'reader',
    'not-granted',
    /add arn:aws:iam::123456789012:role\/reporting-reader to readers of bucket demo-app-assets/,
  ],
  ['a CloudFront origin access identity', OAI, 's3:GetObject', 'cloudfront-oai', 'refused', /Origin Access Control/],
  [
    'S3 server access log delivery, which the key does not grant',
    'logging.s3.amazonaws.com',
    's3:PutObject',
    'log-delivery',
    'not-granted',
    /add "s3-server-access-logs" to logDelivery of bucket demo-app-assets/,
  ],
  [
    'Elastic Load Balancing access logs, which support SSE-S3 only',
    'logdelivery.elasticloadbalancing.amazonaws.com',
    's3:PutObject',
    'log-delivery',
    'refused',
    /SSE-S3 destination buckets only/,
  ],
])('a bucket used by %s', (_, principal, action, kind, verdict, fix) => {
  let world: MigrationWorld;
  let plan: CliResult;
  let run: CliResult;
  let before: number;

  beforeAll(async () => {
    const as = principal.startsWith('arn:') ? principal : { Service: principal };
    world = await startMigrationWorld({ buckets: [SPEC], bucketConfig: { [BUCKET]: existingPolicy(as, action) } });
    await world.deliverInventory();
    before = await versionCount(world);
    plan = await runCli(world, ['plan']);
    run = await runCli(world, ['run', '--engine', 'direct']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('is named by plan, with the verdict and the config line that would grant it', () => {
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const access = lines(plan).find((l) => l.type === 'bucket-access') as unknown as AccessLine;
    const check = access.checks.find((c) => c.finding.grant.principal === principal)!;
    expect([check.finding.kind, check.verdict, check.accepted]).toEqual([kind, verdict, false]);
    expect(`${check.why}; ${check.fix ?? ''}`).toMatch(fix);
    expect(access.blocking).toBe(1);
  });

  it('makes run refuse with exit 20 before anything is written to the bucket', async () => {
    expect(run.code).toBe(20);
    expect(run.stderr).toContain(principal);
    expect(run.stderr).toMatch(/Nothing was written/);
    expect(await versionCount(world)).toBe(before);
    const b = world.sandbox.world.s3.bucket(BUCKET);
    expect([...b.keys()].filter((k) => b.latest(k)!.encryption.status === 'SSE-KMS')).toEqual([]);
  });

  it('leaves its check in the state: status stands needs-human, naming the principal and what to do', async () => {
    const status = await runCli(world, ['status']);
    expect(status.code).toBe(20);
    const bucket = lines(status).find((l) => l.type === 'bucket-status' && l.bucket === BUCKET) as unknown as {
      stands: string;
      reasons: string[];
      access: Record<string, number>;
    };
    expect(bucket.stands).toBe('needs-human');
    expect(bucket.reasons.join('\n')).toContain(
      `${principal} (${kind}, bucket policy, statement ReadersRead: ${verdict}): grant them in readers/cloudfrontDistributions/logDelivery/key.users or accept them in acceptLosingAccess, deploy, run again`,
    );
    expect(bucket.access).toMatchObject({ [verdict === 'refused' ? 'refused' : 'notGranted']: 1, accepted: 0 });
  });
});

const S3_LOGS = 'logging.s3.amazonaws.com';

describe.each([
  ['a reader granted in the config (readers)', READER, { readers: [READER] }, 'granted', false],
  ['a reader accepted to lose access (acceptLosingAccess)', READER, { acceptLosingAccess: [READER] }, 'not-granted', true],
  [
    'S3 server access log delivery granted in the config (logDelivery)',
    S3_LOGS,
    { logDelivery: ['s3-server-access-logs'] },
    'granted',
    false,
  ],
])('%s', (_, principal, config, verdict, accepted) => {
  let world: MigrationWorld;
  let run: CliResult;

  beforeAll(async () => {
    const policy = principal === S3_LOGS ? existingPolicy({ Service: S3_LOGS }, 's3:PutObject') : existingPolicy(principal);
    world = await startMigrationWorld({ buckets: [SPEC], bucketConfig: { [BUCKET]: { ...policy, ...config } } });
    await world.deliverInventory();
    run = await runCli(world, ['run', '--engine', 'direct']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('lets the run go ahead, saying so', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const access = lines(run).find((l) => l.type === 'bucket-access') as unknown as AccessLine;
    const check = access.checks.find((c) => c.finding.grant.principal === principal)!;
    expect([check.verdict, check.accepted]).toEqual([verdict, accepted]);
    expect(access.blocking).toBe(0);
  });
});

// The rehearsal the issue asks for: two roles read the bucket before the migration; the config grants
// one (readers) and accepts that the other loses access (acceptLosingAccess). After the run the
// granted reader reads every migrated object, and the other gets AccessDenied, as predicted.
describe('readers before and after the migration, as the sandbox enforces the key policy', () => {
  const KEPT = 'arn:aws:iam::123456789012:role/reporting-reader';
  const LOST = 'arn:aws:iam::123456789012:role/legacy-exporter';
  let world: MigrationWorld;
  let run: CliResult;
  const before = new Map<string, number>();

  /** Clients acting as a session of `roleArn`, assumed by the default identity. */
  async function actingAs(roleArn: string) {
    const out = await world.clients.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rehearsal' }));
    const c = out.Credentials!;
    return createSandboxClients({
      endpoint: world.sandbox.endpoint,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
  }

  /** GetObject of every current version as `roleArn`: how many answered, and how many were refused. */
  async function readEverything(roleArn: string): Promise<{ read: number; denied: number }> {
    const clients = await actingAs(roleArn);
    let read = 0;
    let denied = 0;
    try {
      for (const key of world.sandbox.world.s3.bucket(BUCKET).keys()) {
        try {
          await (await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray();
          read++;
        } catch (error) {
          if ((error as { name?: string }).name !== 'AccessDenied') throw error;
          denied++;
        }
      }
    } finally {
      clients.destroy();
    }
    return { read, denied };
  }

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [SPEC],
      bucketConfig: { [BUCKET]: { ...existingPolicy([KEPT, LOST]), readers: [KEPT], acceptLosingAccess: [LOST] } },
    });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }],
    });
    for (const arn of [KEPT, LOST])
      world.sandbox.world.iam.createRole({ roleName: arn.split('/').pop()!, assumeRolePolicyDocument: trust });
    for (const arn of [KEPT, LOST]) before.set(arn, (await readEverything(arn)).read);
    await world.deliverInventory();
    run = await runCli(world, ['run', '--engine', 'direct']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('lets both roles read every object before the migration', () => {
    const keys = [...world.sandbox.world.s3.bucket(BUCKET).keys()].length;
    expect([before.get(KEPT), before.get(LOST)]).toEqual([keys, keys]);
  });

  it('runs, naming the granted reader and the one accepted to lose access', () => {
    expect(run.code).toBe(0);
    const access = lines(run).find((l) => l.type === 'bucket-access') as unknown as AccessLine;
    const verdicts = Object.fromEntries(access.checks.map((c) => [c.finding.grant.principal, [c.verdict, c.accepted]]));
    expect(verdicts).toEqual({ [KEPT]: ['granted', false], [LOST]: ['not-granted', true] });
  });

  it('leaves the granted reader able to read every migrated object, and the accepted one refused, as predicted', async () => {
    const keys = [...world.sandbox.world.s3.bucket(BUCKET).keys()].length;
    expect(await readEverything(KEPT)).toEqual({ read: keys, denied: 0 });
    expect(await readEverything(LOST)).toEqual({ read: 0, denied: keys });
  });
});

describe.each([
  ['enforce (the default)', {}, true],
  ['audit', { encryptionPolicy: { mode: 'audit' } }, false],
])('the plan in %s mode', (_, config, refuses) => {
  let world: MigrationWorld;
  let plan: CliResult;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC], config });
    await world.deliverInventory();
    plan = await runCli(world, ['plan']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('says whether uploads naming another encryption are refused by the deployed bucket policy', () => {
    expect(plan.code).toBe(0);
    const access = lines(plan).find((l) => l.type === 'bucket-access') as unknown as { refusesForeignEncryption: boolean };
    expect(access.refusesForeignEncryption).toBe(refuses);
  });
});
