// Shape of the example GitOps pipelines: they parse, call scripts that exist, pass flags the runner accepts, branch on its exit codes, use OIDC only, read remote state and guard every apply.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../stacks/config';
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
  readonly 'working-directory'?: string;
}
interface Job {
  readonly 'runs-on'?: string;
  readonly steps?: Step[];
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: { include?: { stack?: string }[] } };
  readonly defaults?: { run?: { 'working-directory'?: string } };
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

/** One shell command of a workflow, in order, with the folder it runs in (relative to the checkout). */
interface Command {
  readonly line: string;
  readonly directory: string;
}

function commands(wf: Workflow): Command[] {
  return Object.values(wf.jobs ?? {}).flatMap((job) =>
    (job.steps ?? []).flatMap((step) => {
      const directory = step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.';
      return (step.run ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => ({ line, directory }));
    }),
  );
}

/** Index of the first command matching `pattern`, failing loudly when there is none. */
function indexOf(list: readonly Command[], pattern: RegExp): number {
  const index = list.findIndex((c) => pattern.test(c.line));
  if (index < 0) throw new Error(`no command matches ${pattern} among:\n${list.map((c) => c.line).join('\n')}`);
  return index;
}

const TERRAFORM_INIT = /terraform(\s+-chdir=\S+)?\s+init\b/;
const STATE_IS_S3 = /jq -e '\.backend\.type == "s3"' \S*\.terraform\/terraform\.tfstate/;
const READS_STATE = /terraform(\s+-chdir=\S+)?\s+(plan|output|apply)\b/;

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

describe('migration report', () => {
  const wf = workflow('migrate.yml');
  const jobSteps = wf.jobs?.migrate?.steps ?? [];
  const position = (predicate: (step: Step) => boolean, what: string) => {
    const index = jobSteps.findIndex(predicate);
    if (index < 0) throw new Error(`migrate.yml has no step that ${what}`);
    return index;
  };
  const reportLines = runLines(wf).map((l) => l.trim()).filter((l) => /npm run (--silent )?migrate -- report\b/.test(l));
  const reportArguments = (format: string) => {
    const line = reportLines.find((l) => l.includes(`--format ${format} `));
    if (!line) throw new Error(`no \`migrate -- report --format ${format}\` line among:\n${reportLines.join('\n')}`);
    return line.split(' -- ')[1]!.trim().split(/\s+/);
  };

  it.each([
    ['html', 'report.html'],
    ['md', 'report.md'],
  ])('writes the %s report of the stack to %s', (format, file) => {
    const args = reportArguments(format);
    expect(args[0]).toBe('report');
    expect(args.slice(1).join(' ')).toBe(`--stack "$STACK" --outputs-file outputs.json --format ${format} --out ${file}`);
  });

  it('passes report only flags and formats the runner accepts', () => {
    const command = buildProgram().commands.find((c) => c.name() === 'report');
    expect(command).toBeDefined();
    const accepted = command!.options.map((o) => o.long);
    const formats = command!.options.find((o) => o.long === '--format')?.argChoices;
    for (const format of ['html', 'md']) {
      const args = reportArguments(format);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(accepted).toContain(flag);
      expect(formats).toContain(args[args.indexOf('--format') + 1]);
    }
  });

  it('reports after the run, even when the run failed', () => {
    const run = position((s) => s.id === 'migrate', 'runs the migration');
    for (const format of ['html', 'md']) {
      const step = position((s) => /migrate -- report\b/.test(s.run ?? '') && (s.run ?? '').includes(`--format ${format} `), `writes the ${format} report`);
      expect(step).toBeGreaterThan(run);
      expect((jobSteps[step] as { if?: string }).if).toBe('always()');
    }
  });

  it('appends the markdown report to the job summary', () => {
    const step = jobSteps[position((s) => (s.run ?? '').includes('--format md '), 'writes the md report')]!;
    const lines = step.run!.split('\n').map((l) => l.trim());
    const written = lines.findIndex((l) => l.includes('--out report.md'));
    const appended = lines.findIndex((l) => /^cat report\.md >> "\$GITHUB_STEP_SUMMARY"$/.test(l));
    expect(written).toBeGreaterThanOrEqual(0);
    expect(appended).toBeGreaterThan(written);
  });

  it('uploads report.html and report.md as a build artifact, always, once both are written', () => {
    const upload = position(
      (s) => s.uses?.startsWith('actions/upload-artifact@') === true && String(s.with?.path).includes('report.html'),
      'uploads the report',
    );
    expect(String(jobSteps[upload]!.with!.path).split('\n').map((p) => p.trim()).filter(Boolean).sort()).toEqual(['report.html', 'report.md']);
    expect((jobSteps[upload] as { if?: string }).if).toBe('always()');
    expect(jobSteps[upload]!.with!.name).toMatch(/^migration-report-/);
    for (const format of ['html', 'md']) {
      expect(position((s) => (s.run ?? '').includes(`--format ${format} `), `writes the ${format} report`)).toBeLessThan(upload);
    }
  });
});

describe('remote state', () => {
  const readingState = files.filter((file) => commands(workflow(file)).some((c) => READS_STATE.test(c.line)));

  it('is read by every pipeline that plans, applies or reads outputs', () => {
    expect(readingState.sort()).toEqual(['deploy.yml', 'migrate.yml', 'pull-request.yml', 'terraform-modules.yml']);
  });

  it.each(readingState)('%s checks after terraform init that the state is in S3, before it reads any', (file) => {
    const list = commands(workflow(file));
    const init = indexOf(list, TERRAFORM_INIT);
    const check = indexOf(list, STATE_IS_S3);
    expect(init).toBeLessThan(check);
    expect(check).toBeLessThan(indexOf(list, READS_STATE));
  });

  it.each(['deploy.yml', 'pull-request.yml'])('%s plans only stacks whose config keeps state in S3', (file) => {
    const stacks = Object.values(workflow(file).jobs ?? {}).flatMap((job) => job.strategy?.matrix?.include?.map((i) => i.stack) ?? []);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) expect([stack, loadConfig(stack!).backend.type]).toEqual([stack, 's3']);
  });

  it('reads the outputs of the scheduled migration\'s default stack from S3', () => {
    const dispatch = (workflow('migrate.yml').on?.workflow_dispatch ?? {}) as { inputs?: { stack?: { default?: string } } };
    const stack = dispatch.inputs?.stack?.default;
    expect(stack).toBe('prod');
    expect(loadConfig(stack!).backend.type).toBe('s3');
    expect(text('migrate.yml')).toContain("env:\n  STACK: ${{ inputs.stack || 'prod' }}");
  });

  it.each(files)('%s runs Terraform 1.10 or newer, which has the S3 lock file', (file) => {
    for (const step of steps(workflow(file)).filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))) {
      const [major, minor] = String(step.with?.terraform_version).split('.').map(Number);
      expect(major! > 1 || (major === 1 && minor! >= 10)).toBe(true);
    }
  });
});

describe('plan guard', () => {
  const applying = files.filter((file) => commands(workflow(file)).some((c) => /terraform(\s+-chdir=\S+)?\s+apply\b/.test(c.line)));

  it('guards every pipeline that applies', () => {
    expect(applying.sort()).toEqual(['deploy.yml', 'terraform-modules.yml']);
  });

  it.each([...applying, 'pull-request.yml'])('%s runs it on the JSON of the saved plan, after the plan and before any apply', (file) => {
    const list = commands(workflow(file));
    const plan = indexOf(list, /terraform plan .*-out=plan\.tfplan/);
    const show = indexOf(list, /terraform show -json plan\.tfplan > plan\.json/);
    const guard = indexOf(list, /npm run plan-guard -- .+plan\.json$/);
    expect(plan).toBeLessThan(show);
    expect(show).toBeLessThan(guard);
    // npm runs scripts from the package root: the guard's argument is the plan.json of the plan's folder.
    const planFile = list[guard]!.line.split(' -- ')[1]!;
    expect(path.join(list[guard]!.directory, planFile)).toBe(path.join(list[show]!.directory, 'plan.json'));
    const apply = list.findIndex((c) => /terraform apply\b/.test(c.line));
    if (apply >= 0) {
      expect(guard).toBeLessThan(apply);
      expect(list[apply]!.line).toMatch(/ plan\.tfplan$/);
      expect(list[apply]!.directory).toBe(list[plan]!.directory);
    }
  });

  it('lets the pull request plan without the lock its read-only role cannot take, and show it', () => {
    const lines = runLines(workflow('pull-request.yml')).join('\n');
    expect(lines).toMatch(/terraform plan -input=false -no-color -lock=false -out=plan\.tfplan/);
    expect(lines).toMatch(/terraform show -no-color plan\.tfplan .*\n.*\n\s*\} >> "\$GITHUB_STEP_SUMMARY"/);
  });
});
