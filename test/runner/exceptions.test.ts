// SSE-C and DSSE-KMS current versions have a way forward: a bucket may opt in to copying DSSE-KMS in
// place, and accept named classes as reported exceptions that verify counts apart.
import * as fs from 'node:fs';
import { runMigration } from '../../runner/commands/run';
import { verifyMigration } from '../../runner/engine/verify';
import type { ObjectVersion } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, outcomeOf } from './support/runner-output';

const OPTED = 'demo-app-assets';
const PLAIN = 'demo-app-logs';
const HOUR = 3_600_000;

describe('buckets with SSE-C and DSSE-KMS current versions', () => {
  let world: MigrationWorld;
  let keyArn: string;
  const currentBefore = new Map<string, Map<string, ObjectVersion>>();
  const seed = (name: string) => ({
    name,
    versions: 300,
    versionsPerKey: 2,
    versioning: 'Enabled' as const,
    encryption: { 'SSE-S3': 2, 'SSE-C': 1, 'DSSE-KMS': 1, 'NOT-SSE': 1 },
    tagRate: 0.5,
  });

  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [seed(OPTED), seed(PLAIN)],
      bucketConfig: { [OPTED]: { dsseKms: { migrate: true }, acceptRemaining: ['SSE-C'] } },
    });
    keyArn = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn;
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    await world.deliverInventory(new Date(hour - HOUR));
    for (const name of [OPTED, PLAIN]) {
      const b = world.sandbox.world.s3.bucket(name);
      currentBefore.set(name, new Map([...b.keys()].map((k) => [k, b.versionsOf(k).at(-1)!])));
    }
    expect((await runMigration(world.context(), { pollMs: 20 }, captureOutput().output)).exitCode).toBe(0);
    // The next report as a day later brings it.
    await world.backdateMigration(2 * HOUR);
    await world.deliverInventory(new Date(hour));
  });
  afterAll(() => world?.close());

  it('copies current DSSE-KMS versions in place where the bucket opted in, keeping their tags, and leaves them elsewhere', () => {
    for (const [bucket, migrated] of [
      [OPTED, true],
      [PLAIN, false],
    ] as const) {
      const b = world.sandbox.world.s3.bucket(bucket);
      let dsse = 0;
      for (const [key, was] of currentBefore.get(bucket)!) {
        if (was.isDeleteMarker || was.encryption.status !== 'DSSE-KMS') continue;
        dsse++;
        const now = b.versionsOf(key).at(-1)!;
        if (migrated) {
          expect([key, now.encryption, now.tags, now.metadata, now.size, now.storageClass]).toEqual([
            key,
            { status: 'SSE-KMS', kmsKeyArn: keyArn, bucketKeyEnabled: true },
            was.tags,
            was.metadata,
            was.size,
            was.storageClass,
          ]);
          expect(now.versionId).not.toBe(was.versionId);
        } else {
          expect([key, now.versionId]).toEqual([key, was.versionId]);
        }
      }
      expect(dsse).toBeGreaterThan(5);
    }
  });

  it('passes the opted-in bucket with its SSE-C versions counted apart and named, and fails the other naming SSE-C and DSSE-KMS', async () => {
    const { output, records } = captureOutput();
    const { code, message } = await outcomeOf(verifyMigration(world.context(), { method: 'inventory' }, output));
    expect(code).toBe(20);
    expect(message).toMatch(
      /bucket demo-app-logs: \d+ current versions are not SSE-KMS under the stack's key .*sse-c.*dsse-kms|dsse-kms.*sse-c/,
    );
    expect(message).not.toContain('demo-app-assets');
    const byBucket = new Map(records.filter((r) => r.type === 'bucket-verification').map((r) => [r.bucket, r as Record<string, any>]));
    const opted = byBucket.get(OPTED)!;
    expect(opted.passed).toBe(true);
    expect(opted.current.nonCompliant).toBe(0);
    expect(opted.current.accepted['sse-c']).toBeGreaterThan(5);
    expect(opted.current.acceptedSample.length).toBeGreaterThan(0);
    expect(opted.current.acceptedSample.every((s: { reason: string }) => s.reason === 'sse-c')).toBe(true);
    // The world agrees: every current SSE-C version of the opted-in bucket was counted as accepted.
    const b = world.sandbox.world.s3.bucket(OPTED);
    const sseC = [...b.keys()]
      .map((k) => b.versionsOf(k).at(-1)!)
      .filter((v) => !v.isDeleteMarker && v.encryption.status === 'SSE-C').length;
    expect(opted.current.accepted['sse-c']).toBe(sseC);
    expect(byBucket.get(PLAIN)!.current.byReason).toMatchObject({ 'sse-c': expect.any(Number), 'dsse-kms': expect.any(Number) });
  });
});
