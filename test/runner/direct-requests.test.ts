// What the direct engine asks of S3 per version: one request per version from an inventory and two
// from a listing (listing pages aside), with a plain copy made as one CopyObject that S3 writes only
// while the version the inventory saw is still the current one; and where the endpoint ignores copy
// conditions (as moto 5.2.1 does), the probe says so and every copy reads the current version first.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { type ObjectVersion, type SeedBucketSpec, meterRequests, type RequestMeter } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { runMigrationIn, type MigrationRun } from './support/runner-output';
import { expectUnderKey, expectCarriedOver } from './support/migrated-version';

const BUCKET = 'demo-app-assets';
// Worlds of thousands of versions, each run twice: generous on a machine shared with other work.
const SETUP_TIMEOUT_MS = 300_000;

/** Small current objects of the bench's mix: SSE-S3 (UpdateObjectEncryption) and unencrypted (copy), three classes, half tagged. */
const SPEC: SeedBucketSpec = {
  name: BUCKET,
  // Enough versions that the run's fixed requests (write probe, state saves, the Athena result) weigh
  // under 0.01 per version, as at the bench's 20,000: the rest is one request per version plus the read-back sample.
  versions: 4000,
  versionsPerKey: 1,
  versioning: 'Enabled',
  encryption: { 'SSE-S3': 5, 'NOT-SSE': 3 },
  storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER_IR: 1 },
  sizes: { min: 64, max: 4096 },
  tagRate: 0.5,
  metadataRate: 0.5,
  hardKeyRate: 0.05,
};

async function run(world: MigrationWorld, direct: Record<string, unknown> = {}): Promise<MigrationRun> {
  return runMigrationIn(world, { engine: 'direct', direct: { concurrency: 8, ...direct } });
}

function outcomesOf(r: MigrationRun): Record<string, number> {
  const summary = r.records.find((x) => x.type === 'summary') as
    { passes: { bucket: string; outcomes: Record<string, number> }[] } | undefined;
  return summary?.passes.find((p) => p.bucket === BUCKET)?.outcomes ?? {};
}

/** S3 requests per version handled, listing pages excluded. */
function requestsPerVersion(
  meter: RequestMeter,
  r: MigrationRun,
): { ratio: number; handled: number; s3: Record<string, number>; listings: number } {
  const s3 = Object.fromEntries(
    Object.entries(meter.counts().byOperation).filter(([op]) => op.startsWith('s3:') && op !== 's3:ListObjectVersions'),
  );
  const handled = Object.values(outcomesOf(r)).reduce((a, b) => a + b, 0);
  const requests = Object.values(s3).reduce((a, b) => a + b, 0);
  return {
    ratio: handled === 0 ? Infinity : requests / handled,
    handled,
    s3,
    listings: meter.counts().byOperation['s3:ListObjectVersions'] ?? 0,
  };
}

function currentVersions(world: MigrationWorld): Map<string, ObjectVersion> {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  return new Map([...b.keys()].map((k) => [k, b.latest(k)!]));
}

function versionCounts(world: MigrationWorld): Map<string, number> {
  const b = world.sandbox.world.s3.bucket(BUCKET);
  return new Map([...b.keys()].map((k) => [k, b.versionsOf(k).length]));
}

function keyArnOf(world: MigrationWorld): string {
  return JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn as string;
}

/** Every unencrypted current version has one new SSE-KMS version that kept its tags, metadata, content type and class. */
function expectCopiedFaithfully(
  world: MigrationWorld,
  before: Map<string, ObjectVersion>,
  counts: Map<string, number>,
  except: ReadonlySet<string> = new Set(),
): number {
  const arn = keyArnOf(world);
  const b = world.sandbox.world.s3.bucket(BUCKET);
  let copied = 0;
  for (const [key, was] of before) {
    if (was.encryption.status !== 'NOT-SSE' || except.has(key)) continue;
    const now = b.latest(key)!;
    expect([key, b.versionsOf(key).length]).toEqual([key, counts.get(key)! + 1]);
    expectUnderKey(key, now, arn);
    expectCarriedOver(key, now, was);
    copied++;
  }
  return copied;
}

/** A run measured request by request, then a second run: what a world looked like before, after the first and after the second. */
async function runTwice(world: MigrationWorld, direct: Record<string, unknown> = {}) {
  const before = currentVersions(world);
  const counts = versionCounts(world);
  const meter = meterRequests(world.sandbox);
  const result = await run(world, direct);
  const requests = requestsPerVersion(meter, result);
  const againCounts = versionCounts(world);
  await run(world, direct);
  return { before, counts, result, requests, againCounts };
}

describe('the direct engine from an inventory', () => {
  let world: MigrationWorld;
  let meter: RequestMeter;
  let before: Map<string, ObjectVersion>;
  let counts: Map<string, number>;
  let first: MigrationRun;
  let firstRequests: ReturnType<typeof requestsPerVersion>;
  let again: MigrationRun;
  let againCounts: Map<string, number>;
  const overwritten = new Set<string>();
  let overwrittenVersion: string;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    const [changed, sameBytes] = [...currentVersions(world).values()].filter((v) => v.encryption.status === 'NOT-SSE').slice(0, 2);
    const bytes = Buffer.from(
      await (await world.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: sameBytes!.key }))).Body!.transformToByteArray(),
    );
    // Seeded ETags are synthetic: this one becomes the MD5 of its bytes, as S3's is for an unencrypted single-part object.
    const seeded = world.sandbox.world.s3.bucket(BUCKET);
    seeded.replace({ ...seeded.latest(sameBytes!.key)!, eTag: `"${createHash('md5').update(bytes).digest('hex')}"` });
    await world.deliverInventory();
    before = currentVersions(world);
    // After the inventory was taken, two unencrypted objects are overwritten: one with other bytes,
    // one with the same bytes (SSE-S3, so the same ETag) and other tags. The inventory still names their older versions.
    overwrittenVersion = (
      await world.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: changed!.key, Body: 'written after the inventory' }))
    ).VersionId!;
    await world.clients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: sameBytes!.key,
        Body: bytes,
        StorageClass: sameBytes!.storageClass,
        ServerSideEncryption: 'AES256',
        Tagging: 'rewritten=yes',
      }),
    );
    overwritten.add(changed!.key).add(sameBytes!.key);
    counts = versionCounts(world);
    meter = meterRequests(world.sandbox);
    first = await run(world);
    firstRequests = requestsPerVersion(meter, first);
    againCounts = versionCounts(world);
    again = await run(world);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('says the endpoint honours copy conditions', () => {
    const probe = first.records.find((r) => r.type === 'write-probe' && r.kind === 'copy-in-place') as {
      passed: boolean;
      conditions: { honoured: boolean };
    };
    expect(probe).toMatchObject({ passed: true, conditions: { honoured: true, problems: [] } });
  });

  it('makes at most 1.05 S3 requests per version handled, every read-back and state save included', () => {
    expect(first.code).toBe(0);
    expect(firstRequests.handled).toBe(SPEC.versions);
    expect(firstRequests.ratio).toBeLessThanOrEqual(1.05);
    // A HeadObject per copy would be 1,500 here: only the read-back sample and the write probe read versions.
    expect(firstRequests.s3['s3:HeadObject'] ?? 0).toBeLessThan(150);
  });

  it('copies each unencrypted current version once, keeping tags, metadata, content type and class', () => {
    expect(expectCopiedFaithfully(world, before, counts, overwritten)).toBeGreaterThan(500);
  });

  it('leaves a version overwritten since the inventory alone (S3 refuses the copy: 412) and loses nothing', () => {
    const [changed] = overwritten;
    const b = world.sandbox.world.s3.bucket(BUCKET);
    expect(b.versionsOf(changed!).length).toBe(counts.get(changed!));
    expect(b.latest(changed!)!.versionId).toBe(overwrittenVersion);
    expect(b.versionsOf(changed!).map((v) => v.versionId)).toContain(before.get(changed!)!.versionId);
    expect(outcomesOf(first).superseded).toBe(1);
  });

  it('copies the current version, with its own tags, when a newer one has the same bytes as the inventory saw', () => {
    const [, sameBytes] = overwritten;
    const b = world.sandbox.world.s3.bucket(BUCKET);
    const now = b.latest(sameBytes!)!;
    // Written SSE-S3 (its ETag is the MD5 of its bytes, as the older version's), then copied: one version more.
    expect(b.versionsOf(sameBytes!).length).toBe(counts.get(sameBytes!)! + 1);
    expect([now.encryption.status, now.encryption.kmsKeyArn]).toEqual(['SSE-KMS', keyArnOf(world)]);
    expect(now.tags).toEqual({ rewritten: 'yes' });
  });

  it('writes nothing when run again', () => {
    expect(again.code).toBe(0);
    expect(versionCounts(world)).toEqual(againCounts);
  });
});

// From a listing, a version listed as the latest is read once, as the key's current version: that
// HeadObject classifies it and, where the endpoint ignores copy conditions, is also the check before
// its copy. Reading it by id and then the current version again before each copy made 2.41 there.
describe.each([
  ['', false],
  [' on an endpoint that ignores copy conditions', true],
])('the direct engine from a listing%s', (_, ignoresConditions) => {
  let world: MigrationWorld;
  let runs: Awaited<ReturnType<typeof runTwice>>;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    if (ignoresConditions) world.sandbox.imitations.enable({ kind: 'copy-ignores-conditions' });
    runs = await runTwice(world, { fromListing: true });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('makes at most 2.05 S3 requests per version handled, ListObjectVersions excluded (bucket pages, and the history read after a copy the endpoint could not condition)', () => {
    expect(runs.result.code).toBe(0);
    expect(runs.requests.handled).toBe(SPEC.versions);
    expect(runs.requests.ratio).toBeLessThanOrEqual(2.05);
  });

  it('copies each unencrypted current version once, keeping tags, metadata, content type and class, and nothing when run again', () => {
    expect(expectCopiedFaithfully(world, runs.before, runs.counts)).toBeGreaterThan(500);
    expect(versionCounts(world)).toEqual(runs.againCounts);
  });
});

describe('the direct engine on an endpoint that ignores copy conditions (as moto 5.2.1 does)', () => {
  let world: MigrationWorld;
  let runs: Awaited<ReturnType<typeof runTwice>>;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [{ ...SPEC, versions: 1600 }] });
    world.sandbox.imitations.enable({ kind: 'copy-ignores-conditions' });
    await world.deliverInventory();
    runs = await runTwice(world);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('says in its output that copy conditions are not honoured, and why, and what it does instead', () => {
    const probe = runs.result.records.find((r) => r.type === 'write-probe' && r.kind === 'copy-in-place') as {
      passed: boolean;
      conditions: { honoured: boolean; problems: string[] };
    };
    expect(probe.passed).toBe(true);
    expect(probe.conditions.honoured).toBe(false);
    expect(probe.conditions.problems.join('\n')).toMatch(/If-Match .* was written as version .* where AWS answers 412 PreconditionFailed/);
  });

  it('reads the current version before each copy instead, and copies each version once', () => {
    expect(runs.result.code).toBe(0);
    const copies = expectCopiedFaithfully(world, runs.before, runs.counts);
    expect(runs.requests.s3['s3:HeadObject']).toBeGreaterThanOrEqual(copies);
  });

  it("reads each copied key's version history once after the copy, to find a write that landed in between", () => {
    const copies = expectCopiedFaithfully(world, runs.before, runs.counts);
    // One history per copy, plus the write probe's own listings of its canaries.
    expect(runs.requests.listings).toBeGreaterThanOrEqual(copies);
    expect(runs.requests.listings).toBeLessThanOrEqual(copies + 10);
  });

  it('copies nothing when run again', () => {
    expect(versionCounts(world)).toEqual(runs.againCounts);
  });
});
