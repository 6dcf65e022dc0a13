// A real `cdktf synth` through the CLI writes every stack; a bad config stops it, its message printed once.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listStacks } from '../../stacks/config';
import { CONFIG_ERRORS_STACK } from '../../stacks/synth-errors';
import { rawConfig } from './builders';

const ROOT = path.resolve(__dirname, '../..');
const ENV = { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1' };

describe('cdktf synth', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-out-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes cdktf.out/stacks/<stack>/cdk.tf.json for every environment', () => {
    execFileSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', out], { cwd: ROOT, env: ENV, stdio: 'pipe' });
    for (const stack of listStacks()) {
      const file = path.join(out, 'stacks', stack, 'cdk.tf.json');
      const synthesized = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(Object.keys(synthesized.resource)).toContain('aws_kms_key');
    }
  });
});

describe('cdktf synth with bad configs', () => {
  let dir: string;
  let out: string;
  let run: ReturnType<typeof spawnSync>;
  let output: string;
  const count = (text: string) => output.split(text).length - 1;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-envs-'));
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-out-'));
    fs.writeFileSync(path.join(dir, 'alpha.json'), JSON.stringify(rawConfig({ region: 'mars-1' })));
    // A repeated key, which only the file's text shows: JSON.parse would keep the second silently.
    fs.writeFileSync(path.join(dir, 'beta.json'), JSON.stringify(rawConfig({ versioning: false })).replace('{', '{"versioning":true,'));
    fs.writeFileSync(path.join(dir, 'gamma.json'), JSON.stringify(rawConfig({ backend: { type: 'local', allowInCi: true } })));
    // What an earlier, good synth left behind: a failed synth must not leave it to be deployed.
    fs.mkdirSync(path.join(out, 'stacks', 'gamma'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'gamma', 'cdk.tf.json'), '{}');
    run = spawnSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', out], {
      cwd: ROOT,
      env: { ...ENV, KMS_MIGRATION_CONFIG_DIR: dir },
      encoding: 'utf8',
    });
    output = `${String(run.stdout)}${String(run.stderr)}`;
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('fails', () => {
    expect(run.status).toBe(1);
  });

  it('prints every problem of every config once, not once per layer of the CLI', () => {
    expect(count("Configuration of stack 'alpha' has 1 problem:")).toBe(1);
    expect(count('region: unknown region "mars-1"')).toBe(1);
    expect(count("Configuration of stack 'beta' has 1 problem:")).toBe(1);
    expect(count(`${path.join(dir, 'beta.json')}: duplicate key "versioning" at the top level, line 1 (first on line 1)`)).toBe(1);
  });

  it('synthesizes no stack, and removes what an earlier synth left', () => {
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual([CONFIG_ERRORS_STACK]);
    const carrier = JSON.parse(fs.readFileSync(path.join(out, 'stacks', CONFIG_ERRORS_STACK, 'cdk.tf.json'), 'utf8'));
    expect(carrier.resource).toBeUndefined();
    expect(carrier.provider).toBeUndefined();
  });
});

describe('the app with a bad config', () => {
  it('exits non-zero and reports every problem of every stack', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-envs-'));
    try {
      fs.writeFileSync(path.join(dir, 'alpha.json'), JSON.stringify(rawConfig({ region: 'mars-1' })));
      fs.writeFileSync(path.join(dir, 'beta.json'), JSON.stringify(rawConfig({ buckets: [] })));
      const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts'], {
        cwd: ROOT,
        env: { ...ENV, KMS_MIGRATION_CONFIG_DIR: dir, CDKTF_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'out-')) },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("Configuration of stack 'alpha' has 1 problem:");
      expect(run.stderr).toContain('region: unknown region "mars-1"');
      expect(run.stderr).toContain("Configuration of stack 'beta' has 1 problem:");
      expect(run.stderr).toContain('buckets: is empty');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the app in CI', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-envs-'));
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  const runApp = (configs: Record<string, Record<string, unknown>>) => {
    for (const [name, overrides] of Object.entries(configs)) {
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(rawConfig(overrides)));
    }
    return spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts'], {
      cwd: ROOT,
      env: { ...ENV, KMS_MIGRATION_CONFIG_DIR: dir, CDKTF_OUTDIR: out },
      encoding: 'utf8',
    });
  };

  it('refuses a stack with local state, naming the setting to add, and two stacks on one state object', () => {
    const shared = { type: 's3', bucket: 'acme-terraform-state', key: 'kms/shared.tfstate' };
    const run = runApp({ alpha: {}, beta: { backend: shared }, gamma: { backend: shared } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "Configuration of stack 'alpha' has 1 problem:\n  - backend: the state of stack 'alpha' is a local file, and CI is set",
    );
    expect(run.stderr).toContain('set "backend": { "type": "local", "allowInCi": true } in alpha.json');
    expect(run.stderr).toContain(
      "Configuration of stack 'gamma' has 1 problem:\n  - backend.key: state at s3://acme-terraform-state/kms/shared.tfstate is also the state of stack 'beta'",
    );
    // Nothing is synthesized, not even the stack without a problem: no stack folder, no manifest.
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('builds a stack with local state when allowInCi says that is intended, naming no absolute path', () => {
    const run = runApp({ alpha: { backend: { type: 'local', allowInCi: true } } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const synthesized = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'alpha', 'cdk.tf.json'), 'utf8'));
    const statePath: string = synthesized.terraform.backend.local.path;
    expect(path.isAbsolute(statePath)).toBe(false);
    expect(path.resolve(out, 'stacks', 'alpha', statePath)).toBe(path.join(ROOT, 'terraform.alpha.tfstate'));
  });
});
