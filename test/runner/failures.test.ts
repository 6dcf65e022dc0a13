// No failure is ever dropped: 20,000 versions failing in one pass are all kept (the newest in the
// state, the rest in objects beside it) and the next run retries exactly those.
import { PassThrough } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { openContext } from '../../runner/context';
import { runMigration } from '../../runner/commands/run';
import { proveWrites } from '../../runner/engine/write-probe';
import type { RunnerError } from '../../runner/errors';
import { createOutput } from '../../runner/output';
import { StateStore } from '../../runner/state';
import { clientsFor } from '../../rehearsal/clients';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const VERSIONS = 20_000;
const quiet = () => createOutput({ json: true, stream: new PassThrough().resume() });

describe('a pass in which 20,000 versions fail', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [{ name: BUCKET, versions: VERSIONS, versioning: 'Enabled', encryption: { 'SSE-S3': 1 }, tagRate: 0, metadataRate: 0 }] });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  const sseS3Left = () => [...world.sandbox.world.s3.versions(BUCKET)].filter((v) => !v.version.isDeleteMarker && v.version.encryption.status === 'SSE-S3').length;

  it('keeps every failure, and the next run retries exactly those until none is left', async () => {
    // One attempt per call, so each injected error is a failure and not a retry.
    const clients = clientsFor(world.sandbox.endpoint, 1);
    try {
      const ctx = openContext({ stack: world.stack, outputsFile: world.outputsFile, json: true }, clients);
      // The write probe passes first, on an endpoint that works; then every UpdateObjectEncryption fails.
      await proveWrites(ctx, ['update-encryption'], quiet());
      world.sandbox.faults.configure({ rules: [{ service: 's3', operation: 'UpdateObjectEncryption', errorRate: 1 }] });
      const failed = await runMigration(ctx, { engine: 'direct', direct: { concurrency: 64 } }, quiet()).catch((e: RunnerError) => e);
      world.sandbox.faults.clear();
      expect(typeof failed === 'number' ? failed : failed.exitCode).toBe(20);
      expect((failed as RunnerError).message).toMatch(/demo-app-assets: 20,000 versions failed \(InternalError x20000\).*objects beside it under state\/failures\/, every one retried by the next run/);
      expect(sseS3Left()).toBe(VERSIONS);

      // The state stays small: most failures live in objects of their own.
      const store = new StateStore(clients.s3, ctx.outputs.reports_bucket, ctx.outputs);
      const pass = (await store.load(world.stack)).direct![`direct:${BUCKET}`];
      expect(pass.failures.length).toBeLessThan(5_000);
      expect((pass.spilledFailures ?? 0) + pass.failures.length).toBe(VERSIONS);
      const chunks = await clients.s3.send(new ListObjectsV2Command({ Bucket: ctx.outputs.reports_bucket, Prefix: `${ctx.outputs.reports_prefix}state/failures/` }));
      expect(chunks.Contents?.length).toBe(pass.failureChunks?.length);

      const retried = await runMigration(world.context(), { engine: 'direct', direct: { concurrency: 64 } }, quiet()).catch((e: RunnerError) => e);
      expect(retried).toBe(0);
      expect(sseS3Left()).toBe(0);
      const after = (await new StateStore(clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(world.stack)).direct![`direct:${BUCKET}`];
      expect([after.outcomes.updated, after.failures.length, after.spilledFailures ?? 0]).toEqual([VERSIONS, 0, 0]);
    } finally {
      clients.destroy();
    }
  }, 240_000);
});
