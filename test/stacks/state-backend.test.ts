// The synthesized backend: S3 with a lock file and one key per stack when the config names a bucket, a relative local file otherwise, in JSON and HCL alike.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { App, Testing } from 'cdktf';
import { MigrationConfig, loadConfig } from '../../stacks/config';
import { MigrationStack } from '../../stacks/migration-stack';
import { config } from './builders';

interface SynthesizedBackend {
  readonly s3?: Record<string, unknown>;
  readonly local?: { readonly path: string };
}

/** The stack's `terraform.backend` block, as `cdktf synth` writes it into cdk.tf.json. */
function backendOf(cfg: MigrationConfig, app: App = Testing.app()): SynthesizedBackend {
  const stack = new MigrationStack(app, cfg);
  const synthesized = JSON.parse(Testing.synth(stack)) as { terraform?: { backend?: SynthesizedBackend } };
  return synthesized.terraform?.backend ?? {};
}

const s3Config = (stackName: string, backend: Record<string, unknown> = {}) =>
  config({ backend: { type: 's3', bucket: 'acme-terraform-state', ...backend } }, stackName);

describe('S3 state', () => {
  it('locks the state with the S3 lock file, in a key of its own per stack, encrypted', () => {
    for (const stackName of ['prod', 'staging']) {
      expect(backendOf(s3Config(stackName))).toEqual({
        s3: {
          bucket: 'acme-terraform-state',
          key: `kms-migration/${stackName}/terraform.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it('declares no DynamoDB lock table', () => {
    expect(Object.keys(backendOf(s3Config('prod')).s3 ?? {})).not.toEqual(expect.arrayContaining(['dynamodb_table']));
  });

  it('writes the key, region and encryption the config gives', () => {
    const backend = backendOf(s3Config('prod', { key: 'platform/kms.tfstate', region: 'us-east-1', encrypt: false }));
    expect(backend.s3).toMatchObject({ key: 'platform/kms.tfstate', region: 'us-east-1', encrypt: false, use_lockfile: true });
  });

  it('renders the lock file in the HCL synth too', async () => {
    const stack = new MigrationStack(Testing.app(), s3Config('prod'));
    const { hcl } = stack.toHclTerraform() as { hcl: string };
    // The terraform block alone, which comes first, before the provider: the rest is not this test's concern.
    const terraformBlock = hcl.slice(0, hcl.indexOf('\nprovider "'));
    const parsed = (await parse('cdk.tf', terraformBlock)) as { terraform: { backend: { s3: Record<string, unknown>[] } }[] };
    expect(parsed.terraform[0]!.backend.s3[0]).toMatchObject({
      key: 'kms-migration/prod/terraform.tfstate',
      use_lockfile: true,
      encrypt: true,
    });
  });
});

describe('local state', () => {
  it('names a path relative to the folder Terraform runs in, the file cdktf has always used', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-backend-'));
    try {
      const { local } = backendOf(config({}, 'dev'), Testing.app({ outdir }));
      expect(path.isAbsolute(local!.path)).toBe(false);
      // Terraform resolves it from <outdir>/stacks/<stack>; cdktf's default is terraform.<stack>.tfstate in the working folder.
      expect(path.resolve(outdir, 'stacks', 'dev', local!.path)).toBe(path.resolve('terraform.dev.tfstate'));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('is "../../../terraform.<stack>.tfstate" under the default cdktf.out', () => {
    expect(backendOf(config({}, 'dev'), Testing.app({ outdir: 'cdktf.out' })).local).toEqual({ path: '../../../terraform.dev.tfstate' });
  });
});

describe('shipped environments', () => {
  it.each(['demo', 'dev'])('keeps %s on local state', (name) => {
    expect(loadConfig(name).backend).toEqual({ type: 'local', allowInCi: true });
    expect(Object.keys(backendOf(loadConfig(name)))).toEqual(['local']);
  });

  it('keeps prod in S3, locked, under its own key', () => {
    expect(backendOf(loadConfig('prod')).s3).toEqual({
      bucket: 'acme-terraform-state-444455556666',
      key: 'kms-migration/prod/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
  });
});
