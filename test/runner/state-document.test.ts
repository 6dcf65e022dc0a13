// The state is validated like the outputs: a version number, an explicit upgrade of version 1, and a
// document that does not parse is named and left untouched.
import { PassThrough } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runMigration } from '../../runner/commands/run';
import { outcomeOf } from './support/runner-output';
import { createOutput } from '../../runner/output';
import { STATE_VERSION, parseStateDocument } from '../../runner/state-document';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';
import { accessCheck, accessRecord } from './report-builders';

const job = {
  token: 't',
  bucket: 'b',
  operation: 'S3PutObjectCopy',
  storageClass: 'STANDARD',
  inventoryDate: '2026-11-29-00-00',
  attempt: 0,
  versions: 3,
};

describe('parseStateDocument', () => {
  it('reads a document of this version as it is', () => {
    const doc = { version: STATE_VERSION, stack: 'prod', updatedAt: '2026-11-29T00:00:00.000Z', jobs: { t: job } };
    expect(parseStateDocument(JSON.stringify(doc))).toEqual({ value: doc });
  });

  it("keeps a bucket's access check, and reads a state without one", () => {
    const base = { version: STATE_VERSION, stack: 'prod', updatedAt: '2026-11-29T00:00:00.000Z', jobs: {} };
    const access = {
      b: accessRecord(
        [
          accessCheck(),
          accessCheck({ principal: 'delivery.logs.amazonaws.com', kind: 'log-delivery', verdict: 'refused', accepted: true }),
        ],
        { cannotTell: ['the access point policies of b: AccessDenied'] },
      ),
    };
    expect(parseStateDocument(JSON.stringify({ ...base, access }))).toEqual({ value: { ...base, access } });
    expect(parseStateDocument(JSON.stringify(base))).toEqual({ value: base });
  });

  it('refuses an access check with a verdict it does not know, naming where', () => {
    const doc = {
      version: STATE_VERSION,
      stack: 'prod',
      updatedAt: 'x',
      jobs: {},
      access: { b: accessRecord([accessCheck({ verdict: 'maybe' as never })]) },
    };
    const parsed = parseStateDocument(JSON.stringify(doc));
    expect('problem' in parsed && parsed.problem).toContain('access.b.checks.0.verdict');
  });

  it('upgrades version 1: outstanding work gains its locked and acl counts, a pass its failure list', () => {
    const v1 = {
      version: 1,
      stack: 'prod',
      updatedAt: '2026-11-29T00:00:00.000Z',
      jobs: {},
      outstanding: { b: { inventoryDate: '2026-11-29-00-00', overFiveGiB: 1, archived: 2 } },
      direct: {
        'direct:b': {
          pass: 'direct',
          bucket: 'b',
          source: 'listing:x',
          startedAt: 'x',
          checkpoint: { completed: 0, doneAhead: [] },
          outcomes: {},
        },
      },
    };
    const parsed = parseStateDocument(JSON.stringify(v1));
    expect('value' in parsed && parsed.value).toMatchObject({
      version: STATE_VERSION,
      outstanding: { b: { overFiveGiB: 1, archived: 2, locked: 0, acl: 0 } },
      direct: { 'direct:b': { failures: [] } },
    });
  });

  it("upgrades version 2 without taking its latest plan for the first: that may be a rerun's", () => {
    const plan = {
      inventoryDate: '2026-11-29-00-00',
      madeAt: '2026-11-29T09:00:00.000Z',
      engine: 'batch',
      byAction: {},
      byStorageClass: {},
    };
    const parsed = parseStateDocument(JSON.stringify({ version: 2, stack: 'prod', updatedAt: 'x', jobs: {}, plans: { b: plan } }));
    expect('value' in parsed && parsed.value).toEqual({ version: 3, stack: 'prod', updatedAt: 'x', jobs: {}, plans: { b: plan } });
  });

  it('keeps the first plans and who ran each command', () => {
    const plan = {
      inventoryDate: '2026-11-29-00-00',
      madeAt: '2026-11-29T09:00:00.000Z',
      engine: 'batch',
      byAction: {},
      byStorageClass: {},
      aclCopies: { versions: 3, bytes: 30 },
    };
    const commands = {
      verify: {
        command: 'verify',
        at: '2026-11-30T09:00:00.000Z',
        principal: 'arn:aws:sts::123456789012:assumed-role/migrator/ci',
        toolVersion: '0.1.0',
        commit: 'unknown',
      },
    };
    const doc = { version: STATE_VERSION, stack: 'prod', updatedAt: 'x', jobs: {}, plans: { b: plan }, firstPlans: { b: plan }, commands };
    expect(parseStateDocument(JSON.stringify(doc))).toEqual({ value: doc });
  });

  it.each([
    ['not JSON', '{"version": 2,', /it is not JSON/],
    ['not an object', '[]', /it is not a JSON object/],
    ['no version', '{"stack":"prod"}', /it has no version number/],
    ['a newer version', '{"version": 4}', /it is version 4, written by a newer runner than this one \(version 3\)/],
    [
      'a job without its token',
      JSON.stringify({ version: 2, stack: 'p', updatedAt: 'x', jobs: { t: { ...job, token: undefined } } }),
      /jobs\.t\.token: /,
    ],
    [
      'a negative count',
      JSON.stringify({ version: 2, stack: 'p', updatedAt: 'x', jobs: { t: { ...job, versions: -1 } } }),
      /jobs\.t\.versions: /,
    ],
  ])('names what is wrong with %s', (_name, text, problem) => {
    const parsed = parseStateDocument(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('a state that does not parse', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({ buckets: [{ name: 'demo-app-assets', versions: 50, versioning: 'Enabled' }] });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it('stops the run (exit 20) naming the object and what to do (restore, or move aside and rerun to adopt the jobs), and is never overwritten', async () => {
    const outputs = world.context().outputs;
    const key = `${outputs.reports_prefix}state/state.json`;
    const corrupt = '{"version": 2, "stack": "demo", "jobs": {"t": {"token": 7}}}';
    await world.clients.s3.send(new PutObjectCommand({ Bucket: outputs.reports_bucket, Key: key, Body: corrupt }));
    const result = await outcomeOf(
      runMigration(world.context(), { pollMs: 20 }, createOutput({ json: true, stream: new PassThrough().resume() })),
    );
    expect(result.code).toBe(20);
    expect(result.message).toMatch(
      new RegExp(
        `The state s3://${outputs.reports_bucket}/${key} cannot be read: it does not match the state schema .*It is left as it is\\. Restore an earlier version`,
      ),
    );
    // Moving it aside is a way out that costs no job twice: the next run adopts what the plan's tokens created.
    expect(result.message).toMatch(
      /or move it aside to start from an empty state: the next run plans again from the newest inventory and adopts the jobs earlier runs created for that plan \(found by the token in their description, with s3:ListJobs\), so none is created twice/,
    );
    const after = await (
      await world.clients.s3.send(new GetObjectCommand({ Bucket: outputs.reports_bucket, Key: key }))
    ).Body!.transformToString();
    expect(after).toBe(corrupt);
  });
});
