// No failure is ever dropped: 20,000 versions failing in one pass are all kept (the newest in the
// state, the rest in objects beside it) and the next run retries exactly those.
import { defined } from '../support/defined';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { openContext } from '../../runner/context';
import { runMigration } from '../../runner/commands/run';
import { proveWrites } from '../../runner/engine/write-probe';
import { StateStore, type DirectPassRecord } from '../../runner/state';
import { clientsFor } from '../../rehearsal/clients';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { outcomeOf, quietOutput, type Outcome } from './support/runner-output';

const BUCKET = 'demo-app-assets';
const VERSIONS = 20_000;

describe('a pass in which 20,000 versions fail', () => {
  let world: MigrationWorld;
  let failed: Outcome;
  let sseS3LeftAfterFailure: number;
  /** The failing pass as the state recorded it. */
  let failedPass: DirectPassRecord;
  let failureObjects: number | undefined;
  let retried: Outcome;
  let sseS3LeftAfterRetry: number;
  let retriedPass: DirectPassRecord;

  const sseS3Left = () =>
    [...world.sandbox.world.s3.versions(BUCKET)].filter((v) => !v.version.isDeleteMarker && v.version.encryption.status === 'SSE-S3')
      .length;

  // One world, one failing run and one retry, each examined by the tests below.
  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [{ name: BUCKET, versions: VERSIONS, versioning: 'Enabled', encryption: { 'SSE-S3': 1 }, tagRate: 0, metadataRate: 0 }],
    });
    await world.deliverInventory();
    // One attempt per call, so each injected error is a failure and not a retry.
    const clients = clientsFor(world.sandbox.endpoint, 1);
    try {
      const ctx = openContext({ stack: world.stack, outputsFile: world.outputsFile, json: true }, clients);
      // The write probe passes first, on an endpoint that works; then every UpdateObjectEncryption fails.
      await proveWrites(ctx, ['update-encryption'], quietOutput());
      world.sandbox.faults.configure({ rules: [{ service: 's3', operation: 'UpdateObjectEncryption', errorRate: 1 }] });
      failed = await outcomeOf(runMigration(ctx, { engine: 'direct', direct: { concurrency: 64 } }, quietOutput()));
      world.sandbox.faults.clear();
      sseS3LeftAfterFailure = sseS3Left();
      const store = new StateStore(clients.s3, ctx.outputs.reports_bucket, ctx.outputs);
      failedPass = defined((await store.load(world.stack)).direct![`direct:${BUCKET}`], 'the failed pass');
      const chunks = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: ctx.outputs.reports_bucket, Prefix: `${ctx.outputs.reports_prefix}state/failures/` }),
      );
      failureObjects = chunks.Contents?.length;

      retried = await outcomeOf(runMigration(world.context(), { engine: 'direct', direct: { concurrency: 64 } }, quietOutput()));
      sseS3LeftAfterRetry = sseS3Left();
      const retriedState = await new StateStore(clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(world.stack);
      retriedPass = defined(retriedState.direct![`direct:${BUCKET}`], 'the retried pass');
    } finally {
      clients.destroy();
    }
  }, 240_000);
  afterAll(() => world?.close());

  it('ends with exit 20, naming how many failed, why, and that the next run retries every one', () => {
    expect(failed.code).toBe(20);
    expect(failed.message).toMatch(
      /demo-app-assets: 20,000 versions failed \(InternalError x20000\).*objects beside it under state\/failures\/, every one retried by the next run/,
    );
    expect(sseS3LeftAfterFailure).toBe(VERSIONS);
  });

  it('keeps every failure, most of them in objects beside the state so the state stays small', () => {
    expect(failedPass.failures.length).toBeLessThan(5_000);
    expect((failedPass.spilledFailures ?? 0) + failedPass.failures.length).toBe(VERSIONS);
    expect(failureObjects).toBe(failedPass.failureChunks?.length);
  });

  it('retries exactly those in the next run, until none is left', () => {
    expect(retried).toEqual({ code: 0, message: '' });
    expect(sseS3LeftAfterRetry).toBe(0);
    expect([retriedPass.outcomes.updated, retriedPass.failures.length, retriedPass.spilledFailures ?? 0]).toEqual([VERSIONS, 0, 0]);
  });
});
