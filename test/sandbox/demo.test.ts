// `npm run demo`, the README's main command, works end to end: it exits 0 and shows each step.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('synthesizes, applies, delivers inventory, plans, migrates, submits nothing on a rerun, verifies and expires', () => {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['test/sandbox/demo.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 180_000 });
    expect(run.stderr).not.toMatch(/Demo failed/);
    expect(run.status).toBe(0);
    for (const step of ['1. Synthesize', '3. Apply the synthesized stack', '4. S3 delivers the inventory', '5. npm run migrate -- plan', '6. npm run migrate -- run', '7. Run it again', '8. A day later', '9. npm run migrate -- expire']) {
      expect(run.stdout).toContain(step);
    }
    const submitted = run.stdout.split('\n').filter((l) => l.includes('"type":"job-submitted"'));
    expect(submitted.length).toBeGreaterThan(0);
    const afterRerun = run.stdout.slice(run.stdout.indexOf('7. Run it again'));
    expect(afterRerun).not.toContain('"type":"job-submitted"');
    expect(run.stdout).toContain('verify exited 0');
    expect(run.stdout).toContain('expire exited 0');
    expect(run.stdout).not.toMatch(/NodeVersionSupportWarning/);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });
});
