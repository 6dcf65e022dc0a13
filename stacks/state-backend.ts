// The stack's Terraform backend: S3 locked by a lock file when the config names a state bucket, a local file otherwise.
import * as path from 'node:path';
import { App, LocalBackend, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';
import { Manifest } from 'cdktf/lib/manifest';
import type { StateBackend } from './config';

/** Declares where Terraform keeps the state of `stack`; the config has resolved every default. */
export function declareStateBackend(stack: TerraformStack, backend: StateBackend): TerraformBackend {
  if (backend.type === 'local') return new LocalBackend(stack, { path: localStatePath(stack) });
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: backend.encrypt,
  });
  // cdktf 0.21's S3BackendConfig predates use_lockfile (Terraform 1.10); an override reaches the
  // backend block of the JSON and the HCL synth alike. The lock file replaces a DynamoDB table.
  s3.addOverride('use_lockfile', true);
  return s3;
}

/**
 * The file cdktf's default local backend uses (terraform.<stack>.tfstate in the folder cdktf runs
 * in), written relative to the folder Terraform runs in (<outdir>/stacks/<stack>). cdktf writes it
 * absolute, which puts this machine's paths into the synthesized files; relative, existing local
 * state is still found where it always was. Forward slashes: Terraform takes them on every OS.
 */
export function localStatePath(stack: TerraformStack): string {
  const stackId = stack.node.id;
  const workingDirectory = path.resolve(App.of(stack).outdir, Manifest.stacksFolder, stackId);
  const stateFile = path.resolve(process.cwd(), `terraform.${stackId}.tfstate`);
  return path.relative(workingDirectory, stateFile).split(path.sep).join('/');
}
