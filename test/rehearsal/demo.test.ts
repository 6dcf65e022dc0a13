// `npm run demo`, the README's main command, works end to end: it exits 0, shows each step in text
// even in a pipe, keeps the runner's JSON lines in files, and with --keep leaves a sandbox that
// `status` answers on, as JSON lines in a pipe and in colour on a terminal.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_JSON_LINE } from '../../runner/output';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface KeptDemo {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  /** What the demo printed while it kept the sandbox running. */
  readonly whileKept: string;
  readonly status: { readonly piped: ReturnType<typeof spawnSync>; readonly terminal: string; readonly noColor: string };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** Runs `npm run demo -- --keep` in a pipe, runs `status` as the demo suggests while it waits, then stops it with SIGINT. */
async function keptDemo(): Promise<KeptDemo> {
  const child = spawn(TSX, ['rehearsal/demo.ts', '--keep'], { cwd: ROOT, env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kept = await new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/The runner's JSON lines of each step of this demo: .+\n/.test(stdout)) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (!kept) return { stdout, stderr, code: await exited, whileKept: '', status: { piped: spawnSync('false'), terminal: '', noColor: '' } };
  const whileKept = stdout;
  const env = Object.fromEntries([...whileKept.matchAll(/(AWS_[A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const statusCommand = /npm run migrate -- (status .+)\n/.exec(whileKept)![1]!.split(' ');
  const cli = [TSX, 'runner/cli.ts', ...statusCommand];
  const childEnv = { ...process.env, ...env, NO_COLOR: '' };
  const piped = spawnSync(cli[0]!, cli.slice(1), { cwd: ROOT, encoding: 'utf8', env: childEnv });
  // A pseudo-terminal (util-linux script), as a person's shell would give the CLI.
  const onTerminal = (extra: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', cli.map(shellQuote).join(' '), '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...childEnv, ...extra },
    }).stdout;
  const status = { piped, terminal: onTerminal({}), noColor: onTerminal({ NO_COLOR: '1' }) };
  child.kill('SIGINT');
  return { stdout, stderr, code: await exited, whileKept, status };
}

function jsonLines(file: string): Record<string, any>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
}

describe('npm run demo -- --keep', () => {
  let demo: KeptDemo;
  let eventsDir: string;
  beforeAll(async () => {
    demo = await keptDemo();
    eventsDir = /The runner's JSON lines of each step of this demo: (.+)\n/.exec(demo.stdout)?.[1] ?? '';
  }, 300_000);
  afterAll(() => {
    if (eventsDir) fs.rmSync(path.dirname(eventsDir), { recursive: true, force: true });
  });

  it('synthesizes, applies, delivers inventory, plans, migrates, submits nothing on a rerun, verifies and expires', () => {
    expect(demo.stderr).not.toMatch(/Demo failed/);
    expect(demo.code).toBe(0);
    for (const step of [
      '1. Synthesize',
      '3. Apply the synthesized stack',
      '4. S3 delivers the inventory',
      '5. npm run migrate -- plan',
      '6. npm run migrate -- run',
      '7. Run it again',
      '8. S3 delivers a fresh inventory',
      '9. Accept what remains',
      '10. npm run migrate -- expire',
    ]) {
      expect(demo.stdout).toContain(step);
    }
    // A reader the key no longer grants stops the run before anything is written.
    expect(demo.stdout).toContain(
      'run exited 20: analytics would have lost access to demo-data-lake, and demo-thumbnails would have been sent an event per copy unannounced; nothing was written',
    );
    expect(demo.stdout).toMatch(/demo-thumbnails was sent [1-9][\d,]* s3:ObjectCreated:Copy events/);
    // The truth first: current SSE-C and DSSE-KMS versions remain, and verify says so.
    expect(demo.stdout).toContain('verify exited 20: SSE-C and DSSE-KMS current versions remain');
    expect(demo.stdout).toContain('verify exited 0');
    expect(demo.stdout).toContain('expire exited 0');
    expect(demo.stdout + demo.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });

  it('reads as text in a pipe: no JSON line among the narrative, and the rerun says in one line that nothing is submitted', () => {
    expect(demo.stdout.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
    const rerun = demo.stdout.slice(demo.stdout.indexOf('7. Run it again'), demo.stdout.indexOf('8. S3 delivers'));
    expect(rerun).toMatch(/Plan unchanged \(inventory [\d-]+\): its \d+ job\(s\) were submitted before; nothing is submitted again\./);
    expect(rerun).not.toContain('Estimated cost');
    // The UpdateObjectEncryption note appears only for a bucket whose events someone receives (demo-data-lake), not for every bucket.
    const plan = demo.stdout.slice(demo.stdout.indexOf('5. npm run migrate -- plan'), demo.stdout.indexOf('5b. '));
    expect(plan.split('UpdateObjectEncryption: no event is documented for it').length - 1).toBe(1);
    expect(plan).not.toMatch(/\b\d{4,} (versions|object task)/);
  });

  it("keeps the runner's JSON lines of each command in a file, every line parseable and at most MAX_JSON_LINE characters", () => {
    const files = fs.readdirSync(eventsDir).sort();
    expect(files).toEqual([
      '01-plan.jsonl',
      '02-run.jsonl',
      '03-run.jsonl',
      '04-run.jsonl',
      '05-verify.jsonl',
      '06-verify.jsonl',
      '07-expire.jsonl',
      '08-expire.jsonl',
    ]);
    for (const file of files) {
      const lines = fs.readFileSync(path.join(eventsDir, file), 'utf8').split('\n').filter(Boolean);
      expect([file, lines.filter((l) => l.length > MAX_JSON_LINE).map((l) => l.slice(0, 80))]).toEqual([file, []]);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    expect(jsonLines(path.join(eventsDir, '03-run.jsonl')).filter((r) => r.type === 'job-submitted').length).toBeGreaterThan(0);
    const rerun = jsonLines(path.join(eventsDir, '04-run.jsonl'));
    expect(rerun.filter((r) => r.type === 'job-submitted')).toEqual([]);
    expect(rerun.filter((r) => r.type === 'plan-unchanged')).toHaveLength(1);

    // The passing verification counted every version the sandbox world holds, and named what it accepted.
    const world = [...demo.stdout.matchAll(/sandbox world: (\S+) holds ([\d,]+) object versions/g)].map((m) => [
      m[1],
      Number(m[2]!.replace(/,/g, '')),
    ]);
    expect(world).toHaveLength(3);
    const finalVerifications = jsonLines(path.join(eventsDir, '06-verify.jsonl')).filter((r) => r.type === 'bucket-verification');
    expect(finalVerifications.map((v) => [v.bucket, v.current.versions + v.noncurrent.versions])).toEqual(world);
    for (const v of finalVerifications) expect(v.passed).toBe(true);
    expect(finalVerifications.find((v) => v.bucket === 'demo-app-assets')!.current.accepted).toEqual({
      'sse-c': expect.any(Number),
      'dsse-kms': expect.any(Number),
    });
    // The expiration's impact is never a 0 for unknown: the newest report predates the jobs.
    const dryRun = jsonLines(path.join(eventsDir, '07-expire.jsonl')).filter((r) => r.type === 'bucket-expiration' && r.dryRun);
    expect(dryRun.length).toBe(3);
    for (const r of dryRun) expect(r.impact).toEqual({ unknown: expect.stringMatching(/predates the migration's last change/) });
  });

  it('prints, while the sandbox runs, the AWS_ENDPOINT_URL line and the status and report commands to try', () => {
    expect(demo.whileKept).toMatch(/The sandbox keeps running on http:\/\/127\.0\.0\.1:\d+ until Ctrl-C/);
    expect(demo.whileKept).toMatch(
      /^ {2}export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+ AWS_REGION=\S+$/m,
    );
    expect(demo.whileKept).toMatch(/^ {2}npm run migrate -- status --stack demo --outputs-file \S+outputs\.json$/m);
    expect(demo.whileKept).toMatch(
      /^ {2}npm run migrate -- report --stack demo --outputs-file \S+outputs\.json --format html --out demo-report\.html$/m,
    );
  });

  it('answers the status command it prints, in a pipe with JSON lines only', () => {
    const lines = String(demo.status.piped.stdout).split('\n').filter(Boolean);
    expect(demo.status.piped.status).toBe(0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(MAX_JSON_LINE);
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'bucket-status',
      'bucket-status',
      'bucket-status',
      'status',
    ]);
  });

  it('answers it on a terminal as text in colour, and without colour under NO_COLOR', () => {
    expect(demo.status.terminal).toContain('\u001b[');
    expect(demo.status.terminal).toMatch(/demo-app-assets.*: .*DONE/);
    expect(demo.status.terminal).not.toContain('{"type"');
    expect(demo.status.noColor).toMatch(/demo-app-assets: DONE/);
    expect(demo.status.noColor).not.toContain('\u001b[');
  });
});
