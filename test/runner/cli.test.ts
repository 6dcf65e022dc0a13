// The CLI's contract with pipelines: documented exit codes for help, bad arguments and bad outputs.
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../runner/cli';

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

  it('exits 2 on an unknown command', async () => {
    expect(await main(['frobnicate'])).toBe(2);
  });

  it('exits 3 when the outputs file is missing', async () => {
    expect(await main(['plan', '--stack', 'prod', '--outputs-file', path.join(os.tmpdir(), 'no-such-outputs.json')])).toBe(3);
    expect(stderr).toContain('Cannot read outputs file');
  });

  it('exits 2 on a bad --max-inventory-age-hours', async () => {
    expect(await main(['plan', '--stack', 'prod', '--max-inventory-age-hours', 'soon'])).toBe(2);
    expect(stderr).toContain('--max-inventory-age-hours must be a positive number. Received: soon');
  });
});
