// Shape of the example GitOps pipelines: they validate, check their settings first, pin actions by commit, call scripts that exist, pass flags the runner accepts, branch on its exit codes, use OIDC only, read remote state and guard every apply.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { loadConfig } from '../../stacks/config';
import { buildProgram } from '../../runner/cli';
import { EXIT } from '../../runner/errors';
import { MODULES_DIR } from './harness';

const PIPELINES_DIR = path.join(MODULES_DIR, 'examples', 'gitops', 'github-actions');
const GITOPS_README = fs.readFileSync(path.join(MODULES_DIR, 'examples', 'gitops', 'README.md'), 'utf8');
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly id?: string;
  readonly if?: string;
  readonly 'working-directory'?: string;
}
interface Job {
  readonly 'runs-on'?: string;
  readonly steps?: Step[];
  readonly permissions?: Record<string, string>;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix?: { include?: { stack?: string }[] } };
  readonly defaults?: { run?: { 'working-directory'?: string } };
}
interface Workflow {
  readonly name?: string;
  readonly on?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group?: string };
  readonly env?: Record<string, string>;
  readonly jobs?: Record<string, Job>;
}

const files = fs.readdirSync(PIPELINES_DIR).filter((f) => f.endsWith('.yml'));
const text = (file: string) => fs.readFileSync(path.join(PIPELINES_DIR, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs ?? {}).flatMap((j) => j.steps ?? []);
const runLines = (wf: Workflow) => steps(wf).flatMap((s) => (s.run ?? '').split('\n'));

/** A workflow as JSON without each job's first step, whose messages give example values (`e.g. prod`). */
function withoutChecks(file: string): string {
  const wf = workflow(file);
  return JSON.stringify({
    ...wf,
    jobs: Object.fromEntries(Object.entries(wf.jobs ?? {}).map(([name, job]) => [name, { ...job, steps: (job.steps ?? []).slice(1) }])),
  });
}

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
    expect(text(file)).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|secrets\.AWS/);
  });

  it('grants each job only what it uses: the OIDC token to the jobs that assume a role, nothing at workflow level beyond reading the code', () => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(wf.jobs ?? {})) {
      const assumesRole = (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect([name, job.permissions?.['id-token']]).toEqual([name, assumesRole ? 'write' : undefined]);
      const writes = Object.entries(job.permissions ?? {}).filter(([scope, level]) => level === 'write' && scope !== 'id-token');
      // A job holding AWS credentials never also holds a token that writes to the repository.
      if (assumesRole) expect([name, writes]).toEqual([name, []]);
    }
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
  const reportLines = runLines(wf)
    .map((l) => l.trim())
    .filter((l) => /npm run (--silent )?migrate -- report\b/.test(l));
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
      const step = position(
        (s) => /migrate -- report\b/.test(s.run ?? '') && (s.run ?? '').includes(`--format ${format} `),
        `writes the ${format} report`,
      );
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
    expect(
      String(jobSteps[upload]!.with!.path)
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean)
        .sort(),
    ).toEqual(['report.html', 'report.md']);
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

  it.each(['deploy.yml', 'pull-request.yml'])(
    '%s plans the stack the repository variable KMS_MIGRATION_STACK names, nothing hard-coded',
    (file) => {
      const list = commands(workflow(file));
      const plan = list[indexOf(list, /terraform plan /)]!;
      expect(plan.directory).toBe('cdktf.out/stacks/${{ vars.KMS_MIGRATION_STACK }}');
      expect(withoutChecks(file)).not.toMatch(/stacks\/prod|--stack prod|deploy\/prod|eu-west-1|'prod'|"prod"|: prod\b|matrix\./);
    },
  );

  it('documents as the example stack one whose config keeps state in S3', () => {
    expect(GITOPS_README).toMatch(/`KMS_MIGRATION_STACK` \| repository variable \| [^\n]*e\.g\. `prod`/);
    expect(loadConfig('prod').backend.type).toBe('s3');
  });

  it('migrates the stack named by hand, or else by the repository variable, nothing hard-coded', () => {
    expect(text('migrate.yml')).toContain('env:\n  STACK: ${{ inputs.stack || vars.KMS_MIGRATION_STACK }}');
    expect(withoutChecks('migrate.yml')).not.toMatch(/stacks\/prod|--stack prod|deploy\/prod|eu-west-1|'prod'|"prod"|: prod\b|matrix\./);
    expect(withoutChecks('terraform-modules.yml')).not.toMatch(
      /stacks\/prod|--stack prod|deploy\/prod|eu-west-1|'prod'|"prod"|: prod\b|matrix\./,
    );
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

/** action-validator's errors for a workflow, and the warnings it prints instead of returning them. */
function validate(source: string): { errors: unknown[]; warnings: string[] } {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const { errors } = validateWorkflow(source);
    return { errors, warnings: warn.mock.calls.map((call) => String(call[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe('validation', () => {
  it.each(files)('%s passes the GitHub Actions workflow schema of action-validator', (file) => {
    const { errors, warnings } = validate(text(file));
    expect(errors).toEqual([]);
    // The one thing it says it does not check: the globs of `paths:` filters.
    for (const warning of warnings)
      expect(warning).toMatch(
        /^WARNING: Glob validation is not yet supported\. Glob at \/on\/(push|pull_request)\/paths will not be validated\.$/,
      );
  });

  it('the validator rejects a job that needs a job the workflow does not have', () => {
    const broken = text('pull-request.yml').replace('needs: test', 'needs: tests');
    expect(validate(broken).errors).toEqual([expect.objectContaining({ code: 'unresolved_job', path: '/jobs/plan/needs' })]);
  });
});

/** Names a workflow's expression reads from a context (`vars.X`, `secrets.X`), in order of appearance. */
function settingsIn(source: string, context: 'vars' | 'secrets'): string[] {
  return [...new Set([...source.matchAll(new RegExp(`\\b${context}\\.(\\w+)`, 'g'))].map((m) => m[1]!))];
}

/** The environment names a job's `environment:` expression can produce, as the README writes them. */
function environmentNames(expression: string): string[] {
  const names = [...expression.matchAll(/format\('\{0\}-([\w-]+)'/g)].map((m) => `<stack>-${m[1]!}`);
  if (/vars\.KMS_MIGRATION_STACK(\s*\}\}|\s*\|\|)/.test(expression)) names.push('<stack>');
  return names;
}

describe('settings', () => {
  const jobs = files.flatMap((file) =>
    Object.entries(workflow(file).jobs ?? {}).map(([name, job]) => [`${file} ${name}`, file, job] as const),
  );

  it.each(jobs)('%s checks first every variable, secret and environment it needs', (_, file, job) => {
    const wf = workflow(file);
    const [check, ...rest] = job.steps ?? [];
    expect(check?.name).toBe('Check the settings this job needs');
    // What the job reads: its own steps and keys, plus the workflow-level env and concurrency it runs under.
    const { steps: _steps, ...keys } = job;
    const used = JSON.stringify([rest, keys, wf.env ?? {}, wf.concurrency ?? {}]);
    const checked = check?.env ?? {};
    for (const context of ['vars', 'secrets'] as const) {
      for (const name of settingsIn(used, context)) {
        expect([name, checked[name]]).toEqual([name, expect.stringContaining(`${context}.${name}`)]);
      }
    }
    // Each value given to the check is tested, with an ::error that names it and says where to set it.
    const script = check?.run ?? '';
    for (const name of Object.keys(checked).filter((n) => n !== 'EXPECTED_ENVIRONMENT' && n !== 'KMS_MIGRATION_ENVIRONMENT')) {
      const line = script.split('\n').find((l) => l.includes(`"$${name}"`));
      expect([name, line]).toEqual([
        name,
        expect.stringMatching(new RegExp(`\\|\\| (missing|\\{ echo "::error[^"]*)[^\\n]*${name} is unset[^\\n]*Settings > `)),
      ]);
    }
    if (script.includes('missing()'))
      expect(script).toMatch(/missing\(\) \{ echo "::error title=Missing setting::\$1[^"]*"; status=1; \}[\s\S]*exit "\$status"\s*$/);
    if (job.environment) {
      // GitHub creates a missing environment on first use, without reviewers and without variables:
      // the variable only a person can have set proves the environment was set up.
      expect(checked.EXPECTED_ENVIRONMENT).toBe(job.environment);
      expect(checked.KMS_MIGRATION_ENVIRONMENT).toBe('${{ vars.KMS_MIGRATION_ENVIRONMENT }}');
      expect(script).toMatch(
        /\[ "\$KMS_MIGRATION_ENVIRONMENT" = "\$EXPECTED_ENVIRONMENT" \] \|\| missing "environment '\$EXPECTED_ENVIRONMENT' is not set up: create it under Settings > Environments/,
      );
    }
  });

  it.each(files)('%s: every variable, secret and environment it uses is listed in the set-up of the README', (file) => {
    const source = text(file);
    for (const name of [...settingsIn(source, 'vars'), ...settingsIn(source, 'secrets')])
      expect(GITOPS_README).toMatch(new RegExp(`\\| \`${name}\` \\|`));
    for (const job of Object.values(workflow(file).jobs ?? {})) {
      if (!job.environment) continue;
      const names = environmentNames(job.environment);
      expect([job.environment, names.length]).toEqual([job.environment, expect.any(Number)]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(GITOPS_README).toContain(`| \`${name}\` |`);
    }
  });
});

describe('pinned actions', () => {
  const uses = files.flatMap((file) =>
    text(file)
      .split('\n')
      .filter((l) => /^\s*-?\s*uses:/.test(l))
      .map((line) => [file, line.trim().replace(/^- /, '')] as const),
  );

  it('are used at all', () => {
    expect(uses.length).toBeGreaterThan(0);
  });

  it.each(uses)('%s pins %s by full commit SHA, its release tag in a comment', (_, line) => {
    expect(line).toMatch(/^uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('pins each action to one commit in every workflow', () => {
    const commits = new Map<string, Set<string>>();
    for (const [, line] of uses) {
      const [action, rest] = line.replace(/^uses: /, '').split('@');
      commits.set(action!, (commits.get(action!) ?? new Set()).add(rest!));
    }
    for (const [action, pins] of commits) expect([action, [...pins]]).toEqual([action, [expect.any(String)]]);
  });
});

describe('tests in CI', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const motoPin = (file: string) => /moto\[server\]==([\d.]+)/.exec(fs.readFileSync(path.join(ROOT, file), 'utf8'))?.[1];
  const testing = files.flatMap((file) =>
    Object.entries(workflow(file).jobs ?? {})
      .filter(([, job]) => (job.steps ?? []).some((s) => /^npm test\b/m.test(s.run ?? '')))
      .map(([name, job]) => [`${file} ${name}`, job] as const),
  );

  it('pin moto in requirements-dev.txt, at the version the conformance suite asks for', () => {
    expect(motoPin('requirements-dev.txt')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(motoPin('requirements-dev.txt')).toBe(motoPin('sandbox/conformance/moto-server.ts'));
  });

  it('run npm test on a pull request and before a deploy', () => {
    expect(testing.map(([name]) => name).sort()).toEqual(['deploy.yml deploy', 'pull-request.yml test']);
  });

  it.each(testing)('%s installs first what npm test runs: Python with the moto the tests expect, and terraform', (_, job) => {
    const list = job.steps ?? [];
    const test = list.findIndex((s) => /^npm test\b/m.test(s.run ?? ''));
    const python = list.findIndex((s) => s.uses?.startsWith('actions/setup-python@'));
    const moto = list.findIndex((s) => /^python3 -m pip install -r requirements-dev\.txt$/m.test(s.run ?? ''));
    const terraform = list.findIndex((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
    expect(python).toBeGreaterThanOrEqual(0);
    expect(python).toBeLessThan(moto);
    expect(moto).toBeLessThan(test);
    expect(terraform).toBeGreaterThanOrEqual(0);
    expect(terraform).toBeLessThan(test);
  });
});

describe('verify and expire', () => {
  const wf = workflow('migrate.yml');
  const jobsOf = (pattern: RegExp) =>
    Object.entries(wf.jobs ?? {}).filter(([, job]) => (job.steps ?? []).some((s) => pattern.test(s.run ?? '')));
  const subcommandArguments = (subcommand: string) =>
    runLines(wf)
      .map((l) => l.trim())
      .filter((l) => new RegExp(`npm run --silent migrate -- ${subcommand}\\b`).test(l))
      .map((l) => l.split(' -- ')[1]!.split('>')[0]!.trim().split(/\s+/));

  it.each(['verify', 'expire'])('passes %s only flags the runner accepts', (subcommand) => {
    const command = buildProgram().commands.find((c) => c.name() === subcommand);
    const lines = subcommandArguments(subcommand);
    expect(lines.length).toBeGreaterThan(0);
    for (const [, ...args] of lines) {
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(command!.options.map((o) => o.long)).toContain(flag);
      expect(args.join(' ')).toMatch(/^--stack "\$STACK" --outputs-file outputs\.json --json\b/);
    }
  });

  it('verifies in the migrate job, right after a run that exited 0', () => {
    const list = wf.jobs?.migrate?.steps ?? [];
    const run = list.findIndex((s) => s.id === 'migrate');
    const verify = list.findIndex((s) => s.id === 'verify');
    expect(run).toBeGreaterThanOrEqual(0);
    expect(verify).toBe(run + 1);
    expect(list[verify]!.if).toBe(`steps.migrate.outputs.exit_code == '${EXIT.done}'`);
    expect(list[verify]!.run).toMatch(/npm run --silent migrate -- verify /);
  });

  it('branches on the exit codes verify and expire document and fails on the rest', () => {
    const script = (job: string, id: string) => (wf.jobs?.[job]?.steps ?? []).find((s) => s.id === id)!.run!;
    const branches = (run: string) => [...run.matchAll(/^\s+(\d+)\) /gm)].map((m) => Number(m[1]));
    expect(branches(script('migrate', 'verify'))).toEqual([EXIT.done, EXIT.preflight, EXIT.needsHuman, EXIT.conflict]);
    expect(branches(script('expire', 'expire'))).toEqual([EXIT.done, EXIT.needsHuman, EXIT.conflict]);
    for (const run of [script('migrate', 'verify'), script('expire', 'expire')]) expect(run).toMatch(/\*\) .*exit "\$code"/);
  });

  it('expires only in a job behind the approval environment, after verify passed, with a dry run first', () => {
    const expiring = jobsOf(/migrate -- expire\b/);
    expect(expiring.map(([name]) => name)).toEqual(['expire']);
    const job = expiring[0]![1];
    expect(job.environment).toBe("${{ format('{0}-expire', inputs.stack || vars.KMS_MIGRATION_STACK) }}");
    expect(job.needs).toBe('migrate');
    expect(job.if).toBe(`needs.migrate.outputs.verify_exit_code == '${EXIT.done}'`);
    const script = (job.steps ?? []).find((s) => s.id === 'expire')!.run!;
    expect(script.indexOf('--dry-run')).toBeGreaterThan(0);
    expect(script.indexOf('--dry-run')).toBeLessThan(script.search(/--json > expire\.jsonl/));
    expect(script).not.toMatch(/--force|--i-understand/);
    expect(GITOPS_README).toMatch(/`<stack>-expire` \| [^\n]*required reviewers/);
  });

  it('runs one migration of a stack at a time', () => {
    expect(wf.concurrency).toEqual({
      group: 'kms-migration-migrate-${{ inputs.stack || vars.KMS_MIGRATION_STACK }}',
      'cancel-in-progress': false,
    });
  });
});

describe('needs a human', () => {
  const wf = workflow('migrate.yml');
  const job = wf.jobs?.['needs-human'];
  const script = (job?.steps ?? []).map((s) => s.run ?? '').join('\n');

  it('runs on an exit 20 of run, verify or expire, even when expire was skipped', () => {
    expect(job?.needs).toEqual(['migrate', 'expire']);
    expect(job?.if).toBe(
      `always() && (needs.migrate.outputs.run_exit_code == '${EXIT.needsHuman}' || needs.migrate.outputs.verify_exit_code == '${EXIT.needsHuman}' || needs.expire.outputs.exit_code == '${EXIT.needsHuman}')`,
    );
    expect(text('migrate.yml')).toMatch(/run_exit_code: \$\{\{ steps\.migrate\.outputs\.exit_code \}\}/);
    expect(text('migrate.yml')).toMatch(/verify_exit_code: \$\{\{ steps\.verify\.outputs\.exit_code \}\}/);
  });

  it('comments on the open issue of the stack, found by label and exact title, and opens one only when there is none', () => {
    expect(script).toMatch(/title="KMS migration of \$STACK needs a decision"/);
    expect(script).toMatch(/gh issue list --state open --label "\$label" --search "\\"\$title\\" in:title"/);
    expect(script).toMatch(/select\(\.title == \$title\)/);
    expect(script).toMatch(
      /if \[ -n "\$number" \]; then\n\s+gh issue comment "\$number"[\s\S]*else\n\s+gh issue create --title "\$title" --label "\$label"/,
    );
    expect(text('migrate.yml').match(/gh issue create/g)).toHaveLength(1);
    for (const file of files.filter((f) => f !== 'migrate.yml')) expect(text(file)).not.toMatch(/gh issue/);
  });

  it('holds no AWS credentials, only the right to write issues', () => {
    expect(job?.permissions).toEqual({ issues: 'write' });
    expect(JSON.stringify(job?.steps)).not.toMatch(/configure-aws-credentials|actions\/checkout/);
  });
});
