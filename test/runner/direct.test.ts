// The direct engine against the sandbox through the SDK: the batch engine's end state on a world of
// 10,000 versions, a run killed mid-way (and its last checkpoints lost) resumed without a repeated
// copy, 20% throttling, a 6 GB object by multipart copy and archived objects by restore then copy.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runMigration } from '../../runner/commands/run';
import type { MigrationState } from '../../runner/state';
import type { ObjectVersion } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, outcomeOf, runMigrationIn, type MigrationRun } from './support/runner-output';
import { expectUnderKey, expectCarriedOver } from './support/migrated-version';

const FIVE_GIB = 5 * 1024 ** 3;

function versionsOf(world: MigrationWorld, bucket: string): ObjectVersion[] {
  const all: ObjectVersion[] = [];
  const b = world.sandbox.world.s3.bucket(bucket);
  for (const key of b.keys()) all.push(...b.versionsOf(key));
  return all;
}

function snapshot(world: MigrationWorld, buckets: readonly string[]): Map<string, ObjectVersion[]> {
  return new Map(buckets.map((b) => [b, versionsOf(world, b)]));
}

function keyArnOf(world: MigrationWorld): string {
  return JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn as string;
}

/**
 * The batch engine's end state, version by version: SSE-S3 and wrong-key versions re-wrapped in place;
 * every unencrypted current version (over 5 GiB and archived included) has exactly one new SSE-KMS
 * current version with tags, metadata, content type and storage class; no version lost.
 */
function expectMigrated(
  world: MigrationWorld,
  before: Map<string, ObjectVersion[]>,
  keyArn: string,
): { copies: number; large: number; archived: number } {
  let copies = 0;
  let large = 0;
  let archived = 0;
  for (const [bucket, versions] of before) {
    const b = world.sandbox.world.s3.bucket(bucket);
    const after = new Map(versionsOf(world, bucket).map((v) => [`${v.key}\u0000${v.versionId}`, v]));
    const currentBefore = new Map<string, ObjectVersion>();
    // versionsOf lists a key's versions oldest first: the last seen is the one that was current.
    for (const v of versions) currentBefore.set(v.key, v);
    const countBefore = new Map<string, number>();
    for (const v of versions) countBefore.set(v.key, (countBefore.get(v.key) ?? 0) + 1);
    for (const v of versions) {
      const now = after.get(`${v.key}\u0000${v.versionId}`);
      expect(now).toBeDefined();
      if (v.isDeleteMarker) continue;
      if (
        v.encryption.status === 'SSE-S3' ||
        (v.encryption.status === 'SSE-KMS' && (!v.encryption.bucketKeyEnabled || v.encryption.kmsKeyArn !== keyArn))
      ) {
        expect([
          v.key,
          now!.encryption.status,
          now!.encryption.kmsKeyArn,
          now!.encryption.bucketKeyEnabled,
          now!.eTag,
          now!.storageClass,
        ]).toEqual([v.key, 'SSE-KMS', keyArn, true, v.eTag, v.storageClass]);
      }
    }
    for (const [key, was] of currentBefore) {
      const versionsNow = b.versionsOf(key);
      if (was.isDeleteMarker || was.encryption.status !== 'NOT-SSE') {
        expect([key, versionsNow.length]).toEqual([key, countBefore.get(key)]);
        continue;
      }
      // Exactly one new version per copied object: a repeated copy would show as two.
      expect([key, versionsNow.length]).toEqual([key, countBefore.get(key)! + 1]);
      const latest = b.latest(key)!;
      expectUnderKey(key, latest, keyArn);
      expectCarriedOver(key, latest, was);
      copies++;
      if (was.size > FIVE_GIB) large++;
      if (['GLACIER', 'DEEP_ARCHIVE'].includes(was.storageClass)) archived++;
    }
  }
  return { copies, large, archived };
}

async function readState(world: MigrationWorld): Promise<{ key: string; state: MigrationState }> {
  const ctx = world.context();
  const key = `${ctx.outputs.reports_prefix}state/state.json`;
  const out = await world.clients.s3.send(new GetObjectCommand({ Bucket: ctx.outputs.reports_bucket, Key: key }));
  return { key, state: JSON.parse(await out.Body!.transformToString()) as MigrationState };
}

describe('migrate run --engine direct, from the inventory', () => {
  const buckets = ['demo-app-assets', 'demo-data-lake'];
  let world: MigrationWorld;
  let before: Map<string, ObjectVersion[]>;
  let killed: MigrationRun;
  let resumed: MigrationRun;
  let resumedAgain: MigrationRun;
  /** demo-app-assets' checkpoint as the killed run saved it, before the test rewinds it. */
  let savedCheckpoint: { completed: number };

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        {
          name: 'demo-app-assets',
          versions: 6000,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 5, 'NOT-SSE': 3, 'SSE-KMS': 1, 'SSE-C': 0.5, 'DSSE-KMS': 0.5 },
          storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER_IR: 1, GLACIER: 0.5, DEEP_ARCHIVE: 0.5 },
          hardKeyRate: 0.05,
          overFiveGbRate: 0.002,
          deleteMarkerRate: 0.02,
        },
        { name: 'demo-data-lake', versions: 4000, versionsPerKey: 1, versioning: 'Enabled', encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 } },
      ],
    });
    await world.deliverInventory();
    before = snapshot(world, buckets);
    // Killed mid-way: aborted once 3,000 versions are done...
    const abort = new AbortController();
    const { output, records, text, onRecord } = captureOutput();
    onRecord((r) => {
      if (r.type === 'direct-progress' && (r.done as number) >= 3000) abort.abort();
    });
    const outcome = await outcomeOf(
      runMigration(
        world.context(),
        { engine: 'direct', signal: abort.signal, direct: { concurrency: 16, checkpointEveryMs: 20, progressEveryMs: 0 } },
        output,
      ),
    );
    killed = { ...outcome, records, text: text() };
    // ...and, as if killed hard, its last checkpoints lost: the state goes back 1,000 versions.
    const { key, state } = await readState(world);
    const pass = defined(state.direct!['direct:demo-app-assets'], 'the direct pass');
    savedCheckpoint = { completed: pass.checkpoint.completed };
    pass.checkpoint = { completed: Math.max(0, pass.checkpoint.completed - 1000), doneAhead: [] };
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: world.context().outputs.reports_bucket, Key: key, Body: JSON.stringify(state) }),
    );
    resumed = await runMigrationIn(world, { engine: 'direct', direct: { concurrency: 16 } });
    resumedAgain = await runMigrationIn(world, { engine: 'direct', direct: { concurrency: 16 } });
  });
  afterAll(() => world?.close());

  it('stops when aborted with exit 10 and a saved checkpoint', () => {
    expect(killed.code).toBe(10);
    const stopped = killed.records.find((r) => r.type === 'in-progress' && r.bucket === 'demo-app-assets');
    // The state holds the position the run reports, far enough in that losing 1,000 versions of it
    // (below) still leaves a checkpoint to resume from.
    expect(stopped?.checkpoint).toBe(savedCheckpoint.completed);
    expect(savedCheckpoint.completed).toBeGreaterThan(1000);
  });

  it('prints the same plan as the batch engine before working', () => {
    expect(killed.records.filter((r) => r.type === 'bucket-plan').map((r) => r.bucket)).toEqual(buckets);
    expect(killed.records.some((r) => r.type === 'estimate')).toBe(true);
  });

  it('resumes from the checkpoint and finishes with exit 0', () => {
    expect([resumed.code, resumed.message]).toEqual([0, '']);
    expect(resumed.records.some((r) => r.type === 'direct-resume' && r.bucket === 'demo-app-assets')).toBe(true);
    // The 1,000 versions whose checkpoint was lost were looked at again: their copies were found
    // already made (the version was no longer current) instead of being made twice.
    const summary = resumed.records.find((r) => r.type === 'summary') as { passes: { bucket: string; outcomes: Record<string, number> }[] };
    expect(summary.passes.find((p) => p.bucket === 'demo-app-assets')!.outcomes.superseded).toBeGreaterThan(0);
  });

  it('reaches the batch end state, copying each unencrypted current version exactly once, 6 GB and archived ones included', () => {
    const { copies, large, archived } = expectMigrated(world, before, keyArnOf(world));
    expect(copies).toBeGreaterThan(1000);
    expect(large).toBeGreaterThan(0);
    expect(archived).toBeGreaterThan(0);
  });

  it('records where each archived version stands', async () => {
    const { state } = await readState(world);
    const archived = Object.values(state.archived ?? {});
    expect(archived.length).toBeGreaterThan(0);
    expect(archived.every((r) => r.stage === 'copied' && r.newVersionId)).toBe(true);
  });

  it('does nothing more when run again', () => {
    expect(resumedAgain.code).toBe(0);
    expect(resumedAgain.records.filter((r) => r.type === 'direct-progress')).toEqual([]);
  });
});

describe('migrate run --engine direct --from-listing, throttled on a fifth of its object calls', () => {
  const BUCKET = 'demo-app-assets';
  let world: MigrationWorld;
  let before: Map<string, ObjectVersion[]>;
  let restoring: MigrationRun;
  let reported: MigrationRun;
  let restored: MigrationRun;
  let throttled = 0;

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        {
          name: BUCKET,
          versions: 1200,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 4, 'NOT-SSE': 4, 'SSE-KMS': 1, 'SSE-C': 0.5 },
          storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER: 1, DEEP_ARCHIVE: 1 },
          overFiveGbRate: 0.01,
          deleteMarkerRate: 0.02,
        },
      ],
    });
    // No inventory is ever delivered: the listing path needs none (LocalStack, moto, a new stack).
    before = snapshot(world, [BUCKET]);
    world.sandbox.world.restoreDelayMs = 3_600_000;
    // Every object-level S3 call the engine makes is throttled one time in five; the state and lock
    // documents and the bucket settings preflight reads are left alone, so the test is about the engine.
    const exempt = ['PutObject', 'GetObject', 'DeleteObject', 'GetBucketEncryption', 'GetBucketVersioning', 'ListObjectsV2'].map(
      (operation) => ({ service: 's3', operation }),
    );
    world.sandbox.faults.configure({ seed: 5, rules: [...exempt, { service: 's3', throttleRate: 0.2 }] });
    restoring = await runMigrationIn(world, { engine: 'direct', direct: { fromListing: true, concurrency: 32 } });
    throttled = world.sandbox.faults.stats().throttled;
    reported = await runMigrationIn(world, { engine: 'direct', direct: { fromListing: true, concurrency: 32, archived: 'report' } });
    world.sandbox.faults.clear();
    // Hours later, S3 has finished the restores.
    const b = world.sandbox.world.s3.bucket(BUCKET);
    for (const key of b.keys()) {
      for (const v of b.versionsOf(key)) {
        if (v.restore?.ongoing) b.replace({ ...v, restore: { ongoing: false, expiry: new Date(Date.now() + 86_400_000) } });
      }
    }
    restored = await runMigrationIn(world, { engine: 'direct', direct: { fromListing: true, concurrency: 32 } });
  });
  afterAll(() => world?.close());

  it('is throttled and backs off, yet works through every version', () => {
    expect(throttled).toBeGreaterThan(50);
    const summary = restoring.records.find((r) => r.type === 'summary') as {
      throttleBackoffs: number;
      passes: { outcomes: Record<string, number>; failures: unknown[] }[];
    };
    expect(summary.throttleBackoffs).toBeGreaterThan(0);
    expect(summary.passes[0]?.failures).toEqual([]);
    expect(summary.passes[0]?.outcomes.updated).toBeGreaterThan(50);
    expect(summary.passes[0]?.outcomes.copied).toBeGreaterThan(50);
  });

  it('prints a plan tallied from the listing', () => {
    const plan = restoring.records.find((r) => r.type === 'bucket-plan') as {
      bucket: string;
      inventoryDate: string;
      byAction: Record<string, { versions: number }>;
    };
    expect(plan).toMatchObject({ bucket: BUCKET, inventoryDate: 'listing' });
    expect(plan.byAction['noncurrent-unencrypted']!.versions).toBeGreaterThan(0);
  });

  it('exits 10 while archived versions are being restored, and says so', () => {
    expect(restoring.code).toBe(10);
    expect(restoring.records.find((r) => r.type === 'restores-pending')!.pendingRestores).toBeGreaterThan(0);
  });

  it('with --archived report, names the archived versions and the command that would handle them (exit 20)', () => {
    expect(reported.code).toBe(20);
    expect(reported.message).toMatch(
      /demo-app-assets: \d+ unencrypted current versions in Glacier\/Deep Archive were only reported \(--archived report\): run `npm run migrate -- --stack demo --engine direct --archived copy`/,
    );
  });

  it('copies the restored versions on a later run and reaches the end state, nothing copied twice', () => {
    expect([restored.code, restored.message]).toEqual([0, '']);
    const { copies, large, archived } = expectMigrated(world, before, keyArnOf(world));
    expect(copies).toBeGreaterThan(150);
    expect(large).toBeGreaterThan(0);
    expect(archived).toBeGreaterThan(0);
  });
});

describe('migrate run --engine direct in a bucket with Object Lock and ACLs', () => {
  const BUCKET = 'demo-locked';
  let world: MigrationWorld;
  let result: MigrationRun;
  const retainUntil = new Date(Date.now() + 30 * 86_400_000);
  const marked = new Map<string, ObjectVersion>();
  let heldKey: string | undefined;

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        { name: BUCKET, versions: 200, versionsPerKey: 1, versioning: 'Enabled', encryption: { 'NOT-SSE': 1 }, objectLockEnabled: true },
      ],
      config: { buckets: [{ name: BUCKET, usesAcls: true, objectLock: true }] },
    });
    // Retention, a legal hold and a public-read ACL on some of the unencrypted versions: a plain copy drops all three.
    const b = world.sandbox.world.s3.bucket(BUCKET);
    // A bucket that uses ACLs has them enabled (ownership other than BucketOwnerEnforced).
    b.ownership = 'ObjectWriter';
    let i = 0;
    for (const key of b.keys()) {
      const v = b.latest(key)!;
      const settings = [
        { objectLock: { mode: 'GOVERNANCE' as const, retainUntil } },
        { objectLock: { legalHold: 'ON' as const } },
        { acl: 'public-read' },
      ][i++ % 4];
      if (!settings) {
        // One SSE-S3 version under legal hold: UpdateObjectEncryption refuses it, so it is copied instead.
        if (!heldKey) {
          heldKey = key;
          b.replace({ ...v, encryption: { status: 'SSE-S3', bucketKeyEnabled: false }, objectLock: { legalHold: 'ON' } });
        }
        continue;
      }
      const changed = { ...v, ...settings };
      b.replace(changed);
      marked.set(key, changed);
    }
    await world.deliverInventory();
    result = await runMigrationIn(world, { engine: 'direct', direct: { concurrency: 8 } });
  });
  afterAll(() => world?.close());

  it('copies the SSE-S3 version under legal hold that UpdateObjectEncryption would refuse, keeping the hold (exit 0)', () => {
    expect([result.code, result.message]).toEqual([0, '']);
    const latest = world.sandbox.world.s3.bucket(BUCKET).latest(heldKey!)!;
    expect([
      latest.encryption.status,
      latest.objectLock.legalHold,
      world.sandbox.world.s3.bucket(BUCKET).versionsOf(heldKey!).length,
    ]).toEqual(['SSE-KMS', 'ON', 2]);
  });

  it('copies every unencrypted version, keeping its retention, legal hold and ACL on the new version', () => {
    const b = world.sandbox.world.s3.bucket(BUCKET);
    expect(marked.size).toBeGreaterThan(100);
    for (const [key, was] of marked) {
      const latest = b.latest(key)!;
      expect([key, latest.versionId === was.versionId, latest.encryption.status]).toEqual([key, false, 'SSE-KMS']);
      expect([key, latest.objectLock.mode, latest.objectLock.retainUntil?.getTime(), latest.objectLock.legalHold, latest.acl]).toEqual([
        key,
        was.objectLock.mode,
        was.objectLock.retainUntil?.getTime(),
        was.objectLock.legalHold,
        was.acl,
      ]);
    }
  });
});

describe('run flags of the direct engine', () => {
  it.each([
    [['--engine', 'fast'], '--engine must be batch or direct. Received: fast'],
    [['--engine', 'direct', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 1000, in decimal digits. Received: 0'],
    [
      ['--engine', 'direct', '--concurrency', '2.5'],
      '--concurrency must be a whole number from 1 to 1000, in decimal digits. Received: 2.5',
    ],
    [['--engine', 'direct', '--archived', 'ignore'], '--archived must be copy or report. Received: ignore'],
    [['--from-listing'], '--from-listing works with --engine direct only'],
    [['--update-by-copy'], '--update-by-copy works with --engine direct only'],
  ])('%j exits 2 before touching AWS: %s', async (flags, message) => {
    const { main } = await import('../../runner/cli');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['run', '--stack', 'demo', '--outputs-file', '/nonexistent/outputs.json', '--json', ...flags]);
    const written = stderr.mock.calls.map((c) => String(c[0])).join('');
    const record = JSON.parse(
      stdout.mock.calls
        .map((c) => String(c[0]))
        .join('')
        .trim(),
    ) as { type: string; code: number; message: string };
    stderr.mockRestore();
    stdout.mockRestore();
    expect([code, written]).toEqual([2, expect.stringContaining(message)]);
    // The same error as a JSON line for pipelines.
    expect(record).toEqual({ type: 'error', code: 2, message: expect.stringContaining(message) });
  });
});
