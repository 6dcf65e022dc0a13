// `npm run migrate` runs the runner compiled from the current sources (runner/launch.mjs): the same
// CLI as runner/cli.ts, exit codes included. How fast it answers is measured in the bench (part cli).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../runner/cli';

const ROOT = path.resolve(__dirname, '../..');
const launch = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'runner/launch.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('runner/launch.mjs', () => {
  it('prints the help of the current sources', async () => {
    let inProcess = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      inProcess += String(chunk);
      return true;
    });
    await main(['--help']);
    jest.restoreAllMocks();
    const launched = launch('--help');
    expect(launched.status).toBe(0);
    expect(launched.stdout).toBe(inProcess);
  });

  it('ends with the exit code of the runner, and its message', () => {
    const launched = launch('plan', '--stack', 'prod', '--engine', 'fast', '--no-json');
    expect(launched.status).toBe(2);
    expect(launched.stderr).toBe(
      '--engine must be batch or direct. Received: fast\nRun `npm run migrate -- plan --help` for the flags and examples.\n',
    );
  });
});
