// A write that lands on a key between the runner's read and its copy in place is never buried under
// old content: where the endpoint honours copy conditions S3 refuses the copy (412), and where it
// ignores them (as moto 5.2.1 does) the runner finds the newer version under its copy and makes it
// current again. A racer writes each key just before the runner's CopyObject of it reaches the endpoint.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SeedBucketSpec } from '../../sandbox';
import { runCli } from './support/cli';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { runMigrationIn } from './support/runner-output';

const BUCKET = 'demo-app-assets';
const SETUP_TIMEOUT_MS = 240_000;
/** Keys whose copy the racer precedes with a write of its own. */
const RACED = 12;

const SPEC: SeedBucketSpec = {
  name: BUCKET,
  versions: 120,
  versionsPerKey: 1,
  versioning: 'Enabled',
  encryption: { 'NOT-SSE': 1 },
  storageClasses: { STANDARD: 3, STANDARD_IA: 1 },
  sizes: { min: 64, max: 512 },
  tagRate: 0.5,
  metadataRate: 0.5,
  hardKeyRate: 0.1,
};

interface Raced {
  readonly key: string;
  readonly body: string;
}

/**
 * Before the first CopyObject of each of the first RACED keys of the bucket leaves the runner, the
 * racer writes that key (as an application would), so the write lands after the runner's read.
 */
function race(world: MigrationWorld): Raced[] {
  const raced: Raced[] = [];
  const s3 = world.clients.s3;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string };
      if (
        context.commandName === 'CopyObjectCommand' &&
        input.Bucket === BUCKET &&
        input.Key &&
        raced.length < RACED &&
        !raced.some((r) => r.key === input.Key)
      ) {
        const body = `written by an application while the runner copied ${input.Key}`;
        raced.push({ key: input.Key, body });
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: input.Key, Body: body }));
      }
      return next(args);
    },
    { step: 'initialize', name: 'testRacer' },
  );
  return raced;
}

async function run(world: MigrationWorld, direct: Record<string, unknown>) {
  return runMigrationIn(world, { engine: 'direct', direct: { concurrency: 4, ...direct } });
}

async function currentBody(world: MigrationWorld, key: string): Promise<string> {
  const out = await world.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return out.Body!.transformToString();
}

describe.each([
  ['honours copy conditions, from the inventory', false, false],
  ['ignores copy conditions, from the inventory', true, false],
  ['ignores copy conditions, from a listing', true, true],
])('a write racing the copy, on an endpoint that %s', (_, ignoresConditions, fromListing) => {
  let world: MigrationWorld;
  let raced: Raced[];
  let result: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    if (ignoresConditions) world.sandbox.imitations.enable({ kind: 'copy-ignores-conditions' });
    if (!fromListing) await world.deliverInventory();
    raced = race(world);
    result = await run(world, { fromListing });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('races the copies it means to', () => {
    expect(result.message).toBe('');
    expect(raced).toHaveLength(RACED);
  });

  it('buries no newer write: each raced key reads as the application wrote it', async () => {
    const buried = [];
    for (const r of raced) if ((await currentBody(world, r.key)) !== r.body) buried.push(r.key);
    expect(buried).toEqual([]);
  });

  it('ends with exit 0 and every current version under the key', () => {
    expect(result.code).toBe(0);
    const b = world.sandbox.world.s3.bucket(BUCKET);
    const notUnderKey = [...b.keys()].filter((k) => b.latest(k)!.encryption.status !== 'SSE-KMS');
    expect(notUnderKey).toEqual([]);
  });

  it('counts and reports each newer write it made current again, where the endpoint could not refuse the copy', () => {
    const summary = result.records.find((r) => r.type === 'summary') as {
      passes: { bucket: string; newerWritesRestored?: number; outcomes: Record<string, number> }[];
    };
    const pass = summary.passes.find((p) => p.bucket === BUCKET)!;
    const events = result.records.filter((r) => r.type === 'newer-write-restored');
    if (ignoresConditions) {
      expect(pass.newerWritesRestored).toBe(RACED);
      expect(events.map((e) => e.key).sort()).toEqual(raced.map((r) => r.key).sort());
    } else {
      // S3 refused each copy (412): the version the runner read was superseded, nothing to restore.
      expect(pass.newerWritesRestored ?? 0).toBe(0);
      expect(pass.outcomes.superseded).toBe(RACED);
    }
  });
});

// A Batch Operations copy job copies the version its inventory named, whatever was written on the
// key after that snapshot, and S3CopyObjectOperation has no condition on the key's current version.
// The gate is verify: such writes count against the copies made, so expire stays off until a person looked.
describe('a write between the inventory and a Batch Operations copy job', () => {
  let world: MigrationWorld;
  let written: Raced[];
  let run: Awaited<ReturnType<typeof runCli>>;
  let verify: Awaited<ReturnType<typeof runCli>>;
  let expire: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [SPEC] });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    // The plan's inventory three hours back; the writes half an hour after its snapshot; the jobs,
    // moved back two hours below, after the writes: as on a day with a real inventory schedule.
    await world.deliverInventory(new Date(hour - 3 * 3_600_000));
    const b = world.sandbox.world.s3.bucket(BUCKET);
    written = [...b.keys()].slice(0, 3).map((key) => ({ key, body: `written by an application after the inventory: ${key}` }));
    for (const w of written) {
      await world.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: w.key, Body: w.body }));
      b.replace({ ...b.latest(w.key)!, lastModified: new Date(hour - 2.5 * 3_600_000) });
    }
    run = await runCli(world, ['run']);
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory(new Date(hour));
    verify = await runCli(world, ['verify', '--method', 'inventory']);
    expire = await runCli(world, ['expire']);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  it('fails verify, naming the writes made after the inventory on the keys a copy job copied', () => {
    expect(run.code).toBe(0);
    expect(verify.code).toBe(20);
    expect(verify.stderr).toMatch(/since its inventory's snapshot .* a copy job copies that inventory's version/);
  });

  it('keeps the expiration off, so the writes under the copies are not deleted', async () => {
    expect(expire.code).toBe(4);
    const b = world.sandbox.world.s3.bucket(BUCKET);
    for (const w of written) {
      const bodies = await Promise.all(
        b
          .versionsOf(w.key)
          .map(async (v) =>
            (
              await world.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: w.key, VersionId: v.versionId }))
            ).Body!.transformToString(),
          ),
      );
      expect(bodies).toContain(w.body);
    }
  });
});
