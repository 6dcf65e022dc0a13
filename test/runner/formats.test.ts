// The whole runner cycle (plan, run with each engine, verify, expire) over CSV and Parquet
// inventories: the runner's SQL runs unchanged on strings (CSV) and typed columns (Parquet).
import { GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { expireNoncurrentVersions } from '../../runner/engine/expire';
import { runMigration, type RunOptions } from '../../runner/commands/run';
import { verifyMigration } from '../../runner/engine/verify';
import { EXPIRATION_RULE_ID } from '../../runner/core/lifecycle-merge';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { outcomeOf, quietOutput } from './support/runner-output';

const BUCKET = 'demo-app-assets';

describe.each([
  ['CSV', 'batch'],
  ['CSV', 'direct'],
  ['Parquet', 'batch'],
  ['Parquet', 'direct'],
] as const)('the %s inventory, %s engine', (format, engine) => {
  let world: MigrationWorld;
  let dataKeys: string[] = [];

  beforeAll(async () => {
    world = await startMigrationWorld({
      format,
      buckets: [
        {
          name: BUCKET,
          versions: 300,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 2, 'NOT-SSE': 2 },
          hardKeyRate: 0.2,
          deleteMarkerRate: 0.05,
        },
      ],
    });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await world.deliverInventory(new Date(hour - 3_600_000));
    const outputs = world.context().outputs;
    dataKeys = world.sandbox.world.s3
      .listObjects(outputs.inventory_bucket, { maxKeys: 1000 })
      .objects.map((o) => o.key)
      .filter((k) => k.includes('/data/'));
  }, 120_000);
  afterAll(() => world?.close());

  it('runs, verifies and expires', async () => {
    const options: RunOptions = engine === 'direct' ? { engine, direct: { concurrency: 8 } } : { pollMs: 20 };
    expect(await outcomeOf(runMigration(world.context(), options, quietOutput()))).toEqual({ code: 0, message: '' });
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000));
    expect(await outcomeOf(verifyMigration(world.context(), { method: 'inventory' }, quietOutput()))).toEqual({ code: 0, message: '' });
    expect(await outcomeOf(expireNoncurrentVersions(world.context(), {}, quietOutput()))).toEqual({ code: 0, message: '' });
    const rules = (await world.clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules ?? [];
    expect(rules.map((r) => r.ID)).toContain(EXPIRATION_RULE_ID);
  }, 120_000);

  it(`reads ${format} data files`, () => {
    for (const bucket of Object.values(world.context().outputs.buckets)) expect(bucket.inventory_format).toBe(format);
    expect(dataKeys.length).toBeGreaterThan(0);
    for (const key of dataKeys) expect(key).toMatch(format === 'Parquet' ? /\.parquet$/ : /\.csv\.gz$/);
  });
});
