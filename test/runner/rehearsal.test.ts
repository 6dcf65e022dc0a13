// Rehearsal without an inventory: plan --from-listing, the "no inventory yet" message that names it,
// a direct-engine run priced without Batch Operations, and a new --from-listing run that lists again.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { runMigration } from '../../runner/commands/run';
import { runCli } from './support/cli';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, outcomeOf } from './support/runner-output';

const BUCKET = 'demo-app-assets';

const cli = runCli;

describe('a stack with no inventory yet', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        { name: BUCKET, versions: 300, versionsPerKey: 2, versioning: 'Enabled', encryption: { 'SSE-S3': 2, 'NOT-SSE': 1, 'SSE-C': 0.2 } },
      ],
    });
  });
  afterAll(() => world?.close());

  it('plan says so (exit 4) and names the rehearsal without one', async () => {
    const result = await cli(world, ['plan']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no inventory report yet');
    expect(result.stderr).toContain('`migrate plan --from-listing`');
  });

  it('plan --from-listing classifies every version from a listing, priced for the direct engine', async () => {
    const result = await cli(world, ['plan', '--from-listing']);
    expect(result.code).toBe(0);
    const records = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
    const plan = defined(records.filter((r) => r.type === 'bucket-plan')[0], 'plan');
    const versions = [...world.sandbox.world.s3.versions(BUCKET)].filter((v) => !v.version.isDeleteMarker);
    const counted = Object.values(plan.byAction as Record<string, { versions: number }>).reduce((n, a) => n + a.versions, 0);
    expect(counted).toBe(versions.length);
    const sseC = versions.filter((v) => v.version.encryption.status === 'SSE-C').length;
    expect(plan.byAction['sse-c'].versions).toBe(sseC);
    const estimate = defined(records.filter((r) => r.type === 'estimate')[0], 'estimate');
    expect(estimate.lines.map((l: { item: string }) => l.item).join('\n')).not.toMatch(/Batch Operations/);
  });

  it('a direct run shows no Batch Operations job or job price; a new --from-listing run lists the bucket again', async () => {
    const first = captureOutput();
    expect((await runMigration(world.context(), { engine: 'direct', direct: { fromListing: true } }, first.output)).exitCode).toBe(0);
    for (const r of first.records.filter((x) => x.type === 'estimate')) expect(JSON.stringify(r.lines)).not.toMatch(/Batch Operations/);
    // Written after the first run finished its listing: only a new listing finds it.
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'late/arrival.txt', Body: 'late', ServerSideEncryption: 'AES256' }),
    );
    const second = captureOutput();
    expect(await outcomeOf(runMigration(world.context(), { engine: 'direct', direct: { fromListing: true } }, second.output))).toEqual({
      code: 0,
      message: '',
    });
    const late = world.sandbox.world.s3.bucket(BUCKET).versionsOf('late/arrival.txt').at(-1)!;
    const keyArn = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack].kms_key_arn;
    expect(late.encryption).toEqual({ status: 'SSE-KMS', kmsKeyArn: keyArn, bucketKeyEnabled: true });
  });
});
