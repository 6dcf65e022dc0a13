// Shape of the example GitOps pipelines: they parse, call scripts that exist, pass flags the runner accepts, branch on its exit codes and use OIDC only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../runner/cli';
import { EXIT } from '../../runner/errors';
import { MODULES_DIR } from './harness';

const PIPELINES_DIR = path.join(MODULES_DIR, 'examples', 'gitops', 'github-actions');
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly id?: string;
}
interface Job {
  readonly 'runs-on'?: string;
  readonly steps?: Step[];
  readonly permissions?: Record<string, string>;
}
interface Workflow {
  readonly name?: string;
  readonly on?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs?: Record<string, Job>;
}

const files = fs.readdirSync(PIPELINES_DIR).filter((f) => f.endsWith('.yml'));
const text = (file: string) => fs.readFileSync(path.join(PIPELINES_DIR, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs ?? {}).flatMap((j) => j.steps ?? []);
const runLines = (wf: Workflow) => steps(wf).flatMap((s) => (s.run ?? '').split('\n'));

/** The migrate command line of a workflow, split into arguments after `--`. */
function migrateArguments(wf: Workflow): string[] {
  const line = runLines(wf).find((l) => /npm run (--silent )?migrate --/.test(l));
  if (!line) throw new Error('no `npm run migrate -- ...` line');
  return line.split(' -- ')[1]!.split('>')[0]!.trim().split(/\s+/);
}

it('has the pull request, deploy, migrate and plain Terraform pipelines', () => {
  expect(files.sort()).toEqual(['deploy.yml', 'migrate.yml', 'pull-request.yml', 'terraform-modules.yml']);
});

describe.each(files)('%s', (file) => {
  it('parses as a workflow with a name, triggers and jobs that each run steps', () => {
    const wf = workflow(file);
    expect(typeof wf.name).toBe('string');
    expect(Object.keys(wf.on ?? {}).length).toBeGreaterThan(0);
    for (const job of Object.values(wf.jobs ?? {})) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(job.steps?.length).toBeGreaterThan(0);
    }
  });

  it('calls only npm scripts that package.json defines', () => {
    const called = runLines(workflow(file)).flatMap((l) => [...l.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]!));
    for (const script of called) expect(Object.keys(packageJson.scripts)).toContain(script);
  });

  it('gets AWS credentials by OIDC role assumption only, never stored keys', () => {
    const wf = workflow(file);
    const aws = steps(wf).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws.length).toBeGreaterThan(0);
    for (const step of aws) {
      expect(step.with?.['role-to-assume']).toMatch(/^\$\{\{ .*vars\.KMS_MIGRATION_\w+_ROLE_ARN/);
      expect(Object.keys(step.with ?? {})).not.toEqual(expect.arrayContaining(['aws-access-key-id']));
      expect(Object.keys(step.with ?? {})).not.toEqual(expect.arrayContaining(['aws-secret-access-key']));
    }
    expect(wf.permissions?.['id-token']).toBe('write');
    expect(text(file)).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|secrets\.AWS/);
  });

  it('never lets terraform prompt: init, plan and apply run with -input=false', () => {
    for (const line of runLines(workflow(file))) {
      if (/terraform(\s+-chdir=\S+)?\s+(init|plan|apply)\b/.test(line)) expect(line).toContain('-input=false');
    }
  });
});

describe('pull request and merge', () => {
  it('plans the synthesized stacks on a pull request after the tests', () => {
    const lines = runLines(workflow('pull-request.yml')).join('\n');
    expect(lines).toMatch(/npm test/);
    expect(lines).toMatch(/npm run synth/);
    expect(lines).toMatch(/terraform plan .*-out=plan\.tfplan/);
    expect(workflow('pull-request.yml').on).toHaveProperty('pull_request');
  });

  it('applies on merge exactly the plan it saved', () => {
    const wf = workflow('deploy.yml');
    expect(wf.on).toHaveProperty('push');
    expect(runLines(wf).join('\n')).toMatch(/terraform apply -input=false -no-color plan\.tfplan/);
  });
});

describe('scheduled migration', () => {
  const wf = workflow('migrate.yml');

  it('runs on a schedule and by hand', () => {
    expect(Object.keys(wf.on ?? {}).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  it('passes only a subcommand and flags the runner accepts', () => {
    const [subcommand, ...args] = migrateArguments(wf);
    const command = buildProgram().commands.find((c) => c.name() === subcommand);
    expect(command).toBeDefined();
    const accepted = command!.options.map((o) => o.long);
    for (const flag of args.filter((a) => a.startsWith('--'))) expect(accepted).toContain(flag);
    expect(args).toEqual(expect.arrayContaining(['--stack', '--json', '--no-follow']));
  });

  it('branches on every exit code a pipeline acts on and fails on the rest', () => {
    const script = steps(wf).find((s) => s.id === 'migrate')!.run!;
    for (const code of [EXIT.done, EXIT.inProgress, EXIT.needsHuman, EXIT.conflict]) {
      expect(script).toMatch(new RegExp(`^\\s+${code}\\) `, 'm'));
    }
    expect(script).toMatch(/\*\) .*exit "\$code"/);
    expect(steps(wf).some((s) => (s as { if?: string }).if === "steps.migrate.outputs.exit_code == '20'")).toBe(true);
  });
});
