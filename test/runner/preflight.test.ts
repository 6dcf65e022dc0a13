// Preflight refuses to start when anything the migration relies on is off, naming each problem and
// the fix, with exit code 4 and nothing written.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelKeyDeletionCommand, DisableKeyCommand, EnableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { ListObjectsV2Command, PutBucketEncryptionCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { openContext } from '../../runner/context';
import { preflight } from '../../runner/engine/preflight';
import { main } from '../../runner/cli';
import { PreflightError } from '../../runner/errors';
import type { StackOutputs } from '../../stacks/outputs';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

let world: MigrationWorld;
let dir: string;

beforeAll(async () => {
  world = await startMigrationWorld({ buckets: [{ name: 'demo-app-assets', versions: 50, versioning: 'Enabled' }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
});
afterAll(async () => {
  await world?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function outputs(): StackOutputs {
  return world.context().outputs;
}

/** A context over outputs changed in one field, as a wrong or stale outputs file would be. */
function contextWith(change: Partial<StackOutputs>) {
  const file = path.join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ demo: { ...outputs(), ...change } }));
  return openContext({ stack: 'demo', outputsFile: file, json: true }, world.clients);
}

async function problemsOf(ctx = world.context(), now?: Date): Promise<string[]> {
  try {
    await preflight(ctx, { now });
  } catch (error) {
    if (error instanceof PreflightError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('preflight', () => {
  it('says the first inventory can take 48 hours when there is none yet', async () => {
    expect(await problemsOf()).toEqual([
      expect.stringMatching(
        /^bucket demo-app-assets: no inventory report yet in s3:\/\/.+: the first report can take up to 48 hours after the stack is deployed; run again later, or rehearse without one: `migrate plan --from-listing`, `migrate run --engine direct --from-listing`$/,
      ),
    ]);
  });

  it('refuses an inventory older than the limit', async () => {
    await world.deliverInventory(new Date(Date.UTC(2026, 0, 1, 1)));
    expect(await problemsOf(world.context(), new Date(Date.UTC(2026, 0, 5, 1)))).toEqual([
      expect.stringMatching(
        /newest inventory \(2026-01-01-01-00\) is 96 hours old, over the 48-hour limit: check the inventory configuration is enabled, or pass --max-inventory-age-hours/,
      ),
    ]);
  });

  it('passes once a fresh inventory is there', async () => {
    await world.deliverInventory();
    expect(await problemsOf()).toEqual([]);
  });

  it('refuses credentials of another account', async () => {
    expect(await problemsOf(contextWith({ account_id: '210987654321' }))).toContainEqual(
      'the credentials belong to account 123456789012, the stack to 210987654321: use credentials of account 210987654321',
    );
  });

  it('refuses a key that is not the one the alias names', async () => {
    const other = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000';
    expect(await problemsOf(contextWith({ kms_key_arn: other }))).toContainEqual(
      expect.stringMatching(/^alias alias\/s3-migration-demo names arn:aws:kms:.+, not the stack's key .*00000000-0000/),
    );
  });

  it('refuses a disabled key', async () => {
    await world.clients.kms.send(new DisableKeyCommand({ KeyId: outputs().kms_key_arn }));
    try {
      expect(await problemsOf()).toContainEqual(expect.stringMatching(/^KMS key .+ is Disabled: enable it/));
    } finally {
      await world.clients.kms.send(new EnableKeyCommand({ KeyId: outputs().kms_key_arn }));
    }
  });

  it('names a key scheduled for deletion out of band, its date and how to cancel the deletion', async () => {
    const arn = outputs().kms_key_arn;
    await world.clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    try {
      const problems = await problemsOf();
      expect(problems).toContainEqual(
        expect.stringMatching(
          /^KMS key .+ is scheduled for deletion on \d{4}-.+aws kms cancel-key-deletion --key-id arn:aws:kms:.+ && aws kms enable-key/,
        ),
      );
      expect(problems.filter((p) => p.startsWith(`KMS key ${arn}`))).toHaveLength(1);
    } finally {
      await world.clients.kms.send(new CancelKeyDeletionCommand({ KeyId: arn }));
      await world.clients.kms.send(new EnableKeyCommand({ KeyId: arn }));
    }
  });

  it('refuses a bucket whose default encryption is not the key, or whose versioning is off', async () => {
    await world.clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'demo-app-assets',
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    );
    await world.clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: 'demo-app-assets', VersioningConfiguration: { Status: 'Suspended' } }),
    );
    const problems = await problemsOf();
    expect(problems).toContainEqual(
      expect.stringMatching(/^bucket demo-app-assets: default encryption is AES256, not aws:kms with .+: deploy the stack/),
    );
    expect(problems).toContainEqual(
      'bucket demo-app-assets: versioning is Suspended, the stack declares Enabled: deploy the stack before copying in place',
    );
    await world.clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'demo-app-assets',
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: outputs().kms_key_arn },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    await world.clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: 'demo-app-assets', VersioningConfiguration: { Status: 'Enabled' } }),
    );
  });

  it('refuses a missing Athena workgroup', async () => {
    expect(await problemsOf(contextWith({ athena_workgroup: 'no-such-workgroup' }))).toContainEqual(
      'Athena workgroup no-such-workgroup does not exist: deploy the stack',
    );
  });

  it('exits 4 through the CLI, and writes nothing to the reports bucket', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ demo: { ...outputs(), account_id: '210987654321' } }));
    // Earlier checks of the inventory left Athena's query results there; this run must add nothing.
    const stored = async () => {
      const listed = await world.clients.s3.send(new ListObjectsV2Command({ Bucket: outputs().reports_bucket, Prefix: 'demo/' }));
      return (listed.Contents ?? []).map((o) => o.Key!).filter((k) => !k.startsWith('demo/state/lock'));
    };
    const before = await stored();
    const saved = { ...process.env };
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: world.sandbox.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-east-1',
    });
    try {
      expect(await main(['run', '--stack', 'demo', '--outputs-file', file, '--json'])).toBe(4);
      expect(String(stderr.mock.calls.map((c) => c[0]).join(''))).toContain('Preflight failed; nothing was written');
      expect(String(stdout.mock.calls.map((c) => c[0]).join(''))).toContain(
        '{"type":"error","code":4,"message":"Preflight failed; nothing was written',
      );
    } finally {
      process.env = saved;
      stderr.mockRestore();
      stdout.mockRestore();
    }
    expect(await stored()).toEqual(before);
    expect(before.filter((k) => !k.startsWith('demo/athena-results/'))).toEqual([]);
  });
});
