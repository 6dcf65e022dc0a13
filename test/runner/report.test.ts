// The report and the job summary of a real migration in the sandbox: run, verify and expire through the CLI, then `report --format html --out`; and the plans both engines record for it.
import { defined } from '../support/defined';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse, type HTMLElement } from 'node-html-parser';
import { runMigration } from '../../runner/commands/run';
import { withStepSummary } from '../../runner/commands/step-summary';
import { NeedsHumanError } from '../../runner/errors';
import { IN_PROGRESS } from '../../runner/result';
import { createOutput } from '../../runner/output';
import { StateStore } from '../../runner/state';
import { runCli } from './support/cli';
import { codeBlocksOf, headingsOf, tablesOf } from './support/markdown';
import { startMigrationWorld, type MigrationWorld } from './support/migration-world';

const BUCKET = 'demo-app-assets';
const text = (el: HTMLElement | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('migrate report and GITHUB_STEP_SUMMARY against the sandbox', () => {
  let world: MigrationWorld;
  let dir: string;
  let summaryFile: string;
  const codes: Record<string, number> = {};

  /** The CLI as a pipeline step runs it, with the job summary file set. */
  const cli = (args: string[]) => runCli(world, args, { GITHUB_STEP_SUMMARY: summaryFile });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    summaryFile = path.join(dir, 'summary.md');
    world = await startMigrationWorld({
      buckets: [
        {
          name: BUCKET,
          versions: 400,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 2, 'NOT-SSE': 1, 'SSE-KMS': 1 },
          storageClasses: { STANDARD: 3, STANDARD_IA: 1 },
        },
      ],
    });
    // The plan's inventory an hour back, the verification's after the jobs (see verify-expire.test.ts).
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    await world.deliverInventory(new Date(hour - 3_600_000));
    codes.run = (await cli(['run'])).code;
    await world.backdateMigration(2 * 3_600_000);
    await world.deliverInventory(new Date(hour));
    codes.verify = (await cli(['verify'])).code;
    codes.expire = (await cli(['expire'])).code;
  });
  afterAll(() => world?.close());

  it('runs, verifies and expires to the end', () => {
    expect(codes).toEqual({ run: 0, verify: 0, expire: 0 });
  });

  it('appends one summary per command to GITHUB_STEP_SUMMARY, each with its exit meaning and a line per bucket', () => {
    const summary = fs.readFileSync(summaryFile, 'utf8');
    expect(headingsOf(summary)).toEqual([
      'h3 migrate run --stack demo: exit 0 (done)',
      'h3 migrate verify --stack demo: exit 0 (done)',
      'h3 migrate expire --stack demo: exit 0 (done)',
    ]);
    expect(tablesOf(summary).at(-1)).toContainEqual([BUCKET, '✅ done', '✅ PASS', '-', '-']);
  });

  it('summarizes a command that ends with an error, then lets the error through unchanged', async () => {
    const file = path.join(dir, 'failed-summary.md');
    const failure = new NeedsHumanError('Verification failed; the expiration stays off');
    await expect(withStepSummary('verify', world.context(), () => Promise.reject(failure), { GITHUB_STEP_SUMMARY: file })).rejects.toBe(
      failure,
    );
    const summary = fs.readFileSync(file, 'utf8');
    expect(headingsOf(summary)).toEqual(['h3 migrate verify --stack demo: exit 20 (needs a human: see below)']);
    expect(codeBlocksOf(summary)).toEqual(['Verification failed; the expiration stays off\n']);
    expect(tablesOf(summary)[0]?.map((row) => row[0])).toEqual(['bucket', BUCKET]);
  });

  it('writes no summary when GITHUB_STEP_SUMMARY is not set', async () => {
    const before = fs.readdirSync(dir).sort();
    expect(await withStepSummary('run', world.context(), async () => IN_PROGRESS, {})).toBe(IN_PROGRESS);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('writes the HTML report to --out, showing the plan before, the verification after and every job with its completion report', async () => {
    const file = path.join(dir, 'report.html');
    const result = await cli(['report', '--format', 'html', '--out', file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ type: 'report-written', file, format: 'html' });

    const doc = parse(fs.readFileSync(file, 'utf8'));
    const outputs = JSON.parse(fs.readFileSync(world.outputsFile, 'utf8'))[world.stack];
    expect(text(doc.querySelectorAll('#stack dd')[0])).toBe(outputs.kms_key_arn);
    const section = doc.querySelectorAll('section.bucket').find((s) => s.getAttribute('data-bucket') === BUCKET)!;
    expect(text(section.querySelector('h2'))).toBe(`${BUCKET} done`);
    expect(text(section.querySelector('.verdict'))).toBe('PASS');

    const state = await new StateStore(world.clients.s3, outputs.reports_bucket, outputs).load(world.stack);
    const plan = defined(state.plans![BUCKET], 'the plan record');
    const planned = Object.fromEntries(
      section
        .querySelectorAll('table.before-actions tbody tr')
        .map((tr) => tr.querySelectorAll('td').map(text))
        .map((r) => [r[0], Number(r[2]?.replace(/,/g, ''))]),
    );
    expect(planned).toEqual(
      Object.fromEntries(
        Object.entries(plan.byAction)
          .filter(([, t]) => t.versions > 0)
          .map(([a, t]) => [a, t.versions]),
      ),
    );
    expect(planned['update-encryption']).toBeGreaterThan(0);

    const jobs = Object.values(state.jobs).filter((j) => j.bucket === BUCKET);
    const reportCells = section
      .querySelectorAll('table.jobs tbody tr')
      .map((tr) => tr.querySelectorAll('td')[9]?.querySelector('span')?.getAttribute('title'));
    expect(reportCells.sort()).toEqual(jobs.map((j) => `s3://${outputs.reports_bucket}/${j.reportPrefix}/job-${j.jobId}/`).sort());
    expect(text(section.querySelector('.expiration'))).toMatch(/^Rule kms-migration-expire-noncurrent applied \(added\)/);

    // Before is the first plan, which the state keeps beside the latest; who ran each command is recorded with the caller's ARN.
    expect(state.firstPlans![BUCKET]).toEqual(plan);
    expect(Object.keys(state.commands ?? {}).sort()).toEqual(['expire', 'run', 'verify']);
    expect(state.commands!.run).toMatchObject({
      principal: expect.stringMatching(/^arn:aws:/),
      toolVersion: expect.any(String),
      commit: expect.any(String),
    });
    expect(doc.querySelectorAll('table.runs tbody tr').map((tr) => text(tr.querySelectorAll('td')[0]))).toEqual([
      'run',
      'verify',
      'expire',
    ]);
  });

  it('writes markdown to stdout by default', async () => {
    const result = await cli(['report']);
    expect(result.code).toBe(0);
    expect(headingsOf(result.stdout)).toEqual(['h2 SSE-KMS migration report: stack demo', `h3 ✅ ${BUCKET}: done`]);
  });

  it('refuses an unknown --format before reading anything', async () => {
    const result = await cli(['report', '--format', 'pdf']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are md, html, json');
  });
});

describe('the direct engine records its plan for the report', () => {
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await startMigrationWorld({
      buckets: [
        {
          name: BUCKET,
          versions: 120,
          versionsPerKey: 2,
          versioning: 'Enabled',
          encryption: { 'SSE-S3': 1, 'NOT-SSE': 1 },
          storageClasses: { STANDARD: 1, STANDARD_IA: 1 },
        },
      ],
    });
    await world.deliverInventory();
  });
  afterAll(() => world?.close());

  it("keeps the Athena plan's counts by action and storage class, engine direct", async () => {
    // Counted before the run: its copies add versions the plan did not see.
    const versions = [...world.sandbox.world.s3.versions(BUCKET)].length;
    const result = await runMigration(
      world.context(),
      { engine: 'direct', direct: { concurrency: 8 } },
      createOutput({ json: true, stream: new PassThrough() }),
    );
    expect(result.exitCode).toBe(0);
    const outputs = world.context().outputs;
    const state = await new StateStore(world.clients.s3, outputs.reports_bucket, outputs).load(world.stack);
    const plan = defined(state.plans![BUCKET], 'the plan record');
    expect(plan.engine).toBe('direct');
    const planned = Object.values(plan.byAction).reduce((n, t) => n + t.versions, 0);
    expect(planned).toBe(versions);
    expect(plan.byAction['update-encryption']?.versions).toBeGreaterThan(0);
    expect(Object.keys(plan.byStorageClass['update-encryption'] ?? {}).sort()).toEqual(['STANDARD', 'STANDARD_IA']);
  });
});
