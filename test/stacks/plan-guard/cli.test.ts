// The plan guard's command line: exit codes, human text on a terminal, JSON lines for pipelines, and the npm script itself.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLAN_GUARD_EXIT, main } from '../../../stacks/plan-guard/cli';
import {
  APP_BACKEND,
  PARTNER,
  REPORTING,
  bucketReaderStatements,
  captureStream,
  fixturePath,
  keyPolicyChange,
  stackKeyStatements,
} from './builders';

const REPO = path.resolve(__dirname, '../../..');

function run(args: string[], options: { tty?: boolean } = {}) {
  const stdout = captureStream(options.tty ?? false);
  const stderr = captureStream(false);
  const code = main(args, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('plan-guard CLI', () => {
  it('exits 0 on a no-op plan and tells a person how many resources it examined', () => {
    const { code, stdout } = run([fixturePath('noop.json')], { tty: true });
    expect(code).toBe(PLAN_GUARD_EXIT.safe);
    expect(stdout).toContain('examined 12 resource changes');
    expect(stdout).toContain('Safe to apply');
  });

  it('exits 20 and writes one JSON line per refusal and a summary with --json', () => {
    const { code, stdout } = run([fixturePath('replace-key-delete-create.json'), '--json']);
    expect(code).toBe(PLAN_GUARD_EXIT.refused);
    expect(jsonLines(stdout)).toMatchObject([
      { type: 'finding', verdict: 'refused', address: 'aws_kms_key.MigrationKey_2857B45E', change: 'replace' },
      { type: 'summary', examined: 12, refused: 1, verdict: 'refused' },
    ]);
  });

  it('exits 20 on an update in place that disables the key, naming the attribute in its finding', () => {
    const { code, stdout } = run([fixturePath('update-key-disabled.json'), '--json']);
    expect(code).toBe(PLAN_GUARD_EXIT.refused);
    expect(jsonLines(stdout)).toMatchObject([
      { type: 'finding', verdict: 'refused', address: 'aws_kms_key.MigrationKey_2857B45E', change: 'update', attribute: 'is_enabled' },
      { type: 'summary', refused: 1, verdict: 'refused' },
    ]);
  });

  it('tells a person which attribute an update changes and what to do', () => {
    const { code, stdout } = run([fixturePath('key-pending-deletion.json')], { tty: true });
    expect(code).toBe(PLAN_GUARD_EXIT.refused);
    expect(stdout).toContain('REFUSED  aws_kms_alias.MigrationKey_Alias_040A89F4: update');
    expect(stdout).toContain('`target_key_id`');
    expect(stdout).toContain('Fix: Do not apply this plan. The key the data is under may be pending deletion');
  });

  it('writes JSON lines when stdout is not a terminal', () => {
    const { stdout } = run([fixturePath('noop.json')]);
    expect(jsonLines(stdout)).toMatchObject([{ type: 'summary', verdict: 'safe' }]);
  });

  it('writes human text into a pipe with --no-json', () => {
    const { stdout } = run([fixturePath('replace-role.json'), '--no-json']);
    expect(stdout).toContain('REFUSED  module.kms_migration.aws_iam_role.this: replace (destroy, then create)');
  });

  it('exits 0 on a role replacement with --batch-jobs-finished', () => {
    expect(run([fixturePath('replace-role.json'), '--batch-jobs-finished']).code).toBe(PLAN_GUARD_EXIT.safe);
  });

  it('exits 0 on a key user removal acknowledged with --allow-key-user-removal', () => {
    expect(run([fixturePath('key-policy-user-removed.json'), '--allow-key-user-removal', APP_BACKEND]).code).toBe(PLAN_GUARD_EXIT.safe);
  });

  describe('a reader taken out of the key policy', () => {
    let file: string;
    beforeAll(() => {
      const change = keyPolicyChange(
        [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING, PARTNER])],
        [...stackKeyStatements(), ...bucketReaderStatements('AcmeProdUploads', [REPORTING])],
      );
      file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-guard-')), 'plan.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ format_version: '1.2', terraform_version: '1.10.5', resource_changes: [change], errored: false }),
      );
    });
    afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

    it('exits 20 without the flag', () => {
      expect(run([file]).code).toBe(PLAN_GUARD_EXIT.refused);
    });

    it('exits 0 with --allow-reader-removal naming it', () => {
      expect(run([file, '--allow-reader-removal', PARTNER]).code).toBe(PLAN_GUARD_EXIT.safe);
    });

    it('exits 2 on an --allow-reader-removal that is no ARN', () => {
      const { code, stderr } = run([file, '--allow-reader-removal', 'partner-ingest']);
      expect(code).toBe(PLAN_GUARD_EXIT.usage);
      expect(stderr).toContain('Received: partner-ingest');
    });
  });

  it('exits 3 on a file that is not a plan, naming it and the command to run', () => {
    const file = fixturePath('not-a-plan-state.json');
    const { code, stdout, stderr } = run([file, '--json']);
    expect(code).toBe(PLAN_GUARD_EXIT.invalidPlan);
    expect(jsonLines(stdout)).toMatchObject([{ type: 'invalid-plan', file }]);
    expect(stderr).toContain('terraform show -json plan.out > plan.json');
  });

  it('exits 2 on an --allow-key-user-removal that is not an IAM ARN', () => {
    const { code, stderr } = run([fixturePath('noop.json'), '--allow-key-user-removal', 'app-backend']);
    expect(code).toBe(PLAN_GUARD_EXIT.usage);
    expect(stderr).toContain('Received: app-backend');
  });

  it('exits 2 without a plan file', () => {
    expect(run([]).code).toBe(PLAN_GUARD_EXIT.usage);
  });

  it('lists its flags and exit codes with --help', () => {
    const { code, stdout } = run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--batch-jobs-finished');
    expect(stdout).toContain('Exit codes: 0 safe to apply, 20');
  });
});

describe('npm run plan-guard', () => {
  function npmRun(args: string[]) {
    return spawnSync('npm', ['run', '--silent', 'plan-guard', '--', ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  }

  it('exits 20 on a plan that destroys the stack', () => {
    const result = npmRun([fixturePath('destroy-all.json'), '--json']);
    expect(result.status).toBe(20);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'summary', refused: 10 });
  });

  it('exits 0 on a plan of updates in place', () => {
    expect(npmRun([fixturePath('update-in-place.json')]).status).toBe(0);
  });

  it('exits 20 on a plan that suspends versioning in place', () => {
    const result = npmRun([fixturePath('update-versioning-suspended.json'), '--json']);
    expect(result.status).toBe(20);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ type: 'finding', attribute: 'versioning_configuration[].status' });
  });
});
