// Following Batch Operations jobs costs S3 writes per change of a job, not per polling round: a
// long job that polls many times without moving on writes neither the state nor the lock each round.
import { runMigration } from '../../runner/commands/run';
import { meterRequests } from '../../sandbox';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { quietOutput } from './support/runner-output';

const BUCKET = { name: 'demo-app-assets', versions: 40, versionsPerKey: 1, versioning: 'Enabled' as const, encryption: { 'SSE-S3': 1 } };

describe('following a job that does not move', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    // One task in a thousand seconds: the job stays where it is while the runner polls.
    world = await startMigrationWorld({ buckets: [BUCKET], tasksPerSecond: 0.001 });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('polls many times and writes the state and the lock only a few', async () => {
    expect((await runMigration(world.context(), { follow: false }, quietOutput())).exitCode).toBe(10);
    const meter = meterRequests(world.sandbox);
    const abort = new AbortController();
    const stop = setTimeout(() => abort.abort(), 2500);
    try {
      expect((await runMigration(world.context(), { pollMs: 1, signal: abort.signal }, quietOutput())).exitCode).toBe(10);
    } finally {
      clearTimeout(stop);
    }
    const counts = meter.counts().byOperation;
    expect(counts['s3-control:DescribeJob']).toBeGreaterThanOrEqual(10);
    // Taking the lock, and a state save per change of the job's status: not one per round.
    expect(counts['s3:PutObject'] ?? 0).toBeLessThanOrEqual(4);
  });
});
