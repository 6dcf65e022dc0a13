// The CLI's contract with pipelines: documented exit codes for help, bad arguments and bad outputs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { buildProgram, main } from '../../runner/cli';
import { ConflictError } from '../../runner/errors';
import { StackLock } from '../../runner/state';
import { clientsFor } from '../../rehearsal/clients';
import { startSandbox } from '../../sandbox';
import { stackOutputs } from './builders';

let stderr: string;
let stdout: string;
beforeEach(() => {
  stderr = '';
  stdout = '';
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

// The commands whose engines take the stack's lock (withStackLock): each must accept what the lock's message tells users to pass.
const LOCK_TAKING_COMMANDS = ['run', 'verify', 'expire', 'retry-failed'];

describe('migrate CLI', () => {
  it('prints help with the exit codes and exits 0', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(stdout).toContain('Exit codes: 0 done, 10 work still running');
  });

  it('starts --help with examples and keeps it to one screen', async () => {
    expect(await main(['--help'])).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Examples:');
    expect(lines[1]).toMatch(/^ {2}npm run migrate -- plan --stack prod/);
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it.each(['run', 'plan', 'status', 'retry-failed', 'verify', 'expire', 'report'])(
    'starts %s --help with its examples',
    async (command) => {
      expect(await main([command, '--help'])).toBe(0);
      expect(stdout.split('\n').slice(0, 2)).toEqual([
        'Examples:',
        expect.stringMatching(new RegExp(`^ {2}npm run migrate -- ${command} --stack `)),
      ]);
    },
  );

  it("answers an unknown flag with the message and one line pointing to the command's help, not the help itself", async () => {
    expect(await main(['plan', '--stack', 'prod', '--no-such-flag'])).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      "error: unknown option '--no-such-flag'",
      'Run `npm run migrate -- plan --help` for the flags and examples.',
    ]);
  });

  it('answers a bad flag value with the message and the same pointer line', async () => {
    expect(await main(['plan', '--stack', 'prod', '--engine', 'fast'])).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      '--engine must be batch or direct. Received: fast',
      'Run `npm run migrate -- plan --help` for the flags and examples.',
    ]);
  });

  it('writes no JSON error line with --no-json, even when stdout is not a terminal', async () => {
    expect(await main(['plan', '--stack', 'prod', '--engine', 'fast', '--no-json'])).toBe(2);
    expect(stdout).toBe('');
  });

  it('exits 2 without --stack, saying what to pass', async () => {
    expect(await main(['plan'])).toBe(2);
    expect(stderr).toContain('--stack is required');
  });

  it.each(['../etc', 'Demo', 'a'.repeat(21), 'prod/../x'])('exits 2 on --stack %j before anything else, naming the rule', async (stack) => {
    expect(await main(['plan', '--stack', stack, '--outputs-file', '/nonexistent/outputs.json'])).toBe(2);
    expect(stderr).toContain(`--stack: stack name '${stack}': use 1-20 lower-case letters, digits and hyphens, starting with a letter`);
  });

  it('exits 2 on an unknown command, naming it and the commands there are', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate': use one of run, plan, status, retry-failed, verify, expire");
    expect(stderr).not.toContain('too many arguments');
  });

  it('with --json, writes every error as a JSON line on stdout too, with its exit code', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-outputs.json');
    expect(await main(['plan', '--stack', 'prod', '--outputs-file', missing, '--json'])).toBe(3);
    const records = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([{ type: 'error', code: 3, message: expect.stringContaining('Cannot read outputs file') }]);
  });

  it('exits 3 when the outputs name no bucket, instead of doing nothing and exiting 0', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
    const outputs = stackOutputs({ stack: 'prod' });
    fs.writeFileSync(file, JSON.stringify({ prod: { ...outputs, buckets: {} } }));
    for (const command of ['plan', 'run', 'verify', 'expire']) {
      stderr = '';
      expect([command, await main([command, '--stack', 'prod', '--outputs-file', file])]).toEqual([command, 3]);
      expect(stderr).toContain('name no bucket (buckets is empty)');
      expect(stderr).not.toContain('--bucket undefined');
    }
  });

  it('exits 3 without a stack trace when a Glue name in the outputs holds SQL, naming the field and the value', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ prod: stackOutputs({ glue_database: 'x"; DROP TABLE y; --' }) }));
    for (const command of ['plan', 'verify']) {
      stderr = '';
      expect([command, await main([command, '--stack', 'prod', '--outputs-file', file])]).toEqual([command, 3]);
      expect(stderr).toContain('glue_database: must be a Glue name of lower-case letters, digits and underscores');
      expect(stderr).toContain('Received: "x\\"; DROP TABLE y; --"');
      expect(stderr).not.toMatch(/Unexpected error|\n\s+at /);
    }
  });

  it('exits 3 when the outputs file is missing', async () => {
    expect(await main(['plan', '--stack', 'prod', '--outputs-file', path.join(os.tmpdir(), 'no-such-outputs.json')])).toBe(3);
    expect(stderr).toContain('Cannot read outputs file');
  });

  it('exits 2 when the folder of report --out does not exist, naming it and what to do, without a stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const outputsFile = path.join(dir, 'outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify({ prod: stackOutputs({ stack: 'prod' }) }));
    const out = path.join(dir, 'missing-dir', 'x.html');
    expect(await main(['report', '--stack', 'prod', '--outputs-file', outputsFile, '--format', 'html', '--out', out])).toBe(2);
    expect(stderr).toContain(
      `--out ${out}: the folder ${path.join(dir, 'missing-dir')} does not exist. Create it first (mkdir -p ${path.join(dir, 'missing-dir')})`,
    );
    expect(stderr).not.toMatch(/Unexpected error|^\s+at /m);
    expect(fs.readdirSync(dir)).toEqual(['outputs.json']);
  });

  it('exits 2 on a bad --max-inventory-age-hours', async () => {
    expect(await main(['plan', '--stack', 'prod', '--max-inventory-age-hours', 'soon'])).toBe(2);
    expect(stderr).toContain('--max-inventory-age-hours must be a positive number in decimal digits, such as 30 or 0.5. Received: soon');
  });
});

describe('numeric flags', () => {
  const missing = path.join(os.tmpdir(), 'no-such-outputs.json');
  const runWith = (command: string, flag: string, value: string) =>
    main([command, '--stack', 'prod', '--outputs-file', missing, flag, value]);

  // Every numeric flag of every command: counts are whole numbers, durations may have a fraction.
  const wholeNumberFlags: [string, string, string, string][] = [
    ['run', '--concurrency', 'from 1 to 1000', '1001'],
    ['run', '--priority', 'from 0 to 2147483647', '2147483648'],
    ['retry-failed', '--priority', 'from 0 to 2147483647', '2147483648'],
    ['verify', '--list-threshold', 'of at least 1', '0'],
    ['verify', '--head-concurrency', 'from 1 to 1000', '1001'],
    ['verify', '--key-check-limit', 'of at least 1', '0'],
  ];
  const durationFlags: [string, string][] = [
    ...LOCK_TAKING_COMMANDS.map((command): [string, string] => [command, '--lock-stale-minutes']),
    ...buildProgram().commands.map((c): [string, string] => [c.name(), '--max-inventory-age-hours']),
  ];
  // What Number() reads as a number but nobody writes as one: exponent, hex, binary, sign, separators, white space, nothing.
  const notDecimal = ['1e3', '0x10', '0b11', 'Infinity', '+5', '1_000', ' 16', '16 ', ''];

  const shown = (value: string) => (/^\S+$/.test(value) ? value : JSON.stringify(value));

  describe.each(wholeNumberFlags)('%s %s', (command, flag, bounds, outOfRange) => {
    it.each([...notDecimal, '2.5', '16.0', outOfRange])('refuses %j with exit 2, naming the flag and the value', async (value) => {
      expect(await runWith(command, flag, value)).toBe(2);
      expect(stderr).toContain(`${flag} must be a whole number ${bounds}, in decimal digits. Received: ${shown(value)}`);
    });

    it('takes plain digits (then stops at the missing outputs file, exit 3)', async () => {
      expect(await runWith(command, flag, '16')).toBe(3);
    });
  });

  describe.each(durationFlags)('%s %s', (command, flag) => {
    it.each([...notDecimal, '0', '0.0', '.5', '5.', '-1.5'])('refuses %j with exit 2, naming the flag and the value', async (value) => {
      expect(await runWith(command, flag, value)).toBe(2);
      expect(stderr).toContain(`${flag} must be a positive number in decimal digits, such as 30 or 0.5. Received: ${shown(value)}`);
    });

    it.each(['30', '0.5', '1.25'])('takes %s (then stops at the missing outputs file, exit 3)', async (value) => {
      expect(await runWith(command, flag, value)).toBe(3);
    });
  });

  it('takes --priority 0, the lowest priority CreateJob accepts', async () => {
    expect(await runWith('run', '--priority', '0')).toBe(3);
  });

  it('names the largest exact integer when a count without a maximum of its own passes it', async () => {
    expect(await runWith('verify', '--list-threshold', '9007199254740993')).toBe(2);
    expect(stderr).toContain(
      '--list-threshold must be a whole number from 1 to 9007199254740991, in decimal digits. Received: 9007199254740993',
    );
  });
});

describe('the stack lock flag', () => {
  const missing = path.join(os.tmpdir(), 'no-such-outputs.json');

  it('is accepted by retry-failed: a bad outputs file, not the flag, ends it', async () => {
    expect(await main(['retry-failed', '--stack', 'prod', '--outputs-file', missing, '--lock-stale-minutes', '5'])).toBe(3);
    expect(stderr).not.toContain("unknown option '--lock-stale-minutes'");
  });

  it.each(LOCK_TAKING_COMMANDS)('is checked by %s before anything else', async (command) => {
    expect(await main([command, '--stack', 'prod', '--outputs-file', missing, '--lock-stale-minutes', 'soon'])).toBe(2);
    expect(stderr).toContain('--lock-stale-minutes must be a positive number');
  });

  it("names in the lock's conflict message only flags that every lock-taking command accepts", async () => {
    const sandbox = await startSandbox();
    const clients = clientsFor(sandbox.endpoint);
    try {
      const outputs = stackOutputs();
      await clients.s3.send(new CreateBucketCommand({ Bucket: outputs.reports_bucket }));
      await new StackLock(clients.s3, outputs.reports_bucket, outputs).acquire();
      const conflict = await new StackLock(clients.s3, outputs.reports_bucket, outputs).acquire().catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(ConflictError);
      const advised = [...new Set((conflict as ConflictError).message.match(/--[a-z][a-z-]+/g))];
      expect(advised).toEqual(['--lock-stale-minutes']);
      const program = buildProgram();
      for (const name of LOCK_TAKING_COMMANDS) {
        const accepted = program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
        expect([name, advised.filter((flag) => !accepted.includes(flag))]).toEqual([name, []]);
      }
    } finally {
      clients.destroy();
      await sandbox.stop();
    }
  });

  it('lets retry-failed take over a lock silent for longer than --lock-stale-minutes, and only then', async () => {
    const sandbox = await startSandbox();
    const clients = clientsFor(sandbox.endpoint);
    const saved = { ...process.env };
    try {
      const outputs = stackOutputs();
      await clients.s3.send(new CreateBucketCommand({ Bucket: outputs.reports_bucket }));
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
      const silent = { owner: 'killed-host:1:dead', acquiredAt: tenMinutesAgo, heartbeatAt: tenMinutesAgo };
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: outputs.reports_bucket,
          Key: `${outputs.reports_prefix}state/lock.json`,
          Body: JSON.stringify(silent),
        }),
      );
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
      fs.writeFileSync(file, JSON.stringify({ prod: outputs }));
      Object.assign(process.env, { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: 'AKIDCLITEST', AWS_SECRET_ACCESS_KEY: 'secret' });
      const retry = (...flags: string[]) => main(['retry-failed', '--stack', 'prod', '--outputs-file', file, '--json', ...flags]);
      expect(await retry()).toBe(30);
      expect(await retry('--lock-stale-minutes', '5')).toBe(0);
    } finally {
      process.env = saved;
      clients.destroy();
      await sandbox.stop();
    }
  });
});

describe('migrate CLI without AWS credentials', () => {
  // Every source of the SDK's default chain emptied: no variables, no profile files, no instance metadata.
  const NO_CREDENTIALS: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'no-such-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // Nothing may leave the machine, should a credential be found after all.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  };
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(NO_CREDENTIALS)) {
      saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each(['status', 'plan'])('%s exits 5, naming the ways to provide credentials', async (command) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ prod: stackOutputs() }));
    expect(await main([command, '--stack', 'prod', '--outputs-file', file, '--json'])).toBe(5);
    expect(stderr).toContain('No usable AWS credentials');
    for (const way of ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'aws sso login', 'AWS_WEB_IDENTITY_TOKEN_FILE']) expect(stderr).toContain(way);
    expect(stderr).not.toContain('Unexpected error');
    const records = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.at(-1)).toEqual({ type: 'error', code: 5, message: expect.stringContaining('No usable AWS credentials') });
  });
});

describe('migrate policy', () => {
  it('prints the stack runner IAM policy as one JSON document on stdout, without AWS', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ prod: stackOutputs() }));
    expect(await main(['policy', '--stack', 'prod', '--outputs-file', file])).toBe(0);
    const policy = JSON.parse(stdout) as { Version: string; Statement: { Sid: string; Resource: unknown }[] };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.find((s) => s.Sid === 'PassBatchOperationsRole')?.Resource).toBe(stackOutputs().batch_operations_role_arn);
  });

  it('says in --help what the policy is for, with an example', async () => {
    expect(await main(['policy', '--help'])).toBe(0);
    expect(stdout).toContain('IAM policy (JSON) that the role or user running `migrate` needs');
    expect(stdout).toContain('npm run migrate -- policy --stack prod --outputs-file outputs.json > runner-policy.json');
  });
});
