// `npm run demo`, the README's main command, works end to end: it exits 0 and shows each step.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('synthesizes, applies, delivers inventory, plans, migrates, submits nothing on a rerun, verifies and expires', () => {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['rehearsal/demo.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 280_000 });
    expect(run.stderr).not.toMatch(/Demo failed/);
    expect(run.status).toBe(0);
    for (const step of ['1. Synthesize', '3. Apply the synthesized stack', '4. S3 delivers the inventory', '5. npm run migrate -- plan', '6. npm run migrate -- run', '7. Run it again', '8. S3 delivers a fresh inventory', '9. Accept what remains', '10. npm run migrate -- expire']) {
      expect(run.stdout).toContain(step);
    }
    const submitted = run.stdout.split('\n').filter((l) => l.includes('"type":"job-submitted"'));
    expect(submitted.length).toBeGreaterThan(0);
    const afterRerun = run.stdout.slice(run.stdout.indexOf('7. Run it again'), run.stdout.indexOf('8. S3 delivers'));
    expect(afterRerun).not.toContain('"type":"job-submitted"');
    // A reader the key no longer grants stops the run before anything is written.
    expect(run.stdout).toContain('run exited 20: analytics would have lost access to demo-data-lake, and demo-thumbnails would have been sent an event per copy unannounced; nothing was written');
    expect(run.stdout).toMatch(/demo-thumbnails was sent [1-9]\d* s3:ObjectCreated:Copy events/);
    // The truth first: current SSE-C and DSSE-KMS versions remain, and verify says so.
    expect(run.stdout).toContain('verify exited 20: SSE-C and DSSE-KMS current versions remain');
    expect(run.stdout).toContain('verify exited 0');
    expect(run.stdout).toContain('expire exited 0');
    expect(run.stdout).not.toMatch(/NodeVersionSupportWarning/);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning/);

    // The passing verification counted every version the sandbox world holds, and named what it accepted.
    const records = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    const accept = run.stdout.indexOf('9. Accept what remains');
    const finalVerifications = run.stdout.slice(accept).split('\n').filter((l) => l.includes('"type":"bucket-verification"')).map((l) => JSON.parse(l) as Record<string, any>);
    const world = [...run.stdout.matchAll(/sandbox world: (\S+) holds (\d+) object versions/g)].map((m) => [m[1], Number(m[2])]);
    expect(world).toHaveLength(3);
    expect(finalVerifications.map((v) => [v.bucket, v.current.versions + v.noncurrent.versions])).toEqual(world);
    for (const v of finalVerifications) expect(v.passed).toBe(true);
    expect(finalVerifications.find((v) => v.bucket === 'demo-app-assets')!.current.accepted).toEqual({ 'sse-c': expect.any(Number), 'dsse-kms': expect.any(Number) });
    // The expiration's impact is never a 0 for unknown: the newest report predates the jobs.
    const dryRun = records.filter((r) => r.type === 'bucket-expiration' && r.dryRun);
    expect(dryRun.length).toBe(3);
    for (const r of dryRun) expect(r.impact).toEqual({ unknown: expect.stringMatching(/predates the migration's last change/) });
  }, 300_000);
});
