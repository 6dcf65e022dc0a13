// The end of the migration against the sandbox: batch run, fresh inventory, verify, expire; every existing lifecycle rule survives byte for byte.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { main } from '../../runner/cli';
import { expireNoncurrentVersions, FORCE_ACKNOWLEDGEMENT, type ExpireOptions } from '../../runner/engine/expire';
import { runMigration } from '../../runner/commands/run';
import { RUNNER_MAX_ATTEMPTS, openContext } from '../../runner/context';
import { showStatus } from '../../runner/engine/status';
import { verifyMigration, type VerifyOptions } from '../../runner/engine/verify';
import { EXPIRATION_RULE_ID } from '../../runner/core/lifecycle-merge';
import { createOutput } from '../../runner/output';
import { StateStore } from '../../runner/state';
import { clientsFor } from '../../rehearsal/clients';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { captureOutput, outcomeOf } from './support/runner-output';

const ASSETS = 'demo-app-assets';
const LAKE = 'demo-data-lake';
const LOGS = 'demo-logs';

// Rules people already have, of every shape S3 accepts; they must come back untouched.
const ASSETS_RULES: LifecycleRule[] = [
  { ID: 'logs-to-ia', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }] },
  { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } },
  {
    ID: 'archive-tagged-reports',
    Status: 'Enabled',
    Filter: {
      And: {
        Prefix: 'reports/',
        Tags: [
          { Key: 'archive', Value: 'yes' },
          { Key: 'team', Value: 'finance' },
        ],
        ObjectSizeGreaterThan: 1024,
      },
    },
    Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
  },
  { ID: 'abort-multipart', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
  {
    ID: 'noncurrent-to-glacier',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: 'GLACIER' }],
  },
  {
    ID: 'payments-delete-markers',
    Status: 'Disabled',
    Filter: { Tag: { Key: 'team', Value: 'payments' } },
    Expiration: { ExpiredObjectDeleteMarker: true },
  },
];
const LAKE_RULES: LifecycleRule[] = [
  { ID: 'curated-to-ia', Status: 'Enabled', Filter: { Prefix: 'curated/' }, Transitions: [{ Days: 60, StorageClass: 'STANDARD_IA' }] },
];

describe('migrate verify and migrate expire against the sandbox', () => {
  let world: MigrationWorld;
  let keyArn: string;
  let noncurrentDays: number;
  let runCode: number;
  const rulesJson = new Map<string, string>();

  const lifecycleOf = async (bucket: string): Promise<LifecycleRule[] | undefined> => {
    try {
      return (await world.clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchLifecycleConfiguration') return undefined;
      throw error;
    }
  };
  const verify = (options: VerifyOptions = {}, output = captureOutput().output) =>
    outcomeOf(verifyMigration(world.context(), options, output));
  const expire = (options: ExpireOptions = {}, output = captureOutput().output) =>
    outcomeOf(expireNoncurrentVersions(world.context(), options, output));
  const stateOf = async () =>
    new StateStore(world.clients.s3, world.context().outputs.reports_bucket, world.context().outputs).load(world.stack);
  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        {
          name: ASSETS,
          versions: 6000,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 5, 'NOT-SSE': 3 },
          storageClasses: { STANDARD: 3, STANDARD_IA: 1 },
          deleteMarkerRate: 0.02,
        },
        {
          name: LAKE,
          versions: 4000,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 },
          objectLockEnabled: true,
        },
        { name: LOGS, versions: 200, versionsPerKey: 2, versioning: 'Enabled', encryption: { 'SSE-S3': 1 } },
      ],
    });
    const outputs = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack];
    keyArn = outputs.kms_key_arn;
    noncurrentDays = outputs.noncurrent_days;
    for (const [bucket, rules] of [
      [ASSETS, ASSETS_RULES],
      [LAKE, LAKE_RULES],
    ] as const) {
      await world.clients.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
      rulesJson.set(bucket, JSON.stringify(await lifecycleOf(bucket)));
    }
    // The plan's inventory an hour back, so the fresh one after the jobs is another partition.
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await world.deliverInventory(new Date(hour - 3_600_000));
    runCode = (await runMigration(world.context(), { pollMs: 20 }, captureOutput().output)).exitCode;

    // Two old versions of the lake stay held by Object Lock: lifecycle cannot remove them.
    const held = [...world.sandbox.world.s3.versions(LAKE)]
      .filter((v) => !v.isLatest && !v.version.isDeleteMarker)
      .slice(0, 2)
      .map((v) => v.version);
    const [first, second] = held;
    if (!first || !second) throw new Error(`the lake needs two noncurrent versions, found ${held.length}`);
    await world.clients.s3.send(
      new PutObjectLegalHoldCommand({ Bucket: LAKE, Key: first.key, VersionId: first.versionId, LegalHold: { Status: 'ON' } }),
    );
    await world.clients.s3.send(
      new PutObjectRetentionCommand({
        Bucket: LAKE,
        Key: second.key,
        VersionId: second.versionId,
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 30 * 86_400_000) },
      }),
    );

    // After the jobs, someone writes two non-compliant current versions into the logs bucket.
    await world.clients.s3.send(new PutObjectCommand({ Bucket: LOGS, Key: 'late/sse-s3.log', Body: 'x', ServerSideEncryption: 'AES256' }));
    const otherKey = (await world.clients.kms.send(new CreateKeyCommand({ Description: 'another team' }))).KeyMetadata!.Arn!;
    await world.clients.s3.send(
      new PutObjectCommand({
        Bucket: LOGS,
        Key: 'late/other-key.log',
        Body: 'y',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: otherKey,
        BucketKeyEnabled: true,
      }),
    );
    // S3 labels a report with the hour its snapshot starts; one taken after the jobs is labelled after
    // their end. The test cannot wait for the next hour, so the jobs' recorded ends move two hours back,
    // as if the report came in the day after the run.
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory(new Date(hour));
  });
  afterAll(() => world?.close());

  it('runs the batch migration to its end', () => {
    expect(runCode).toBe(0);
  });

  it('refuses to expire before verification, writing nothing', async () => {
    const result = await expire({ bucket: ASSETS });
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/bucket demo-app-assets has not been verified: run `migrate verify` until it passes/);
    expect(JSON.stringify(await lifecycleOf(ASSETS))).toBe(rulesJson.get(ASSETS));
  });

  it('refuses --force without its acknowledgement before touching AWS', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['expire', '--stack', world.stack, '--outputs-file', world.outputsFile, '--json', '--force']);
    stdout.mockRestore();
    expect(code).toBe(2);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(`--force requires ${FORCE_ACKNOWLEDGEMENT}`);
    stderr.mockRestore();
    expect(JSON.stringify(await lifecycleOf(ASSETS))).toBe(rulesJson.get(ASSETS));
  });

  it('passes migrated buckets from the inventory and fails the bucket with an SSE-S3 and an other-key current version', async () => {
    const { output, records } = captureOutput();
    const result = await verify({ method: 'inventory' }, output);
    expect(result.code).toBe(20);
    expect(result.message).toMatch(/bucket demo-logs: 2 current versions are not SSE-KMS under the stack's key/);
    expect(result.message).not.toMatch(/demo-app-assets|demo-data-lake/);
    const byBucket = new Map(records.filter((r) => r.type === 'bucket-verification').map((r) => [r.bucket, r]));
    for (const bucket of [ASSETS, LAKE]) {
      expect(byBucket.get(bucket)).toMatchObject({ passed: true, method: 'inventory', current: { nonCompliant: 0 } });
    }
    expect(byBucket.get(ASSETS)).toMatchObject({ noncurrent: { byReason: { 'not-encrypted': expect.any(Number) } } });
    expect(byBucket.get(LOGS)).toMatchObject({
      passed: false,
      current: { nonCompliant: 2, byReason: { 'sse-s3': 1, 'other-kms-key': 1 } },
    });
    const state = await stateOf();
    expect(state.verifications?.[ASSETS]).toMatchObject({ passed: true, method: 'inventory' });
    expect(state.verifications?.[LOGS]).toMatchObject({ passed: false });
  });

  it('verifies a small bucket by listing and HeadObject when its inventory snapshot predates the jobs', async () => {
    const { output, records } = captureOutput();
    // The jobs' ends back where they were: after the newest report's label.
    await world.backdateMigration(-2 * 3_600_000);
    const result = await verify({ bucket: LOGS }, output);
    expect(result.code).toBe(20);
    const verification = defined(records.filter((r) => r.type === 'bucket-verification')[0], 'verification');
    expect(verification).toMatchObject({ method: 'listing', current: { nonCompliant: 2, byReason: { 'sse-s3': 1, 'other-kms-key': 1 } } });
    expect((verification.current as { sample: { key: string }[] }).sample.map((s) => s.key).sort()).toEqual([
      'late/other-key.log',
      'late/sse-s3.log',
    ]);
  });

  it('refuses to list a bucket over --list-threshold instead (exit 4)', async () => {
    const result = await verify({ bucket: ASSETS, listThreshold: 100 });
    expect(result.code).toBe(4);
    expect(result.message).toMatch(
      /bucket demo-app-assets has no inventory snapshot newer than its last job .* more than 100 versions to list and HEAD/,
    );
  });

  it('says the impact is unknown, never 0, while the newest inventory predates the jobs', async () => {
    const { output, records } = captureOutput();
    expect((await expire({ bucket: ASSETS, dryRun: true }, output)).code).toBe(0);
    const dry = defined(records.filter((r) => r.type === 'bucket-expiration')[0], 'dry');
    expect(dry.impact).toEqual({
      unknown: expect.stringMatching(
        /newest inventory \(\d{4}-\d{2}-\d{2}-\d{2}-00\) predates the migration's last change .* run --dry-run again after the next inventory delivery/,
      ),
    });
    // The report after the jobs, as the next day brings it.
    await world.backdateMigration(2 * 3_600_000);
  });

  it('dry run shows the rules before -> after and the impact, and writes nothing', async () => {
    const { output, records } = captureOutput();
    expect((await expire({ bucket: ASSETS, dryRun: true }, output)).code).toBe(0);
    const dry = defined(records.filter((r) => r.type === 'bucket-expiration')[0], 'dry');
    expect(dry).toMatchObject({ action: 'added', dryRun: true });
    expect((dry.changes as { id: string; change: string }[]).map((c) => [c.id, c.change])).toEqual([
      ...ASSETS_RULES.map((r) => [r.ID, 'kept']),
      [EXPIRATION_RULE_ID, 'added'],
    ]);
    const impact = dry.impact as Record<string, number | undefined>;
    expect(impact.supersededVersions).toBeGreaterThan(0);
    expect(impact.beyondVersions).toBeGreaterThan(0);
    expect(impact.versions).toBe(
      defined(impact.supersededVersions, 'superseded versions') + defined(impact.beyondVersions, 'versions beyond'),
    );
    expect(impact.lockedVersions).toBe(0);
    expect(JSON.stringify(await lifecycleOf(ASSETS))).toBe(rulesJson.get(ASSETS));
  });

  it('expires noncurrent versions of verified buckets, keeping every existing rule byte for byte', async () => {
    for (const bucket of [ASSETS, LAKE]) {
      expect(await expire({ bucket })).toEqual({ code: 0, message: '' });
      const rules = (await lifecycleOf(bucket))!;
      expect(JSON.stringify(rules.filter((r) => r.ID !== EXPIRATION_RULE_ID))).toBe(rulesJson.get(bucket));
      expect(rules.find((r) => r.ID === EXPIRATION_RULE_ID)).toMatchObject({
        Status: 'Enabled',
        Filter: { Prefix: '' },
        NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays },
      });
    }
    // The end state: every current version compliant, every old unencrypted one noncurrent and so under the rule.
    for (const bucket of [ASSETS, LAKE]) {
      for (const { version, isLatest } of world.sandbox.world.s3.versions(bucket)) {
        if (version.isDeleteMarker) continue;
        if (isLatest)
          expect([version.key, version.encryption]).toEqual([
            version.key,
            { status: 'SSE-KMS', kmsKeyArn: keyArn, bucketKeyEnabled: true },
          ]);
        else if (version.encryption.status === 'NOT-SSE') expect(isLatest).toBe(false);
      }
    }
    expect((await stateOf()).expiration?.[ASSETS]).toMatchObject({
      ruleId: EXPIRATION_RULE_ID,
      action: 'added',
      forced: false,
      noncurrentDays,
    });
  });

  it('reports the versions Object Lock holds, which the rule cannot remove', async () => {
    const { output, records } = captureOutput();
    expect((await expire({ bucket: LAKE, dryRun: true }, output)).code).toBe(0);
    const impact = records.find((r) => r.type === 'bucket-expiration')!.impact as {
      lockedVersions: number;
      lockedSample: { legalHold: string; mode: string }[];
    };
    expect(impact.lockedVersions).toBe(2);
    expect(impact.lockedSample.map((s) => s.legalHold || s.mode).sort()).toEqual(['GOVERNANCE', 'ON']);
  });

  it('updates only its own rule when the configured days changed', async () => {
    const rules = (await lifecycleOf(ASSETS))!.map((r) =>
      r.ID === EXPIRATION_RULE_ID ? { ...r, NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays + 5 } } : r,
    );
    await world.clients.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: ASSETS, LifecycleConfiguration: { Rules: rules } }));
    const { output, records } = captureOutput();
    expect((await expire({ bucket: ASSETS }, output)).code).toBe(0);
    expect(records.find((r) => r.type === 'bucket-expiration')).toMatchObject({ action: 'updated' });
    const after = (await lifecycleOf(ASSETS))!;
    expect(JSON.stringify(after.filter((r) => r.ID !== EXPIRATION_RULE_ID))).toBe(rulesJson.get(ASSETS));
    expect(after.find((r) => r.ID === EXPIRATION_RULE_ID)!.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: noncurrentDays });
  });

  it('is a no-op when run again', async () => {
    const before = JSON.stringify(await lifecycleOf(ASSETS));
    const { output, records } = captureOutput();
    expect((await expire({ bucket: ASSETS }, output)).code).toBe(0);
    expect(records.find((r) => r.type === 'bucket-expiration')).toMatchObject({ action: 'unchanged' });
    expect(JSON.stringify(await lifecycleOf(ASSETS))).toBe(before);
  });

  it('refuses a bucket whose last verification failed, even with --force but no acknowledgement', async () => {
    expect(await expire({ bucket: LOGS })).toMatchObject({
      code: 4,
      message: expect.stringMatching(/demo-logs failed its last verification/),
    });
    expect(await expire({ bucket: LOGS, force: true })).toMatchObject({ code: 2, message: expect.stringContaining(FORCE_ACKNOWLEDGEMENT) });
  });

  it('refused for the whole stack because one bucket failed, says how to expire each bucket that passed', async () => {
    const result = await expire();
    expect(result.code).toBe(4);
    expect(result.message).toMatch(/demo-logs failed its last verification/);
    expect(result.message).toContain(
      `\`migrate expire --stack ${world.stack} --bucket ${ASSETS}\`, \`migrate expire --stack ${world.stack} --bucket ${LAKE}\``,
    );
    expect(result.message).not.toContain(`--bucket ${LOGS}`);
  });

  it('reports a conflicting rule and does not overwrite it', async () => {
    const theirs: LifecycleRule = {
      ID: 'keep-noncurrent-a-year',
      Status: 'Enabled',
      Filter: { Prefix: 'late/' },
      NoncurrentVersionExpiration: { NoncurrentDays: 365 },
    };
    await world.clients.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: LOGS, LifecycleConfiguration: { Rules: [theirs] } }));
    const before = JSON.stringify(await lifecycleOf(LOGS));
    const result = await expire({ bucket: LOGS, force: true, acknowledged: true });
    expect(result.code).toBe(20);
    expect(result.message).toMatch(
      /bucket demo-logs: rule 'keep-noncurrent-a-year' already expires noncurrent versions after 365 days under prefix 'late\/'/,
    );
    expect(JSON.stringify(await lifecycleOf(LOGS))).toBe(before);
    await world.clients.s3.send(new DeleteBucketLifecycleCommand({ Bucket: LOGS }));
  });

  it('--undo removes only its own rule, and the configuration when ours was the only rule', async () => {
    expect((await expire({ bucket: LAKE, undo: true })).code).toBe(0);
    expect(JSON.stringify(await lifecycleOf(LAKE))).toBe(rulesJson.get(LAKE));

    expect((await expire({ bucket: LOGS, force: true, acknowledged: true })).code).toBe(0);
    expect((await stateOf()).expiration?.[LOGS]).toMatchObject({ action: 'added', forced: true });
    expect((await lifecycleOf(LOGS))!.map((r) => r.ID)).toEqual([EXPIRATION_RULE_ID]);
    expect((await expire({ bucket: LOGS, undo: true })).code).toBe(0);
    expect(await lifecycleOf(LOGS)).toBeUndefined();

    const { output, records } = captureOutput();
    expect((await expire({ bucket: LOGS, undo: true }, output)).code).toBe(0);
    expect(records.find((r) => r.type === 'bucket-expiration')).toMatchObject({ action: 'absent' });
  });

  it('keeps a rule someone else adds between its read and its write', async () => {
    // Another pipeline writes the lake's lifecycle right after the runner's first read.
    const other = clientsFor(world.sandbox.endpoint);
    const theirs: LifecycleRule = { ID: 'added-meanwhile', Status: 'Enabled', Filter: { Prefix: 'scratch/' }, Expiration: { Days: 1 } };
    let reads = 0;
    // Clients of its own, the middleware added before their first call: the runner's clients cache
    // each command's middleware chain (cacheMiddleware), so a later addition would not be seen.
    const runners = clientsFor(world.sandbox.endpoint, RUNNER_MAX_ATTEMPTS);
    runners.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'GetBucketLifecycleConfigurationCommand' && ++reads === 1) {
          await other.s3.send(
            new PutBucketLifecycleConfigurationCommand({ Bucket: LAKE, LifecycleConfiguration: { Rules: [...LAKE_RULES, theirs] } }),
          );
        }
        return result;
      },
      { step: 'initialize', name: 'concurrentLifecycleWriter' },
    );
    try {
      const context = openContext({ stack: world.stack, outputsFile: world.outputsFile, json: true }, runners);
      expect((await outcomeOf(expireNoncurrentVersions(context, { bucket: LAKE }, captureOutput().output))).code).toBe(0);
      expect(reads).toBeGreaterThanOrEqual(1);
    } finally {
      runners.destroy();
      other.destroy();
    }
    expect((await lifecycleOf(LAKE))!.map((r) => r.ID)).toEqual(['curated-to-ia', 'added-meanwhile', EXPIRATION_RULE_ID]);
  });

  it('prints the same results as text for a person', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const human = createOutput({ json: false, stream });
    await verify({ bucket: LOGS, method: 'listing' }, human);
    await expire({ bucket: ASSETS, dryRun: true }, human);
    if (process.env.SHOW_HUMAN_OUTPUT) process.stderr.write(text);
    expect(text).toMatch(/demo-logs: FAIL \(version listing and HeadObject\)/);
    expect(text).toMatch(/current not compliant: late\/other-key\.log \(version \w+\): other-kms-key/);
    expect(text).toMatch(
      /demo-app-assets: rule kms-migration-expire-noncurrent (is already in place: nothing to write|would be added) \[dry run\]/,
    );
    expect(text).toContain('Lifecycle rules, before -> after:');
    expect(text).toMatch(/BEYOND those \(noncurrent for other reasons, deleted too\): [\d,]+/);
  });

  it('status shows each bucket where it stands: jobs, verification, the expiration rule; the failed bucket makes it exit 20', async () => {
    const { output, records } = captureOutput();
    expect((await showStatus(world.context(), output)).exitCode).toBe(20);
    const byBucket = new Map(records.filter((r) => r.type === 'bucket-status').map((r) => [r.bucket, r as Record<string, any>]));
    expect(byBucket.get(ASSETS)).toMatchObject({
      stands: 'done',
      verification: { passed: true },
      expiration: { ruleId: EXPIRATION_RULE_ID },
    });
    expect(byBucket.get(ASSETS)!.jobs.length).toBeGreaterThan(0);
    expect(byBucket.get(ASSETS)!.jobs.every((j: { status: string }) => j.status === 'Complete')).toBe(true);
    expect(byBucket.get(LOGS)).toMatchObject({ stands: 'needs-human', verification: { passed: false } });
  });

  it('documents both commands in --help', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['verify', '--help'])).toBe(0);
      expect(await main(['expire', '--help'])).toBe(0);
      const help = stdout.mock.calls.map((c) => String(c[0])).join('');
      for (const flag of ['--list-threshold', '--method', '--key-check-limit', '--dry-run', '--undo', '--force', FORCE_ACKNOWLEDGEMENT])
        expect(help).toContain(flag);
    } finally {
      stdout.mockRestore();
    }
  });
});
