// The CLI's contract with pipelines: documented exit codes for help, bad arguments and bad outputs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../runner/cli';
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

describe('migrate CLI', () => {
  it('prints help with the exit codes and exits 0', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(stdout).toContain('Exit codes: 0 done, 10 work still running');
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
    const records = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([{ type: 'error', code: 3, message: expect.stringContaining('Cannot read outputs file') }]);
  });

  it('exits 3 when the outputs name no bucket, instead of doing nothing and exiting 0', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'outputs.json');
    const outputs = stackOutputs({ stack: 'prod' });
    fs.writeFileSync(file, JSON.stringify({ prod: { ...outputs, buckets: {} } }));
    for (const command of ['plan', 'run', 'verify', 'expire']) {
      stderr = '';
      expect([command, await main([command, '--stack', 'prod', '--outputs-file', file])]).toEqual([command, 3]);
      expect(stderr).toContain("name no bucket (buckets is empty)");
      expect(stderr).not.toContain('--bucket undefined');
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
    expect(stderr).toContain(`--out ${out}: the folder ${path.join(dir, 'missing-dir')} does not exist. Create it first (mkdir -p ${path.join(dir, 'missing-dir')})`);
    expect(stderr).not.toMatch(/Unexpected error|^\s+at /m);
    expect(fs.readdirSync(dir)).toEqual(['outputs.json']);
  });

  it('exits 2 on a bad --max-inventory-age-hours', async () => {
    expect(await main(['plan', '--stack', 'prod', '--max-inventory-age-hours', 'soon'])).toBe(2);
    expect(stderr).toContain('--max-inventory-age-hours must be a positive number. Received: soon');
  });
});
